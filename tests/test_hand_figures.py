"""Figures worked out by hand from the knowledge base's stated assumptions.

Golden files pin what the code printed once; these pin what the cost model
says it does. Each expected number below is derived in a comment from the
assumptions in knowledge/types.yaml (``cost:`` of each type) and
knowledge/meta.yaml (default budget shares, the horizon rule, contacts that
follow purchases), and read back from ``crstrat plan --format json`` (the plan
contract, schema 1).

When the cost model changes, update the assumptions line and the arithmetic
here, all in this one module. The assumptions used (USD a year):

- personal assistance: 500 fixed + contacts x 8 (contacts a customer makes:
  0.3 / 1 / 3 by complexity low / medium / high)
- dedicated personal assistance: 5,000 fixed + one manager (120,000) per 80
  private clients or 50 business accounts, rounded up to whole people
- self-service: 5,000 fixed + contacts x 0.10 (1 / 2 / 4 by complexity)
- automated services: 25,000 fixed + 0.25 a customer + contacts x 0.50 (1 / 2 / 4)
- communities: 10,000 fixed + 0.05 a customer + one manager (70,000) per
  50,000 consumers or 20,000 business members, rounded up
- co-creation: 15,000 fixed + 0.50 a customer
- contacts x min(1, purchases a year), never below 0.1 of the rate
- budget: customers x purchases x spend x share (5% B2C, 10% B2B)
- horizon: long-term at 2 purchases a year, or with a retain/expand goal at 0.5
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

Cli = Any


def plan_segment(cli: Cli, tmp_path: Path, segment: dict[str, Any]) -> dict[str, Any]:
    """One segment's plan as the JSON contract gives it."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"crstrat": 1, "segments": [segment]}), encoding="utf-8")
    result = cli("plan", "--answers", answers, "--format", "json")
    assert result.code == 0, result.err
    plan: dict[str, Any] = json.loads(result.out)["segments"][0]
    return plan


def costs(plan: dict[str, Any]) -> dict[str, float]:
    return {r["type"]: r["annual_cost"] for r in plan["ranking"]}


# A bakery: 1,000 regulars buying 12 times a year at 20 USD, medium complexity, B2C.
BAKERY = {
    "name": "Regulars",
    "expectation": "personal_assistance",
    "goal": "retain",
    "customers": 1000,
    "purchases_per_year": 12,
    "spend_per_purchase": 20,
}


def test_bakery_budget_and_horizon(cli: Cli, tmp_path: Path) -> None:
    plan = plan_segment(cli, tmp_path, BAKERY)
    assert plan["customer_value"] == 240.0  # 12 x 20
    assert plan["budget"] == 12_000.0  # 1,000 x 240 x 5%
    assert plan["budget_per_customer"] == 12.0  # 240 x 5%
    assert plan["horizon"] == "long_term"  # 12 purchases >= 2


def test_bakery_costs(cli: Cli, tmp_path: Path) -> None:
    found = costs(plan_segment(cli, tmp_path, BAKERY))
    # contacts: medium complexity, 12 purchases a year -> factor min(1, 12) = 1
    assert found["self_service"] == 5_200.0  # 5,000 + 1,000 x 2 x 0.10
    assert found["personal_assistance"] == 8_500.0  # 500 + 1,000 x 1 x 8
    assert found["automated_services"] == 26_250.0  # 25,000 + 1,000 x 0.25 + 1,000 x 2 x 0.50
    assert found["communities"] == 80_050.0  # 10,000 + 1,000 x 0.05 + ceil(1,000/50,000) x 70,000
    assert found["co_creation"] == 15_500.0  # 15,000 + 1,000 x 0.50
    # ceil(1,000 / 80) = 13 managers
    assert found["dedicated_personal_assistance"] == 1_565_000.0  # 5,000 + 13 x 120,000


def test_bakery_affordability(cli: Cli, tmp_path: Path) -> None:
    plan = plan_segment(cli, tmp_path, BAKERY)
    affordable = {r["type"] for r in plan["ranking"] if r["affordable"]}
    # budget 12,000: self-service 5,200 and personal assistance 8,500 fit; the rest do not
    assert affordable == {"self_service", "personal_assistance"}


def test_occasional_customers_contact_less(cli: Cli, tmp_path: Path) -> None:
    # the same bakery's customers buying once every two years, wanting only to be won over
    plan = plan_segment(cli, tmp_path, {**BAKERY, "goal": "acquire", "purchases_per_year": 0.5})
    assert plan["horizon"] == "transactional"  # 0.5 < 2 and no retain/expand goal
    assert plan["budget"] == 500.0  # 1,000 x 0.5 x 20 x 5%
    found = costs(plan)
    # contact factor min(1, 0.5) = 0.5
    assert found["personal_assistance"] == 4_500.0  # 500 + 1,000 x 1 x 0.5 x 8
    assert found["self_service"] == 5_100.0  # 5,000 + 1,000 x 2 x 0.5 x 0.10
    assert found["co_creation"] == 15_500.0  # no contacts: 15,000 + 1,000 x 0.50


def test_business_accounts_named_managers(cli: Cli, tmp_path: Path) -> None:
    # 120 business accounts buying monthly at 2,000 USD, high complexity
    plan = plan_segment(
        cli,
        tmp_path,
        {
            "name": "Accounts",
            "expectation": "dedicated_personal_assistance",
            "goal": "retain",
            "customers": 120,
            "purchases_per_year": 12,
            "spend_per_purchase": 2000,
            "market": "b2b",
            "complexity": "high",
        },
    )
    assert plan["budget"] == 288_000.0  # 120 x 12 x 2,000 x 10% (B2B)
    found = costs(plan)
    # ceil(120 / 50) = 3 managers
    assert found["dedicated_personal_assistance"] == 365_000.0  # 5,000 + 3 x 120,000
    assert found["personal_assistance"] == 3_380.0  # 500 + 120 x 3 x 8
    assert found["self_service"] == 5_048.0  # 5,000 + 120 x 4 x 0.10
    assert found["communities"] == 80_006.0  # 10,000 + 120 x 0.05 + ceil(120/20,000) x 70,000


@pytest.mark.parametrize(
    ("customers", "managers"),
    [(80, 1), (81, 2), (160, 2), (161, 3)],  # whole people: ceil(customers / 80)
)
def test_named_managers_are_whole_people(
    cli: Cli, tmp_path: Path, customers: int, managers: int
) -> None:
    found = costs(plan_segment(cli, tmp_path, {**BAKERY, "customers": customers}))
    assert found["dedicated_personal_assistance"] == 5_000 + managers * 120_000


def test_fallback_costed_for_its_share(cli: Cli, tmp_path: Path) -> None:
    # 100,000 shoppers, 4 purchases of 10 USD, low complexity, who expect self-service
    plan = plan_segment(
        cli,
        tmp_path,
        {
            "name": "Shoppers",
            "expectation": "self_service",
            "goal": "retain",
            "customers": 100_000,
            "purchases_per_year": 4,
            "spend_per_purchase": 10,
            "complexity": "low",
        },
    )
    assert plan["budget"] == 200_000.0  # 100,000 x 4 x 10 x 5%
    mix = {e["role"]: (e["type"], e["annual_cost"]) for e in plan["mix"]}
    assert mix["primary"] == ("self_service", 15_000.0)  # 5,000 + 100,000 x 1 x 0.10
    # self-service leaves 15% of customers (low complexity) needing a person:
    # 500 + 15,000 x 0.3 x 8
    assert mix["fallback"] == ("personal_assistance", 36_500.0)
