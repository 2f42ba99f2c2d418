"""The recommended mix: roles, costs against the budget, warnings, tactics.

``make_plan(kb, answers)`` is the advisor's whole job as one pure function:
for each segment it ranks the relationship types (see scoring), picks one
primary the budget can carry, adds support types and a human fallback where
they fit and the budget allows, says what the budget cannot meet, and picks
tactics for every goal.
"""

from __future__ import annotations

from .figures import listing, money, share
from .model import (
    Answers,
    ChosenTactic,
    ExistingReview,
    KnowledgeBase,
    MixEntry,
    Plan,
    RankedType,
    SegmentPlan,
    Tactic,
)
from .scoring import Context, context, rank, segment_cost


def _ranked(ranking: tuple[RankedType, ...], type_id: str) -> RankedType:
    return next(r for r in ranking if r.type == type_id)


def _fit(ranked: RankedType, criterion: str) -> float:
    return next(r.fit for r in ranked.reasons if r.criterion == criterion)


def _channel_fit(ranked: RankedType) -> float:
    return _fit(ranked, "channels")


def _name(kb: KnowledgeBase, type_id: str) -> str:
    return kb.type(type_id).name


def _expectation_warnings(
    kb: KnowledgeBase,
    ctx: Context,
    ranking: tuple[RankedType, ...],
    primary: RankedType,
    mix: list[MixEntry],
) -> list[str]:
    seg = ctx.segment
    expected = _ranked(ranking, seg.expectation)
    name = _name(kb, expected.type)
    warnings = []
    if _channel_fit(expected) == 0.0:
        formats = listing(
            [kb.channels[c].title.lower() for c in kb.type(expected.type).fit.channels], "or"
        )
        warnings.append(
            f"'{seg.name}' expects {name.lower()}, which needs a format you do not use "
            f"({formats}); add one of them to offer it."
        )
    if not expected.costing.affordable:
        cur = ctx.currency
        cost = expected.costing
        revenue = ctx.customer_value * seg.customers
        needed_share = (
            f", {share(cost.annual_cost / revenue)} of the segment's revenue" if revenue > 0 else ""
        )
        warnings.append(
            f"'{seg.name}' expects {name.lower()}, but it would cost {money(cost.annual_cost, cur)} "
            f"a year ({money(cost.cost_per_customer, cur)} per customer) against a budget of "
            f"{money(ctx.budget, cur)} ({money(ctx.budget_per_customer, cur)} per customer). "
            f"It would take a budget of {money(cost.annual_cost, cur)}{needed_share}"
            + _instead(kb, primary, expected.type, mix)
        )
    return warnings


def _instead(kb: KnowledgeBase, primary: RankedType, expected: str, mix: list[MixEntry]) -> str:
    """The end of the expectation warning: what crstrat recommends instead."""
    if primary.type == expected:
        return "; nothing cheaper fits either, so crstrat keeps it (see below)."
    if not primary.costing.affordable:
        return "; no type fits this budget (see below)."
    text = f"; within this budget crstrat recommends {_name(kb, primary.type).lower()} instead"
    fallback = next((e for e in mix if e.type == expected and e.role == "fallback"), None)
    if fallback is not None:
        text += (
            f", with {_name(kb, expected).lower()} kept only as a fallback for the customers "
            f"{_name(kb, primary.type).lower()} alone will not help"
        )
    return text + "."


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


def plan_segment(kb: KnowledgeBase, ctx: Context, *, tactics: bool = True) -> SegmentPlan:
    """The recommendation for one segment (see the module docstring).

    ``tactics=False`` leaves the tactics out, for callers that only compare
    mixes (grading, what-if searches): picking them is a fifth of the work.
    """
    seg = ctx.segment
    cur = ctx.currency
    rules = kb.mix
    ranking = rank(kb, ctx)
    warnings: list[str] = []

    deliverable = [r for r in ranking if _channel_fit(r) > 0] or list(ranking)
    affordable = [r for r in deliverable if r.costing.affordable]
    # an offer that needs a lot of explanation gets a primary that copes with it,
    # when the budget carries one
    needed = rules.primary_min_complexity_fit.get(ctx.complexity, 0.0)
    coping = [r for r in affordable if _fit(r, "complexity") >= needed]
    gated = bool(coping) and coping[0] is not affordable[0]
    if gated:
        affordable = coping + [r for r in affordable if r not in coping]
    # customers worth so much that the most personal type costs a small share of
    # their budget get a personal primary, whatever low-touch one they expect
    most_personal = max(kb.types, key=lambda t: t.personal_touch)
    closest = _ranked(ranking, most_personal.id)
    valuable = (
        not gated
        and closest in affordable
        and closest.costing.annual_cost <= rules.personal_primary_max_cost_share * ctx.budget
    )
    personal = [
        r for r in affordable if kb.type(r.type).personal_touch >= rules.personal_primary_min_touch
    ]
    made_personal = valuable and bool(personal) and personal[0] is not affordable[0]
    if made_personal:
        affordable = personal + [r for r in affordable if r not in personal]
    if affordable:
        primary = affordable[0]
        best = ranking[0]
        why_primary = f"the best fit the budget carries (score {primary.score:.2f})"
        if gated:
            why_primary = (
                f"the best fit the budget carries that copes with an offer needing a lot of "
                f"explanation (score {primary.score:.2f})"
            )
        elif made_personal:
            why_primary = (
                f"customers worth this much deserve a personal relationship: "
                f"{most_personal.name.lower()} would take only "
                f"{share(closest.costing.annual_cost / ctx.budget)} of the budget "
                f"(score {primary.score:.2f})"
            )
        elif primary is not best and not best.costing.affordable:
            why_primary += (
                f"; {_name(kb, best.type).lower()} scores higher ({best.score:.2f}) "
                f"but costs {money(best.costing.annual_cost, cur)} a year"
            )
        elif primary is not best:
            why_primary = f"the best fit in the formats you use (score {primary.score:.2f})"
    else:
        primary = min(deliverable, key=lambda r: (r.costing.annual_cost, -r.score))
        why_primary = "the cheapest sensible option: no relationship type fits the budget"
        warnings.append(
            f"No relationship type fits the budget of {money(ctx.budget, cur)} a year "
            f"({money(ctx.budget_per_customer, cur)} per customer) for '{seg.name}'. The cheapest, "
            f"{_name(kb, primary.type).lower()}, costs {money(primary.costing.annual_cost, cur)} "
            f"({money(primary.costing.cost_per_customer, cur)} per customer); raise the budget "
            "to at least that, or raise what customers spend."
        )

    mix = [MixEntry(primary.type, "primary", primary.costing.annual_cost, why_primary)]
    remaining = ctx.budget - primary.costing.annual_cost

    # Automation alone can fail the customer: a mostly automated or self-service
    # relationship keeps a person behind it when the budget allows, so that
    # person's cost is set aside before any support type is considered.
    primary_type = kb.type(primary.type)
    fallback = kb.type(rules.fallback_type)
    reach = primary_type.fallback_share.get(ctx.complexity, 0.0)
    fallback_cost = segment_cost(fallback, ctx, contact_share=reach)
    fallback_ranked = _ranked(ranking, fallback.id)
    fallback_usable = _channel_fit(fallback_ranked) > 0.0
    needs_fallback = not primary_type.human
    reserve = (
        fallback_cost if needs_fallback and fallback_usable and fallback_cost <= remaining else 0.0
    )

    if affordable:
        for candidate in deliverable:
            if len(mix) - 1 >= rules.max_support:
                break
            if candidate is primary:
                continue
            human = kb.type(candidate.type).human
            # a person in a support role makes the reserved fallback unnecessary
            available = remaining - (0.0 if human else reserve)
            if (
                candidate.score >= rules.support_min_score
                and primary.score - candidate.score <= rules.support_max_gap
                and candidate.costing.annual_cost <= available
                and all(
                    reason.fit >= rules.support_min_fit.get(reason.criterion, 0.0)
                    for reason in candidate.reasons
                )
            ):
                mix.append(
                    MixEntry(
                        candidate.type,
                        "support",
                        candidate.costing.annual_cost,
                        (
                            f"scores {candidate.score:.2f}, close to the primary, and the "
                            "budget carries it"
                            if candidate.score <= primary.score
                            else f"scores {candidate.score:.2f} and the budget carries it, "
                            "beside the primary"
                        ),
                    )
                )
                remaining -= candidate.costing.annual_cost
                if human:
                    needs_fallback, reserve = False, 0.0

    if needs_fallback and affordable:
        if not fallback_usable:
            warnings.append(
                f"'{seg.name}' has no human fallback: {fallback.name.lower()} needs a format you do "
                "not use (phone, email, chat or in person). Automation alone can fail customers."
            )
        elif fallback_cost <= remaining:
            mix.append(
                MixEntry(
                    fallback.id,
                    "fallback",
                    fallback_cost,
                    f"a person for the {share(reach)} of customers that "
                    f"{primary_type.name.lower()} alone will not help; costs "
                    f"{money(fallback_cost, cur)} a year"
                    + (
                        ", within the budget although a person for every customer would not be"
                        if not fallback_ranked.costing.affordable
                        else ""
                    ),
                )
            )
        else:
            warnings.append(
                f"The budget leaves no room for a human fallback behind "
                f"{primary_type.name.lower()} for '{seg.name}': a person for the {share(reach)} of "
                f"customers it will not help would cost {money(fallback_cost, cur)} a year, "
                f"{money(fallback_cost - remaining, cur)} more than is left."
            )

    warnings[:0] = _expectation_warnings(kb, ctx, ranking, primary, mix)
    total = sum(entry.annual_cost for entry in mix)
    mix_types = [entry.type for entry in mix]
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
        ranking=ranking,
        mix=tuple(mix),
        total_annual_cost=total,
        tactics=_pick_tactics(kb, ctx, mix_types) if tactics else (),
        warnings=tuple(warnings),
        existing=existing,
    )


def make_plan(kb: KnowledgeBase, answers: Answers) -> Plan:
    """crstrat's recommendation for every segment of an answers file."""
    currency = answers.currency or kb.defaults.currency
    return Plan(
        company=answers.company,
        currency=currency,
        knowledge_base=kb.name,
        knowledge_sha256=kb.sha256,
        segments=tuple(
            plan_segment(kb, context(kb, segment, currency)) for segment in answers.segments
        ),
    )
