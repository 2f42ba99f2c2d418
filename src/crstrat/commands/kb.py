"""``crstrat kb export DIR`` and ``crstrat kb validate DIR``: custom knowledge bases."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._common import new_app

HELP = """\
Custom knowledge bases: start from the built-in one, check your own.

A knowledge base is a folder of YAML files (knowledge/README.md in an exported
copy documents every field). Use one with --kb DIR on plan, report, grade,
types, explain and examples.

\b
  crstrat kb export my-kb          a copy of the built-in base to edit
  crstrat kb validate my-kb        check it: OK, or each problem with file and line
  crstrat plan --kb my-kb --example airline
"""

app = new_app("kb", HELP)

FolderArgument = Annotated[
    Path,
    typer.Argument(metavar="DIR", help="The knowledge base folder.", show_default=False),
]


def builtin_files() -> list[Path]:
    """The files of the built-in knowledge base, relative to its folder: the knowledge
    files that exist, the README and the example answers files."""
    from ..knowledge import KB_FILES, builtin_location

    root = builtin_location()
    names = [Path(name) for name in (*KB_FILES, "README.md") if (root / name).is_file()]
    examples = root / "examples"
    if examples.is_dir():
        names += sorted(p.relative_to(root) for p in examples.glob("*.yaml") if p.is_file())
    return names


def export_builtin(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in knowledge base into ``folder``, each file atomically.

    Refuses a folder that already has files in it unless ``force`` (which then
    overwrites the files it writes and leaves the others alone).
    """
    from ..errors import InputError, UsageError
    from ..knowledge import builtin_location
    from ..outputs import write_atomic

    try:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is a file; give a folder to export the knowledge base to")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise UsageError(
                f"{folder} is not empty; give a new or empty folder, or --force to overwrite "
                "the knowledge base files in it"
            )
        root = builtin_location()
        written = []
        for name in builtin_files():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            # bytes as they are, so the copy has the built-in base's fingerprint
            write_atomic(target, (root / name).read_bytes().decode("utf-8"))
            written.append(target)
    except OSError as exc:  # a folder that cannot be made or listed
        where = exc.filename if exc.filename is not None else folder
        raise InputError(
            f"cannot be written ({exc.strerror or exc}); give a folder you can write to",
            source=str(where),
        ) from None
    return written


@app.command("export")
def export(
    folder: FolderArgument,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the knowledge base files in DIR.")
    ] = False,
) -> None:
    """Write the built-in knowledge base to DIR, a starting point for your own."""
    written = export_builtin(folder, force=force)
    sys.stderr.write(
        f"crstrat: wrote {len(written)} files to {folder}. Change 'name' and 'version' in "
        f"{folder / 'meta.yaml'} so that plans show which knowledge base they used, then "
        f"check your edits with: crstrat kb validate {folder}\n"
    )


@app.command("validate")
def validate(folder: FolderArgument) -> int:
    """Check a knowledge base folder and its example answers files.

    Prints OK with the base's name and sha256, or each problem with its file,
    line and key (exit 2).
    """
    from ..answers import load_answers
    from ..errors import EXIT_USAGE, InputError
    from ..knowledge import example_names, example_path, knowledge_problems

    # each problem names its file, line and key; all of them are reported at once
    kb, found = knowledge_problems(folder)
    problems = [problem.message for problem in found]
    if kb is None:  # a base that cannot load has at least one problem
        _report(problems, folder)
        return EXIT_USAGE
    names = example_names(kb)
    for name in names:
        try:
            load_answers(kb, example_path(kb, name))
        except InputError as exc:
            problems.append(exc.message)
    if problems:
        _report(problems, folder)
        return EXIT_USAGE
    sys.stdout.write(
        f"OK {folder}: knowledge base '{kb.name}' version {kb.version}, "
        f"{len(kb.types)} relationship types, {len(kb.tactics)} tactics, "
        f"{len(names)} examples\nsha256 {kb.sha256}\n"
    )
    return 0


def _report(problems: list[str], folder: Path) -> None:
    """Every problem on stderr, one line each, then how many."""
    from ..figures import printable

    for problem in problems:
        sys.stderr.write(f"crstrat: error: {printable(problem)}\n")
    noun = "problem" if len(problems) == 1 else "problems"
    sys.stderr.write(f"crstrat: {len(problems)} {noun} in {folder}\n")
