"""Figures worked out by hand from the knowledge base's stated assumptions.

Golden files pin what the code printed once; these pin what the cost model and
the contract's formulas say. Each expected number below is derived in a comment
from the assumptions in knowledge/types.yaml (``cost:`` of each type),
knowledge/meta.yaml (default budget shares and rates, the horizon rule,
contacts that follow purchases) and the answers contract (docs/answers-v1.md:
lifetime value, LTV:CAC, payback, break-even retention gain), and read back
from ``crstrat plan --format json``.

When the cost model changes, update the assumptions here and the arithmetic,
all in this one module. The assumptions used (USD a year):

- contacts a customer makes follow purchases: x purchases ** 0.5 above one a
  year, x purchases below (never below 0.1 of the rate)
- personal assistance: 500 fixed + contacts (0.3 / 1 / 3 by complexity low /
  medium / high) spread evenly over the formats used for it; those in person
  cost 0.50 (the counter) and follow purchases, the others 8 and follow
  purchases only up to one a year; people = contact spend / 50,000
- dedicated personal assistance: 5,000 fixed + 120,000 per named person, one
  per book of 10 (B2B) or 28 (B2C) x (1,000,000 / yearly value) ** 0.67
  accounts, x1.5 / 1 / 0.7 by complexity, between 5 and 150 (B2B) or 500 (B2C);
  people in fractions. Customers met in person at least twice a year, all in one
  book: the person who delivers the service is their named contact, adding 33% of
  a named manager's time each (tapering to none at two books)
- self-service: 5,000 fixed + contacts (1 / 2 / 4) x 0.10
- automated services: 25,000 fixed + 0.25 a customer + contacts (1 / 2 / 4) x 0.50
- below 10,000 customers, the fixed cost of every type but personal assistance
  is a smaller plan: x (customers / 10,000) ** 0.5
- deflection beside a person: self-service answers 18% of the live contacts,
  automated services 11%, communities 10%
- communities: 10,000 fixed + 0.05 a customer + 70,000 per 50,000 consumers
  or 20,000 business members, in fractions; per 10,000,000 members who pay nothing
- co-creation: 15,000 fixed + 0.50 a customer
- non-human types beyond 100,000 customers: variable costs x (n / 100,000) ** 0.7 / (n / 100,000)
- budget: customers x purchases x spend x share (5% B2C, 10% B2B)
- horizon: long-term at 8 purchases a year, or with a retain/expand goal at 0.5
- economics defaults (B2C): gross margin 0.5, retention 0.6, discount rate 0.1
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


# A bakery: 1,000 regulars buying 16 times a year at 15 USD, medium complexity,
# B2C, met in person and on the phone (and on the web and in an app).
BAKERY = {
    "name": "Regulars",
    "expectation": "personal_assistance",
    "goal": "retain",
    "customers": 1000,
    "purchases_per_year": 16,
    "spend_per_purchase": 15,
    "channels": ["in_person", "phone", "web", "app"],
}


def test_bakery_budget_and_horizon(cli: Cli, tmp_path: Path) -> None:
    plan = plan_segment(cli, tmp_path, BAKERY)
    assert plan["customer_value"] == 240.0  # 16 x 15
    assert plan["budget"] == 12_000.0  # 1,000 x 240 x 5%
    assert plan["budget_per_customer"] == 12.0  # 240 x 5%
    assert plan["horizon"] == "long_term"  # 16 purchases >= 2


def test_bakery_costs(cli: Cli, tmp_path: Path) -> None:
    found = costs(plan_segment(cli, tmp_path, BAKERY))
    # contacts follow purchases: 16 ** 0.5 = 4
    # personal assistance in two formats (in person, phone): half at the counter,
    # 1,000 x 1 x 1/2 x 4 x 0.50 = 1,000; half by phone, 1,000 x 1 x 1/2 x 1 x 8 = 4,000
    assert found["personal_assistance"] == 5_500.0  # 500 + 1,000 + 4,000
    # fewer than 10,000 customers: smaller plans, fixed cost x (1,000 / 10,000) ** 0.5
    small = (1_000 / 10_000) ** 0.5
    # 5,000 x 0.316 + 1,000 x 2 x 4 x 0.10 = 1,581.14 + 800
    assert found["self_service"] == round(5_000 * small + 800, 2) == 2_381.14
    # automation's plans shrink faster: 25,000 x (1,000 / 10,000) ** 0.7 = 4,988.16,
    # + 1,000 x 0.25 + 1,000 x 2 x 4 x 0.50 = 250 + 4,000
    automation = (1_000 / 10_000) ** 0.7
    assert found["automated_services"] == round(25_000 * automation + 4_250, 2) == 9_238.16
    # 10,000 x 0.316 + 1,000 x 0.05 + 1,000 / 50,000 x 70,000 = 3,162.28 + 50 + 1,400
    assert found["communities"] == round(10_000 * small + 1_450, 2) == 4_612.28
    # 15,000 x 0.316 + 1,000 x 0.50 = 4,743.42 + 500
    assert found["co_creation"] == round(15_000 * small + 500, 2) == 5_243.42
    # book: 28 x (1,000,000 / 240) ** 0.67 = about 7,460, capped at 500 -> 2 people
    # (1,000 customers are two books: too many for whoever serves them to be the
    # named contact of any); a small plan of the tool, 5,000 x 0.316 = 1,581.14
    assert found["dedicated_personal_assistance"] == round(5_000 * small + 240_000, 2)


def test_bakery_affordability_and_staffing(cli: Cli, tmp_path: Path) -> None:
    plan = plan_segment(cli, tmp_path, BAKERY)
    affordable = {r["type"] for r in plan["ranking"] if r["affordable"]}
    # budget 12,000: personal assistance 5,500, self-service 2,381, automated
    # services 9,238, communities 4,612 and co-creation 5,243 fit; dedicated does not
    assert affordable == {
        "self_service",
        "personal_assistance",
        "automated_services",
        "communities",
        "co_creation",
    }
    assert plan["mix"][0]["type"] == "personal_assistance"
    # people: contact spend 5,000 / 50,000 = 0.1 of a person for 1,000 customers
    assert plan["staffing"][0] == {
        "type": "personal_assistance",
        "people": 0.1,
        "customers_per_person": 10_000.0,
    }


def test_bakery_economics(cli: Cli, tmp_path: Path) -> None:
    plan = plan_segment(cli, tmp_path, {**BAKERY, "acquisition_cost": 40})
    economics = plan["economics"]
    # defaults: gross margin 0.5, retention 0.6, discount rate 0.1
    assert economics["margin_per_customer"] == 120.0  # 0.5 x 16 x 15
    assert economics["customer_lifetime_value"] == 264.0  # 120 x 1.1 / (1.1 - 0.6)
    assert economics["ltv_to_cac"] == 6.6  # 264 / 40
    assert economics["payback_months"] == 4.0  # 40 / (120 / 12)
    gains = {r["type"]: r["break_even_retention_gain"] for r in plan["ranking"]}
    # (1 + d - r) x cost per customer / m = 0.5 x 5.50 / 120
    assert gains["personal_assistance"] == pytest.approx(0.0229, abs=1e-4)
    # dedicated: 0.5 x 245 / 120 = 1.02, more than 1 - 0.6 can rise: none
    assert gains["dedicated_personal_assistance"] is None


def test_a_sliver_of_a_person_gives_the_customers_back(cli: Cli, tmp_path: Path) -> None:
    # 45 catering accounts: a small fraction of a person, printed precisely enough
    # that people x customers per person gives back the 45 (contract: staffing)
    accounts = {**BAKERY, "customers": 45, "purchases_per_year": 4, "spend_per_purchase": 150}
    plan = plan_segment(cli, tmp_path, accounts)
    (person,) = [s for s in plan["staffing"] if s["type"] == "personal_assistance"]
    assert person["people"] < 0.01
    assert person["people"] * person["customers_per_person"] == pytest.approx(45, rel=1e-3)


def test_occasional_customers_contact_less(cli: Cli, tmp_path: Path) -> None:
    # customers buying once every two years, wanting only to be won over, by phone or email
    plan = plan_segment(
        cli,
        tmp_path,
        {
            **BAKERY,
            "goal": "acquire",
            "purchases_per_year": 0.5,
            "spend_per_purchase": 20,
            "channels": ["phone", "email", "web"],
        },
    )
    assert plan["horizon"] == "transactional"  # 0.5 < 2 and no retain/expand goal
    assert plan["budget"] == 500.0  # 1,000 x 0.5 x 20 x 5%
    found = costs(plan)
    # contact factor 0.5; no counter
    assert found["personal_assistance"] == 4_500.0  # 500 + 1,000 x 1 x 0.5 x 8
    # a smaller plan: 5,000 x (1,000 / 10,000) ** 0.5 + 1,000 x 2 x 0.5 x 0.10
    assert found["self_service"] == round(5_000 * 0.1**0.5 + 100, 2) == 1_681.14
    # no contacts; a smaller programme: 15,000 x (1,000 / 10,000) ** 0.5 + 1,000 x 0.50
    assert found["co_creation"] == round(15_000 * 0.1**0.5 + 500, 2) == 5_243.42


ACCOUNTS = {
    "name": "Accounts",
    "expectation": "dedicated_personal_assistance",
    "goal": "retain",
    "customers": 120,
    "purchases_per_year": 1,
    "spend_per_purchase": 40_000,
    "market": "b2b",
    "complexity": "high",
    "channels": ["phone", "email", "video", "web"],
}


def test_business_accounts_named_managers(cli: Cli, tmp_path: Path) -> None:
    # 120 business accounts worth 40,000 a year, high complexity
    plan = plan_segment(cli, tmp_path, ACCOUNTS)
    assert plan["budget"] == 480_000.0  # 120 x 40,000 x 10% (B2B)
    found = costs(plan)
    book = 10 * (1_000_000 / 40_000) ** 0.67 * 0.7  # about 60.5 accounts a person
    assert found["dedicated_personal_assistance"] == pytest.approx(
        5_000 * (120 / 10_000) ** 0.5 + 120 / book * 120_000, abs=0.01
    )
    assert found["personal_assistance"] == 3_380.0  # 500 + 120 x 3 x 8
    # a smaller plan: 5,000 x (120 / 10,000) ** 0.5 + 120 x 4 x 0.10 = 547.72 + 48
    assert found["self_service"] == round(5_000 * 0.012**0.5 + 48, 2) == 595.72
    # a smaller plan: 10,000 x (120 / 10,000) ** 0.5 + 120 x 0.05 + 120 / 20,000 x 70,000
    assert found["communities"] == round(10_000 * 0.012**0.5 + 6 + 420, 2) == 1_521.45
    staffing = {s["type"]: s for s in plan["staffing"]}
    assert staffing["dedicated_personal_assistance"]["people"] == pytest.approx(
        120 / book, abs=1e-3
    )


@pytest.mark.parametrize(
    ("value", "market", "book"),
    [
        (1_000_000, "b2b", 10),  # a strategic account: 10 a key-account manager
        (50_000, "b2b", 10 * 20**0.67),  # about 74: a customer success manager's book
        (30_000, "b2c", 28 * (100 / 3) ** 0.67),  # about 294: a client advisor's book
        (500, "b2c", 500),  # small clients: the B2C cap
        (20_000_000, "b2b", 5),  # the smallest book
    ],
)
def test_book_sizes(cli: Cli, tmp_path: Path, value: float, market: str, book: float) -> None:
    segment = {**ACCOUNTS, "customers": 100, "spend_per_purchase": value, "market": market}
    segment["complexity"] = "medium"
    found = costs(plan_segment(cli, tmp_path, segment))
    # the relationship-management tool on a small plan: 5,000 x (100 / 10,000) ** 0.5
    assert found["dedicated_personal_assistance"] == pytest.approx(
        500 + 100 / book * 120_000, rel=1e-6
    )


def test_fallback_costed_for_its_share(cli: Cli, tmp_path: Path) -> None:
    # 100,000 shoppers, 4 purchases of 100 USD, low complexity, who expect self-service
    plan = plan_segment(
        cli,
        tmp_path,
        {
            "name": "Shoppers",
            "expectation": "self_service",
            "goal": "retain",
            "customers": 100_000,
            "purchases_per_year": 4,
            "spend_per_purchase": 100,
            "complexity": "low",
            "channels": ["web", "app", "email"],
        },
    )
    assert plan["budget"] == 2_000_000.0  # 100,000 x 4 x 100 x 5%
    mix = {e["role"]: (e["type"], e["annual_cost"]) for e in plan["mix"]}
    # 5,000 + 100,000 x 1 x 4 ** 0.5 x 0.10 (100,000 is not beyond the scale threshold)
    assert mix["primary"] == ("self_service", 25_000.0)
    # self-service leaves 15% of customers (low complexity) needing a person, by
    # email (no counter): 500 + 15,000 x 0.3 x 1 x 8, 1.8% of the budget (cap 15%)
    assert mix["fallback"] == ("personal_assistance", 36_500.0)


def test_scale_economy(cli: Cli, tmp_path: Path) -> None:
    # a million customers: self-service's contacts cost x (10 ** 0.7) / 10
    plan = plan_segment(
        cli,
        tmp_path,
        {
            "name": "Everyone",
            "expectation": "self_service",
            "goal": "acquire",
            "customers": 1_000_000,
            "purchases_per_year": 1,
            "spend_per_purchase": 10,
            "complexity": "low",
            "channels": ["web"],
        },
    )
    variable = 1_000_000 * 1 * 0.10  # 100,000 before the economy
    assert costs(plan)["self_service"] == pytest.approx(5_000 + variable * 10**0.7 / 10, abs=0.01)


FREE_MEMBERS = {
    "name": "Free members",
    "expectation": "communities",
    "goal": ["acquire", "retain"],
    "customers": 20_000_000,
    "purchases_per_year": 0,
    "spend_per_purchase": 0,
    "budget_per_customer": 0.05,
    "complexity": "low",
    "channels": ["web", "forum"],
}


def test_free_members_run_their_community(cli: Cli, tmp_path: Path) -> None:
    # 20 million members who pay nothing: 0.05 a member x (200 ** 0.7) / 200 with
    # the scale economy, and one paid person for 10 million of them
    plan = plan_segment(cli, tmp_path, FREE_MEMBERS)
    variable = 20_000_000 * 0.05 * 200**0.7 / 200  # about 204,000
    free = 10_000 + variable + 2 * 70_000
    assert costs(plan)["communities"] == pytest.approx(free, abs=0.01)  # about 354,000
    assert plan["mix"][0]["type"] == "communities"  # 1,000,000 of budget carries it
    # the same members paying a cent a year are paying members: one person per 50,000
    paying = plan_segment(
        cli, tmp_path, {**FREE_MEMBERS, "purchases_per_year": 1, "spend_per_purchase": 0.01}
    )
    assert costs(paying)["communities"] == pytest.approx(10_000 + variable + 400 * 70_000, abs=0.01)


def test_top_tier_split(cli: Cli, tmp_path: Path) -> None:
    # 1,000 customers worth 240 a year; the top 5% bring 40% of the revenue
    plan = plan_segment(
        cli, tmp_path, {**BAKERY, "top_tier": {"customers_share": 0.05, "revenue_share": 0.4}}
    )
    tier = plan["top_tier"]
    assert tier["customers"] == 50  # 1,000 x 5%
    assert tier["customer_value"] == 1_920.0  # 240,000 x 40% / 50
    assert plan["mix_customers"] == 950
    assert plan["customer_value"] == 240.0  # the segment's own figure stays


def test_top_tier_break_even_follows_the_contract(cli: Cli, tmp_path: Path) -> None:
    # the ranking of a segment with a top tier costs the other 950 customers, and
    # its break-even gains are the contract's (1 + d - r) x cost_per_customer / m
    # with the segment's own margin per customer m: 0.5 x 240 = 120 a year
    plan = plan_segment(
        cli, tmp_path, {**BAKERY, "top_tier": {"customers_share": 0.05, "revenue_share": 0.4}}
    )
    economics = plan["economics"]
    assert economics["margin_per_customer"] == 120.0
    d, r = economics["discount_rate"], economics["retention_rate"]
    for entry in plan["ranking"]:
        cost = entry["cost_per_customer"]  # as printed, as a script would take it
        assert cost == pytest.approx(entry["annual_cost"] / 950, rel=1e-3)
        gain = (1 + d - r) * cost / 120
        if gain >= 1 - r:
            assert entry["break_even_retention_gain"] is None, entry["type"]
        else:
            assert entry["break_even_retention_gain"] == pytest.approx(gain, rel=1e-3)


def test_top_tier_budget_follows_revenue(cli: Cli, tmp_path: Path) -> None:
    # a budget of 12 per customer is the segment's 12,000: the top 5% bring 40%
    # of the revenue and get 40% of the budget, 4,800 for 50 customers (96 each)
    plan = plan_segment(
        cli,
        tmp_path,
        {
            **BAKERY,
            "budget_per_customer": 12,
            "top_tier": {"customers_share": 0.05, "revenue_share": 0.4},
        },
    )
    assert plan["budget"] == 12_000.0
    assert plan["top_tier"]["budget"] == 4_800.0


# A personal trainer: 50 clients training 48 times a year, in person and by phone,
# who expect their own trainer.
TRAINER = {
    "name": "Clients",
    "expectation": "dedicated_personal_assistance",
    "goal": "retain",
    "customers": 50,
    "purchases_per_year": 48,
    "spend_per_purchase": 60,
    "channels": ["in_person", "phone"],
}


def test_the_trainer_is_the_named_person(cli: Cli, tmp_path: Path) -> None:
    plan = plan_segment(cli, tmp_path, TRAINER)
    assert plan["budget"] == 7_200.0  # 50 x 48 x 60 x 5%
    # book for 2,880 a year: 28 x (1,000,000 / 2,880) ** 0.67, capped at 500 >= 50, and
    # 48 visits a year in person: the trainer adds 33% of a named manager's time
    people = 50 * 0.33 / 500
    tool = 5_000 * (50 / 10_000) ** 0.5  # 353.55
    assert costs(plan)["dedicated_personal_assistance"] == round(tool + people * 120_000, 2)
    assert plan["mix"][0]["type"] == "dedicated_personal_assistance"  # 4,313.55 fits 7,200
    assert "named contact already" in plan["mix"][0]["why"]
    assert not any("would cost" in w for w in plan["warnings"])
    staffing = {s["type"]: s for s in plan["staffing"]}
    assert staffing["dedicated_personal_assistance"]["people"] == pytest.approx(people, abs=1e-3)
    # the contract's pair: customers / people
    assert staffing["dedicated_personal_assistance"]["customers_per_person"] == round(
        50 / people, 1
    )


def test_a_named_manager_met_by_phone_is_a_hired_one(cli: Cli, tmp_path: Path) -> None:
    # the same clients, never met in person: a named manager's book prices them
    plan = plan_segment(cli, tmp_path, {**TRAINER, "channels": ["phone", "email"]})
    tool = 5_000 * (50 / 10_000) ** 0.5
    assert costs(plan)["dedicated_personal_assistance"] == round(tool + 50 / 500 * 120_000, 2)
    assert plan["mix"][0]["type"] != "dedicated_personal_assistance"  # 12,354 > 7,200 x 1.3


def test_a_person_with_many_calls_gets_a_help_centre(cli: Cli, tmp_path: Path) -> None:
    # 20,000 customers with a complex offer, by phone, email, web and app: 3 calls
    # a year each at 8 = 480,500 with the fixed 500
    segment = {
        "name": "Owners",
        "expectation": "personal_assistance",
        "goal": "retain",
        "customers": 20_000,
        "purchases_per_year": 1,
        "spend_per_purchase": 600,
        "budget_share": 0.1,
        "complexity": "high",
        "channels": ["phone", "email", "web", "app"],
    }
    plan = plan_segment(cli, tmp_path, segment)
    assert costs(plan)["personal_assistance"] == 480_500.0
    assert plan["mix"][0]["type"] == "personal_assistance"
    helps = {e["type"]: e for e in plan["mix"][1:]}
    # a help centre answers 18% of 480,000 of calls: 86,400 saved, more than the
    # 5,000 + 20,000 x 4 x 0.10 = 13,000 it costs (20,000 customers: no small plan)
    assert costs(plan)["self_service"] == 13_000.0
    assert "self_service" in helps
    assert "86,400" in helps["self_service"]["why"]


def test_a_person_beyond_one_book_is_priced_without_a_cliff(cli: Cli, tmp_path: Path) -> None:
    # 600 clients, more than one book (500, the B2C cap at 2,880 a year): whoever
    # delivers the service is the named contact of 2 x 500 - 600 = 400 of them,
    # named managers look after the other 200
    plan = plan_segment(cli, tmp_path, {**TRAINER, "customers": 600, "budget_share": 0.5})
    people = (400 * 0.33 + 200) / 500
    tool = 5_000 * (600 / 10_000) ** 0.5
    assert costs(plan)["dedicated_personal_assistance"] == round(tool + people * 120_000, 2)
    # one client more than a book costs about what one client does, not a jump
    edge = [
        costs(plan_segment(cli, tmp_path, {**TRAINER, "customers": n}))[
            "dedicated_personal_assistance"
        ]
        for n in (500, 501)
    ]
    assert 0 < edge[1] - edge[0] < 500
