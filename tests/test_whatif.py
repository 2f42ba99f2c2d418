"""What would change the recommendation: every budget and answer it names really does.

Each figure ``crstrat.whatif`` computes is checked against the plan itself:
re-plan the segment at the budget (or with the answer) it names and the primary
or the mix is different; just short of that budget it is not.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields, replace

import pytest

from crstrat.answers import load_answers
from crstrat.knowledge import example_names, example_path
from crstrat.mix import make_plan, plan_segment
from crstrat.model import KnowledgeBase, Plan, Segment, SegmentPlan
from crstrat.scoring import Terms
from crstrat.whatif import (
    BudgetShift,
    answer_flips,
    breakpoints,
    mix_of,
    plan_terms,
    primary_of,
    what_if,
    what_if_plan,
)

EXAMPLES = ["airline", "budget_airline", "dental_clinic", "software"]


#: the money terms (currency, rate) of each segment plan made here, by id
_TERMS: dict[int, Terms] = {}


def example_plan(kb: KnowledgeBase, name: str) -> Plan:
    plan = make_plan(kb, load_answers(kb, example_path(kb, name)))
    _TERMS.update({id(seg): plan_terms(plan, seg) for seg in plan.segments})
    return plan


def terms(seg: SegmentPlan) -> Terms:
    return _TERMS[id(seg)]


def at_budget(kb: KnowledgeBase, seg: SegmentPlan, per_customer: float) -> SegmentPlan:
    changed = replace(seg.segment, budget_per_customer=per_customer)
    return plan_segment(kb, terms(seg).context(kb, changed))


def segments(kb: KnowledgeBase) -> list[SegmentPlan]:
    return [seg for name in EXAMPLES for seg in example_plan(kb, name).segments]


def test_examples_are_all_covered(kb: KnowledgeBase) -> None:
    assert sorted(EXAMPLES) == example_names(kb)


@pytest.mark.parametrize("which", ["primary", "mix"])
def test_budget_shifts_really_change_the_plan(kb: KnowledgeBase, which: str) -> None:
    signature = primary_of if which == "primary" else mix_of
    found = 0
    for seg in segments(kb):
        what = what_if(kb, seg, terms(seg))
        baseline = signature(seg)
        for shift in (getattr(what, f"{which}_up"), getattr(what, f"{which}_down")):
            if shift is None:
                continue
            found += 1
            there = at_budget(kb, seg, shift.budget_per_customer)
            assert signature(there) != baseline, (seg.segment.name, shift)
            assert there.primary == shift.primary and there.mix == shift.mix
            assert shift.budget == pytest.approx(shift.budget_per_customer * seg.segment.customers)
            # just short of the threshold, on the current side, nothing has changed yet
            nudge = 1e-5 if shift.direction == "raise" else -1e-5
            short = shift.budget_per_customer * (1 - nudge)
            assert signature(at_budget(kb, seg, short)) == baseline, (seg.segment.name, shift)
            if shift.direction == "raise":
                assert shift.budget_per_customer > seg.budget_per_customer
            else:
                assert shift.budget_per_customer < seg.budget_per_customer
    assert found >= 4  # the examples do have budgets that change things


def test_raising_the_budget_past_the_threshold_changes_the_primary(kb: KnowledgeBase) -> None:
    leisure = example_plan(kb, "budget_airline").segments[0]
    shift = what_if(kb, leisure, terms(leisure)).primary_up
    assert isinstance(shift, BudgetShift)
    assert shift.primary != leisure.primary
    assert at_budget(kb, leisure, shift.budget_per_customer * 1.01).primary == shift.primary
    # the threshold is the first change: a fine scan below it keeps the primary
    low, high = leisure.budget_per_customer, shift.budget_per_customer
    for step in range(200):
        probe = low + (high - low) * step / 200
        assert at_budget(kb, leisure, probe).primary == leisure.primary, probe


def test_an_affordability_threshold_is_the_types_cost(kb: KnowledgeBase) -> None:
    corporate = example_plan(kb, "airline").segments[1]
    assert corporate.primary == "dedicated_personal_assistance"
    shift = what_if(kb, corporate, terms(corporate)).primary_down
    assert shift is not None
    cost = corporate.ranked("dedicated_personal_assistance").costing.cost_per_customer
    # no cliff at the cost of a named manager per account: a little below it the
    # manager stays, as a trade-off the plan warns of; the shift comes further
    # down, but never below the cost divided by the tolerance
    assert cost / kb.mix.over_budget_tolerance <= shift.budget_per_customer < cost
    just_above = at_budget(kb, corporate, shift.budget_per_customer * (1 + 1e-4))
    assert just_above.primary == "dedicated_personal_assistance"
    assert any("over the budget" in w for w in just_above.warnings)


def changed_fields(before: Segment, after: Segment) -> list[str]:
    return [f.name for f in fields(Segment) if getattr(before, f.name) != getattr(after, f.name)]


def test_answer_flips_change_one_answer_and_the_primary(kb: KnowledgeBase) -> None:
    total = 0
    for seg in segments(kb):
        for flip in answer_flips(kb, seg, terms(seg)):
            total += 1
            replanned = plan_segment(kb, terms(seg).context(kb, flip.segment))
            assert replanned.primary == flip.primary != seg.primary
            assert replanned.mix == flip.mix
            key = {"goal": "goals"}.get(flip.answer, flip.answer)
            assert changed_fields(seg.segment, flip.segment) == [key]
    assert total > 0


def test_every_expectation_that_keeps_the_primary_is_left_out(kb: KnowledgeBase) -> None:
    seg = example_plan(kb, "airline").segments[0]
    flipped = {f.value for f in answer_flips(kb, seg, terms(seg)) if f.answer == "expectation"}
    for type_id in kb.type_ids:
        if type_id == seg.segment.expectation:
            continue
        replanned = plan_segment(
            kb, terms(seg).context(kb, replace(seg.segment, expectation=type_id))
        )
        assert (replanned.primary != seg.primary) == (type_id in flipped), type_id


def test_goal_and_channel_changes_are_tried(kb: KnowledgeBase) -> None:
    # corporate travel accounts: wanting only to acquire calls for a person, not a named one
    corporate = example_plan(kb, "airline").segments[1]
    goal_flips = [f for f in answer_flips(kb, corporate, terms(corporate)) if f.answer == "goal"]
    assert goal_flips and all(f.primary != corporate.primary for f in goal_flips)
    leisure = example_plan(kb, "airline").segments[0]
    assert any(f.answer == "complexity" for f in answer_flips(kb, leisure, terms(leisure)))
    # small teams who expect a user forum: without the forum, communities cannot run
    small_teams = example_plan(kb, "software").segments[0]
    forum_goers = plan_segment(
        kb,
        terms(small_teams).context(kb, replace(small_teams.segment, expectation="communities")),
    )
    assert forum_goers.primary == "communities"
    channel_flips = [
        f for f in answer_flips(kb, forum_goers, terms(small_teams)) if f.answer == "channels"
    ]
    assert channel_flips and all(f.action in ("add", "remove") for f in channel_flips)
    assert any(f.action == "remove" and f.value == "forum" for f in channel_flips)


def test_deterministic(kb: KnowledgeBase) -> None:
    plan = example_plan(kb, "software")
    assert what_if_plan(kb, plan) == what_if_plan(kb, plan)


def test_zero_budget_and_no_lower_change(kb: KnowledgeBase) -> None:
    free = Segment(
        name="Free users",
        expectation="self_service",
        goals=("acquire",),
        customers=10_000,
        purchases_per_year=0,
        spend_per_purchase=0,
    )
    seg = plan_segment(kb, Terms("USD").context(kb, free))
    _TERMS[id(seg)] = Terms("USD")
    what = what_if(kb, seg, terms(seg))
    assert seg.budget_per_customer == 0
    assert what.primary_down is None and what.mix_down is None
    assert what.searched_up_to > 0
    if what.mix_up is not None:
        assert mix_of(at_budget(kb, seg, what.mix_up.budget_per_customer)) != mix_of(seg)


def test_breakpoints_include_each_types_cost(kb: KnowledgeBase) -> None:
    seg = example_plan(kb, "dental_clinic").segments[0]
    points = breakpoints(kb, seg, terms(seg))
    assert points == sorted(points)
    for ranked in seg.ranking:
        assert any(p == pytest.approx(ranked.costing.cost_per_customer, rel=1e-12) for p in points)


def test_the_core_imports_no_terminal_or_template_library() -> None:
    code = (
        "import sys, crstrat.whatif\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('rich', 'typer', 'jinja2', 'markdown_it', 'questionary')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
