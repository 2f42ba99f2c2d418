"""A graded batch as JSON: ``{"results": [...], "summary": {...}}``.

Each result (one line) is one submission (``file``, ``score``, ``passed``, ``error``,
``segments``); each segment has its score, the credit of each rubric part,
the proposal, the recommended mix and the feedback, costliest choice first.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
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
    }


def result_data(result: SubmissionGrade) -> dict[str, Any]:
    """One submission's result as JSON-ready data."""
    return {
        "file": result.file,
        "score": None if result.score is None else _round(result.score),
        "passed": result.passed,
        "error": result.error,
        "segments": [segment_data(s) for s in result.segments],
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


def render(report: GradeReport) -> str:
    """The batch as one JSON document, a line per result, with a final newline.

    A line per submission keeps a thousand results readable with grep and
    quick to write (the indenting encoder is pure Python and ten times slower).
    A segment grade shared by several submissions is encoded once.
    """
    encoded: dict[int, str] = {}

    def segment_json(grade: SegmentGrade) -> str:
        text = encoded.get(id(grade))
        if text is None:
            text = encoded[id(grade)] = _line(segment_data(grade))
        return text

    lines = []
    for result in report.results:
        # the same keys and layout as result_data, written directly: a line a result
        score = "null" if result.score is None else _line(_round(result.score))
        passed = "true" if result.passed else "false"
        segments = ", ".join(segment_json(s) for s in result.segments)
        lines.append(
            f'{{"file": {_line(result.file)}, "score": {score}, "passed": {passed}, '
            f'"error": {_line(result.error)}, "segments": [{segments}]}}'
        )
    head = f'"crstrat": {SCHEMA_VERSION}, "version": {_line(__version__)}'
    summary = _line(report_data(report._replace(results=()))["summary"])
    results = ",\n".join(lines)
    return f'{{{head}, "results": [\n{results}\n], "summary": {summary}}}\n'


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
