"""The advisor against realistic businesses: what an experienced strategist would say.

Each file in tests/cases/ holds an answers file and, per segment, the primary
types a strategist would accept, the horizon, the types that must stay out of
the mix, and whether what customers expect collides with the budget.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crstrat.answers import validate_answers
from crstrat.mix import make_plan
from crstrat.model import KnowledgeBase, Plan

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def check_invariants(plan: Plan, kb: KnowledgeBase) -> None:
    """The plan contract's invariants."""
    for seg in plan.segments:
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


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_strategist_case(case: Path, kb: KnowledgeBase) -> None:
    spec = yaml.safe_load(case.read_text())
    plan = make_plan(kb, validate_answers(kb, spec["answers"], source=str(case)))
    check_invariants(plan, kb)
    for seg in plan.segments:
        expect = spec["expect"][seg.segment.name]
        mix = [e.type for e in seg.mix]
        assert seg.primary in expect["primary"], (seg.segment.name, seg.ranking[:3], seg.mix)
        horizons = expect["horizon"]
        assert seg.horizon in (horizons if isinstance(horizons, list) else [horizons])
        for banned in expect.get("not_in_mix", []):
            assert banned not in mix, (seg.segment.name, banned, seg.mix)
        for wanted in expect.get("in_mix", []):
            assert wanted in mix, (seg.segment.name, wanted, seg.mix)
        if expect.get("warning") is not None:  # null: a strategist would accept either
            expectation_warned = any("expects" in w and "would cost" in w for w in seg.warnings)
            assert expectation_warned == expect["warning"], (seg.segment.name, seg.warnings)
