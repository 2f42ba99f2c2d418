"""Words and figures of a comparison, shared by its table and markdown renderers."""

from __future__ import annotations

from ..comparison import COUNTS, Difference, Figure, SegmentComparison
from ..figures import count, listing, money
from ..model import KnowledgeBase, SegmentPlan

#: What a cell says for a segment a scenario does not have.
ABSENT = "not in this scenario"


def type_name(kb: KnowledgeBase, type_id: str) -> str:
    """A relationship type's display name."""
    return kb.type(type_id).name


def mix_lines(kb: KnowledgeBase, plan: SegmentPlan) -> list[str]:
    """The mix, a line per type: ``primary: Self-service``."""
    return [f"{entry.role}: {type_name(kb, entry.type)}" for entry in plan.mix]


def figure_text(figure: Figure, plan: SegmentPlan, currency: str) -> str:
    """One figure of a segment's plan, as money in the plan's currency or as a count."""
    value = figure.read(plan)
    if value is None:
        return "-"
    return count(value) if figure.key in COUNTS else money(value, currency)


def difference_text(kb: KnowledgeBase, difference: Difference) -> str:
    """What changed from the reference scenario, in one line."""
    parts = [f"{c.key} {_value(c.before)} → {_value(c.after)}" for c in difference.answers]
    mix = difference.mix
    if mix.primary is not None:
        before, after = (type_name(kb, t).lower() for t in mix.primary)
        parts.append(f"primary {before} → {after}")
    if mix.added:
        added = [f"{type_name(kb, e.type).lower()} ({e.role})" for e in mix.added]
        parts.append(f"adds {listing(added)}")
    if mix.dropped:
        parts.append(f"drops {listing([type_name(kb, e.type).lower() for e in mix.dropped])}")
    return "; ".join(parts) if parts else "same answers and mix"


def _value(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def changed_cells(kb: KnowledgeBase, seg: SegmentComparison) -> list[str]:
    """The "what changed" cell of each scenario: the reference, the change, or absent."""
    differences = {d.scenario: d for d in seg.differences}
    return [
        "(compared with this one)"
        if index == seg.reference
        else difference_text(kb, differences[index])
        if index in differences
        else "-"
        for index in range(len(seg.plans))
    ]
