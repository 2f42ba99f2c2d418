"""The advisor against realistic businesses: what an experienced strategist would say.

Each file in tests/cases/ holds an answers file and, per segment, what a
strategist expects of the plan:

- ``primary``: the types a strategist would accept as the primary (not all six);
- ``horizon``: the one horizon, ``transactional`` or ``long_term``;
- ``warning``: ``true`` or ``false``, whether the plan must warn that what these
  customers expect costs more than the budget;
- ``not_in_mix`` / ``in_mix``: types that must stay out of the mix / be in it;
- ``why``: the strategist's reasoning, including any call against a rule.

Every check has one right answer, so each one can fail: a list of horizons or a
``warning: null`` would pass whatever crstrat said, and a case file holding one
is refused by ``test_case_is_well_formed``. Each check is its own test, so a
regression names the case, the segment and the check.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from crstrat.answers import validate_answers
from crstrat.knowledge import load_knowledge
from crstrat.mix import make_plan
from crstrat.model import HORIZONS, KnowledgeBase, Plan, SegmentPlan

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
EXPECT_KEYS = {"primary", "horizon", "warning", "not_in_mix", "in_mix", "why"}

# Checks where the strategist's answer differs from today's program. They stay
# here, strict, with the reason: an entry that starts passing fails the
# suite, so it is removed rather than forgotten.
XFAIL: dict[tuple[str, str, str], str] = {
    ("bakery_expects_cocreation", "Regulars", "primary"): (
        "since 2026-11-30 co-creation runs on a smaller programme for few customers (about "
        "4,000 a year for 600 regulars): what the regulars expect fits the budget, and it "
        "scores 0.78 against 0.66 for the counter staff the strategist leads with"
    ),
    ("local_bakery", "Regulars", "not_in_mix:communities"): (
        "since 2026-11-30 a community of fewer than 10,000 runs on a smaller plan (a members' "
        "club): about 4,000 a year for 800 regulars, and with every format assumed it scores "
        "0.74 against 0.89 for the counter staff, close enough to join as a support, where "
        "the strategist keeps a bakery's regulars at the counter"
    ),
    ("local_gym", "Members", "not_in_mix:communities"): (
        "since 2026-11-30 social media the business names counts as a place where its "
        "customers meet (groups on social networks, as forums); with the smaller plan a "
        "1,200-member gym's community costs about 5,200 a year (14% of its budget), not the "
        "two to three times its budget the strategist priced a community manager at"
    ),
    ("local_gym", "Members", "not_in_mix:automated_services"): (
        "since 2026-11-30 automation runs on plans that shrink as (customers / 10,000) ^ 0.7: "
        "a 1,200-member gym's booking app and reminders cost about 8,000 a year (22% of its "
        "budget), not the two to three times its budget the strategist priced an automation "
        "platform at, and it scores close enough to the front desk to join as a support"
    ),
    ("retail_bank", "Everyday customers", "primary"): (
        "personal assistance at 75% of the budget scores 0.79 against automated services' 0.785: "
        "a near tie the scoring settles on what customers expect, where a strategist leads with "
        "the app for customers worth 180 a year"
    ),
}


class Check(NamedTuple):
    """One thing a strategist expects of one segment's plan."""

    case: str
    segment: str
    name: str  # primary | horizon | warning | in_mix:TYPE | not_in_mix:TYPE
    expected: Any

    @property
    def id(self) -> str:
        return f"{self.case}/{self.segment}/{self.name}"


def spec_of(case: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(case.read_text(encoding="utf-8"))
    return spec


def checks_of(case: Path) -> list[Check]:
    """Every check a case file makes, one per expectation."""
    found = []
    for segment, expect in spec_of(case)["expect"].items():
        for name in ("primary", "horizon", "warning"):
            found.append(Check(case.stem, segment, name, expect.get(name)))
        for key in ("in_mix", "not_in_mix"):
            for type_id in expect.get(key, []):
                found.append(Check(case.stem, segment, f"{key}:{type_id}", type_id))
    return found


CHECKS = [check for case in CASES for check in checks_of(case)]


def _param(check: Check) -> object:
    reason = XFAIL.get((check.case, check.segment, check.name)) or XFAIL.get(
        (check.case, check.segment, check.name.split(":")[0])
    )
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(check, id=check.id, marks=marks)


@functools.cache
def _kb() -> KnowledgeBase:
    return load_knowledge()


@functools.cache
def plan_of(case_stem: str) -> Plan:
    case = next(c for c in CASES if c.stem == case_stem)
    return make_plan(_kb(), validate_answers(_kb(), spec_of(case)["answers"], source=str(case)))


def segment_plan(check: Check) -> SegmentPlan:
    return next(s for s in plan_of(check.case).segments if s.segment.name == check.segment)


def expectation_warned(seg: SegmentPlan) -> bool:
    """Whether the plan warns that what the segment expects costs more than its budget."""
    return any("expects" in w and "would cost" in w for w in seg.warnings)


@pytest.mark.parametrize("check", [_param(c) for c in CHECKS])
def test_strategist_check(check: Check) -> None:
    seg = segment_plan(check)
    mix = [e.type for e in seg.mix]
    kind = check.name.split(":")[0]
    if kind == "primary":
        assert seg.primary in check.expected, (seg.ranking[:3], seg.mix)
    elif kind == "horizon":
        assert seg.horizon == check.expected
    elif kind == "warning":
        assert expectation_warned(seg) is check.expected, seg.warnings
    elif kind == "in_mix":
        assert check.expected in mix, seg.mix
    else:
        assert check.expected not in mix, seg.mix


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_is_well_formed(case: Path, kb: KnowledgeBase) -> None:
    """Every check in a case has one right answer, so it can fail."""
    spec = spec_of(case)
    names = [s["name"] for s in spec["answers"]["segments"]]
    assert sorted(spec["expect"]) == sorted(names), "one expect entry per segment"
    types = set(kb.type_ids)
    for segment, expect in spec["expect"].items():
        where = f"{case.name}: {segment}"
        assert set(expect) <= EXPECT_KEYS, (where, set(expect) - EXPECT_KEYS)
        assert isinstance(expect.get("why"), str) and expect["why"].strip(), (where, "why")
        assert expect.get("horizon") in HORIZONS, (where, "horizon: one of", HORIZONS)
        assert isinstance(expect.get("warning"), bool), (where, "warning: true or false")
        primary = expect.get("primary")
        assert isinstance(primary, list) and primary, (where, "primary: a list of types")
        assert set(primary) <= types and len(set(primary)) < len(types), (where, primary)
        wanted, banned = expect.get("in_mix", []), expect.get("not_in_mix", [])
        assert set(wanted) <= types and set(banned) <= types, where
        assert not set(banned) & (set(wanted) | set(primary)), (where, "contradiction")


def test_every_xfail_names_a_check() -> None:
    known = {(c.case, c.segment, name) for c in CHECKS for name in (c.name, c.name.split(":")[0])}
    assert set(XFAIL) <= known, set(XFAIL) - known


def test_a_list_horizon_or_a_null_warning_is_refused(tmp_path: Path, kb: KnowledgeBase) -> None:
    """The well-formedness check itself: it refuses what could never fail."""
    spec = spec_of(CASES[0])
    segment = next(iter(spec["expect"]))
    for key, value in (("horizon", list(HORIZONS)), ("warning", None)):
        broken = {**spec, "expect": {**spec["expect"]}}
        broken["expect"][segment] = {**spec["expect"][segment], key: value}
        path = tmp_path / CASES[0].name
        path.write_text(yaml.safe_dump(broken), encoding="utf-8")
        with pytest.raises(AssertionError, match=key):
            test_case_is_well_formed(path, kb)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_plan_invariants(case: Path, kb: KnowledgeBase) -> None:
    """The plan contract's invariants, for every segment of every case."""
    for seg in plan_of(case.stem).segments:
        assert sorted(r.type for r in seg.ranking) == sorted(kb.type_ids)
        scores = [r.score for r in seg.ranking]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert [e.role for e in seg.mix].count("primary") == 1
        assert seg.mix[0].role == "primary"
        roles = [e.role for e in seg.mix]
        assert roles == sorted(roles, key=("primary", "support", "fallback").index)
        assert len({e.type for e in seg.mix}) == len(seg.mix)
        if seg.total_annual_cost > seg.budget + 1e-6:
            assert seg.warnings, "over budget without a warning"
        goals_with_tactics = {c.goal for c in seg.tactics}
        assert goals_with_tactics == set(seg.segment.goals)
