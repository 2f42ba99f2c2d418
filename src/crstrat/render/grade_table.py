"""A graded batch for people: a verdict line per submission, its feedback below it.

User text (file and segment names) is printed literally, its control characters
made visible; colour only where the console allows it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from ..figures import printable
from ..grading import GradeReport, SubmissionGrade

VERDICT_STYLE = {"PASS": "bold green", "FAIL": "bold red", "ERROR": "bold magenta"}


def verdict(result: SubmissionGrade) -> str:
    """PASS, FAIL (below the minimum score) or ERROR (could not be read)."""
    if result.error is not None:
        return "ERROR"
    return "PASS" if result.passed else "FAIL"


def _indented(text: str, style: str = "", indent: int = 7) -> RenderableType:
    return Padding(Text(text, style=style), (0, 0, 0, indent))


def _submission(result: SubmissionGrade) -> Iterator[RenderableType]:
    word = verdict(result)
    score = "" if result.score is None else f"{result.score:.2f}"
    line = Text()
    line.append(f"{word:<6}", style=VERDICT_STYLE[word])
    line.append(f"{score:>4}  {printable(result.file)}")
    yield line
    if result.error is not None:
        yield _indented(printable(result.error), "red")
        return
    for seg in result.segments:
        if not seg.remarks:
            yield _indented(f"{printable(seg.name)}: {seg.score:.2f}, matches the recommendation")
            continue
        yield _indented(f"{printable(seg.name)}: {seg.score:.2f}", "bold")
        for remark in seg.remarks:
            yield _indented(f"- {remark.text} (-{remark.points:.2f} {remark.part})", indent=9)


def summary_line(report: GradeReport) -> str:
    """One sentence: how many submissions passed, failed and could not be read."""
    s = report.summary
    noun = "submission" if s.submissions == 1 else "submissions"
    mean = f"; mean score {s.mean_score:.2f}" if s.mean_score is not None else ""
    return (
        f"{s.submissions} {noun}: {s.passed} passed, {s.failed} below the minimum score "
        f"{s.min_score:g}, {s.errors} unreadable{mean}."
    )


def renderables(report: GradeReport) -> Iterator[RenderableType]:
    """The batch as rich renderables: each submission, then the summary."""
    for result in report.results:
        yield from _submission(result)
    yield Text()
    yield Text(summary_line(report), style="bold")


def print_report(console: Console, report: GradeReport) -> None:
    """Print the batch on a console (colour as the console decides)."""
    for part in renderables(report):
        console.print(part)


def render(report: GradeReport, width: int = 100) -> str:
    """The batch as plain text (no colour), e.g. for a CI log."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    print_report(console, report)
    return buffer.getvalue()
