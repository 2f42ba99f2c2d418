"""Scoring: how well each relationship type suits a segment, and why.

``rank(kb, segment)`` scores every relationship type of the knowledge base as a
transparent weighted sum of named criteria (weights from the knowledge base),
each with a sentence a business owner understands. Pure and deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .figures import count, horizon_words, listing, money
from .model import (
    Costing,
    KnowledgeBase,
    RankedType,
    Reason,
    RelationshipType,
    Segment,
)


@dataclass(frozen=True)
class Context:
    """A segment with its defaults resolved and its derived figures computed."""

    segment: Segment
    currency: str
    market: str
    complexity: str
    channels: tuple[str, ...]
    budget_share: float | None
    customer_value: float
    budget_per_customer: float
    budget: float
    horizon: str
    contact_factor: float = 1.0


def horizon_of(kb: KnowledgeBase, segment: Segment) -> str:
    """Transactional or long-term, from how often customers buy and what the goals are.

    Customers who buy often are a long-term relationship whatever the goal; a
    goal to retain or expand makes it long-term when they buy at least now and then.
    """
    rule = kb.horizon
    buys = segment.purchases_per_year
    if buys >= rule.repeat_purchases_per_year:
        return "long_term"
    wants_more = any(goal in ("retain", "expand") for goal in segment.goals)
    if wants_more and buys >= rule.retention_min_purchases_per_year:
        return "long_term"
    lead = rule.lead_goal_min_purchases_per_year
    if lead is not None and segment.goals[0] in ("retain", "expand") and buys >= lead:
        return "long_term"
    return "transactional"


def context(kb: KnowledgeBase, segment: Segment, currency: str | None = None) -> Context:
    """Resolve a segment's optional answers with the knowledge base's defaults."""
    value = segment.customer_value
    budget_share = None
    if segment.budget_per_customer is not None:
        per_customer = segment.budget_per_customer
    else:
        market = segment.market or kb.defaults.market
        budget_share = (
            segment.budget_share
            if segment.budget_share is not None
            else kb.defaults.budget_share_by_market.get(market, kb.defaults.budget_share)
        )
        per_customer = budget_share * value
    return Context(
        segment=segment,
        currency=currency or kb.defaults.currency,
        market=segment.market or kb.defaults.market,
        complexity=segment.complexity or kb.defaults.complexity,
        channels=segment.channels if segment.channels is not None else kb.defaults.channels,
        budget_share=budget_share,
        customer_value=value,
        budget_per_customer=per_customer,
        budget=per_customer * segment.customers,
        horizon=horizon_of(kb, segment),
        # contacts follow purchases: a customer who buys every other year
        # contacts the company about half as often (never below the floor)
        contact_factor=max(kb.scoring.min_contact_factor, min(1.0, segment.purchases_per_year)),
    )


def annual_cost(
    rel_type: RelationshipType,
    customers: int,
    complexity: str,
    market: str,
    *,
    contact_share: float = 1.0,
    contact_factor: float = 1.0,
) -> float:
    """A type's yearly cost for a segment (see CostModel).

    ``contact_share`` < 1 prices the type as a fallback that only part of the
    customers reach: contacts and per-customer costs scale with it.
    ``contact_factor`` scales the contacts a customer makes a year (customers
    who buy less often than yearly contact the company less often).
    """
    cost = rel_type.cost
    contacts = cost.contacts_per_customer_per_year.get(complexity, 0.0) * contact_factor
    reached = customers * contact_share
    total = cost.fixed_per_year + reached * cost.per_customer_per_year
    total += reached * contacts * cost.cost_per_contact
    if cost.accounts_per_person:
        total += math.ceil(reached / cost.accounts_per_person[market]) * cost.cost_per_person
    return total


def segment_cost(rel_type: RelationshipType, ctx: Context, *, contact_share: float = 1.0) -> float:
    """A type's yearly cost for a segment, in a full role or as a fallback (``contact_share``)."""
    return annual_cost(
        rel_type,
        ctx.segment.customers,
        ctx.complexity,
        ctx.market,
        contact_share=contact_share,
        contact_factor=ctx.contact_factor,
    )


def costing(rel_type: RelationshipType, ctx: Context) -> Costing:
    """What a type costs a segment a year, per customer, and whether the budget carries it."""
    total = segment_cost(rel_type, ctx)
    return Costing(
        annual_cost=total,
        cost_per_customer=total / ctx.segment.customers,
        affordable=total <= ctx.budget + 1e-9,
    )


def _level(fit: float) -> int:
    return 2 if fit >= 0.75 else 1 if fit >= 0.4 else 0


def _say(fit: float, poor: str, partial: str, good: str, words: str) -> str:
    """The sentence for a fit (poor below 0.4, partial below 0.75, else good),
    with ``words`` in its ``{}``; only the chosen sentence is formatted."""
    return (poor, partial, good)[_level(fit)].format(words)


def _goal_words(goals: tuple[str, ...]) -> str:
    words = {"acquire": "acquire customers", "retain": "retain them", "expand": "expand sales"}
    return listing([words[g] for g in goals])


def _reasons(
    kb: KnowledgeBase, rel_type: RelationshipType, ctx: Context, cost: Costing
) -> tuple[Reason, ...]:
    seg = ctx.segment
    weights = kb.scoring.weights
    fit = rel_type.fit
    reasons: list[Reason] = []

    # expectation: the expected type itself, or how close this one is to it
    expected = kb.type(seg.expectation)
    if rel_type.id == expected.id:
        f, text = 1.0, "is what this segment expects"
    else:
        f = expected.similar.get(rel_type.id, 0.0)
        closeness = ["far from", "partly close to", "close to"][_level(f)]
        text = f"is {closeness} what this segment expects ({expected.name.lower()})"
    reasons.append(Reason("expectation", weights["expectation"], f, text))

    # goals: the first goal counts most
    order = kb.scoring.goal_order_weights
    used = [order[min(i, len(order) - 1)] for i in range(len(seg.goals))]
    total_weight = sum(used) or 1.0
    f = sum(w * fit.goals[g] for w, g in zip(used, seg.goals, strict=True)) / total_weight
    text = _say(
        f,
        "does little to {}",
        "helps in part to {}",
        "serves the goal to {} well",
        _goal_words(seg.goals),
    )
    reasons.append(Reason("goals", weights["goals"], f, text))

    # horizon
    f = fit.horizon[ctx.horizon]
    horizon = horizon_words(ctx.horizon)
    text = _say(
        f,
        "does not suit a {} relationship",
        "suits a {} relationship only in part",
        "suits a {} relationship",
        horizon,
    )
    reasons.append(Reason("horizon", weights["horizon"], f, text))

    # channels: the formats the company can interact in
    usable = [c for c in fit.channels if c in ctx.channels]
    needed = min(2, len(fit.channels)) or 1
    f = min(1.0, len(usable) / needed)
    titles = [kb.channels[c].title.lower() for c in usable]
    if f >= 1.0:
        text = f"can run on formats you use ({listing(titles)})"
    elif usable:
        text = f"has only one of the formats it works best in ({listing(titles)})"
    else:
        wanted = [kb.channels[c].title.lower() for c in fit.channels]
        text = f"needs a format you do not use ({listing(wanted, 'or')})"
    reasons.append(Reason("channels", weights["channels"], f, text))

    # complexity: how much explanation the offer needs
    f = fit.complexity[ctx.complexity]
    words = {"low": "little", "medium": "some", "high": "a lot of"}[ctx.complexity]
    text = _say(
        f,
        "copes badly with an offer that needs {} explanation",
        "copes in part with an offer that needs {} explanation",
        "suits an offer that needs {} explanation",
        words,
    )
    reasons.append(Reason("complexity", weights["complexity"], f, text))

    # market
    f = fit.market[ctx.market]
    market = kb.markets[ctx.market].title
    text = _say(
        f,
        "rarely fits {} customers",
        "fits {} customers in part",
        "fits {} customers",
        market,
    )
    reasons.append(Reason("market", weights["market"], f, text))

    # economics: what it costs against what a customer is worth
    per = cost.cost_per_customer
    budget_pc = ctx.budget_per_customer
    if budget_pc <= 0:
        ratio = math.inf if per > 0 else 0.0
    else:
        ratio = per / budget_pc
    mid, steep = kb.scoring.economics_midpoint, kb.scoring.economics_steepness
    try:
        f = 1.0 / (1.0 + (ratio / mid) ** steep)
    except OverflowError:  # a cost astronomically above the budget
        f = 0.0
    cur = ctx.currency
    figures = (
        f"{money(per, cur)} per customer a year against a budget of "
        f"{money(budget_pc, cur)} per customer"
    )
    if cost.affordable and ratio <= 0.5:
        text = f"costs {figures}: well within it"
    elif cost.affordable:
        text = f"costs {figures}: within it, but it takes most of it"
    else:
        text = f"costs {figures}: more than the budget carries"
    reasons.append(Reason("economics", weights["economics"], f, text))

    # scale: how many customers the type is built for
    customers = seg.customers
    lo, hi = fit.scale_min, fit.scale_max
    if lo <= customers <= hi:
        f, text = 1.0, f"works at the scale of {count(customers)} customers"
    else:
        decades = math.log10(lo / customers) if customers < lo else math.log10(customers / hi)
        f = max(0.0, 1.0 - kb.scoring.scale_penalty_per_decade * decades)
        if customers < lo:
            text = f"needs more customers than {count(customers)} (it works from about {count(lo)})"
        else:
            text = f"strains at {count(customers)} customers (it works up to about {count(hi)})"
    reasons.append(Reason("scale", weights["scale"], f, text))
    return tuple(reasons)


def rank(kb: KnowledgeBase, ctx: Context) -> tuple[RankedType, ...]:
    """Every relationship type of the knowledge base, scored and explained, best first.

    Ties keep the knowledge base's order, so the ranking is deterministic.
    """
    scored = []
    for position, rel_type in enumerate(kb.types):
        cost = costing(rel_type, ctx)
        reasons = _reasons(kb, rel_type, ctx, cost)
        score = min(1.0, max(0.0, sum(r.contribution for r in reasons)))
        scored.append((-round(score, 9), position, RankedType(rel_type.id, score, cost, reasons)))
    scored.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in scored)
