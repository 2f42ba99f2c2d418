"""Scoring: criteria, weights from the knowledge base, reasons, determinism."""

from __future__ import annotations

import dataclasses

import pytest

from crstrat.model import KnowledgeBase, Segment
from crstrat.scoring import context, horizon_of, rank, type_cost

BASE = Segment(
    name="Shoppers",
    expectation="self_service",
    goals=("retain",),
    customers=50_000,
    purchases_per_year=4,
    spend_per_purchase=50,
)


def seg(**changes: object) -> Segment:
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


def ranking(kb: KnowledgeBase, segment: Segment) -> dict[str, float]:
    return {r.type: r.score for r in rank(kb, context(kb, segment))}


def test_every_type_ranked_best_first_with_all_criteria(kb: KnowledgeBase) -> None:
    ranked = rank(kb, context(kb, BASE))
    assert sorted(r.type for r in ranked) == sorted(kb.type_ids)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    for entry in ranked:
        assert 0.0 <= entry.score <= 1.0
        assert [r.criterion for r in entry.reasons] == list(kb.scoring.weights)
        assert entry.score == pytest.approx(sum(r.contribution for r in entry.reasons))
        assert all(r.text for r in entry.reasons)


def test_weights_come_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    weights = dict.fromkeys(kb.scoring.weights, 0.0)
    weights["expectation"] = 1.0
    only_expectation = kb._replace(scoring=kb.scoring._replace(weights=weights))
    scores = ranking(only_expectation, seg(expectation="communities"))
    assert scores["communities"] == 1.0
    assert max(scores, key=lambda t: scores[t]) == "communities"


def test_expectation_raises_the_expected_type(kb: KnowledgeBase) -> None:
    for type_id in kb.type_ids:
        expected = ranking(kb, seg(expectation=type_id))
        other = "communities" if type_id != "communities" else "self_service"
        assert expected[type_id] > ranking(kb, seg(expectation=other))[type_id]


def fit(kb: KnowledgeBase, segment: Segment, type_id: str, criterion: str) -> float:
    entry = next(r for r in rank(kb, context(kb, segment)) if r.type == type_id)
    return next(r.fit for r in entry.reasons if r.criterion == criterion)


def test_complexity_favours_people_for_hard_offers(kb: KnowledgeBase) -> None:
    low, high = seg(complexity="low"), seg(complexity="high")
    assert fit(kb, high, "personal_assistance", "complexity") > fit(
        kb, low, "personal_assistance", "complexity"
    )
    assert fit(kb, high, "self_service", "complexity") < fit(kb, low, "self_service", "complexity")
    # ... and hard offers need more contacts, so people cost more
    assert fit(kb, high, "personal_assistance", "economics") < fit(
        kb, low, "personal_assistance", "economics"
    )


def test_missing_channel_lowers_the_type_and_says_so(kb: KnowledgeBase) -> None:
    ctx = context(kb, seg(channels=("phone", "email")))
    communities = next(r for r in rank(kb, ctx) if r.type == "communities")
    channel = next(r for r in communities.reasons if r.criterion == "channels")
    assert channel.fit == 0.0
    assert "format you do not use" in channel.text


def test_value_against_cost(kb: KnowledgeBase) -> None:
    cheap, rich = seg(spend_per_purchase=5), seg(spend_per_purchase=5000)
    assert fit(kb, rich, "personal_assistance", "economics") > fit(
        kb, cheap, "personal_assistance", "economics"
    )


def test_budget_per_customer_wins_over_share(kb: KnowledgeBase) -> None:
    ctx = context(kb, seg(budget_share=0.5, budget_per_customer=3))
    assert ctx.budget_per_customer == 3
    assert ctx.budget == 3 * BASE.customers
    assert context(kb, BASE).budget_share == kb.defaults.budget_share


def test_named_managers_are_counted_in_fractions_of_a_person(kb: KnowledgeBase) -> None:
    dedicated = kb.type("dedicated_personal_assistance")
    few = type_cost(dedicated, context(kb, seg(customers=10, market="b2b")))
    more = type_cost(dedicated, context(kb, seg(customers=20, market="b2b")))
    assert 0 < few.people < 1  # ten accounts are part of someone's week
    assert more.people == pytest.approx(2 * few.people)
    cost = dedicated.cost

    def tool(accounts: int) -> float:  # the tool's small plan (knowledge/README.md)
        return cost.fixed_per_year * (accounts / cost.small_plan_below) ** cost.small_plan_exponent

    assert more.annual_cost - few.annual_cost == pytest.approx(
        few.people * cost.cost_per_person + tool(20) - tool(10)
    )


@pytest.mark.parametrize(
    ("purchases", "goals", "horizon"),
    [
        (12, ("acquire",), "long_term"),  # a regular every month: a habit, whatever the goal
        (8, ("acquire",), "long_term"),
        (6, ("acquire",), "transactional"),  # walk-ins the business only aims to win
        (2, ("acquire",), "transactional"),  # drop-ins, travellers: one sale at a time
        (2, ("acquire", "retain"), "long_term"),  # ... unless it aims to keep them too
        (0.2, ("acquire",), "transactional"),
        (1, ("retain",), "long_term"),
        (0.1, ("retain",), "long_term"),  # keeping them comes first: any purchase rate
        (0.1, ("acquire", "retain"), "transactional"),
        (0.5, ("acquire", "expand"), "long_term"),
        (0.4, ("acquire", "retain"), "transactional"),  # retain, but not first, below 0.5
        (0, ("acquire", "retain"), "long_term"),  # users who pay nothing, kept by their use
        (0, ("acquire", "expand"), "transactional"),  # no purchases to expand, none to keep
    ],
)
def test_horizon(kb: KnowledgeBase, purchases: float, goals: tuple[str, ...], horizon: str) -> None:
    assert horizon_of(kb, seg(purchases_per_year=purchases, goals=goals)) == horizon


@pytest.mark.parametrize(("purchases", "horizon"), [(2, "long_term"), (1.5, "transactional")])
def test_business_customers_who_reorder_are_accounts(
    kb: KnowledgeBase, purchases: float, horizon: str
) -> None:
    # a firm that books catering twice a year is an account; a tourist who flies
    # twice a year is not (the consumers' rule wants 8 purchases)
    firm = seg(purchases_per_year=purchases, goals=("acquire",), market="b2b")
    assert horizon_of(kb, firm) == horizon
    assert horizon_of(kb, dataclasses.replace(firm, market="b2c")) == "transactional"


@pytest.mark.parametrize(
    ("retention", "purchases", "market", "horizon"),
    [
        (0.4, 3, "b2b", "transactional"),  # per-post advertisers: most never come back
        (0.3, 2, "b2c", "transactional"),  # walk-in diners, though the goal is to keep them
        (0.45, 1, "b2c", "long_term"),  # annual subscribers: enough of them stay
        (0.4, 8, "b2c", "long_term"),  # those who buy every six weeks have a habit
        (None, 3, "b2b", "long_term"),  # the default retention does not count
        (0.0, 2, "b2c", "transactional"),  # none come back
    ],
)
def test_customers_who_mostly_leave_are_transactional(
    kb: KnowledgeBase, retention: float | None, purchases: float, market: str, horizon: str
) -> None:
    assert kb.horizon.transactional_max_retention_rate == 0.4
    customers = seg(
        purchases_per_year=purchases,
        goals=("retain", "acquire"),
        market=market,
        retention_rate=retention,
    )
    assert horizon_of(kb, customers) == horizon
    # a knowledge base without the rule keeps them by their goal
    without = kb._replace(horizon=kb.horizon._replace(transactional_max_retention_rate=None))
    assert horizon_of(without, customers) == "long_term"


@pytest.mark.parametrize("retention", [0.0, 0.3])
def test_free_users_stay_by_use_whatever_their_retention(
    kb: KnowledgeBase, retention: float
) -> None:
    # users who pay nothing buy nothing a year later: the retention rule is
    # about purchases, and they are kept by their use (retain_free_users)
    free = seg(purchases_per_year=0, spend_per_purchase=0, goals=("retain", "expand"))
    assert horizon_of(kb, dataclasses.replace(free, retention_rate=retention)) == "long_term"


def test_deterministic(kb: KnowledgeBase) -> None:
    assert rank(kb, context(kb, BASE)) == rank(kb, context(kb, BASE))
