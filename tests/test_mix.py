"""The mix: one primary within budget, support and fallback roles, warnings, tactics."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from crstrat.answers import validate_answers
from crstrat.figures import listing
from crstrat.mix import make_plan, retention_is_the_test
from crstrat.model import Answers, KnowledgeBase, Segment, SegmentPlan, TopTier

MASS = Segment(
    name="Travellers",
    expectation="personal_assistance",
    goals=("retain", "expand"),
    customers=3_000_000,
    purchases_per_year=1.5,
    spend_per_purchase=60,
    budget_share=0.03,
    channels=("app", "web", "email", "chat"),
)


def plan_for(kb: KnowledgeBase, segment: Segment) -> SegmentPlan:
    return make_plan(kb, Answers(segments=(segment,), company="X")).segments[0]


def test_unaffordable_expectation_is_warned_with_the_figure(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, MASS)
    expected = plan.ranked("personal_assistance")
    assert not expected.costing.affordable
    assert plan.primary != "personal_assistance"
    assert plan.ranked(plan.primary).costing.affordable
    (warning,) = [w for w in plan.warnings if "expects" in w]
    assert f"{expected.costing.annual_cost:,.0f}" in warning
    assert kb.type(plan.primary).name.lower() in warning
    assert plan.total_annual_cost <= plan.budget


def test_affordable_expectation_is_followed_without_warning(kb: KnowledgeBase) -> None:
    plan = plan_for(
        kb,
        dataclasses.replace(
            MASS, customers=2000, spend_per_purchase=400, budget_share=0.1, complexity="high"
        ),
    )
    assert plan.primary == "personal_assistance"
    assert not plan.warnings


def test_automated_primary_keeps_a_human_fallback(kb: KnowledgeBase) -> None:
    plan = plan_for(
        kb, dataclasses.replace(MASS, expectation="automated_services", budget_share=0.1)
    )
    assert plan.primary == "automated_services"
    roles = {e.type: e.role for e in plan.mix}
    assert roles.get("personal_assistance") in ("fallback", "support")
    fallback = next(e for e in plan.mix if e.type == "personal_assistance")
    # only the share of customers automation does not help reaches the fallback
    assert fallback.annual_cost < plan.ranked("personal_assistance").costing.annual_cost


def test_no_room_for_a_fallback_is_said(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, dataclasses.replace(MASS, budget_per_customer=2.0))
    assert plan.primary in ("automated_services", "self_service")
    assert all(kb.type(e.type).human is False for e in plan.mix)
    # a person for the customers automation will not help would take too much of
    # this budget: the plan says so in its steps, with the figure
    (step,) = [s for s in plan.steps if s.step == "fallback"]
    assert "would cost" in step.text and "of the budget" in step.text
    assert plan.total_annual_cost <= plan.budget


def test_without_a_person_format_only_paying_customers_are_warned(kb: KnowledgeBase) -> None:
    # no phone, email, chat or in person: no person can stand behind the primary
    online = ("web", "app", "forum")
    paying = segment("Members", "self_service", customers=200_000, spend_per_purchase=5)
    plan = plan_for(kb, dataclasses.replace(paying, channels=online))
    primary = kb.type(plan.primary)
    assert not primary.human and all(not kb.type(e.type).human for e in plan.mix)
    (warning,) = [w for w in plan.warnings if "no human fallback" in w]
    assert f"{primary.name.lower()} alone can fail customers" in warning
    # free members: no person is a decision the steps explain, not a warning
    free = dataclasses.replace(paying, channels=online, purchases_per_year=0, spend_per_purchase=0)
    plan = plan_for(kb, dataclasses.replace(free, budget_per_customer=0.05))
    assert not [w for w in plan.warnings if "no human fallback" in w]
    (step,) = [s for s in plan.steps if s.step == "fallback"]
    assert "customers who pay nothing" in step.text


def test_paying_customers_without_a_budget_are_not_called_free(kb: KnowledgeBase) -> None:
    buyers = segment("Buyers", "self_service", purchases_per_year=1, spend_per_purchase=80)
    plan = plan_for(kb, dataclasses.replace(buyers, budget_per_customer=0, channels=("web",)))
    said = " ".join([*plan.warnings, *(s.text for s in plan.steps), plan.mix[0].why])
    assert "pay nothing" not in said and "no revenue" not in said
    assert any("no budget for relationships" in w for w in plan.warnings)
    (step,) = [s for s in plan.steps if s.step == "fallback"]
    assert "no budget for relationships" in step.text


def test_nothing_affordable_prefers_a_fit_to_a_slightly_cheaper_misfit(kb: KnowledgeBase) -> None:
    """Costs are estimates: a type a few per cent dearer than the cheapest but a
    far better fit is the primary (payers expecting a person, at two rupees a
    year: not co-creation because it is 9% cheaper than self-service)."""
    payers = dataclasses.replace(
        MASS,
        expectation="personal_assistance",
        goals=("retain",),
        customers=80_000_000,
        purchases_per_year=30,
        spend_per_purchase=0.006,
        budget_per_customer=0.024,
        complexity="low",
        channels=("app", "chat", "email", "social_media"),
    )
    plan = plan_for(kb, payers)
    by_type = {r.type: r for r in plan.ranking}
    assert not any(r.costing.affordable for r in plan.ranking)
    cheapest = min(plan.ranking, key=lambda r: r.costing.annual_cost)
    assert cheapest.type != plan.primary
    assert by_type[plan.primary].score > cheapest.score
    tolerance = kb.mix.over_budget_tolerance
    assert by_type[plan.primary].costing.annual_cost <= tolerance * cheapest.costing.annual_cost
    assert any("No relationship type fits the budget" in w for w in plan.warnings)


def test_channels_decide_what_can_be_delivered(kb: KnowledgeBase) -> None:
    plan = plan_for(
        kb,
        dataclasses.replace(MASS, expectation="communities", channels=("phone",), budget_share=0.2),
    )
    assert "communities" not in [e.type for e in plan.mix]
    assert any("format you do not use" in w for w in plan.warnings)


def test_existing_types_keep_add_drop(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, dataclasses.replace(MASS, existing=("personal_assistance", "self_service")))
    mix = [e.type for e in plan.mix]
    assert set(plan.existing.keep) == {"personal_assistance", "self_service"} & set(mix)
    assert set(plan.existing.add) == set(mix) - {"personal_assistance", "self_service"}
    assert set(plan.existing.drop) == {"personal_assistance", "self_service"} - set(mix)


def test_tactics_for_every_goal_and_the_mix(kb: KnowledgeBase) -> None:
    for goals in (("acquire",), ("retain", "expand"), ("expand", "acquire", "retain")):
        plan = plan_for(kb, dataclasses.replace(MASS, goals=goals))
        assert {c.goal for c in plan.tactics} == set(goals)
        assert len({c.tactic.id for c in plan.tactics}) == len(plan.tactics)
        mix = {e.type for e in plan.mix}
        assert any(mix & set(c.tactic.types) for c in plan.tactics)


def test_tactics_need_an_available_channel(kb: KnowledgeBase) -> None:
    plan = plan_for(
        kb,
        dataclasses.replace(
            MASS,
            goals=("acquire",),
            channels=("in_person",),
            expectation="personal_assistance",
            customers=500,
            spend_per_purchase=500,
        ),
    )
    for chosen in plan.tactics:
        assert not chosen.tactic.channels or "in_person" in chosen.tactic.channels


def segment(name: str, expectation: str, **fields: object) -> Segment:
    """A segment buying 12 times a year, with the fields given."""
    base: dict[str, object] = {"goals": ("retain",), "customers": 3000, "purchases_per_year": 12}
    return Segment(name=name, expectation=expectation, **{**base, **fields})  # type: ignore[arg-type]


DEVELOPERS = segment(
    "Developers",
    "self_service",
    goals=("acquire", "retain"),
    customers=80_000,
    spend_per_purchase=20,
    market="b2b",
    complexity="high",
    channels=("web", "forum", "email"),
)


def test_customers_who_help_themselves_get_what_they_expect(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, DEVELOPERS)
    best = plan.ranking[0]
    assert best.type != "self_service"  # another type scores a little higher ...
    assert plan.primary == "self_service"  # ... but developers who read the docs get them
    assert any(s.step == "expectation" for s in plan.steps)
    # beyond the budget's reach the expectation step does not apply: only
    # co-creation is within reach, which developers who expect docs do not want,
    # so nothing they want fits and the plan says so
    poor = plan_for(kb, dataclasses.replace(DEVELOPERS, budget_per_customer=1.0))
    tolerance = kb.mix.over_budget_tolerance
    assert poor.ranked("self_service").costing.annual_cost > tolerance * poor.budget
    assert not any(s.step == "expectation" for s in poor.steps)
    assert any("No relationship type fits the budget" in w for w in poor.warnings)


def _players(share: float) -> Segment:
    return segment(
        "Players",
        "automated_services",
        goals=("retain", "expand"),
        customers=600_000,
        purchases_per_year=8,
        spend_per_purchase=12,
        budget_share=0.1,
        complexity="low",
        channels=("app", "email", "chat"),
        top_tier=TopTier(customers_share=share, revenue_share=0.5),
    )


def test_the_top_of_the_pyramid_gets_the_most_personal_type_it_can_pay(
    kb: KnowledgeBase,
) -> None:
    plan = plan_for(kb, _players(0.01))  # 6,000 players bring half the revenue
    assert plan.top_tier is not None
    primary = plan.top_tier.mix[0].type
    affordable = [r for r in plan.top_tier.ranking if r.costing.affordable]
    most = max(kb.type(r.type).personal_touch for r in affordable)
    assert kb.type(primary).personal_touch == most
    assert primary != plan.top_tier.ranking[0].type  # not simply the best score


def test_a_tier_of_half_the_customers_is_planned_by_score_without_warnings(
    kb: KnowledgeBase,
) -> None:
    plan = plan_for(kb, _players(0.5))  # a membership level, not the top of a pyramid
    assert plan.top_tier is not None
    assert plan.top_tier.mix[0].type == plan.top_tier.ranking[0].type
    # the tier "expects" the most personal type by crstrat's assumption: no collision warning
    assert not any("expects" in w for w in plan.top_tier.warnings)


def test_a_type_already_in_place_is_kept_when_it_costs_little(kb: KnowledgeBase) -> None:
    teams = segment(
        "Teams",
        "personal_assistance",
        goals=("retain", "expand"),
        spend_per_purchase=400,
        market="b2b",
        channels=("web", "app", "email", "chat", "phone"),
    )
    fresh = plan_for(kb, teams)
    assert "self_service" not in [e.type for e in fresh.mix]
    kept = plan_for(kb, dataclasses.replace(teams, existing=("self_service",)))
    entry = next(e for e in kept.mix if e.type == "self_service")
    assert entry.role == "support" and "already in place" in entry.why
    assert kept.existing.keep == ("self_service",)


def test_communities_can_meet_in_person(kb: KnowledgeBase) -> None:
    club = segment("Readers", "communities", spend_per_purchase=20, channels=("in_person",))
    plan = plan_for(kb, club)
    fit = next(r for r in plan.ranked("communities").reasons if r.criterion == "channels")
    assert fit.fit > 0


def test_a_forum_the_business_names_brings_its_community(kb: KnowledgeBase) -> None:
    # developers who expect documentation: communities is far from that (0.3), so a
    # second support needs a reason of its own: the forum the business says it runs
    named = plan_for(kb, DEVELOPERS)
    assert [e.type for e in named.mix][:3] == ["self_service", "automated_services", "communities"]
    without = plan_for(kb, dataclasses.replace(DEVELOPERS, channels=("web", "email")))
    assert "communities" not in [e.type for e in without.mix]
    defaults = plan_for(kb, dataclasses.replace(DEVELOPERS, channels=None))  # not named
    assert "communities" not in [e.type for e in defaults.mix]


def test_the_pyramid_keeps_a_named_manager_a_little_over_the_tier_budget(
    kb: KnowledgeBase,
) -> None:
    shops = segment(
        "Shops",
        "personal_assistance",
        market="b2b",
        customers=200,
        purchases_per_year=4,
        spend_per_purchase=500,
        channels=("phone", "email", "video"),
        top_tier=TopTier(customers_share=0.1, revenue_share=0.4),
    )
    tier = plan_for(kb, shops).top_tier
    assert tier is not None
    named = next(r for r in tier.ranking if r.type == "dedicated_personal_assistance")
    assert tier.budget < named.costing.annual_cost <= 1.3 * tier.budget  # 16,224 against 16,000
    assert tier.mix[0].type == "dedicated_personal_assistance"  # a trade-off, not a wall


def test_in_person_alone_does_not_open_a_second_support(kb: KnowledgeBase) -> None:
    # a shop that names in person: people serve there, so a community far from what
    # customers expect needs the usual closeness to join as a second support
    shop = segment(
        "Shoppers",
        "self_service",
        goals=("retain", "expand"),
        customers=50_000,
        spend_per_purchase=30,
        channels=("in_person", "app", "web", "email"),
    )
    plan = plan_for(kb, shop)
    supports = [e.type for e in plan.mix if e.role == "support"]
    assert supports[:1] == ["automated_services"]
    assert "communities" not in supports[1:]


def test_a_support_that_pays_for_itself_needs_no_score(kb: KnowledgeBase) -> None:
    # engineers support an API's business customers; documentation fits a
    # technical business offer poorly on paper, but answering 18% of the
    # engineers' contacts saves more than it costs, so it joins the mix
    merchants = segment(
        "Merchants",
        "personal_assistance",
        goals=("retain", "expand"),
        market="b2b",
        complexity="high",
        customers=1200,
        purchases_per_year=12,
        spend_per_purchase=900,
        channels=("email", "chat", "video", "web"),
    )
    plan = plan_for(kb, merchants)
    docs = next(r for r in plan.ranking if r.type == "self_service")
    assert docs.score < kb.mix.support_min_score
    assert plan.mix[0].type == "personal_assistance"
    (support,) = [e for e in plan.mix if e.type == "self_service"]
    assert support.role == "support"
    assert "saving" in support.why and "more than it costs" in support.why


def test_a_poor_fit_already_in_place_is_not_kept_for_that_alone(kb: KnowledgeBase) -> None:
    # a help centre already in place for forty key accounts: it fits them poorly
    # (score under the floor) and, beside named managers, who answer no contact
    # at a price per contact, it deflects nothing, so it is not kept
    clients = segment(
        "Clients",
        "dedicated_personal_assistance",
        goals=("retain",),
        market="b2b",
        complexity="high",
        customers=40,
        purchases_per_year=1,
        spend_per_purchase=200_000,
        channels=("phone", "email", "in_person", "web", "app"),
        existing=("self_service",),
    )
    plan = plan_for(kb, clients)
    docs = next(r for r in plan.ranking if r.type == "self_service")
    assert docs.score < kb.mix.support_min_score
    assert docs.costing.annual_cost < plan.budget - plan.mix[0].annual_cost  # room for it
    assert "self_service" not in [e.type for e in plan.mix]
    assert "self_service" in plan.existing.drop


SMALL_FIRMS = segment(
    "Small firms",
    "personal_assistance",
    goals=("retain", "acquire"),
    customers=20_000,
    purchases_per_year=12,
    spend_per_purchase=15,
    budget_share=0.02,
    market="b2b",
    complexity="medium",
    channels=("web", "email", "chat", "phone", "video"),
    existing=("self_service",),
)


def test_co_creation_only_for_customers_who_want_a_say(kb: KnowledgeBase) -> None:
    # within the budget co-creation scores best, but these owners asked for a
    # person: a say in the product is not what they want, so it is not forced on them
    plan = plan_for(kb, SMALL_FIRMS)
    reachable = [r for r in plan.ranking if r.costing.annual_cost <= 1.3 * plan.budget]
    assert max(reachable, key=lambda r: r.score).type == "co_creation"
    assert plan.primary != "co_creation"
    assert any(s.step == "involvement" for s in plan.steps)
    # customers who do expect co-creation keep it among the candidates
    wanting = plan_for(kb, dataclasses.replace(SMALL_FIRMS, expectation="co_creation"))
    assert wanting.primary == "co_creation"
    assert not any(s.step == "involvement" for s in wanting.steps)


def test_co_creation_alone_within_reach_is_not_forced_on_customers(kb: KnowledgeBase) -> None:
    # only co-creation is within reach of this budget; the customers expect a person,
    # so nothing they would want fits: the nothing-within-reach path, with its warning
    tight = segment(
        "Subscribers",
        "personal_assistance",
        customers=20_000,
        purchases_per_year=12,
        spend_per_purchase=1,
        budget_share=0.1,
        complexity="high",
        channels=("web", "email", "phone"),
    )
    plan = plan_for(kb, tight)
    tolerance = kb.mix.over_budget_tolerance
    reachable = [r.type for r in plan.ranking if r.costing.annual_cost <= tolerance * plan.budget]
    assert reachable == ["co_creation"]
    assert plan.primary != "co_creation"
    assert "co_creation" not in [e.type for e in plan.mix]
    assert [s.step for s in plan.steps].count("involvement") == 1
    assert any("No relationship type fits the budget" in w for w in plan.warnings)
    # the same customers asking for co-creation get it
    asking = plan_for(kb, dataclasses.replace(tight, expectation="co_creation"))
    assert asking.primary == "co_creation"


def test_a_support_close_in_score_still_needs_the_score_floor(kb: KnowledgeBase) -> None:
    # self-service scores within support_max_gap of the primary and fits the
    # budget left, but it scores under support_min_score and pays for nothing by
    # deflection (the counter's contacts cost little): it does not join the mix
    clients = segment(
        "Clients",
        "dedicated_personal_assistance",
        goals=("retain", "expand"),
        customers=30,
        purchases_per_year=2,
        spend_per_purchase=100,
        budget_share=0.15,
        complexity="low",
        channels=("in_person", "phone", "email", "web"),
    )
    plan = plan_for(kb, clients)
    primary, docs = plan.ranked(plan.primary), plan.ranked("self_service")
    assert 0 < primary.score - docs.score <= kb.mix.support_max_gap
    assert docs.score < kb.mix.support_min_score
    assert docs.costing.annual_cost < plan.budget - plan.total_annual_cost
    assert "self_service" not in [e.type for e in plan.mix]


def test_a_forum_the_business_hosts_brings_its_community(kb: KnowledgeBase) -> None:
    # subscribers served by an app: the community scores far below the primary,
    # but a business that names a forum or social media hosts its customers there
    # already (groups on social networks, like forums, are where they meet)
    subscribers = segment(
        "Subscribers",
        "automated_services",
        goals=("retain", "expand"),
        customers=2_000_000,
        spend_per_purchase=10,
        complexity="low",
        channels=("app", "web", "email", "forum"),
    )
    plan = plan_for(kb, subscribers)
    community = plan.ranked("communities")
    assert plan.ranked(plan.primary).score - community.score > kb.mix.support_max_gap
    (entry,) = [e for e in plan.mix if e.type == "communities"]
    assert entry.role == "support" and "customers meet already (forum)" in entry.why
    groups = plan_for(
        kb, dataclasses.replace(subscribers, channels=("app", "web", "email", "social_media"))
    )
    (entry,) = [e for e in groups.mix if e.type == "communities"]
    assert entry.role == "support" and "customers meet already (social media)" in entry.why
    # with neither named, the community does not earn its place
    alone = plan_for(kb, dataclasses.replace(subscribers, channels=("app", "web", "email")))
    assert "communities" not in [e.type for e in alone.mix]


def test_a_hosted_forum_brings_its_community_to_one_off_users(kb: KnowledgeBase) -> None:
    # free users of a developer platform: they pay nothing and the goal is to win
    # more, so the horizon is transactional and a community fits it poorly; the
    # forum the business runs hosts them all the same (hosted_support_min_fit)
    free = segment(
        "Free developers",
        "self_service",
        goals=("acquire", "expand"),
        customers=10_000_000,
        purchases_per_year=0,
        spend_per_purchase=0,
        budget_per_customer=0.2,
        complexity="high",
        channels=("web", "forum", "email"),
    )
    plan = plan_for(kb, free)
    assert plan.horizon == "transactional"
    community = plan.ranked("communities")
    (horizon,) = [r for r in community.reasons if r.criterion == "horizon"]
    assert horizon.fit < kb.mix.support_min_fit["horizon"]
    (entry,) = [e for e in plan.mix if e.type == "communities"]
    assert entry.role == "support" and "customers meet already (forum)" in entry.why
    # without the hosted minimum, support_min_fit's horizon keeps it out
    strict = kb._replace(mix=kb.mix._replace(hosted_support_min_fit={}))
    assert "communities" not in [e.type for e in plan_for(strict, free).mix]
    # and with no forum named, it does not earn a place at all
    unhosted = plan_for(kb, dataclasses.replace(free, channels=("web", "email")))
    assert "communities" not in [e.type for e in unhosted.mix]


def test_a_type_out_of_the_formats_is_named_when_nothing_else_fits(kb: KnowledgeBase) -> None:
    # 40 holiday pet-sitting clients met in person and on the phone, with a
    # budget of 400 a year: a help page on the web would fit it, a person does not
    sitting = segment(
        "Pet-sitting",
        "personal_assistance",
        goals=("acquire",),
        customers=40,
        purchases_per_year=1,
        spend_per_purchase=250,
        budget_share=0.04,
        complexity="low",
        channels=("in_person", "phone"),
    )
    plan = plan_for(kb, sitting)
    assert plan.ranked("self_service").costing.affordable
    assert not plan.ranked(plan.primary).costing.affordable
    (warning,) = [w for w in plan.warnings if w.startswith("No relationship type")]
    assert "in the formats the business uses" in warning
    web_or_app = listing([kb.channels[c].title.lower() for c in ("web", "app")], "or")
    assert f"self-service would, in {web_or_app}: name a format in channels" in warning
    # named in the channels, it is planned with, and the warning goes
    online = plan_for(kb, dataclasses.replace(sitting, channels=("in_person", "phone", "web")))
    assert not [w for w in online.warnings if w.startswith("No relationship type")]


def test_each_reason_comes_with_and_without_its_score_figures(kb: KnowledgeBase) -> None:
    # a bakery's regulars: the counter staff lead, and a members' club joins
    # because it scores close to them; grade feedback reads ``basis``, which
    # must say the same without the figures a student cannot use
    regulars = segment(
        "Regulars",
        "personal_assistance",
        goals=("retain",),
        customers=800,
        purchases_per_year=100,
        spend_per_purchase=5,
    )
    plan = plan_for(kb, regulars)
    primary, support = plan.mix[0], plan.mix[1]
    assert support.role == "support"
    score = f"{plan.ranked(support.type).score:.2f}"
    assert support.why.startswith(f"scores {score}, close to the primary, and adds ")
    assert support.basis == "is close to the primary, and adds " + support.why.split(" adds ")[1]
    assert primary.why == f"the best fit (score {plan.ranked(primary.type).score:.2f})"
    assert primary.basis == "the best fit"
    for entry in plan.mix:
        assert "score" not in entry.basis


def test_retention_is_not_the_test_for_one_off_customers(kb: KnowledgeBase) -> None:
    # a festival crowd buys once and the business only aims to win it: the QR
    # menu it expects is not there to keep anyone, so its break-even retention
    # gain does not rule it out; the same crowd to be kept is another matter
    crowd = segment(
        "Festival crowds",
        "self_service",
        goals=("acquire",),
        customers=40_000,
        purchases_per_year=1,
        spend_per_purchase=10,
        budget_share=0.02,
        complexity="low",
        channels=("app", "social_media", "in_person"),
    )
    plan = plan_for(kb, crowd)
    assert plan.horizon == "transactional"
    assert plan.primary == "self_service"
    assert "break_even" not in [s.step for s in plan.steps]
    # the primary's reason says why its retention figure is not held against it
    assert "would not pay for itself on retention" in plan.mix[0].why
    kept = plan_for(kb, dataclasses.replace(crowd, goals=("acquire", "retain")))
    assert kept.horizon == "long_term"
    assert "break_even" in [s.step for s in kept.steps]
    assert kept.primary != "self_service"
    # either half is enough: a goal to retain customers served one sale at a time,
    # or a long-term horizon without that goal
    assert retention_is_the_test(
        dataclasses.replace(crowd, goals=("acquire", "retain")), "transactional"
    )
    assert retention_is_the_test(crowd, "long_term")
    assert not retention_is_the_test(crowd, "transactional")


#: the score figures a reason may hold: "(score 0.81)", another type's "; self-service
#: scores 0.74", a support's own "scores 0.84, " (test-only: the code never parses them)
SCORE_FIGURES = re.compile(
    r" ?\(score \d+\.\d+\)|; [^;]*? scores \d+\.\d+|,? ?(?:and )?scores \d+\.\d+,? ?"
)


def _without_figures(why: str) -> str:
    text = re.sub(r" +([;,])", r"\1", SCORE_FIGURES.sub(" ", why))
    text = re.sub(r" {2,}", " ", text).strip(" ,")
    text = text.removeprefix("and ")  # a support scoring above the primary: "adds ..."
    return "is " + text if text.startswith("close to") else text


def test_every_reason_without_its_figures_is_its_basis(kb: KnowledgeBase) -> None:
    # every mix entry of the strategist cases' plans (primaries in reach, over the
    # budget and out of reach, free customers, supports above and close to the
    # primary, fallbacks, top tiers): ``basis`` is ``why`` with its score figures
    # gone, and nothing else
    here = Path(__file__).parent
    cases = sorted(here.glob("cases/*.yaml")) + sorted(here.glob("heldout*/*.yaml"))
    differ = []
    for case in cases:
        spec = yaml.safe_load(case.read_text(encoding="utf-8"))
        plan = make_plan(kb, validate_answers(kb, spec["answers"], source=str(case)))
        for seg in plan.segments:
            tier = seg.top_tier.mix if seg.top_tier is not None else ()
            for entry in (*seg.mix, *tier):
                if "score" in entry.basis or entry.basis != _without_figures(entry.why):
                    differ.append((case.stem, seg.segment.name, entry.role, entry.basis))
    assert cases
    assert not differ


def test_the_expected_type_a_little_over_the_budget_is_warned_once(kb: KnowledgeBase) -> None:
    # 10,000 customers who expect a person, by phone and email, 75,000 a year:
    # personal assistance costs 80,500, 7.3% over, and stays the primary. The
    # primary's warning gives the trade-off and its figure; the expectation is
    # met, so no second warning says it collides with the budget
    callers = segment(
        "Callers",
        "personal_assistance",
        goals=("retain",),
        customers=10_000,
        purchases_per_year=1,
        spend_per_purchase=150,
        complexity="medium",
        channels=("phone", "email"),
    )
    plan = plan_for(kb, callers)
    assert plan.primary == "personal_assistance"
    assert plan.budget < plan.mix[0].annual_cost <= kb.mix.over_budget_tolerance * plan.budget
    assert [w for w in plan.warnings if "over the budget" in w and "80,500" in w]
    assert not [w for w in plan.warnings if "expects" in w]
    # far beyond the budget, it is a collision again, said as such
    poor = plan_for(kb, dataclasses.replace(callers, spend_per_purchase=60))
    assert [w for w in poor.warnings if "expects personal assistance, but it would cost" in w]


def test_a_community_leads_only_customers_who_expect_one(kb: KnowledgeBase) -> None:
    # a laundrette's 300 regulars expect to serve themselves, in person: a members'
    # club on a small plan would be the best fit within reach, but nobody asked to
    # meet the other customers, so the attendant leads; regulars who expect a
    # community get it
    regulars = segment(
        "Laundrette regulars",
        "self_service",
        goals=("retain",),
        customers=300,
        purchases_per_year=50,
        spend_per_purchase=5,
        channels=("in_person", "phone"),
    )
    plan = plan_for(kb, regulars)
    club = plan.ranked("communities")
    assert club.score > plan.ranked("personal_assistance").score
    assert club.costing.annual_cost <= kb.mix.over_budget_tolerance * plan.budget
    assert plan.primary == "personal_assistance"
    assert "involvement" in [s.step for s in plan.steps]
    asking = plan_for(kb, dataclasses.replace(regulars, expectation="communities"))
    assert asking.primary == "communities"
