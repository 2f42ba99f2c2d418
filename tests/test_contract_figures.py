"""The plan contract's figures worked out from the plan's own printed numbers.

A course script that checks a plan to the formula takes the figures as the JSON
prints them: each ranking entry's break-even retention gain is
(1 + d - r) x cost_per_customer / m with the segment's economics (null when m is 0
or the gain would reach 1 - r), and each person the mix staffs as a primary or a
support serves its share of the customers the mix is for
(people x customers_per_person = mix_customers). Over every training case, both
hold within 0.2% of the printed numbers.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from casecheck import plan_json

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
CLOSE = 2e-3  # relative: the printed figures keep at least 4 significant digits


def _plan(case: Path) -> dict[str, Any]:
    return plan_json(yaml.safe_load(case.read_text(encoding="utf-8"))["answers"], str(case))


def _break_even_holds(entry: dict[str, Any], economics: dict[str, Any]) -> bool:
    m = economics["margin_per_customer"]
    d, r = economics["discount_rate"], economics["retention_rate"]
    printed = entry["break_even_retention_gain"]
    if m == 0:
        return printed is None
    gain = (1 + d - r) * entry["cost_per_customer"] / m
    if printed is None:  # the rise would reach 1 - r (within the rounding of the cost)
        return gain >= (1 - r) * (1 - CLOSE)
    return gain < 1 - r and math.isclose(printed, gain, rel_tol=CLOSE, abs_tol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_printed_figures_follow_the_contract(case: Path) -> None:
    for segment in _plan(case)["segments"]:
        for entry in segment["ranking"]:
            assert _break_even_holds(entry, segment["economics"]), (segment["name"], entry)
        roles = {e["type"]: e["role"] for e in segment["mix"]}
        for staff in segment["staffing"]:
            if roles[staff["type"]] == "fallback":
                continue  # a person for a share of the customers only
            served = staff["people"] * staff["customers_per_person"]
            assert served == pytest.approx(segment["mix_customers"], rel=CLOSE), staff
