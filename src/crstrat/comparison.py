"""Scenarios side by side: two or more plans, segment by segment, and what changed.

A consultant compares options for a client (today's budget and a larger one, two
ways to segment the customers): :func:`compare` lines up the plans' segments by
name and gives, for each, the mix, the figures of :data:`FIGURES` and the
warnings of every scenario, and what changed from the first scenario that has
the segment (the answers given differently and the mix). Pure: plans in, a :class:`Comparison` out.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .model import MixEntry, Plan, Segment, SegmentPlan

#: The fields of a segment that its plan depends on: all but the proposal.
PLANNED_FIELDS = tuple(f.name for f in dataclasses.fields(Segment) if f.name != "proposal")
planned_values = operator.attrgetter(*PLANNED_FIELDS)

#: A segment field's key in an answers file, where the two differ.
_ANSWERS_KEY = {"goals": "goal"}


class Change(NamedTuple):
    """An answer given differently: the answers file's key and the two values
    (``None`` where one side does not give it). Grading against a case, ``before``
    is the case's value and ``after`` the submission's."""

    key: str
    before: object
    after: object


def segment_changes(before: Segment, after: Segment) -> tuple[Change, ...]:
    """The answers of a segment that ``after`` gives differently from ``before``
    (the proposal aside; a name differing only in case is the same name)."""
    return tuple(
        Change(_ANSWERS_KEY.get(field, field), old, new)
        for field, old, new in zip(
            PLANNED_FIELDS, planned_values(before), planned_values(after), strict=True
        )
        if old != new and not (field == "name" and old.casefold() == new.casefold())
    )


class Figure(NamedTuple):
    """A figure of a segment's plan shown side by side: its key, its label, how to read it."""

    key: str
    label: str
    read: Callable[[SegmentPlan], float | None]


def _economics(name: str) -> Callable[[SegmentPlan], float | None]:
    """A figure of the plan's ``economics`` (absent from plans that have none)."""
    return lambda plan: getattr(getattr(plan, "economics", None), name, None)


#: The figures compared, in order; a figure no scenario has is left out. Money
#: figures are yearly, in the plan's currency. To show another, add a line here.
FIGURES = (
    Figure("customers", "Customers", lambda p: p.segment.customers),
    Figure("customer_value", "Yearly value of a customer", lambda p: p.customer_value),
    Figure(
        "customer_lifetime_value", "Customer lifetime value", _economics("customer_lifetime_value")
    ),
    Figure("budget", "Relationship budget", lambda p: p.budget),
    Figure("total_annual_cost", "Cost of the mix", lambda p: p.total_annual_cost),
)

#: Figures that are counts, not money.
COUNTS = frozenset({"customers"})


class MixChange(NamedTuple):
    """How a segment's mix differs from the first scenario's."""

    primary: tuple[str, str] | None  # (before, after) when the primary changed
    added: tuple[MixEntry, ...]
    dropped: tuple[MixEntry, ...]

    def __bool__(self) -> bool:
        return bool(self.primary or self.added or self.dropped)


class Difference(NamedTuple):
    """What changed in a segment from the first scenario to another."""

    scenario: int  # index into Comparison.scenarios
    answers: tuple[Change, ...]
    mix: MixChange


class SegmentComparison(NamedTuple):
    """One segment across the scenarios: its plan in each (``None`` where absent), and
    what changed in the others from the first scenario that has it (``reference``)."""

    name: str
    plans: tuple[SegmentPlan | None, ...]
    reference: int
    differences: tuple[Difference, ...]


class Scenario(NamedTuple):
    """One scenario: its label (the file's name) and its plan."""

    label: str
    plan: Plan


class Comparison(NamedTuple):
    """The scenarios, the figures at least one of them has, and each segment side by side."""

    scenarios: tuple[Scenario, ...]
    figures: tuple[Figure, ...]
    segments: tuple[SegmentComparison, ...]


def compare(scenarios: Sequence[Scenario]) -> Comparison:
    """Line up the scenarios' segments by name (ignoring case), in order of first appearance.

    Raises ValueError with fewer than two scenarios.
    """
    if len(scenarios) < 2:
        raise ValueError("a comparison needs two or more scenarios")
    names: dict[str, str] = {}
    for scenario in scenarios:
        for seg in scenario.plan.segments:
            names.setdefault(seg.segment.name.casefold(), seg.segment.name)
    segments = []
    for folded, name in names.items():
        plans = tuple(
            next((s for s in sc.plan.segments if s.segment.name.casefold() == folded), None)
            for sc in scenarios
        )
        reference = next(i for i, plan in enumerate(plans) if plan is not None)
        segments.append(SegmentComparison(name, plans, reference, _differences(plans, reference)))
    plans_all = [p for seg in segments for p in seg.plans if p is not None]
    figures = tuple(f for f in FIGURES if any(f.read(p) is not None for p in plans_all))
    return Comparison(tuple(scenarios), figures, tuple(segments))


def _differences(plans: tuple[SegmentPlan | None, ...], reference: int) -> tuple[Difference, ...]:
    first = plans[reference]
    assert first is not None  # the reference is a scenario that has the segment
    return tuple(
        Difference(index, segment_changes(first.segment, other.segment), mix_change(first, other))
        for index, other in enumerate(plans)
        if other is not None and index > reference
    )


def mix_change(before: SegmentPlan, after: SegmentPlan) -> MixChange:
    """The types ``after``'s mix adds and drops, and its new primary if it has one."""
    old = {e.type for e in before.mix}
    new = {e.type for e in after.mix}
    primary = (before.primary, after.primary) if before.primary != after.primary else None
    return MixChange(
        primary,
        tuple(e for e in after.mix if e.type not in old),
        tuple(e for e in before.mix if e.type not in new),
    )
