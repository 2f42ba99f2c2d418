"""``crstrat grade PATH...``: course submissions against the recommendation, for CI."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, TextIO

import typer

from ._common import KbOption, console, format_option, is_terminal, load_kb, stdout_is_terminal
from ._outputs import choose_format as pick_format
from ._outputs import output_option

if TYPE_CHECKING:
    from rich.console import Console

    from ..grading import Grader, GradeReport

HELP = """\
Grade course submissions: answers files whose segments carry a proposal.

Each segment's proposal (the relationship types a student proposes, the
primary first) is compared with crstrat's recommended mix: the primary right,
the overlap with the mix weighted by score, no type the budget cannot carry.
A submission scores the mean over its segments, from 0 to 1, with feedback on
each choice that cost points. Folders are searched for *.yaml, *.yml and
*.json files (hidden ones skipped).

With --case, every submission is graded on the figures of the case you
assigned (an answers file without proposals), whatever the student's file
says, and each figure a student changed is named in the feedback.

Results are written as they are graded (to --output and --junit files
atomically at the end), in the order of the files, whatever --jobs is.

\b
Examples:
  crstrat grade submissions/ --case case.yaml     a table, or JSON off a terminal
  crstrat grade submissions/ --junit report.xml   a JUnit report for CI
  crstrat grade submissions/ -f csv -o grades.csv a gradebook for Moodle or Canvas
  crstrat grade alice.yaml bob.yaml --min-score 0.7 -f json

Exit codes: 0 all passed, 1 any below the minimum score, 2 any unreadable
file or a wrong call (the others are still graded).
"""

#: Extensions of answers files in a folder.
SUFFIXES = (".yaml", ".yml", ".json")

#: From this many files on, a terminal shows a progress bar on stderr.
PROGRESS_FROM = 50

#: From this many files on, --jobs N grades in N processes. Below it one process
#: grades them in a second or two, and starting others costs about what they save
#: (each process adds a fifth to the grading's CPU time, measured on 3,000 files).
PARALLEL_FROM = 2000

#: Files handed to a process at a time.
CHUNK = 64


class GradeFormat(StrEnum):
    """The formats ``crstrat grade`` can print."""

    table = "table"
    json = "json"
    csv = "csv"


#: The module under crstrat.render that writes each format.
RENDERERS = {
    GradeFormat.table: "grade_table",
    GradeFormat.json: "grade_json",
    GradeFormat.csv: "grade_csv",
}


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
OutputOption = Annotated[Path | None, output_option("the grades", ".json, .csv")]
CaseOption = Annotated[
    Path | None,
    typer.Option(
        "--case",
        metavar="FILE",
        help="The assigned case (an answers file): grade every submission on its figures "
        "and name each figure a student changed.",
        show_default=False,
        dir_okay=False,
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        min=1,
        help=f"Grade in N processes [default: the cores available; one below "
        f"{PARALLEL_FROM} files].",
        show_default=False,
    ),
]
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
    JSON, CSV and JUnit stay valid."""
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


class Setup(NamedTuple):
    """What a grading process needs (plain values, so that it can be sent to one)."""

    kb_dir: Path | None
    min_score: float | None
    case: Path | None
    out_format: GradeFormat
    width: int
    junit: bool


class Graded(NamedTuple):
    """One submission graded and written: its piece of each output, and its outcome."""

    text: str
    junit: str
    score: float | None
    passed: bool
    error: str | None
    seconds: float


def make_grader(setup: Setup) -> Grader:
    """A Grader for the knowledge base, pass mark and assigned case of ``setup``."""
    from ..answers import load_answers
    from ..grading import Grader

    kb = load_kb(setup.kb_dir)
    assigned = load_answers(kb, setup.case) if setup.case is not None else None
    return Grader(kb, setup.min_score, assigned)


class Grading:
    """A Grader and the writers of the outputs: grades a file and writes its pieces at
    once, in whichever process it runs, so that only text crosses between processes."""

    def __init__(self, setup: Setup) -> None:
        import importlib

        self.setup = setup
        self.grader = make_grader(setup)
        module = importlib.import_module(f"crstrat.render.{RENDERERS[setup.out_format]}")
        table = setup.out_format is GradeFormat.table
        self.writer = module.Writer(setup.width) if table else module.Writer()
        self.junit = None
        if setup.junit:
            from ..render.junit import Writer as JunitWriter

            self.junit = JunitWriter(self.grader.min_score)

    def grade(self, file: Submission) -> Graded:
        """Grade one file and write its pieces. A submission's text is never quoted
        in the results (they are published): messages describe what is wrong."""
        from ..grading import SubmissionGrade
        from ..yamlfile import content_hidden

        start = time.perf_counter()
        if file.refused is not None:
            result = SubmissionGrade(file.label, None, False, f"{file.label}: {file.refused}")
        else:
            with content_hidden():
                result = self.grader.grade_file(file.path, file.label)
            if result.error and file.label != str(file.path):  # a name that is not UTF-8
                result = result._replace(error=result.error.replace(str(file.path), file.label))
        seconds = time.perf_counter() - start
        return Graded(
            self.writer.result(result, seconds),
            self.junit.result(result, seconds) if self.junit is not None else "",
            result.score,
            result.passed,
            result.error,
            seconds,
        )


_worker: Grading | None = None


def _start_worker(setup: Setup) -> None:
    global _worker
    # the parent stops the grading processes (SIGTERM when done) and answers Ctrl-C:
    # a process forked with the CLI's handlers would print their tracebacks instead
    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP is not on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _worker is None or _worker.setup != setup:  # a forked process has its parent's
        _worker = Grading(setup)


def _grade_in_worker(file: Submission) -> Graded:
    assert _worker is not None  # set by _start_worker
    return _worker.grade(file)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def graded(grading: Grading, files: list[Submission], jobs: int, setup: Setup) -> Iterator[Graded]:
    """Each file graded and written, in the order of ``files``, as they are graded.

    With ``jobs`` above 1 (and enough files) the files are graded by that many
    processes, each with its own :class:`Grading` built from ``setup``; the
    results are the same as one process's, in the same order.
    """
    if jobs <= 1 or len(files) < PARALLEL_FROM:
        yield from map(grading.grade, files)
        return
    import multiprocessing

    global _worker
    _worker = grading  # where processes are forked, they start with it ready
    with multiprocessing.Pool(jobs, initializer=_start_worker, initargs=(setup,)) as pool:
        yield from pool.imap(_grade_in_worker, files, chunksize=CHUNK)


def with_progress(results: Iterator[Graded], total: int) -> Iterator[Graded]:
    """The same results, with a progress bar on a terminal's stderr for large batches."""
    if total < PROGRESS_FROM or not is_terminal(sys.stderr):
        yield from results
        return
    from rich.progress import Progress

    # the first result before the bar: grading processes are forked before the bar's
    # thread starts (forking a process that runs threads can deadlock the child)
    first = next(results, None)
    if first is None:
        return
    with Progress(console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("Grading", total=total)
        for item in itertools.chain([first], results):
            yield item
            progress.advance(task)


def exit_code(report: GradeReport) -> int:
    """2 when any submission could not be read, else 1 when any is below the minimum, else 0."""
    from ..errors import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE

    if report.summary.errors:
        return EXIT_USAGE
    return EXIT_CHECK_FAILED if report.summary.failed else EXIT_OK


def choose_format(fmt: GradeFormat | None, output: Path | None) -> GradeFormat:
    """The explicit format, else the output file's extension, else terminal or not."""
    by_suffix = {".json": GradeFormat.json, ".csv": GradeFormat.csv}
    return pick_format(fmt, output, by_suffix, GradeFormat.table, GradeFormat.json)


def grade(
    paths: PathsArgument,
    case: CaseOption = None,
    min_score: MinScoreOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    junit: JunitOption = None,
    jobs: JobsOption = None,
    kb_dir: KbOption = None,
) -> int:
    """Grade course submissions against the recommendation."""
    from ..errors import UsageError
    from ..grading import GradeReport, Tally
    from ..outputs import announce_written, check_outputs, folder_inputs, is_stdout

    junit_only = is_stdout(junit) and fmt is None and output is None  # --junit -
    out_format = choose_format(fmt, output)
    on_terminal = output is None and out_format is GradeFormat.table and stdout_is_terminal()
    screen = console() if on_terminal else None
    width = screen.width if screen is not None else 100
    setup = Setup(kb_dir, min_score, case, out_format, width, junit is not None)
    files = find_submissions(paths)
    if not files:
        where = ", ".join(str(p) for p in paths)
        raise UsageError(f"no answers files (*.yaml, *.yml, *.json) in {where}")
    check_outputs(
        {"--junit": junit, "--output": None if junit_only else (output or Path("-"))},
        [
            *(("a submission", file.path) for file in files),
            ("--case", case),
            *folder_inputs("--kb", kb_dir),
        ],
    )
    grading = Grading(setup)
    grader, writer = grading.grader, grading.writer
    tally = Tally(grader.min_score)
    seconds = 0.0

    with contextlib.ExitStack() as stack:
        # every file to write is opened (checked) before the first submission is graded
        out: TextIO = sys.stdout
        if output is not None:
            from ..outputs import atomic_writer

            out = stack.enter_context(atomic_writer(output))
        xml = cases = None
        if junit is not None:
            from ..outputs import atomic_writer

            xml = stack.enter_context(atomic_writer(junit))
            # the testcases wait in a spool file: the counts go before them
            cases = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        show = _screen_writer(screen) if screen is not None else out.write
        if junit_only:
            show = _nowhere  # the JUnit is the output
        show(writer.head())
        results = graded(grading, files, jobs or available_cores(), setup)
        for index, item in enumerate(with_progress(results, len(files))):
            tally.add(item)
            seconds += item.seconds
            show(writer.separator + item.text if index else item.text)
            if cases is not None:
                cases.write(item.junit)
        report = GradeReport((), tally.summary(), grader.kb.name, grader.kb.sha256)
        show(writer.tail(report))
        out.flush()
        if xml is not None and cases is not None and grading.junit is not None:
            head, end = grading.junit.wrap(report, seconds)
            xml.write(head)
            cases.seek(0)
            shutil.copyfileobj(cases, xml)
            xml.write(end)
    for written in (junit, output):
        if written is not None:
            announce_written(written)
    return exit_code(report)


def _nowhere(text: str) -> None:
    """A writer that drops what it is given."""


def _screen_writer(screen: Console) -> Callable[[str], None]:
    """Print a piece of the table on a terminal, verdicts in colour."""
    from ..render.grade_table import print_lines

    def show(text: str) -> None:
        if text:
            print_lines(screen, iter(text.removesuffix("\n").split("\n")))

    return show
