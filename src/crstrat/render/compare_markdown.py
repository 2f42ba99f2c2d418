"""Scenarios side by side as markdown: a section per segment, a column per scenario.

User text is escaped as in the plan's markdown (:func:`crstrat.render.markdown.escape`).
"""

from __future__ import annotations

from ..comparison import Comparison, SegmentComparison
from ..model import KnowledgeBase
from .compare_text import ABSENT, changed_cells, figure_text, mix_lines
from .markdown import escape, table


def _segment(comparison: Comparison, seg: SegmentComparison, kb: KnowledgeBase) -> list[str]:
    scenarios = list(zip(comparison.scenarios, seg.plans, strict=True))
    header = ["", *(escape(sc.label) for sc in comparison.scenarios)]
    rows = [
        [
            "Mix",
            *(
                "<br>".join(escape(line) for line in mix_lines(kb, plan)) if plan else ABSENT
                for _, plan in scenarios
            ),
        ]
    ]
    for figure in comparison.figures:
        rows.append(
            [
                figure.label,
                *(
                    escape(figure_text(figure, plan, sc.plan.currency)) if plan else "-"
                    for sc, plan in scenarios
                ),
            ]
        )
    rows.append(
        [
            "Warnings",
            *(
                ("<br>".join(escape(w) for w in plan.warnings) or "none") if plan else "-"
                for _, plan in scenarios
            ),
        ]
    )
    rows.append(["What changed", *(escape(cell) for cell in changed_cells(kb, seg))])
    return [f"## {escape(seg.name)}", "", *table(header, rows), ""]


def render(comparison: Comparison, kb: KnowledgeBase) -> str:
    """The comparison as a markdown document."""
    labels = ", ".join(escape(s.label) for s in comparison.scenarios)
    lines = ["# Scenarios side by side", "", f"Compared: {labels}.", ""]
    for seg in comparison.segments:
        lines += _segment(comparison, seg, kb)
    return "\n".join(lines)
