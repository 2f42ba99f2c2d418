"""A graded batch for people: a verdict line per submission, its feedback below it.

Plain lines wrapped with hanging indents (no trailing spaces, so CI logs and
diffs stay clean); on a terminal the verdicts are coloured. User text (file and
segment names) is printed literally, its control characters made visible.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..figures import printable
from ..grading import GradeReport, SubmissionGrade, changes_text, remark_line

if TYPE_CHECKING:
    from rich.console import Console

VERDICT_STYLE = {"PASS": "bold green", "FAIL": "bold red", "ERROR": "bold magenta"}

#: Where a submission's details start, under its verdict line.
INDENT = 6


def verdict(result: SubmissionGrade) -> str:
    """PASS, FAIL (below the minimum score) or ERROR (could not be read)."""
    if result.error is not None:
        return "ERROR"
    return "PASS" if result.passed else "FAIL"


def _wrapped(text: str, indent: int, width: int, hanging: int = 0) -> list[str]:
    return textwrap.wrap(
        text,
        width=max(width, indent + 30),
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hanging),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [" " * indent]


def submission_lines(result: SubmissionGrade, width: int) -> Iterator[str]:
    """One submission: its verdict line, then each segment and what cost it points."""
    word = verdict(result)
    score = "" if result.score is None else f"{result.score:.2f}"
    yield f"{word:<5} {score:>4}  {printable(result.file)}"
    if result.error is not None:
        yield from _wrapped(printable(result.error), INDENT, width, 2)
        return
    if result.changed:
        text = f"You changed the case: {changes_text(result.changed)}."
        yield from _wrapped(printable(text), INDENT, width, 2)
    for seg in result.segments:
        name = printable(seg.name)
        if not seg.remarks:
            yield from _wrapped(
                f"{name}: {seg.score:.2f}, matches the recommendation", INDENT, width
            )
            continue
        yield from _wrapped(f"{name}: {seg.score:.2f}", INDENT, width)
        for remark in seg.remarks:
            yield from _wrapped(printable(remark_line(remark)), INDENT + 2, width, 2)


def summary_line(report: GradeReport) -> str:
    """One sentence: how many submissions passed, failed and could not be read."""
    s = report.summary
    noun = "submission" if s.submissions == 1 else "submissions"
    mean = f"; mean score {s.mean_score:.2f}" if s.mean_score is not None else ""
    return (
        f"{s.submissions} {noun}: {s.passed} passed, {s.failed} below the minimum score "
        f"{s.min_score:g}, {s.errors} unreadable{mean}."
    )


def lines(report: GradeReport, width: int = 100) -> Iterator[str]:
    """The batch as lines of text, each submission then the summary."""
    for result in report.results:
        yield from submission_lines(result, width)
    yield from tail_lines(report, width)


def tail_lines(report: GradeReport, width: int = 100) -> Iterator[str]:
    """What follows the submissions: a blank line and the summary, wrapped at ``width``."""
    yield ""
    yield from _wrapped(summary_line(report), 0, width)


def render(report: GradeReport, width: int = 100) -> str:
    """The batch as plain text, e.g. for a CI log."""
    return "\n".join(lines(report, width)) + "\n"


class Writer:
    """The plain text in pieces, a submission at a time (see the JSON Writer)."""

    def __init__(self, width: int = 100) -> None:
        self.width = width

    #: What goes between two results: nothing.
    separator = ""

    def head(self) -> str:
        """Nothing comes before the first submission."""
        return ""

    def result(self, result: SubmissionGrade, seconds: float = 0.0) -> str:
        """One submission's lines."""
        return "".join(f"{line}\n" for line in submission_lines(result, self.width))

    def tail(self, report: GradeReport) -> str:
        """The summary."""
        return "".join(f"{line}\n" for line in tail_lines(report, self.width))


def print_lines(console: Console, lines: Iterator[str]) -> None:
    """Print lines on a console, verdicts in colour where the console allows it."""
    from rich.text import Text

    for line in lines:
        text = Text(line)
        word = line.split(" ", 1)[0]
        if word in VERDICT_STYLE and not line.startswith(" "):
            text.stylize(VERDICT_STYLE[word], 0, len(word))
        console.print(text, no_wrap=True, overflow="ignore", crop=False, highlight=False)


def print_report(console: Console, report: GradeReport) -> None:
    """Print the batch on a console, verdicts in colour where the console allows it."""
    print_lines(console, lines(report, console.width))
