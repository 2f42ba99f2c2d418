"""Strategist cases: what a case file expects, checked against a plan.

A case file (tests/cases/, tests/heldout/) holds an answers file and, per
segment, what an experienced strategist would say: the primary types they
would accept, the horizon, types that belong in or must stay out of the mix,
whether the expectation collides with the budget, the economics worked out by
hand from the contract's formulas, and the top tier's primary.

``python tests/casecheck.py tests/heldout`` prints the share of checks that
pass; tests/test_cases.py runs the same checks under pytest.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ECONOMICS_TOLERANCE = 0.006  # the cases round to 2 decimals


def checks(plan_segment: dict[str, Any], expect: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """(check name, passed) for one segment of a plan (its JSON form) against a case."""
    mix = [entry["type"] for entry in plan_segment["mix"]]
    if "primary" in expect:
        yield "primary", mix[0] in expect["primary"]
    if "horizon" in expect:
        horizons = expect["horizon"]
        accepted = horizons if isinstance(horizons, list) else [horizons]
        yield "horizon", plan_segment["horizon"] in accepted
    for banned in expect.get("not_in_mix", []):
        yield f"not_in_mix {banned}", banned not in mix
    for wanted in expect.get("in_mix", []):
        yield f"in_mix {wanted}", wanted in mix
    if expect.get("warning") is not None:
        warned = any("expects" in w and "would cost" in w for w in plan_segment["warnings"])
        yield "warning", warned == expect["warning"]
    for key, value in expect.get("economics", {}).items():
        got = (plan_segment.get("economics") or {}).get(key)
        yield f"economics {key}", got is not None and abs(got - value) < ECONOMICS_TOLERANCE
    if "top_tier_primary" in expect:
        tier = plan_segment.get("top_tier") or {}
        tier_mix = tier.get("mix") or [{"type": None}]
        yield "top_tier_primary", tier_mix[0]["type"] in expect["top_tier_primary"]


def plan_json(answers: dict[str, Any], source: str) -> dict[str, Any]:
    """The plan's JSON form for answers, made in this process by crstrat's own code."""
    import json

    from crstrat.answers import validate_answers
    from crstrat.knowledge import load_knowledge
    from crstrat.mix import make_plan
    from crstrat.render import json_plan

    kb = load_knowledge()
    plan = make_plan(kb, validate_answers(kb, answers, source=source))
    return json.loads(json_plan.render(plan, kb))  # type: ignore[no-any-return]


def score_folder(folder: Path) -> tuple[int, int, list[str]]:
    """(passed, total, failures) over every case file in a folder.

    A case whose answers crstrat refuses fails every one of its checks.
    """
    passed = total = 0
    failures: list[str] = []
    for case in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(case.read_text(encoding="utf-8"))
        try:
            plan = plan_json(spec["answers"], str(case))
        except Exception as exc:  # a refused case counts, it does not stop the count
            plan = None
            reason = f"refused: {exc}"
        for name, expect in spec["expect"].items():
            if plan is None:
                found: list[tuple[str, bool]] = [(c, False) for c in _names(expect)]
            else:
                seg = next(s for s in plan["segments"] if s["name"] == name)
                found = list(checks(seg, expect))
                reason = ""
            for check, ok in found:
                total += 1
                passed += ok
                if not ok:
                    failures.append(f"{case.stem} / {name}: {check} {reason}".rstrip())
    return passed, total, failures


def _names(expect: dict[str, Any]) -> list[str]:
    fake = {"mix": [{"type": None}], "horizon": None, "warnings": [], "top_tier": None}
    return [name for name, _ in checks(fake, expect)]


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["tests/heldout"]:
        ok, all_checks, failed = score_folder(Path(arg))
        print(f"{arg}: {ok}/{all_checks} checks pass ({ok / all_checks:.1%})")
        for line in failed:
            print("  " + line[:200])
