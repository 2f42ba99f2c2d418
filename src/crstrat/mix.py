"""The recommended mix: a decision a reader can follow in one pass.

``make_plan(kb, answers)`` is the advisor's whole job as one pure function. For
each segment (and, apart, for its top tier when it has one):

1. **Economics**: what a customer is worth over time (crstrat.economics).
2. **Candidates**: every type, scored and costed (crstrat.scoring), that can run
   in the formats the business uses and that customers want (co-creation and
   communities lead only for those who expect them).
3. **Constraints**, each named in the plan's steps when it narrows the
   candidates: within reach of the budget (costs are estimates, so a little over
   is a trade-off, not a wall; when nothing is, free customers get the best type
   that needs no staff per customer and paying ones the best fit among the
   cheapest, with a warning); then, each only while some candidates remain:
   pays for itself (break-even retention gain against the type's plausible
   effect; not for one-off customers the business does not aim to keep);
   copes with an offer that needs a lot of explanation, unless customers help
   themselves;
   a personal relationship for customers worth one many times over who ask for
   less; customers who help themselves get the type they expect when the budget
   carries it; a top tier gets the most personal type its budget carries.
4. **Choice**: the best choice score left is the primary (the score less a
   small penalty for going over the budget); supports that each do a job of
   their own and earn their place (already in place, a forum or social media
   the business hosts, close in score, or paying for themselves by deflecting live
   contacts); a human fallback where customers pay and it takes a share of the
   budget (itself a share of what they are worth) no larger than an unsolved
   problem with the offer is worth.

Every number comes from the knowledge base (knowledge/meta.yaml ``mix``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

from .economics import exchange_rate
from .figures import count, listing, money, points, share, share_or_times
from .model import (
    Answers,
    ChosenTactic,
    Economics,
    ExchangeRate,
    ExistingReview,
    KnowledgeBase,
    MixEntry,
    Plan,
    RankedType,
    RelationshipType,
    Segment,
    SegmentPlan,
    Staffing,
    Step,
    Tactic,
    TierPlan,
)
from .scoring import Context, Terms, context, delivered_by_own, rank, type_cost

Candidates = list[RankedType]


def _ranked(ranking: tuple[RankedType, ...], type_id: str) -> RankedType:
    return next(r for r in ranking if r.type == type_id)


def _fit(ranked: RankedType, criterion: str) -> float:
    return next(r.fit for r in ranked.reasons if r.criterion == criterion)


def _name(kb: KnowledgeBase, type_id: str) -> str:
    return kb.type(type_id).name


def _lower(kb: KnowledgeBase, type_id: str) -> str:
    return kb.type(type_id).name.lower()


# --------------------------------------------------------------------------- constraints
# Each takes the candidates (best score first) and returns those it keeps, with
# the sentence that says why; candidates are narrowed only while some remain.

Constraint = Callable[[KnowledgeBase, Context, Candidates], tuple[Candidates, str]]


def _reachable(kb: KnowledgeBase, ctx: Context, found: Candidates) -> Candidates:
    """The candidates costing at most ``over_budget_tolerance`` x the budget."""
    limit = kb.mix.over_budget_tolerance * ctx.budget
    return [r for r in found if r.costing.annual_cost <= limit + 1e-9]


def _within_reach(kb: KnowledgeBase, ctx: Context, found: Candidates) -> tuple[Candidates, str]:
    kept = _reachable(kb, ctx, found)
    over = share(kb.mix.over_budget_tolerance - 1)
    return kept, (
        f"within reach of the budget of {money(ctx.budget, ctx.currency)} a year (costs are "
        f"estimates, so up to {over} over it is a trade-off, not a wall): "
        f"{listing([_lower(kb, r.type) for r in kept])}"
    )


def retention_is_the_test(segment: Segment, horizon: str) -> bool:
    """Whether what a type adds to retention is a fair test of it for these customers:
    not for customers served one sale at a time (a transactional horizon) whom the
    business does not aim to keep (no goal to retain), a festival crowd or a tourist."""
    return horizon == "long_term" or "retain" in segment.goals


def _pays(kb: KnowledgeBase, ranked: RankedType) -> bool:
    """Whether a type pays for itself on retention: its break-even retention gain is at
    most ``break_even_effect_factor`` x the gain it plausibly brings."""
    gain = ranked.break_even_retention_gain
    limit = kb.mix.break_even_effect_factor * kb.type(ranked.type).retention_effect
    return gain is not None and gain <= limit


def _not_paying(kb: KnowledgeBase, ctx: Context, found: Candidates) -> Candidates:
    """The candidates that do not pay for themselves on retention while a cheaper one
    that serves the goals does; none without economics or ``break_even_effect_factor``."""
    if not kb.mix.break_even_effect_factor or ctx.economics is None:
        return []
    min_goals = kb.mix.support_min_fit.get("goals", 0.0)
    return [
        r
        for r in found
        if not _pays(kb, r)
        and any(
            _pays(kb, o)
            and o.costing.annual_cost < r.costing.annual_cost
            and _fit(o, "goals") >= min_goals
            for o in found
        )
    ]


def _pays_for_itself(kb: KnowledgeBase, ctx: Context, found: Candidates) -> tuple[Candidates, str]:
    if not retention_is_the_test(ctx.segment, ctx.horizon):
        return found, ""
    dropped = _not_paying(kb, ctx, found)
    factor = kb.mix.break_even_effect_factor
    texts = [
        f"{_lower(kb, r.type)} would pay for itself only if it kept "
        + (
            f"{points(r.break_even_retention_gain)} more customers in 100"
            if r.break_even_retention_gain is not None
            else "more customers than there are"
        )
        + f", more than {factor:g} times the {kb.type(r.type).retention_effect * 100:.0f} in 100 "
        "it plausibly keeps"
        for r in dropped
    ]
    return [r for r in found if r not in dropped], (
        "; ".join(texts) + ": a cheaper type that serves the goals comes first"
    )


def _copes_with_complexity(
    kb: KnowledgeBase, ctx: Context, found: Candidates
) -> tuple[Candidates, str]:
    needed = kb.mix.primary_min_complexity_fit.get(ctx.complexity, 0.0)
    if ctx.segment.expectation in kb.mix.self_directed_types:
        return found, ""  # customers who help themselves: documentation and forums serve them
    kept = [r for r in found if _fit(r, "complexity") >= needed]
    return kept, (
        "the offer needs a lot of explanation, so the primary must cope with it: "
        f"{listing([_lower(kb, r.type) for r in kept])}"
    )


def _helps_themselves(kb: KnowledgeBase, ctx: Context, found: Candidates) -> tuple[Candidates, str]:
    expected = next((r for r in found if r.type == ctx.segment.expectation), None)
    if (
        expected is None
        or expected.type not in kb.mix.self_directed_types
        or not expected.costing.affordable
    ):
        return found, ""
    return [expected], (
        f"customers who expect {_lower(kb, expected.type)} help themselves or take part "
        "(documentation, forums, contributions), and it fits the budget: they get what "
        "they expect"
    )


def _worth_a_person(kb: KnowledgeBase, ctx: Context, found: Candidates) -> tuple[Candidates, str]:
    rules = kb.mix
    most_personal = max(kb.types, key=lambda t: t.personal_touch)
    closest = next((r for r in found if r.type == most_personal.id), None)
    if (
        ctx.horizon != "long_term"  # a named person is a relationship over years
        or kb.type(ctx.segment.expectation).human  # they ask for a person already
        or closest is None
        or not closest.costing.affordable
        or _fit(closest, "scale") < 1.0  # ... for as many accounts as such teams serve
    ):
        return found, ""
    cost_share = closest.costing.annual_cost / ctx.budget if ctx.budget > 0 else 1.0
    if cost_share > rules.personal_primary_max_cost_share:
        return found, ""
    kept = [r for r in found if kb.type(r.type).personal_touch >= rules.personal_primary_min_touch]
    return kept, (
        f"customers worth this much deserve a personal relationship: "
        f"{most_personal.name.lower()} would take only {share(cost_share)} of the budget"
    )


def _known_by_name(kb: KnowledgeBase, ctx: Context, found: Candidates) -> tuple[Candidates, str]:
    if not ctx.top_tier:
        return found, ""
    paid = [r for r in found if r.costing.affordable]
    if not paid:
        return found, ""
    # less personal types give way; a more personal one a little over the budget
    # (within reach, like every candidate) stays for the choice to weigh
    touch = max(kb.type(r.type).personal_touch for r in paid)
    kept = [r for r in found if kb.type(r.type).personal_touch >= touch]
    return kept, (
        "the top of the customer pyramid gets the most personal type its budget carries: "
        f"{listing([_lower(kb, r.type) for r in kept])}"
    )


#: how the reasons of each step read in the primary's "why"
CONSTRAINT_WORDS = {
    "formats": "the formats you use",
    "budget": "the budget",
    "break_even": "what pays for itself",
    "complexity": "the explanation the offer needs",
    "expectation": "what customers who help themselves expect",
    "pyramid": "what the most valuable customers are worth",
    "value": "what these customers are worth",
    "involvement": "what customers want to take part in",
}

CONSTRAINTS: tuple[tuple[str, Constraint], ...] = (
    ("budget", _within_reach),
    ("break_even", _pays_for_itself),
    ("complexity", _copes_with_complexity),
    ("value", _worth_a_person),
    ("expectation", _helps_themselves),
    ("pyramid", _known_by_name),
)


# --------------------------------------------------------------------------- the choice


@dataclasses.dataclass
class _Choice:
    """The decision for one group of customers (a segment, or its top tier)."""

    ranking: tuple[RankedType, ...]
    mix: list[MixEntry]
    steps: list[Step]
    warnings: list[str]
    staffing: list[Staffing]
    out_of_reach: bool = False


def choice_score(kb: KnowledgeBase, ctx: Context, ranked: RankedType) -> float:
    """A candidate's score for the choice: its score less ``over_budget_penalty`` x
    the share by which it goes over the budget (with 0.1, 20% over gives up 0.02)."""
    if ctx.budget <= 0:
        return ranked.score
    over = max(0.0, ranked.costing.annual_cost / ctx.budget - 1)
    return ranked.score - kb.mix.over_budget_penalty * over


def _best(kb: KnowledgeBase, ctx: Context, found: Candidates) -> RankedType:
    """The primary among the candidates left: the best choice score (ties keep the
    ranking's order)."""
    return max(found, key=lambda r: choice_score(kb, ctx, r))


def _unwanted(kb: KnowledgeBase, ctx: Context) -> list[str]:
    """The ``wanted_only_types`` this segment does not expect."""
    return [t for t in kb.mix.wanted_only_types if t != ctx.segment.expectation]


def _wanted(
    kb: KnowledgeBase, ctx: Context, deliverable: Candidates, steps: list[Step]
) -> Candidates:
    """The candidates without the ``wanted_only_types`` the segment does not expect
    (all of them when nothing else is deliverable). Co-creation works only with
    customers who want a say, a community with customers who look for one
    another; the step is named when one would have been the best fit within
    reach of the budget."""
    unwanted = _unwanted(kb, ctx)
    wanted = [r for r in deliverable if r.type not in unwanted]
    if not wanted or len(wanted) == len(deliverable):
        return deliverable
    reachable = _reachable(kb, ctx, deliverable)
    best = _best(kb, ctx, reachable) if reachable else None
    if best is not None and best.type in unwanted:
        steps.append(
            Step(
                "involvement",
                f"{_lower(kb, best.type)} would be the best fit within reach of the budget, "
                "but it works only with customers who want it, and these expect "
                f"{_lower(kb, ctx.segment.expectation)}",
            )
        )
    return wanted


def _primary(kb: KnowledgeBase, ctx: Context, ranking: tuple[RankedType, ...]) -> _Choice:
    """Candidates, constraints and the choice of the primary."""
    steps: list[Step] = []
    warnings: list[str] = []
    deliverable = [r for r in ranking if _fit(r, "channels") > 0] or list(ranking)
    if len(deliverable) < len(ranking):
        left_out = [_lower(kb, r.type) for r in ranking if r not in deliverable]
        steps.append(
            Step(
                "formats",
                f"{listing(left_out)} left out: the business does not use the formats "
                f"{'they need' if len(left_out) > 1 else 'it needs'}",
            )
        )
    deliverable = _wanted(kb, ctx, deliverable, steps)
    found = deliverable
    for name, constraint in CONSTRAINTS:
        kept, why = constraint(kb, ctx, found)
        if name == "budget" and not kept:
            return _out_of_reach(kb, ctx, ranking, deliverable, steps)
        if kept and len(kept) < len(found):
            found = kept
            steps.append(Step(name, why))
    primary = _best(kb, ctx, found)
    cur = ctx.currency
    best = ranking[0]
    ruled = [CONSTRAINT_WORDS[s.step] for s in steps if s.step in CONSTRAINT_WORDS]
    if primary is best:
        basis = "the best fit"
        why = f"{basis} (score {primary.score:.2f})"
    else:
        basis = (
            f"the best fit once {listing(ruled) or 'the budget'} "
            f"{'are' if len(ruled) > 1 else 'is'} taken into account"
        )
        why = (
            f"{basis} (score {primary.score:.2f}); {_lower(kb, best.type)} scores {best.score:.2f}"
        )
    if not retention_is_the_test(ctx.segment, ctx.horizon) and primary in _not_paying(
        kb, ctx, _reachable(kb, ctx, deliverable)
    ):
        # the plan shows every type's break-even retention gain, and a cheaper type
        # would have won on it: say why it is not held against this one
        unused = (
            "; it would not pay for itself on retention, which is not what it is for with "
            "customers served one sale at a time whom the business does not aim to keep"
        )
        why, basis = why + unused, basis + unused
    if not primary.costing.affordable:
        over = primary.costing.annual_cost / ctx.budget - 1 if ctx.budget > 0 else 1.0
        costs = f"; it costs {share(over)} more than the budget"
        why, basis = why + costs, basis + costs
        warnings.append(
            f"{_name(kb, primary.type)} for '{ctx.segment.name}' costs "
            f"{money(primary.costing.annual_cost, cur)} a year, {share(over)} over the budget "
            f"of {money(ctx.budget, cur)}: the estimates are close enough to make it a "
            "trade-off, not a reason to give it up. Plan the budget at that figure."
        )
    steps.append(Step("primary", f"{_name(kb, primary.type)}: {why}"))
    mix = [_entry(kb, ctx, primary, "primary", why, basis)]
    return _Choice(ranking, mix, steps, warnings, [])


def _out_of_reach(
    kb: KnowledgeBase,
    ctx: Context,
    ranking: tuple[RankedType, ...],
    deliverable: Candidates,
    steps: list[Step],
) -> _Choice:
    """No type is within reach: free customers get the best type that needs no
    staff per customer; paying ones the best fit among the cheapest (costing at
    most ``over_budget_tolerance`` x the cheapest: costs are estimates), with the
    budget it would take."""
    cur = ctx.currency
    seg = ctx.segment
    scalable = [r for r in deliverable if not kb.type(r.type).human]
    if ctx.budget <= 0 and scalable:
        primary = scalable[0]
        free = ctx.customer_value <= 0
        who = "customers who pay nothing" if free else "with no budget, customers"
        basis = f"{who} get the best fit that needs no staff per customer"
        why = f"{basis} (score {primary.score:.2f})"
        cost = f"{_lower(kb, primary.type)} costs {money(primary.costing.annual_cost, cur)} a year"
        warning = (
            f"'{seg.name}' brings no revenue, so no relationship fits its budget: {cost}, "
            "paid for by the rest of the business model (customers who upgrade, "
            "advertisers, other segments)."
            if free
            else f"'{seg.name}' has no budget for relationships: {cost}; give it "
            "budget_share or budget_per_customer to plan within."
        )
    else:
        # costs are estimates: the types within the tolerance of the cheapest
        # cost about the same, and the best fit among them is the primary
        tolerance = kb.mix.over_budget_tolerance
        limit = tolerance * min(r.costing.annual_cost for r in deliverable)
        primary = max(
            (r for r in deliverable if r.costing.annual_cost <= limit),
            key=lambda r: (r.score, -r.costing.annual_cost),  # equal scores: the cheaper
        )
        among = (
            f"among the cheapest, those costing at most {share(tolerance - 1)} more than "
            "the cheapest"
            if tolerance > 1
            else "among the cheapest"
        )
        # a type that could lead and fits the budget, in formats the business does not use
        unwanted = _unwanted(kb, ctx)
        elsewhere = [
            r.type
            for r in ranking
            if r.costing.affordable and _fit(r, "channels") == 0 and r.type not in unwanted
        ]
        where = " in the formats the business uses" if elsewhere else ""
        lead = f"no relationship type{where} fits the budget; the best fit"
        basis = f"{lead} {among}"
        why = f"{lead} (score {primary.score:.2f}) {among}"
        ways = [
            f"{_lower(kb, t)} would, in "
            + listing([kb.channels[c].title.lower() for c in kb.type(t).fit.channels], "or")
            for t in elsewhere
        ]
        other = f" ({'; '.join(ways)}: name a format in channels to plan with it)" if ways else ""
        warning = (
            f"No relationship type{where} fits the budget of {money(ctx.budget, cur)} a year "
            f"({money(ctx.budget_per_customer, cur)} per customer) for '{seg.name}'{other}. "
            f"The best of the cheapest, {_lower(kb, primary.type)}, costs "
            f"{money(primary.costing.annual_cost, cur)} "
            f"({money(primary.costing.cost_per_customer, cur)} per customer); raise the budget "
            "to at least that, or raise what customers spend."
        )
    steps.append(Step("budget", "no type is within reach of the budget"))
    steps.append(Step("primary", f"{_name(kb, primary.type)}: {why}"))
    mix = [_entry(kb, ctx, primary, "primary", why, basis)]
    return _Choice(ranking, mix, steps, [warning], [], out_of_reach=True)


def _deflection_saving(kb: KnowledgeBase, ctx: Context, choice: _Choice, type_id: str) -> float:
    """What a type saves a year (answers' currency) by answering its ``deflection``
    share of the live contacts of the people already in the mix, after the share
    the supports already there answer (each takes its share of what is left)."""
    in_mix = [kb.type(e.type) for e in choice.mix if e.role != "fallback"]
    left = 1.0  # the share of live contacts the supports already in the mix leave
    for rel_type in in_mix:
        left *= 1 - rel_type.deflection
    spend = sum(type_cost(t, ctx).contact_cost for t in in_mix if t.human)
    return kb.type(type_id).deflection * left * spend


class _SupportReason(NamedTuple):
    """Why a support earns its place, as the opening of its reason: with its score
    figures (``why``) and without them (``basis``)."""

    why: str
    basis: str


def _earns_place(
    kb: KnowledgeBase, ctx: Context, choice: _Choice, candidate: RankedType, hosted: str | None
) -> _SupportReason | None:
    """Why a support type earns its place beside the mix so far: the business runs
    it already, or its score is close to the primary's, or the business hosts its
    customers in a format it runs in (``hosted``, from :func:`_hosted_format`: a
    forum or social media the answers name; each only when it scores at least
    ``support_min_score``), or the live contacts it answers save more than it costs
    (deflection). None when it does not; the first reason that holds is the one given."""
    primary = _ranked(choice.ranking, choice.mix[0].type)
    # a type that fits poorly earns its place only by paying for itself
    fits = candidate.score >= kb.mix.support_min_score
    if fits and candidate.type in ctx.segment.existing:
        return _SupportReason("is already in place, and ", "is already in place, and ")
    if fits and primary.score - candidate.score <= kb.mix.support_max_gap:
        if candidate.score > primary.score:
            return _SupportReason(f"scores {candidate.score:.2f} and ", "")
        return _SupportReason(
            f"scores {candidate.score:.2f}, close to the primary, and ",
            "is close to the primary, and ",
        )
    if fits and hosted is not None:
        runs = f"runs where your customers meet already ({kb.channels[hosted].title.lower()}), and "
        return _SupportReason(runs, runs)
    saving = _deflection_saving(kb, ctx, choice, candidate.type)
    if saving <= 0 or saving < candidate.costing.annual_cost:
        return None
    # paying for itself is the case for it, whatever its score: documentation
    # beside the engineers of a technical offer scores low on fit alone
    rate = share(kb.type(candidate.type).deflection)
    pays = (
        f"answers about {rate} of the live contacts instead of a person, saving "
        f"{money(saving, ctx.currency)} a year, more than it costs, and "
    )
    return _SupportReason(pays, pays)


def _new_named_formats(
    kb: KnowledgeBase, ctx: Context, choice: _Choice, rel_type: RelationshipType
) -> set[str]:
    """The formats ``rel_type`` runs in that the answers name (not the defaults) and
    no type of the mix uses yet."""
    used = {c for e in choice.mix for c in kb.type(e.type).fit.channels}
    return set(rel_type.fit.channels) & set(ctx.segment.channels or ()) - used


def _hosted_format(
    kb: KnowledgeBase, ctx: Context, choice: _Choice, rel_type: RelationshipType
) -> str | None:
    """A format of ``hosted_formats`` among :func:`_new_named_formats`; None when
    there is none."""
    new = _new_named_formats(kb, ctx, choice, rel_type)
    return next((c for c in kb.mix.hosted_formats if c in new), None)


def _opens_a_format(
    kb: KnowledgeBase, ctx: Context, choice: _Choice, rel_type: RelationshipType
) -> bool:
    """Whether the type runs in a format of :func:`_new_named_formats` that no person
    serves in: a forum the business runs is where its customers meet one another."""
    people = {c for t in kb.types if t.human for c in t.fit.channels}
    return bool(_new_named_formats(kb, ctx, choice, rel_type) - people)


def _supports(kb: KnowledgeBase, ctx: Context, choice: _Choice, reserve: float) -> None:
    """Add support types that each earn their place and do a job of their own."""
    rules = kb.mix
    remaining = ctx.budget - sum(e.annual_cost for e in choice.mix)
    jobs = {kb.type(e.type).job for e in choice.mix}
    for candidate in choice.ranking:
        supports = len(choice.mix) - 1
        if supports >= rules.max_support:
            break
        rel_type = kb.type(candidate.type)
        available = remaining - (0.0 if rel_type.human else reserve)
        extra = (
            rules.extra_support_min_fit
            if supports and not _opens_a_format(kb, ctx, choice, rel_type)
            else {}
        )
        hosted = _hosted_format(kb, ctx, choice, rel_type)
        least = rules.support_min_fit
        if hosted is not None:  # a forum hosts one-off buyers too
            least = {**least, **rules.hosted_support_min_fit}
        if (
            rel_type.job in jobs
            or _fit(candidate, "channels") == 0
            or candidate.costing.annual_cost > available
            or any(
                r.fit < max(least.get(r.criterion, 0.0), extra.get(r.criterion, 0.0))
                for r in candidate.reasons
            )
        ):
            continue
        place = _earns_place(kb, ctx, choice, candidate, hosted)
        if place is None:
            continue
        adds = f"adds {rel_type.job} within the budget left"
        choice.mix.append(
            _entry(kb, ctx, candidate, "support", place.why + adds, place.basis + adds)
        )
        remaining -= candidate.costing.annual_cost
        jobs.add(rel_type.job)
        if rel_type.human:
            reserve = 0.0


class _Fallback(NamedTuple):
    """The human fallback behind a primary that is not human: its cost and the verdict."""

    cost: float
    who: str  # the customers it is for, in words
    wanted: bool
    why: str
    #: no person can stand behind the primary although customers pay: a warning
    #: (a verdict on what a person is worth is a decision, given in the steps)
    unreachable: bool = False


def _fallback(kb: KnowledgeBase, ctx: Context, choice: _Choice) -> _Fallback:
    """Whether a person belongs behind the primary: customers who pay something,
    and a cost within the share of the budget (itself a share of what they are
    worth) that an unsolved problem with the offer is worth (more for complex
    offers: ``fallback_max_budget_share``)."""
    primary = kb.type(choice.mix[0].type)
    fallback = kb.type(kb.mix.fallback_type)
    reach = primary.fallback_share.get(ctx.complexity, 0.0)
    cost = type_cost(fallback, ctx, contact_share=reach).annual_cost
    cap = kb.mix.fallback_max_budget_share.get(ctx.complexity, 1.0)
    who = f"the {share(reach)} of customers {primary.name.lower()} alone will not help"
    cur = ctx.currency
    if ctx.customer_value <= 0:
        return _Fallback(
            cost, who, False, f"customers who pay nothing do not justify a person for {who}"
        )
    if ctx.budget <= 0:
        return _Fallback(cost, who, False, f"with no budget for relationships, no person for {who}")
    if _fit(_ranked(choice.ranking, fallback.id), "channels") == 0:
        return _Fallback(
            cost,
            who,
            False,
            f"{fallback.name.lower()} needs a format you do not use (phone, email, chat or "
            f"in person); {primary.name.lower()} alone can fail customers",
            unreachable=True,
        )
    taken = cost / ctx.budget
    if taken > cap:
        return _Fallback(
            cost,
            who,
            False,
            f"a person for {who} would cost {money(cost, cur)} a year, {share(taken)} of the "
            f"budget: more than the {share(cap)} an unsolved problem with this offer is worth",
        )
    # the yearly cost stands beside the mix entry: the reason gives the share
    return _Fallback(cost, who, True, f"a person for {who}, {share(taken)} of the budget")


def _human_backing(kb: KnowledgeBase, ctx: Context, choice: _Choice) -> None:
    """Supports, then the human fallback behind an automated or self-service primary."""
    if kb.type(choice.mix[0].type).human:
        _supports(kb, ctx, choice, reserve=0.0)
        return
    fallback = _fallback(kb, ctx, choice)
    primary_fits_budget = choice.mix[0].annual_cost <= ctx.budget
    _supports(kb, ctx, choice, fallback.cost if fallback.wanted and primary_fits_budget else 0.0)
    if any(kb.type(e.type).human for e in choice.mix):
        return  # a person in a support role stands behind the primary already
    remaining = ctx.budget - sum(e.annual_cost for e in choice.mix)
    why = fallback.why
    if fallback.wanted and fallback.cost <= remaining:
        choice.mix.append(MixEntry(kb.mix.fallback_type, "fallback", fallback.cost, why, why))
    elif fallback.wanted:
        why = (
            f"no room left for a person for {fallback.who}: one would cost "
            f"{money(fallback.cost, ctx.currency)} a year, "
            f"{money(fallback.cost - remaining, ctx.currency)} more than is left"
        )
    choice.steps.append(Step("fallback", why))
    if (fallback.wanted and choice.mix[-1].role != "fallback") or fallback.unreachable:
        choice.warnings.append(f"'{ctx.segment.name}' has no human fallback: {why}.")


def _staffing(kb: KnowledgeBase, ctx: Context, choice: _Choice) -> None:
    """The people each human type of the mix takes (fractional when part-time)."""
    primary = kb.type(choice.mix[0].type)
    for entry in choice.mix:
        rel_type = kb.type(entry.type)
        if not rel_type.human:
            continue
        reach = primary.fallback_share.get(ctx.complexity, 0.0) if entry.role == "fallback" else 1.0
        people = type_cost(rel_type, ctx, contact_share=reach).people
        customers = ctx.segment.customers * reach
        # customers / people, always (the contract's pair): for whoever delivers the
        # service, the customers a full-time person's hours would cover
        per_person = customers / people if people > 0 else customers
        choice.staffing.append(Staffing(entry.type, people, per_person))


def _entry(
    kb: KnowledgeBase, ctx: Context, ranked: RankedType, role: str, why: str, basis: str
) -> MixEntry:
    """A primary or support of the mix with its reason, as ``why`` (score figures
    included) and ``basis`` (without them: MixEntry); both say when whoever
    delivers the service is the customers' named contact already (``own_delivery``)."""
    rel_type = kb.type(ranked.type)
    own = rel_type.cost.own_delivery
    served = delivered_by_own(rel_type, ctx, ctx.segment.customers)  # 0 without own_delivery
    if own is not None and served:
        whom = (
            "each customer's named contact already"
            if served >= ctx.segment.customers
            else f"the named contact of {count(served)} of these customers already"
        )
        delivers = (
            f"; whoever delivers the service is {whom}, so it takes only "
            f"their added time, about {share(own.added_share)} of a named manager's time"
        )
        why, basis = why + delivers, basis + delivers
    return MixEntry(ranked.type, role, ranked.costing.annual_cost, why, basis)


def _decide(kb: KnowledgeBase, ctx: Context, *, stated: bool = True) -> _Choice:
    """Candidates, constraints, the primary, supports, fallback and staffing for ``ctx``.

    ``stated=False``: the expectation is crstrat's assumption (a top tier is planned
    as expecting the most personal type), not the customers' words, so the plan
    does not warn that it collides with the budget.
    """
    choice = _primary(kb, ctx, rank(kb, ctx))
    _human_backing(kb, ctx, choice)
    _staffing(kb, ctx, choice)
    if stated:
        choice.warnings[:0] = _expectation_warnings(kb, ctx, choice)
    return choice


# --------------------------------------------------------------------------- warnings


def _expectation_warnings(kb: KnowledgeBase, ctx: Context, choice: _Choice) -> list[str]:
    """Where what the segment expects collides with the formats it uses or with its
    budget; not when the expected type is the primary within reach of the budget
    (a trade-off the primary's own warning states, with the figure)."""
    seg = ctx.segment
    expected = _ranked(choice.ranking, seg.expectation)
    name = _lower(kb, expected.type)
    warnings = []
    if _fit(expected, "channels") == 0.0:
        formats = listing(
            [kb.channels[c].title.lower() for c in kb.type(expected.type).fit.channels], "or"
        )
        warnings.append(
            f"'{seg.name}' expects {name}, which needs a format you do not use "
            f"({formats}); add one of them to offer it."
        )
    # kept as the primary a little over the budget, it is a trade-off the primary's
    # own warning gives with the figure, not a collision to report twice
    traded_off = choice.mix[0].type == expected.type and bool(_reachable(kb, ctx, [expected]))
    if not expected.costing.affordable and not traded_off:
        cur = ctx.currency
        cost = expected.costing
        revenue = ctx.customer_value * seg.customers
        needed_share = ""
        if revenue > 0:
            taken = cost.annual_cost / revenue
            needed_share = f", {share_or_times(taken)}{' of' if taken < 2 else ''} the revenue"
        against = (
            f"against a budget of {money(ctx.budget, cur)} "
            f"({money(ctx.budget_per_customer, cur)} per customer)"
            if ctx.budget > 0
            else "with no budget for relationships"
        )
        warnings.append(
            f"'{seg.name}' expects {name}, but it would cost {money(cost.annual_cost, cur)} "
            f"a year ({money(cost.cost_per_customer, cur)} per customer) {against}. "
            f"It would take a budget of {money(cost.annual_cost, cur)}{needed_share}"
            + _instead(kb, choice, expected.type)
        )
    return warnings


def _instead(kb: KnowledgeBase, choice: _Choice, expected: str) -> str:
    """The end of the expectation warning: what crstrat recommends instead."""
    primary = choice.mix[0].type
    if primary == expected:
        return "; crstrat keeps it as the primary all the same (see below)."
    if choice.out_of_reach:
        return "; no type fits this budget (see below)."
    text = f"; within this budget crstrat recommends {_lower(kb, primary)} instead"
    if any(e.type == expected and e.role == "fallback" for e in choice.mix):
        text += (
            f", with {_lower(kb, expected)} kept for the customers "
            f"{_lower(kb, primary)} alone will not help"
        )
    return text + "."


def _economics_warnings(kb: KnowledgeBase, ctx: Context, economics: Economics) -> list[str]:
    """Acquisition against lifetime value, by the usual rules of thumb (David Skok)."""
    assert kb.economics is not None
    rules = kb.economics
    cur = ctx.currency
    name = ctx.segment.name
    warnings = []
    if economics.ltv_to_cac is not None and economics.ltv_to_cac < rules.min_ltv_to_cac:
        warnings.append(
            f"Winning a customer in '{name}' costs {money(economics.acquisition_cost or 0, cur)}, "
            f"and one is worth {money(economics.customer_lifetime_value, cur)} in margin over "
            f"their lifetime: LTV:CAC {economics.ltv_to_cac:.1f}:1, below the "
            f"{rules.min_ltv_to_cac:g}:1 that David Skok's rule of thumb asks for. Spend less "
            "on winning customers, or keep them longer."
        )
    if economics.payback_months is not None and economics.payback_months > rules.max_payback_months:
        warnings.append(
            f"A new customer in '{name}' takes {economics.payback_months:.0f} months of margin "
            f"to pay back what winning them cost, beyond the {rules.max_payback_months:g} months "
            "of the usual rule of thumb (David Skok)."
        )
    return warnings


def _economics_step(ctx: Context, economics: Economics) -> Step:
    cur = ctx.currency
    defaulted = (
        f"; the usual figures for {listing([k.replace('_', ' ') for k in economics.defaulted])}"
        if economics.defaulted
        else ""
    )
    return Step(
        "economics",
        f"a customer brings {money(economics.margin_per_customer, cur)} of margin a year and "
        f"is worth {money(economics.customer_lifetime_value, cur)} over their lifetime "
        f"(gross margin {share(economics.gross_margin)}, retention "
        f"{share(economics.retention_rate)}, discount rate {share(economics.discount_rate)}"
        f"{defaulted})",
    )


# --------------------------------------------------------------------------- tactics


def _pick_tactics(
    kb: KnowledgeBase, ctx: Context, mix_types: list[str]
) -> tuple[ChosenTactic, ...]:
    """For each goal, the tactics that best fit the mix and the formats available."""
    per_goal = kb.mix.tactics_per_goal
    chosen: list[ChosenTactic] = []
    taken: set[str] = set()

    def fit(tactic: Tactic) -> int:
        primary_bonus = 2 if mix_types and mix_types[0] in tactic.types else 0
        return primary_bonus + sum(1 for t in mix_types[1:] if t in tactic.types)

    for goal in ctx.segment.goals:
        candidates = [
            t
            for t in kb.tactics
            if goal in t.goals
            and t.id not in taken
            and (not t.channels or any(c in ctx.channels for c in t.channels))
        ]
        # best fit to the mix first; among equals the more specific tactic (made
        # for fewer types) first, then the knowledge base's order (a stable sort)
        fits = {t.id: fit(t) for t in candidates}
        candidates.sort(key=lambda t: (-fits[t.id], len(t.types) or len(kb.types)))
        picked = [t for t in candidates if fits[t.id] > 0][:per_goal] or candidates[:per_goal]
        for tactic in picked:
            taken.add(tactic.id)
            chosen.append(ChosenTactic(tactic, goal))
    return tuple(chosen)


# --------------------------------------------------------------------------- segments


def tier_segments(kb: KnowledgeBase, segment: Segment) -> tuple[Segment, Segment] | None:
    """The segment split into (the rest, the top tier), or None without a top tier.

    The top tier has round(customers x customers_share) customers (at least 1) and
    revenue x revenue_share; each part's spend per purchase is set so that its
    yearly value per customer is its share of revenue over its customers. The top
    tier is singled out to be known by name: it is planned as expecting the base's
    most personal type, and its budget decides what it gets.
    """
    tier = segment.top_tier
    if tier is None or segment.customers < 2:
        return None
    top = min(segment.customers - 1, max(1, round(segment.customers * tier.customers_share)))
    revenue = segment.customer_value * segment.customers
    buys = segment.purchases_per_year

    def part(customers: int, revenue_part: float) -> Segment:
        spend = revenue_part / customers / buys if buys > 0 else 0.0
        return dataclasses.replace(
            segment, customers=customers, spend_per_purchase=spend, top_tier=None
        )

    most_personal = max(kb.types, key=lambda t: t.personal_touch).id
    rest = part(segment.customers - top, revenue * (1 - tier.revenue_share))
    best = part(top, revenue * tier.revenue_share)
    return rest, dataclasses.replace(best, expectation=most_personal)


def plan_segment(kb: KnowledgeBase, ctx: Context, *, tactics: bool = True) -> SegmentPlan:
    """The recommendation for one segment (see the module docstring).

    ``tactics=False`` leaves the tactics out, for callers that only compare
    mixes (grading, what-if searches): picking them is a fifth of the work.
    """
    seg = ctx.segment
    economics = ctx.economics
    split = tier_segments(kb, seg)
    top_tier = None
    if split is None:
        choice = _decide(kb, ctx)
        mix_customers = seg.customers
    else:
        rest, top = split
        choice = _decide(kb, _part_context(kb, ctx, rest))
        pyramid = top.customers <= kb.mix.top_tier_max_customers_share * seg.customers
        tier_ctx = dataclasses.replace(_part_context(kb, ctx, top), top_tier=pyramid)
        tier_choice = _decide(kb, tier_ctx, stated=False)
        top_tier = TierPlan(
            customers=top.customers,
            customer_value=top.customer_value,
            budget=tier_ctx.budget,
            ranking=tier_choice.ranking,
            mix=tuple(tier_choice.mix),
            total_annual_cost=sum(e.annual_cost for e in tier_choice.mix),
            staffing=tuple(tier_choice.staffing),
            warnings=tuple(tier_choice.warnings),
        )
        mix_customers = rest.customers
    steps = ([_economics_step(ctx, economics)] if economics else []) + choice.steps
    warnings = choice.warnings + (_economics_warnings(kb, ctx, economics) if economics else [])
    if top_tier is not None:
        warnings += [f"Top tier: {w}" for w in top_tier.warnings]
    mix_types = [entry.type for entry in choice.mix]
    if top_tier is not None:
        mix_types += [e.type for e in top_tier.mix if e.type not in mix_types]
    existing = ExistingReview(
        keep=tuple(t for t in seg.existing if t in mix_types),
        add=tuple(t for t in mix_types if t not in seg.existing),
        drop=tuple(t for t in seg.existing if t not in mix_types),
    )
    return SegmentPlan(
        segment=seg,
        market=ctx.market,
        complexity=ctx.complexity,
        channels=ctx.channels,
        budget_share=ctx.budget_share,
        horizon=ctx.horizon,
        customer_value=ctx.customer_value,
        budget=ctx.budget,
        budget_per_customer=ctx.budget_per_customer,
        ranking=choice.ranking,
        mix=tuple(choice.mix),
        total_annual_cost=sum(entry.annual_cost for entry in choice.mix),
        tactics=_pick_tactics(kb, ctx, mix_types) if tactics else (),
        warnings=tuple(warnings),
        existing=existing,
        economics=economics,
        staffing=tuple(choice.staffing),
        top_tier=top_tier,
        steps=tuple(steps),
        mix_customers=mix_customers,
    )


def _part_context(kb: KnowledgeBase, ctx: Context, part: Segment) -> Context:
    """The context of a part of a segment: its customers, value, budget and economics.

    A budget given per customer is the segment's: it is shared between the parts
    in proportion to their revenue, as a budget share is.
    """
    discount = ctx.economics.discount_rate if ctx.economics else None
    sub = context(kb, part, ctx.currency, rate=ctx.rate, discount_rate=discount)
    budget = sub.budget
    revenue = ctx.customer_value * ctx.segment.customers
    if ctx.segment.budget_per_customer is not None and revenue > 0:
        budget = ctx.budget * sub.customer_value * part.customers / revenue
    return dataclasses.replace(
        ctx,
        segment=part,
        customer_value=sub.customer_value,
        budget_per_customer=budget / part.customers,
        budget=budget,
        economics=sub.economics,
    )


def answers_terms(kb: KnowledgeBase, answers: Answers) -> Terms:
    """The money terms of an answers file: its currency, the rate the base's costs are
    converted at, and its discount rate. Raises InputError for a currency with no rate."""
    return _terms(kb, answers, exchange_rate(kb, answers))


def _terms(kb: KnowledgeBase, answers: Answers, rate: ExchangeRate) -> Terms:
    """answers_terms, with the exchange rate already looked up."""
    return Terms(answers.currency or kb.defaults.currency, rate.rate, answers.discount_rate)


def segment_context(kb: KnowledgeBase, answers: Answers, segment: Segment) -> Context:
    """A segment of the answers with its defaults, currency and discount rate resolved."""
    return answers_terms(kb, answers).context(kb, segment)


def make_plan(kb: KnowledgeBase, answers: Answers) -> Plan:
    """crstrat's recommendation for every segment of an answers file.

    Raises InputError when the answers' currency has no known rate (see
    economics.exchange_rate).
    """
    rate = exchange_rate(kb, answers)
    terms = _terms(kb, answers, rate)
    return Plan(
        company=answers.company,
        currency=terms.currency,
        knowledge_base=kb.name,
        knowledge_sha256=kb.sha256,
        segments=tuple(plan_segment(kb, terms.context(kb, s)) for s in answers.segments),
        exchange_rate=rate,
    )
