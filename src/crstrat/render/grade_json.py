"""A graded batch as JSON: ``{"results": [...], "summary": {...}}``.

Each result (one line) is one submission (``file``, ``score``, ``passed``, ``error``,
``segments``, ``changed``); each segment has its score, the credit of each rubric
part, the proposal, the recommended mix, the feedback (costliest choice first)
and, graded against an assigned case, the figures of the case it changed.
:class:`Writer` writes the document a result at a time, as a batch is graded.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..comparison import Change
from ..grading import GradeReport, SegmentGrade, SubmissionGrade

SCHEMA_VERSION = 1


def _round(value: float) -> float:
    return round(value, 4)


def segment_data(grade: SegmentGrade) -> dict[str, Any]:
    """One segment's grade as JSON-ready data."""
    return {
        "name": grade.name,
        "score": _round(grade.score),
        "parts": {part: _round(credit) for part, credit in grade.parts.items()},
        "proposal": list(grade.proposal),
        "recommended": [{"type": e.type, "role": e.role} for e in grade.recommended],
        "feedback": [
            {"part": r.part, "points": _round(r.points), "text": r.text} for r in grade.remarks
        ],
        "changed": [change_data(c) for c in grade.changed],
    }


def change_data(change: Change) -> dict[str, Any]:
    """A changed figure of the assigned case as JSON-ready data."""
    return {"key": change.key, "case": _plain(change.before), "submitted": _plain(change.after)}


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def result_data(result: SubmissionGrade) -> dict[str, Any]:
    """One submission's result as JSON-ready data."""
    return {
        "file": result.file,
        "score": None if result.score is None else _round(result.score),
        "passed": result.passed,
        "error": result.error,
        "segments": [segment_data(s) for s in result.segments],
        "changed": [change_data(c) for c in result.changed],
    }


def report_data(report: GradeReport) -> dict[str, Any]:
    """The whole batch as JSON-ready data."""
    summary = report.summary
    return {
        "crstrat": SCHEMA_VERSION,
        "version": __version__,
        "results": [result_data(r) for r in report.results],
        "summary": {
            "submissions": summary.submissions,
            "passed": summary.passed,
            "failed": summary.failed,
            "errors": summary.errors,
            "min_score": summary.min_score,
            "mean_score": None if summary.mean_score is None else _round(summary.mean_score),
            "knowledge_base": {"name": report.knowledge_base, "sha256": report.knowledge_sha256},
        },
    }


class Writer:
    """The JSON document in pieces: :meth:`head`, a :meth:`result` line each (with
    :attr:`separator` between two), :meth:`tail`.

    A line per submission keeps a thousand results readable with grep and
    quick to write (the indenting encoder is pure Python and ten times slower).
    A segment grade shared by consecutive submissions is encoded once.
    """

    #: What goes between two results.
    separator = ","

    def __init__(self) -> None:
        self._recent: dict[int, tuple[SegmentGrade, str]] = {}

    def head(self) -> str:
        """The document's start, up to the first result."""
        return f'{{"crstrat": {SCHEMA_VERSION}, "version": {_line(__version__)}, "results": ['

    def result(self, result: SubmissionGrade, seconds: float = 0.0) -> str:
        """One submission's line (the same keys and layout as :func:`result_data`)."""
        score = "null" if result.score is None else _line(_round(result.score))
        passed = "true" if result.passed else "false"
        segments = ", ".join(self._segment(s) for s in result.segments)
        changed = _line([change_data(c) for c in result.changed])
        return (
            f'\n{{"file": {_line(result.file)}, "score": {score}, "passed": {passed}, '
            f'"error": {_line(result.error)}, "segments": [{segments}], "changed": {changed}}}'
        )

    def tail(self, report: GradeReport) -> str:
        """The document's end: the summary of ``report`` (whose results may be empty)."""
        summary = _line(report_data(report._replace(results=()))["summary"])
        return f'\n], "summary": {summary}}}\n'

    def _segment(self, grade: SegmentGrade) -> str:
        # keyed by id and holding the grade, so an id is never reused while cached
        cached = self._recent.get(id(grade))
        if cached is not None and cached[0] is grade:
            return cached[1]
        text = _line(segment_data(grade))
        if len(self._recent) >= 256:
            self._recent.clear()
        self._recent[id(grade)] = (grade, text)
        return text


def render(report: GradeReport) -> str:
    """The batch as one JSON document, a line per result, with a final newline."""
    writer = Writer()
    lines = [writer.result(result) for result in report.results]
    return writer.head() + writer.separator.join(lines) + writer.tail(report)


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
