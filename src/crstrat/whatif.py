"""What would change the recommendation: budgets and single answers that flip it.

Computed, never written by hand: every figure here comes from re-running
:func:`crstrat.mix.plan_segment` on a changed copy of the segment
(``dataclasses.replace``), so it always agrees with the plan itself.

- **Budget.** The plan is a step function of the budget per customer: it
  changes where a type becomes affordable (its cost per customer, alone or
  together with other types of a possible mix and a human fallback) and where
  two scores cross as the economics criterion moves. The search walks from the
  current budget up and down over those cost breakpoints and a geometric grid
  (for the score crossings), then bisects the first interval in which the
  primary (or the mix) differs. A score crossing that lasts less than one grid
  step could be missed; every budget found is exact to a millionth.
- **Answers.** Each single change of the expectation, the goals (one goal
  alone, one added, one removed), the channels (one added or removed), the
  complexity and the market, whose plan has another primary.

Pure and deterministic; no terminal, no I/O.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace

from .mix import plan_segment
from .model import (
    CHANNELS,
    COMPLEXITIES,
    GOALS,
    MARKETS,
    KnowledgeBase,
    MixEntry,
    Plan,
    Segment,
    SegmentPlan,
)
from .scoring import Terms, segment_cost

#: Between the cheapest and the dearest breakpoint each grid step multiplies
#: the budget by this (about 19%); finer finds narrower score crossings,
#: coarser runs faster.
GRID_STEP = 2 ** (1 / 4)
#: Above the dearest breakpoint every mix is affordable and only the economics
#: criterion still moves, slowly: a coarser grid (about 41% a step) is enough.
COARSE_STEP = 2 ** (1 / 2)
#: The search looks this far beyond the dearest possible mix: higher budgets no
#: longer move the economics criterion enough to matter.
SEARCH_HEADROOM = 10.0
#: Bisection stops when the interval is this small, relative to the budget.
PRECISION = 1e-6

Signature = Callable[[SegmentPlan], Hashable]


@dataclass(frozen=True)
class BudgetShift:
    """A budget at which the recommendation changes, and the plan there.

    ``direction`` is ``raise`` (the change happens from this budget up) or
    ``lower`` (from this budget down).
    """

    direction: str
    budget_per_customer: float
    budget: float
    primary: str
    mix: tuple[MixEntry, ...]


@dataclass(frozen=True)
class AnswerChange:
    """One changed answer that gives the segment another primary type.

    ``answer`` is the answers-file key (``expectation``, ``goal``, ``channels``,
    ``complexity`` or ``market``); ``action`` is ``set``, ``add`` or ``remove``
    and ``value`` the goal, channel or level concerned. ``segment`` is the
    changed segment, ready to re-plan.
    """

    answer: str
    action: str
    value: str
    segment: Segment
    primary: str
    mix: tuple[MixEntry, ...]


@dataclass(frozen=True)
class WhatIf:
    """What would change one segment's recommendation.

    A ``None`` budget shift means no budget in the searched range
    (0 to ``searched_up_to`` per customer) changes it in that direction.
    """

    segment: str
    primary: str
    budget_per_customer: float
    primary_up: BudgetShift | None
    primary_down: BudgetShift | None
    mix_up: BudgetShift | None
    mix_down: BudgetShift | None
    flips: tuple[AnswerChange, ...]
    searched_up_to: float


def primary_of(plan: SegmentPlan) -> Hashable:
    """The signature that says whether the primary changed."""
    return plan.primary


def mix_of(plan: SegmentPlan) -> Hashable:
    """The signature that says whether the mix (types and roles) changed."""
    return tuple((entry.type, entry.role) for entry in plan.mix)


class _BudgetProbe:
    """Plans of one segment at other budgets per customer, memoised."""

    def __init__(self, kb: KnowledgeBase, plan: SegmentPlan, terms: Terms) -> None:
        self.kb = kb
        self.segment = plan.segment
        self.terms = terms
        self._plans: dict[float, SegmentPlan] = {}

    def at(self, per_customer: float) -> SegmentPlan:
        """The segment's plan with this budget per customer."""
        found = self._plans.get(per_customer)
        if found is None:
            changed = replace(self.segment, budget_per_customer=per_customer)
            found = plan_segment(self.kb, self.terms.context(self.kb, changed), tactics=False)
            self._plans[per_customer] = found
        return found

    def shift(self, direction: str, per_customer: float) -> BudgetShift:
        """The plan at a budget as a BudgetShift."""
        there = self.at(per_customer)
        return BudgetShift(
            direction=direction,
            budget_per_customer=per_customer,
            budget=per_customer * self.segment.customers,
            primary=there.primary,
            mix=there.mix,
        )


def breakpoints(kb: KnowledgeBase, plan: SegmentPlan, terms: Terms) -> list[float]:
    """Budgets per customer at which some possible mix just becomes affordable.

    Every type alone, and every set of up to ``1 + max_support`` types, each
    with and without the human fallback a non-human primary among them needs.
    """
    per_type = {r.type: r.costing.annual_cost for r in plan.ranking}
    ctx = terms.context(kb, plan.segment)
    fallback = kb.type(kb.mix.fallback_type)
    fallback_cost = {
        t.id: segment_cost(fallback, ctx, contact_share=t.fallback_share.get(plan.complexity, 0.0))
        for t in kb.types
        if not t.human
    }
    totals: set[float] = set()
    # a custom base may have many types and supports: the combinations are
    # capped (the bisection still finds every change between the grid's points)
    largest = min(1 + kb.mix.max_support, 4)
    ids = sorted(per_type)
    for size in range(1, min(largest, len(ids)) + 1):
        for group in itertools.combinations(ids, size):
            base = sum(per_type[t] for t in group)
            totals.add(base)
            totals.update(base + fallback_cost[t] for t in group if t in fallback_cost)
    return sorted(total / plan.segment.customers for total in totals if total > 0)


def _bisect(
    probe: _BudgetProbe, signature: Signature, same: float, other: float, baseline: Hashable
) -> float:
    """Narrow [same, other] (either order) to the budget nearest ``same`` whose
    plan differs from the baseline; returns a budget whose plan differs."""
    while abs(other - same) > PRECISION * max(abs(other), abs(same), 1e-3):
        middle = (same + other) / 2
        if signature(probe.at(middle)) == baseline:
            same = middle
        else:
            other = middle
    return other


def _first_change(
    probe: _BudgetProbe,
    candidates: Iterable[float],
    start: float,
    signatures: dict[str, Signature],
) -> dict[str, float | None]:
    """Walk the candidates in order from ``start``; for each signature the
    first budget whose plan differs from the plan at ``start`` (or None)."""
    base_plan = probe.at(start)
    baseline = {name: sig(base_plan) for name, sig in signatures.items()}
    found: dict[str, float | None] = dict.fromkeys(signatures)
    previous = start
    for candidate in candidates:
        there = probe.at(candidate)
        for name, sig in signatures.items():
            if found[name] is None and sig(there) != baseline[name]:
                found[name] = _bisect(probe, sig, previous, candidate, baseline[name])
        if all(value is not None for value in found.values()):
            break
        previous = candidate
    return found


def _grid(low: float, high: float, step: float) -> list[float]:
    """Geometric points from ``low`` to ``high`` (both > 0), ``step`` apart."""
    if high <= low:
        return [low]
    steps = math.ceil(math.log(high / low) / math.log(step))
    return [low * step**i for i in range(steps + 1)]


def budget_shifts(
    kb: KnowledgeBase, plan: SegmentPlan, terms: Terms
) -> tuple[dict[str, BudgetShift | None], float]:
    """The budgets nearest the current one at which the primary and the mix change.

    Returns ``{"primary_up", "primary_down", "mix_up", "mix_down"}`` and the
    highest budget per customer searched.
    """
    probe = _BudgetProbe(kb, plan, terms)
    current = plan.budget_per_customer
    points = breakpoints(kb, plan, terms)
    top = max([current, *points]) * SEARCH_HEADROOM
    candidates: set[float] = {0.0}
    if points:
        # Below the cheapest breakpoint nothing more becomes affordable, so the
        # plan there is the plan at 0. A breakpoint itself is on the affordable
        # side (the budget carries a cost equal to it).
        candidates.update(points)
        candidates.update(_grid(points[0], points[-1], GRID_STEP))
        candidates.update(_grid(points[-1], top, COARSE_STEP))
    else:
        candidates.update(_grid(max(current, 1.0) / SEARCH_HEADROOM, top, COARSE_STEP))
    signatures: dict[str, Signature] = {"primary": primary_of, "mix": mix_of}

    upward = sorted(p for p in candidates if current < p <= top)
    downward = sorted((p for p in candidates if p < current), reverse=True)
    up = _first_change(probe, upward, current, signatures)
    down = _first_change(probe, downward, current, signatures)
    shifts: dict[str, BudgetShift | None] = {}
    for name in signatures:
        raised, lowered = up[name], down[name]
        shifts[f"{name}_up"] = None if raised is None else probe.shift("raise", raised)
        shifts[f"{name}_down"] = None if lowered is None else probe.shift("lower", lowered)
    return shifts, top


def _answer_changes(plan: SegmentPlan, kb: KnowledgeBase) -> list[tuple[str, str, str, Segment]]:
    """Every single-answer change worth trying: (answer, action, value, changed segment)."""
    seg = plan.segment
    changes: list[tuple[str, str, str, Segment]] = []
    for type_id in kb.type_ids:
        if type_id != seg.expectation:
            changes.append(("expectation", "set", type_id, replace(seg, expectation=type_id)))

    seen_goals = {seg.goals}

    def goals(action: str, value: str, new: tuple[str, ...]) -> None:
        if new not in seen_goals:
            seen_goals.add(new)
            changes.append(("goal", action, value, replace(seg, goals=new)))

    for goal in GOALS:
        goals("set", goal, (goal,))
    for goal in GOALS:
        if goal not in seg.goals:
            goals("add", goal, (*seg.goals, goal))
    if len(seg.goals) > 1:
        for goal in seg.goals:
            goals("remove", goal, tuple(g for g in seg.goals if g != goal))

    for channel in CHANNELS:
        if channel in plan.channels:
            kept = tuple(c for c in CHANNELS if c in plan.channels and c != channel)
            changes.append(("channels", "remove", channel, replace(seg, channels=kept)))
        else:
            added = tuple(c for c in CHANNELS if c in plan.channels or c == channel)
            changes.append(("channels", "add", channel, replace(seg, channels=added)))
    for level in COMPLEXITIES:
        if level != plan.complexity:
            changes.append(("complexity", "set", level, replace(seg, complexity=level)))
    for market in MARKETS:
        if market != plan.market:
            changes.append(("market", "set", market, replace(seg, market=market)))
    return changes


def answer_flips(kb: KnowledgeBase, plan: SegmentPlan, terms: Terms) -> tuple[AnswerChange, ...]:
    """The single answers whose change gives the segment another primary type.

    In a fixed order: expectation, goal, channels, complexity, market.
    """
    flips = []
    for answer, action, value, changed in _answer_changes(plan, kb):
        there = plan_segment(kb, terms.context(kb, changed), tactics=False)
        if there.primary != plan.primary:
            flips.append(AnswerChange(answer, action, value, changed, there.primary, there.mix))
    return tuple(flips)


def what_if(kb: KnowledgeBase, plan: SegmentPlan, terms: Terms) -> WhatIf:
    """What would change one segment's recommendation (see the module docstring)."""
    shifts, top = budget_shifts(kb, plan, terms)
    return WhatIf(
        segment=plan.segment.name,
        primary=plan.primary,
        budget_per_customer=plan.budget_per_customer,
        primary_up=shifts["primary_up"],
        primary_down=shifts["primary_down"],
        mix_up=shifts["mix_up"],
        mix_down=shifts["mix_down"],
        flips=answer_flips(kb, plan, terms),
        searched_up_to=top,
    )


def what_if_plan(kb: KnowledgeBase, plan: Plan) -> tuple[WhatIf, ...]:
    """What would change the recommendation, for every segment of a plan."""
    return tuple(what_if(kb, segment, plan_terms(plan, segment)) for segment in plan.segments)


def plan_terms(plan: Plan, segment: SegmentPlan) -> Terms:
    """The money terms a plan's segment was made under (currency, rate, discount rate)."""
    economics = segment.economics
    discount = (
        economics.discount_rate
        if economics is not None and "discount_rate" not in economics.defaulted
        else None
    )
    return Terms(plan.currency, plan.exchange_rate.rate, discount)
