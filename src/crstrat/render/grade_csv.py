"""A graded batch as a gradebook CSV, for Moodle, Canvas LMS or a spreadsheet.

One row per submission, in the order graded, under a header row::

    student,file,score,percent,result,error
    alice,submissions/alice.yaml,0.8512,85.12,pass,
    bob,submissions/bob.yaml,,,error,"submissions/bob.yaml:3: is not valid YAML: ..."

``student`` is the file's name without its folder and extension (name the files
by the learning platform's user name, e-mail or ID number, see
docs/instructors.md); ``score`` is from 0 to 1, ``percent`` from 0 to 100, both
empty for a file that could not be read; ``result`` is ``pass``, ``fail`` or
``error``. Written with the standard library's csv module (RFC 4180 quoting,
CRLF line ends), UTF-8 without a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import os

from ..grading import GradeReport, SubmissionGrade

COLUMNS = ("student", "file", "score", "percent", "result", "error")

#: Spreadsheets run a cell that starts with one of these as a formula: such a
#: cell (a file name or an error quoting a student's text) gets a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def student_id(file: str) -> str:
    """The student a submission belongs to: its file name without folder or extension."""
    name = os.path.basename(file)
    stem, extension = os.path.splitext(name)
    return stem if extension and stem else name


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def result_row(result: SubmissionGrade) -> list[str]:
    """One submission's row, in the order of :data:`COLUMNS`."""
    if result.error is not None:
        outcome = "error"
    else:
        outcome = "pass" if result.passed else "fail"
    score = "" if result.score is None else f"{result.score:.4f}"
    percent = "" if result.score is None else f"{result.score * 100:.2f}"
    return [
        _cell(student_id(result.file)),
        _cell(result.file),
        score,
        percent,
        outcome,
        _cell(result.error or ""),
    ]


class Writer:
    """The CSV in pieces: the header, a row per submission as it is graded, nothing after."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer)

    def _row(self, row: list[str] | tuple[str, ...]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._csv.writerow(row)
        return self._buffer.getvalue()

    #: What goes between two results: nothing.
    separator = ""

    def head(self) -> str:
        """The header row."""
        return self._row(COLUMNS)

    def result(self, result: SubmissionGrade, seconds: float = 0.0) -> str:
        """One submission's row."""
        return self._row(result_row(result))

    def tail(self, report: GradeReport) -> str:
        """Nothing: a gradebook has no summary row (a platform would read it as a student)."""
        return ""


def render(report: GradeReport) -> str:
    """The whole batch as CSV text."""
    writer = Writer()
    rows = "".join(writer.result(result) for result in report.results)
    return writer.head() + rows + writer.tail(report)
