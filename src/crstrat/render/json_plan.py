"""The plan as JSON, schema 1 (``shared/contracts/plan-json-v1.md``), plus extra keys."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..model import KnowledgeBase, Plan, SegmentPlan

SCHEMA_VERSION = 1


def _money(value: float) -> float:
    return round(value, 2)


def segment_data(plan: SegmentPlan) -> dict[str, Any]:
    """One segment of the plan as JSON-ready data."""
    seg = plan.segment
    return {
        "name": seg.name,
        "horizon": plan.horizon,
        "customer_value": _money(plan.customer_value),
        "budget": _money(plan.budget),
        "ranking": [
            {
                "type": r.type,
                "score": round(r.score, 4),
                "annual_cost": _money(r.costing.annual_cost),
                "cost_per_customer": _money(r.costing.cost_per_customer),
                "affordable": r.costing.affordable,
                "reasons": [
                    {
                        "criterion": reason.criterion,
                        "contribution": round(reason.contribution, 4),
                        "text": reason.text,
                        "weight": reason.weight,
                        "fit": round(reason.fit, 4),
                    }
                    for reason in r.reasons
                ],
            }
            for r in plan.ranking
        ],
        "mix": [
            {"type": e.type, "role": e.role, "annual_cost": _money(e.annual_cost), "why": e.why}
            for e in plan.mix
        ],
        "total_annual_cost": _money(plan.total_annual_cost),
        "tactics": [
            {
                "id": c.tactic.id,
                "goal": c.goal,
                "title": c.tactic.title,
                "kind": c.tactic.kind,
                "first_step": c.tactic.first_step,
            }
            for c in plan.tactics
        ],
        "warnings": list(plan.warnings),
        # additions to schema 1 (allowed: keys may be added, never renamed)
        "expectation": seg.expectation,
        "goals": list(seg.goals),
        "customers": seg.customers,
        "market": plan.market,
        "complexity": plan.complexity,
        "budget_per_customer": _money(plan.budget_per_customer),
        "existing": {
            "keep": list(plan.existing.keep),
            "add": list(plan.existing.add),
            "drop": list(plan.existing.drop),
        },
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    """The whole plan as JSON-ready data (schema 1)."""
    return {
        "crstrat": SCHEMA_VERSION,
        "version": __version__,
        "knowledge_base": {"name": plan.knowledge_base, "sha256": plan.knowledge_sha256},
        "company": plan.company,
        "currency": plan.currency,
        "segments": [segment_data(s) for s in plan.segments],
    }


def render(plan: Plan, kb: KnowledgeBase) -> str:
    """The plan as one JSON document, with a final newline."""
    return json.dumps(plan_data(plan), indent=2, ensure_ascii=False) + "\n"
