"""Scoring: how well each relationship type suits a segment, and why.

``rank(kb, segment)`` scores every relationship type of the knowledge base as a
transparent weighted sum of named criteria (weights from the knowledge base),
each with a sentence a business owner understands. Pure and deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from .economics import break_even_retention_gain, segment_economics
from .figures import count, horizon_words, listing, money
from .model import (
    BookSize,
    Costing,
    Economics,
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
    #: units of the answers' currency per unit of the base's cost currency
    rate: float = 1.0
    economics: Economics | None = None
    #: the top of the segment's customer pyramid, planned apart: a top tier that is
    #: at most mix.top_tier_max_customers_share of the segment's customers
    top_tier: bool = False


def horizon_of(kb: KnowledgeBase, segment: Segment) -> str:
    """Transactional or long-term, from how often customers buy and what the goals are.

    Customers who buy often are a long-term relationship whatever the goal; below
    that rate, paying customers the answers say mostly leave within a year (a
    ``retention_rate`` of at most ``transactional_max_retention_rate``) are
    transactional whatever the goal; business customers who buy from
    ``b2b_repeat_purchases_per_year``, when given, are accounts (long-term); a
    goal to retain or expand makes it long-term when they buy at least now and then;
    with ``retain_free_users``, a goal to retain users who pay nothing makes it
    long-term at any purchase rate (they are kept by their use, not by purchases).
    """
    rule = kb.horizon
    buys = segment.purchases_per_year
    if buys >= rule.repeat_purchases_per_year:
        return "long_term"
    # users who pay nothing do not "buy a year later": their retention is use
    pays_nothing = buys == 0 or segment.spend_per_purchase == 0
    most_leave = rule.transactional_max_retention_rate
    if most_leave is not None and segment.retention_rate is not None and not pays_nothing:
        if segment.retention_rate <= most_leave:
            return "transactional"
    accounts = rule.b2b_repeat_purchases_per_year
    if accounts is not None and (segment.market or kb.defaults.market) == "b2b":
        if buys >= accounts:
            return "long_term"
    wants_more = any(goal in ("retain", "expand") for goal in segment.goals)
    if wants_more and buys >= rule.retention_min_purchases_per_year:
        return "long_term"
    if rule.retain_free_users and pays_nothing and "retain" in segment.goals:
        return "long_term"
    lead = rule.lead_goal_min_purchases_per_year
    if lead is not None and segment.goals[0] in ("retain", "expand") and buys >= lead:
        return "long_term"
    return "transactional"


def contact_factor(kb: KnowledgeBase, purchases_per_year: float) -> float:
    """How a customer's yearly contacts scale with how often they buy (1 at one purchase).

    Below one purchase a year, in proportion (never below min_contact_factor); above,
    as purchases ** contact_purchase_exponent: a regular asks more than a yearly
    buyer, but not at every visit.
    """
    rules = kb.scoring
    if purchases_per_year <= 1:
        return max(rules.min_contact_factor, purchases_per_year)
    return math.pow(purchases_per_year, rules.contact_purchase_exponent)


def context(
    kb: KnowledgeBase,
    segment: Segment,
    currency: str | None = None,
    *,
    rate: float = 1.0,
    discount_rate: float | None = None,
) -> Context:
    """Resolve a segment's optional answers with the knowledge base's defaults.

    ``rate`` converts the base's costs into the answers' currency (see
    economics.exchange_rate); ``discount_rate`` is the answers' own, if any.
    """
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
    market = segment.market or kb.defaults.market
    return Context(
        segment=segment,
        currency=currency or kb.defaults.currency,
        market=market,
        complexity=segment.complexity or kb.defaults.complexity,
        channels=segment.channels if segment.channels is not None else kb.defaults.channels,
        budget_share=budget_share,
        customer_value=value,
        budget_per_customer=per_customer,
        budget=per_customer * segment.customers,
        horizon=horizon_of(kb, segment),
        contact_factor=contact_factor(kb, segment.purchases_per_year),
        rate=rate,
        economics=segment_economics(kb, segment, market, discount_rate),
    )


class Terms(NamedTuple):
    """What an answers file says of money for all its segments: the currency, the
    rate its costs are converted at, and its own discount rate (None: the default)."""

    currency: str
    rate: float = 1.0
    discount_rate: float | None = None

    def context(self, kb: KnowledgeBase, segment: Segment) -> Context:
        """The segment's context under these terms."""
        return context(kb, segment, self.currency, rate=self.rate, discount_rate=self.discount_rate)


class TypeCost(NamedTuple):
    """A type's yearly cost for a segment (answers' currency) and the people it takes."""

    annual_cost: float
    people: float
    #: the part of annual_cost spent on live contacts (what deflection saves)
    contact_cost: float = 0.0


def book_size(book: BookSize, value: float, market: str, complexity: str) -> float:
    """Accounts one named person looks after (see BookSize); ``value`` in the base's currency."""
    if value <= 0:
        return book.maximum[market]
    accounts = book.reference_accounts[market] * math.pow(
        book.reference_value / value, book.exponent
    )
    accounts *= book.complexity_factor.get(complexity, 1.0)
    return min(book.maximum[market], max(book.minimum, accounts))


def delivered_by_own(rel_type: RelationshipType, ctx: Context, reached: float) -> float:
    """How many of the ``reached`` customers (a count) have the person who delivers
    the service as their named contact (``cost.own_delivery``): all of them when
    the segment meets them in person often enough and they fit in one named
    person's book (a small practice); beyond one book, fewer and fewer, none from
    two books on (2 x book - reached: no cliff at the book's edge); 0 when the
    type has no ``own_delivery`` or the segment does not meet customers in person."""
    if rel_type.cost.book_size is None:
        return 0.0
    return _own_customers(rel_type, ctx, reached, named_book(rel_type, ctx))


def _own_customers(rel_type: RelationshipType, ctx: Context, reached: float, book: float) -> float:
    """delivered_by_own, for a type whose named person's ``book`` is known."""
    own = rel_type.cost.own_delivery
    if own is None or "in_person" not in ctx.channels:
        return 0.0
    if ctx.segment.purchases_per_year < own.min_purchases_per_year:
        return 0.0
    return min(reached, max(0.0, 2 * book - reached))


def named_book(rel_type: RelationshipType, ctx: Context) -> float:
    """Accounts one named person looks after for this segment (its ``book_size``,
    from a customer's yearly value converted back to the base's currency)."""
    assert rel_type.cost.book_size is not None
    value = ctx.customer_value / ctx.rate
    return book_size(rel_type.cost.book_size, value, ctx.market, ctx.complexity)


def type_cost(rel_type: RelationshipType, ctx: Context, *, contact_share: float = 1.0) -> TypeCost:
    """A type's yearly cost for a segment and its people (the formula: knowledge/README.md).

    ``contact_share`` < 1 prices the type as a fallback that only part of the
    customers reach. Contacts follow purchases (contact_factor); a type with a
    counter price costs that where the segment meets customers in person;
    a named person who delivers the service in person costs only their added
    time for a small practice's customers (``own_delivery``, ``delivered_by_own``);
    beyond ``scale_from_customers`` per-customer costs grow sub-linearly; below
    ``small_plan_below`` the fixed cost shrinks (smaller plans of the same tools);
    people are fractional. Every amount of the base is converted at ``ctx.rate``.
    """
    cost = rel_type.cost
    reached = ctx.segment.customers * contact_share
    base = cost.contacts_per_customer_per_year.get(ctx.complexity, 0.0)
    contact_spend = reached * base * ctx.contact_factor * cost.cost_per_contact
    if cost.counter_cost_per_contact is not None:
        # a person's contacts spread over the formats used for this type. Those
        # in person come with visits (they grow with purchases) and cost only the
        # added time of the person who sells, who is there already; the others
        # are asked about the offer, not each purchase (at most the yearly rate)
        formats = [c for c in rel_type.fit.channels if c in ctx.channels] or ["phone"]
        counter = 1 / len(formats) if "in_person" in formats else 0.0
        per_customer = counter * ctx.contact_factor * cost.counter_cost_per_contact
        per_customer += (1 - counter) * min(1.0, ctx.contact_factor) * cost.cost_per_contact
        contact_spend = reached * base * per_customer
    variable = reached * cost.per_customer_per_year + contact_spend
    if cost.scale_from_customers and reached > cost.scale_from_customers:
        scale = cost.scale_from_customers
        variable *= scale * math.pow(reached / scale, cost.scale_exponent) / reached
    people = 0.0
    if cost.book_size is not None:
        # the person who delivers the service is the named contact of a small
        # practice's customers, for their added time; the others get named managers
        book = named_book(rel_type, ctx)
        own = _own_customers(rel_type, ctx, reached, book)
        added = cost.own_delivery.added_share if cost.own_delivery is not None else 1.0
        people = (reached - own + own * added) / book
    elif cost.free_members_per_person and ctx.customer_value <= 0:
        # members who pay nothing: volunteers among them moderate and answer
        people = reached / cost.free_members_per_person
    elif cost.accounts_per_person:
        people = reached / cost.accounts_per_person[ctx.market]
    fixed = cost.fixed_per_year
    if cost.small_plan_below and reached < cost.small_plan_below:
        # a segment with few customers runs on a smaller plan of the same tools
        fixed *= math.pow(max(reached, 1.0) / cost.small_plan_below, cost.small_plan_exponent)
    total = fixed + variable + people * cost.cost_per_person
    if cost.contact_staff_cost_per_person:
        people += contact_spend / cost.contact_staff_cost_per_person
    return TypeCost(total * ctx.rate, people, contact_spend * ctx.rate)


def segment_cost(rel_type: RelationshipType, ctx: Context, *, contact_share: float = 1.0) -> float:
    """A type's yearly cost for a segment, in a full role or as a fallback (``contact_share``)."""
    return type_cost(rel_type, ctx, contact_share=contact_share).annual_cost


def costing(rel_type: RelationshipType, ctx: Context) -> Costing:
    """What a type costs a segment a year, per customer, and whether the budget carries it."""
    total = segment_cost(rel_type, ctx)
    return Costing(
        annual_cost=total,
        cost_per_customer=total / ctx.segment.customers,
        affordable=total <= ctx.budget * (1 + 1e-9) + 1e-9,
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
        # a poor fit to a simple offer is more than it calls for, not too little
        "is more than an offer that needs {} explanation calls for"
        if ctx.complexity == "low"
        else "copes badly with an offer that needs {} explanation",
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
    if budget_pc <= 0:
        text = f"costs {money(per, cur)} per customer a year, with no budget for relationships"
    elif cost.affordable and ratio <= 0.5:
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
        gain = (
            break_even_retention_gain(ctx.economics, cost.cost_per_customer)
            if ctx.economics is not None
            else None
        )
        ranked = RankedType(rel_type.id, score, cost, reasons, gain)
        scored.append((-round(score, 9), position, ranked))
    scored.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in scored)
