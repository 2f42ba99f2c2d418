"""``crstrat grade PATH...``: course submissions against the recommendation, for CI."""

from __future__ import annotations

import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from ._common import KbOption, console, format_option, is_terminal, load_kb, stdout_is_terminal

if TYPE_CHECKING:
    from ..grading import Grader, GradeReport, SubmissionGrade

HELP = """\
Grade course submissions: answers files whose segments carry a proposal.

Each segment's proposal (the relationship types a student proposes, the
primary first) is compared with crstrat's recommended mix: the primary right,
the overlap with the mix weighted by score, no type the budget cannot carry.
A submission scores the mean over its segments, from 0 to 1, with feedback on
each choice that cost points. Folders are searched for *.yaml, *.yml and
*.json files (hidden ones skipped).

\b
Examples:
  crstrat grade submissions/                      a table, or JSON off a terminal
  crstrat grade submissions/ --junit report.xml   a JUnit report for CI
  crstrat grade alice.yaml bob.yaml --min-score 0.7 -f json

Exit codes: 0 all passed, 1 any below the minimum score, 2 any unreadable
file or a wrong call (the others are still graded).
"""

#: Extensions of answers files in a folder.
SUFFIXES = (".yaml", ".yml", ".json")

#: From this many files on, a terminal shows a progress bar on stderr.
PROGRESS_FROM = 50


class GradeFormat(StrEnum):
    """The formats ``crstrat grade`` can print."""

    table = "table"
    json = "json"


PathsArgument = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATH...",
        help="Answers files, or folders searched for *.yaml, *.yml and *.json.",
        show_default=False,
    ),
]
MinScoreOption = Annotated[
    float | None,
    typer.Option(
        "--min-score",
        metavar="X",
        min=0.0,
        max=1.0,
        help="Pass mark from 0 to 1 [default: grading.min_score of the knowledge base].",
        show_default=False,
    ),
]
FormatOption = Annotated[GradeFormat | None, format_option()]
JunitOption = Annotated[
    Path | None,
    typer.Option(
        "--junit",
        metavar="PATH",
        help="Also write a JUnit XML report (atomically): a testcase per submission. "
        "'-' writes it to stdout instead of the table or JSON.",
        show_default=False,
        dir_okay=False,
    ),
]


class Submission(NamedTuple):
    """A file to grade: its label in reports, its path, and why it is not read, if so."""

    label: str
    path: Path
    refused: str | None = None


def _label(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 shown as ``\\xNN``, so that
    JSON and JUnit stay valid."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def find_submissions(paths: list[Path]) -> list[Submission]:
    """Each file to grade: files as given, folders searched recursively.

    Folder contents come sorted; a path that does not exist is kept, so that
    it is reported as an error beside the others; a file named twice is graded
    once. A link inside a folder that leads out of it is refused, never read.
    """
    found: list[Submission] = []
    seen: set[str] = set()

    def add(name: str, key: str, refused: str | None = None) -> None:
        if key not in seen:
            seen.add(key)
            found.append(Submission(_label(name), Path(name), refused))

    for path in paths:
        real = os.path.realpath(path)  # once per argument: a thousand realpaths are slow
        if not path.is_dir():
            add(str(path), real)
            continue
        inside = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            inside += [
                os.path.join(root, f)
                for f in files
                if not f.startswith(".") and f.lower().endswith(SUFFIXES)
            ]
        top = os.fspath(path)  # os.walk's paths all start with it
        for name in sorted(inside):
            add(name, real + name[len(top) :], _link_out(name, real))
    return found


def _link_out(name: str, folder: str) -> str | None:
    """Why a file found in ``folder`` is not read: a link that leads out of it (to
    /etc/passwd, a .env file, /dev/stdin). None for an ordinary file."""
    if not os.path.islink(name):
        return None
    target = os.path.realpath(name)
    if target.startswith(folder.rstrip(os.sep) + os.sep):
        return None
    return "is a symbolic link that leads out of the graded folder; it was not read"


def grade_all(
    grader: Grader, files: list[Submission]
) -> tuple[list[SubmissionGrade], dict[str, float]]:
    """Grade every file, with a progress bar on a terminal's stderr for large batches.

    A submission's text is never quoted in the results (they are published):
    messages describe what is wrong instead.
    """
    from ..grading import SubmissionGrade
    from ..yamlfile import content_hidden

    results: list[SubmissionGrade] = []
    seconds: dict[str, float] = {}

    def grade_one(file: Submission) -> None:
        start = time.perf_counter()
        if file.refused is not None:
            results.append(
                SubmissionGrade(file.label, None, False, f"{file.label}: {file.refused}")
            )
        else:
            with content_hidden():
                result = grader.grade_file(file.path, file.label)
            if result.error and file.label != str(file.path):  # a name that is not UTF-8
                result = result._replace(error=result.error.replace(str(file.path), file.label))
            results.append(result)
        seconds[file.label] = time.perf_counter() - start

    if len(files) >= PROGRESS_FROM and is_terminal(sys.stderr):
        from rich.progress import Progress

        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task("Grading", total=len(files))
            for file in files:
                grade_one(file)
                progress.advance(task)
    else:
        for file in files:
            grade_one(file)
    return results, seconds


def exit_code(report: GradeReport) -> int:
    """2 when any submission could not be read, else 1 when any is below the minimum, else 0."""
    from ..errors import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE

    if report.summary.errors:
        return EXIT_USAGE
    return EXIT_CHECK_FAILED if report.summary.failed else EXIT_OK


def grade(
    paths: PathsArgument,
    min_score: MinScoreOption = None,
    fmt: FormatOption = None,
    junit: JunitOption = None,
    kb_dir: KbOption = None,
) -> int:
    """Grade course submissions against the recommendation."""
    from ..errors import UsageError
    from ..grading import Grader
    from ..outputs import check_outputs, folder_inputs, is_stdout

    junit_only = is_stdout(junit) and fmt is None  # --junit - : the JUnit is the output
    kb = load_kb(kb_dir)
    grader = Grader(kb, min_score)
    files = find_submissions(paths)
    if not files:
        where = ", ".join(str(p) for p in paths)
        raise UsageError(f"no answers files (*.yaml, *.yml, *.json) in {where}")
    check_outputs(
        {"--junit": junit, "--format": None if junit_only else Path("-")},
        [*(("a submission", file.path) for file in files), *folder_inputs("--kb", kb_dir)],
    )
    results, seconds = grade_all(grader, files)
    report = grader.report(results)

    if junit is not None:
        from ..outputs import write_output
        from ..render import junit as junit_xml

        write_output(junit, junit_xml.render(report, seconds))
        if junit_only:
            return exit_code(report)

    out_format = fmt or (GradeFormat.table if stdout_is_terminal() else GradeFormat.json)
    if out_format is GradeFormat.json:
        from ..render.grade_json import render

        sys.stdout.write(render(report))
    elif stdout_is_terminal():
        from ..render.grade_table import print_report

        print_report(console(), report)
    else:
        from ..render.grade_table import render as render_table

        sys.stdout.write(render_table(report))
    sys.stdout.flush()
    return exit_code(report)
