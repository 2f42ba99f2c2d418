"""Scenarios side by side for people: a table per segment, a column per scenario.

Rows: the mix, the figures, the warnings and what changed from the first
scenario. User text (segment names, file names, warnings) is shown literally.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ..comparison import Comparison, Scenario, SegmentComparison
from ..figures import printable
from ..model import KnowledgeBase, SegmentPlan
from .compare_text import ABSENT, changed_cells, figure_text, mix_lines


def _t(value: object, style: str = "") -> Text:
    """Text shown literally, its own line breaks kept (control characters made visible)."""
    return Text("\n".join(printable(line) for line in str(value).split("\n")), style=style)


def _segment(comparison: Comparison, seg: SegmentComparison, kb: KnowledgeBase) -> Table:
    table = Table(show_lines=True)
    table.add_column("")
    for scenario in comparison.scenarios:
        table.add_column(_t(scenario.label, "bold"), overflow="fold")
    scenarios = list(zip(comparison.scenarios, seg.plans, strict=True))

    def cells(cell: Callable[[Scenario, SegmentPlan], str]) -> list[Text]:
        return [
            _t(cell(sc, plan)) if plan is not None else _t("-", "dim") for sc, plan in scenarios
        ]

    table.add_row(
        "Mix",
        *(
            _t("\n".join(mix_lines(kb, plan))) if plan is not None else _t(ABSENT, "dim")
            for plan in seg.plans
        ),
    )
    for figure in comparison.figures:
        table.add_row(
            figure.label,
            *cells(lambda sc, plan, f=figure: figure_text(f, plan, sc.plan.currency)),  # type: ignore[misc]
        )
    table.add_row(
        "Warnings", *cells(lambda sc, plan: "\n".join(f"- {w}" for w in plan.warnings) or "none")
    )
    table.add_row("What changed", *(_t(cell) for cell in changed_cells(kb, seg)))
    return table


def renderables(comparison: Comparison, kb: KnowledgeBase) -> Iterator[RenderableType]:
    """A title, then a table per segment."""
    labels = ", ".join(s.label for s in comparison.scenarios)
    yield _t(f"Scenarios side by side: {labels}", "bold")
    for seg in comparison.segments:
        yield _t(seg.name, "bold")  # not the table's title, which rich pads with spaces
        yield _segment(comparison, seg, kb)


def print_comparison(console: Console, comparison: Comparison, kb: KnowledgeBase) -> None:
    """Print the comparison on a console (colour as the console decides)."""
    for part in renderables(comparison, kb):
        console.print(part)


def render(comparison: Comparison, kb: KnowledgeBase, width: int = 100) -> str:
    """The comparison as plain text tables (no colour), e.g. for a file."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    print_comparison(console, comparison, kb)
    return buffer.getvalue()
