"""README.md's examples of output, regenerated from the installed crstrat.

Each block between ``<!-- example: NAME -->`` and ``<!-- /example -->`` in
README.md is what the installed ``crstrat`` prints for the command of that
name below, and each inline quote matched by ``INLINE`` is taken from the same
runs. The inputs are the README's own answers files, so an edit to those
flows into the output shown.

    python tests/readme_examples.py           # exit 1 with a diff when README.md is stale
    python tests/readme_examples.py --write   # rewrite the examples in README.md

tests/test_readme.py runs the check with the suite.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- example: (\S+) -->\n)(.*?)(<!-- /example -->)", re.S)
# what a person sees at a terminal 100 columns wide, without colour
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}


def installed_crstrat() -> str:
    """The ``crstrat`` command installed beside this Python, as a user runs it."""
    command = Path(sys.executable).parent / ("crstrat.exe" if os.name == "nt" else "crstrat")
    if not command.exists():
        raise SystemExit(f"crstrat is not installed beside {sys.executable}")
    return str(command)


def crstrat(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    return subprocess.run(
        [installed_crstrat(), *args],
        cwd=cwd,
        env={**env, **ENV},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def shown(command: str, output: str) -> str:
    """A command and its output as a README code block."""
    return f"```\n$ {command}\n{output.rstrip()}\n```\n"


def yaml_block(readme: str, marker: str) -> str:
    """The README's YAML example containing ``marker``."""
    blocks: list[str] = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    found = [block for block in blocks if marker in block]
    if len(found) != 1:
        raise SystemExit(f"README.md: no single yaml block with {marker!r}")
    return found[0]


def workspace(folder: Path, readme: str) -> None:
    """The files the examples run on, made from the README's own answers files."""
    answers = yaml_block(readme, "company: Kiwi Air")
    (folder / "answers.yaml").write_text(answers.replace(" customers:", " custmers:", 1))
    student = yaml_block(readme, "company: Smile Street Dental")
    submissions = folder / "submissions"
    submissions.mkdir()
    bob = re.sub(r"proposal: \[.*\]", "proposal: [communities]", student)
    (submissions / "bob.yaml").write_text(bob, encoding="utf-8")
    carol = re.sub(r"\n *goal: .*", "", student)
    (submissions / "carol.yaml").write_text(carol, encoding="utf-8")


def mix_sample(folder: Path) -> str:
    """The first segment's recommended mix, from the airline's markdown plan."""
    result = crstrat("plan", "--example", "airline", "--format", "markdown", cwd=folder)
    section = result.stdout.split("\n## ")[1].split("\n### Every type")[0]
    lines = [line for line in section.splitlines()[1:] if not line.startswith("#")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return f"\n{text}\n\n"


def error_sample(folder: Path) -> str:
    result = crstrat("plan", "--answers", "answers.yaml", cwd=folder)
    return shown("crstrat plan --answers answers.yaml", result.stderr)


def grade_sample(folder: Path) -> str:
    result = crstrat("grade", "submissions/bob.yaml", "--format", "table", cwd=folder)
    return shown("crstrat grade submissions/bob.yaml", result.stdout)


def junit_failure(folder: Path) -> str:
    crstrat("grade", "submissions/bob.yaml", "--junit", "bob.xml", cwd=folder)
    xml = (folder / "bob.xml").read_text(encoding="utf-8")
    failure = INLINE["junit-failure"][0].search(xml)
    if failure is None:
        raise SystemExit(f"no failure in the JUnit report of bob.yaml:\n{xml}")
    return failure.group()


def unreadable_message(folder: Path) -> str:
    result = crstrat("grade", "submissions/carol.yaml", "--format", "json", cwd=folder)
    return f"`{json.loads(result.stdout)['results'][0]['error']}`"


BLOCKS: dict[str, Callable[[Path], str]] = {
    "mix": mix_sample,
    "error": error_sample,
    "grade": grade_sample,
}
# quotes inside README sentences: the pattern they match, and where they come from
INLINE: dict[str, tuple[re.Pattern[str], Callable[[Path], str]]] = {
    "junit-failure": (
        re.compile(r'<failure type="below_min_score" message="[^"]*">'),
        junit_failure,
    ),
    "unreadable": (re.compile(r"`submissions/carol\.yaml:[^`]*`"), unreadable_message),
}


def regenerated(readme: str) -> str:
    """README.md with every example as the installed crstrat prints it now."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workspace(folder, readme)
        names = [match.group(2) for match in BLOCK.finditer(readme)]
        if sorted(names) != sorted(BLOCKS):
            raise SystemExit(f"README.md examples {names}, expected one each of {sorted(BLOCKS)}")
        text = BLOCK.sub(lambda m: m.group(1) + BLOCKS[m.group(2)](folder) + m.group(4), readme)
        for name, (pattern, make) in INLINE.items():
            text, count = pattern.subn(make(folder).replace("\\", "\\\\"), text)
            if count == 0:
                raise SystemExit(f"README.md: no inline example {name!r}")
    return text


def main(argv: list[str]) -> int:
    readme = README.read_text(encoding="utf-8")
    fresh = regenerated(readme)
    if "--write" in argv:
        README.write_text(fresh, encoding="utf-8")
        return 0
    diff = difflib.unified_diff(
        readme.splitlines(keepends=True), fresh.splitlines(keepends=True), "README.md", "fresh"
    )
    sys.stdout.writelines(diff)
    return 0 if fresh == readme else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
