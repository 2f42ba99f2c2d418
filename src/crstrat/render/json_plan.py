"""The plan as JSON, schema 1 (``shared/contracts/plan-json-v1.md``), plus extra keys."""

from __future__ import annotations

import json
import math
from typing import Any

from .. import __version__
from ..economics import break_even_retention_gain
from ..model import (
    Economics,
    KnowledgeBase,
    MixEntry,
    Plan,
    RankedType,
    SegmentPlan,
    Staffing,
    TierPlan,
)

SCHEMA_VERSION = 1


def _money(value: float) -> float:
    return round(value, 2)


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _significant_or_none(value: float | None, decimals: int) -> float | None:
    return None if value is None else _significant(value, decimals)


def _significant(value: float, decimals: int) -> float:
    """``value`` to at least ``decimals`` decimals and at least 4 significant digits,
    so that a figure worked out from it stays within 0.1%: a shop's 0.0017 of a
    person is not printed as 0.002, nor a cost of 1.2963 a customer as 1.3."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, max(decimals, 3 - math.floor(math.log10(abs(value)))))


def _ranking(
    ranking: tuple[RankedType, ...], economics: Economics | None = None
) -> list[dict[str, Any]]:
    """The ranking; with ``economics``, each break-even gain is the contract's
    (1 + d - r) x cost_per_customer / m with the segment's m. Beside a top tier the
    ranking is the other customers', and the choice weighed it with their own
    (lower) margin; the contract's figure divides by the whole segment's."""

    def gain(r: RankedType) -> float | None:
        if economics is None:
            return r.break_even_retention_gain
        return break_even_retention_gain(economics, r.costing.cost_per_customer)

    return [
        {
            "type": r.type,
            "score": round(r.score, 4),
            "annual_cost": _money(r.costing.annual_cost),
            "cost_per_customer": _significant(r.costing.cost_per_customer, 2),
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
            "break_even_retention_gain": _significant_or_none(gain(r), 4),
        }
        for r in ranking
    ]


def _mix(mix: tuple[MixEntry, ...]) -> list[dict[str, Any]]:
    return [
        {"type": e.type, "role": e.role, "annual_cost": _money(e.annual_cost), "why": e.why}
        for e in mix
    ]


def _staffing(staffing: tuple[Staffing, ...]) -> list[dict[str, Any]]:
    return [
        {
            "type": s.type,
            "people": _significant(s.people, 3),
            "customers_per_person": _significant(s.customers_per_person, 1),
        }
        for s in staffing
    ]


def _economics(economics: Economics | None) -> dict[str, Any] | None:
    if economics is None:
        return None
    return {
        "gross_margin": economics.gross_margin,
        "retention_rate": economics.retention_rate,
        "discount_rate": economics.discount_rate,
        # the break-even formula divides by it: kept to 4 significant digits
        "margin_per_customer": _significant(economics.margin_per_customer, 2),
        "customer_lifetime_value": _money(economics.customer_lifetime_value),
        "acquisition_cost": economics.acquisition_cost,
        "ltv_to_cac": _rounded(economics.ltv_to_cac, 2),
        "payback_months": _rounded(economics.payback_months, 2),
        # additions: what the answers left to the knowledge base's defaults
        "new_customers_per_year": economics.new_customers_per_year,
        "defaulted": list(economics.defaulted),
    }


def _top_tier(tier: TierPlan | None) -> dict[str, Any] | None:
    if tier is None:
        return None
    return {
        "customers": tier.customers,
        "customer_value": _money(tier.customer_value),
        "mix": _mix(tier.mix),
        "total_annual_cost": _money(tier.total_annual_cost),
        "budget": _money(tier.budget),
        "staffing": _staffing(tier.staffing),
        "ranking": _ranking(tier.ranking),
        "warnings": list(tier.warnings),
    }


def segment_data(plan: SegmentPlan) -> dict[str, Any]:
    """One segment of the plan as JSON-ready data."""
    seg = plan.segment
    data = {
        "name": seg.name,
        "horizon": plan.horizon,
        "customer_value": _money(plan.customer_value),
        "budget": _money(plan.budget),
        "ranking": _ranking(plan.ranking, plan.economics),
        "mix": _mix(plan.mix),
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
        # additions of 2026-11-29
        "economics": _economics(plan.economics),
        "staffing": _staffing(plan.staffing),
        "mix_customers": plan.mix_customers,
        "mix_budget": _money(plan.mix_budget),
        "steps": [{"step": step.step, "text": step.text} for step in plan.steps],
    }
    if plan.top_tier is not None:
        data["top_tier"] = _top_tier(plan.top_tier)
    return data


def plan_data(plan: Plan) -> dict[str, Any]:
    """The whole plan as JSON-ready data (schema 1)."""
    return {
        "crstrat": SCHEMA_VERSION,
        "version": __version__,
        "knowledge_base": {"name": plan.knowledge_base, "sha256": plan.knowledge_sha256},
        "company": plan.company,
        "currency": plan.currency,
        "exchange_rate": {
            "rate": plan.exchange_rate.rate,
            "from": plan.exchange_rate.from_currency,
            "source": plan.exchange_rate.source,
        },
        "segments": [segment_data(s) for s in plan.segments],
    }


def render(plan: Plan, kb: KnowledgeBase) -> str:
    """The plan as one JSON document, with a final newline."""
    return json.dumps(plan_data(plan), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
