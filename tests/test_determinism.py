"""The same answers give byte-identical output, across processes and hash seeds.

Comparing two calls inside one interpreter cannot show an order that depends on
the string hash seed (iterating a set of type ids, say): both calls share the
seed. Here the installed ``crstrat`` runs in separate processes, each with its
own ``PYTHONHASHSEED``, and their standard output and files are compared byte
for byte.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from crstrat.knowledge import example_path, load_knowledge
from readme_examples import installed_crstrat

# JUnit reports measure how long grading took; that alone may differ
TIMINGS = re.compile(rb'\b(time|timestamp)="[^"]*"')
SEEDS = ("0", "1", "4242")
EXAMPLES = ("airline", "budget_airline", "dental_clinic", "software")
# every type proposed by some submission, so grading feedback touches them all
PROPOSALS = (
    ["communities", "personal_assistance"],
    ["self_service", "automated_services", "personal_assistance"],
    ["dedicated_personal_assistance", "co_creation"],
)


def outputs_by_seed(
    args: list[str], cwd: Path, files: tuple[str, ...] = (), code: int = 0
) -> dict[str, bytes]:
    """Run crstrat once per hash seed, in parallel; each seed's stdout and named files."""
    runs = {}
    for seed in SEEDS:
        folder = cwd / f"seed-{seed}"
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1", "COLUMNS": "100"}
        runs[seed] = (
            folder,
            subprocess.Popen(
                [installed_crstrat(), *args],
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            ),
        )
    found = {}
    for seed, (folder, process) in runs.items():
        out, err = process.communicate(timeout=60)
        assert process.returncode == code, err.decode()
        written = b"".join((folder / name).read_bytes() for name in files)
        found[seed] = out + TIMINGS.sub(rb'\1="<measured>"', written)
    return found


def assert_identical(found: dict[str, bytes]) -> None:
    first = found[SEEDS[0]]
    assert first, "no output to compare"
    differing = [seed for seed, out in found.items() if out != first]
    assert differing == [], f"output differs with PYTHONHASHSEED={differing}"


@pytest.mark.parametrize("example", EXAMPLES)
def test_plan_json(example: str, tmp_path: Path) -> None:
    assert_identical(outputs_by_seed(["plan", "--example", example, "--format", "json"], tmp_path))


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_plan_for_people(fmt: str, tmp_path: Path) -> None:
    assert_identical(outputs_by_seed(["plan", "--example", "software", "--format", fmt], tmp_path))


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_report(fmt: str, tmp_path: Path) -> None:
    """Reports include what would change the advice (the what-if analysis)."""
    args = ["report", "--example", "software", "--format", fmt]
    assert_identical(outputs_by_seed(args, tmp_path))


@pytest.fixture
def submissions(tmp_path: Path) -> Path:
    """A class: every example with each proposal in every segment, and one unreadable file."""
    kb = load_knowledge()
    folder = tmp_path / "submissions"
    folder.mkdir()
    for example in EXAMPLES:
        answers = yaml.safe_load(example_path(kb, example).read_text(encoding="utf-8"))
        for number, proposal in enumerate(PROPOSALS):
            for segment in answers["segments"]:
                segment["proposal"] = proposal
            path = folder / f"{example}-{number}.yaml"
            path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
    (folder / "broken.yaml").write_text("crstrat: 1\nsegments: [", encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_grade(submissions: Path, fmt: str, tmp_path: Path) -> None:
    args = ["grade", str(submissions), "--format", fmt, "--junit", "grades.xml"]
    runs = tmp_path / "runs"
    runs.mkdir()
    found = outputs_by_seed(args, runs, files=("grades.xml",), code=2)  # broken.yaml: exit 2
    assert_identical(found)
