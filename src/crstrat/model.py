"""The domain model: immutable values, no I/O and no terminal.

Knowledge (what crstrat knows), answers (what a business told us) and plans
(what crstrat recommends) are all immutable values, so the core functions that
turn one into the other are pure and easy to test.

The many small leaf values are ``NamedTuple``s and the few containers frozen
dataclasses: on Python 3.11 each frozen dataclass costs about 0.7 ms to create
at import against 0.15 ms for a NamedTuple, and this module is imported by every
``crstrat plan`` run, whose start-up is a benchmark (benchmarks/startup.py).
Change a NamedTuple with ``value._replace(...)``, a dataclass with
``dataclasses.replace(value, ...)``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

GOALS = ("acquire", "retain", "expand")
MARKETS = ("b2c", "b2b")
COMPLEXITIES = ("low", "medium", "high")
HORIZONS = ("transactional", "long_term")
CHANNELS = (
    "in_person",
    "phone",
    "email",
    "chat",
    "web",
    "app",
    "social_media",
    "forum",
    "video",
)
ROLES = ("primary", "support", "fallback")


def frozen_map(values: Mapping[str, float] | None = None) -> Mapping[str, float]:
    """A read-only mapping, so immutable values stay immutable all the way down."""
    return MappingProxyType(dict(values or {}))


NO_FITS: Mapping[str, float] = MappingProxyType({})


# --------------------------------------------------------------------------- knowledge


class Source(NamedTuple):
    """A document the knowledge base takes facts from."""

    id: str
    title: str
    author: str | None = None
    publisher: str | None = None
    licence: str | None = None
    note: str | None = None


class Term(NamedTuple):
    """A named value of the domain (a goal, a channel, a complexity level...)."""

    id: str
    title: str
    summary: str


class Sourced(NamedTuple):
    """A sentence of the knowledge base and the source id it rests on."""

    text: str
    source: str | None = None


class IndustryExample(NamedTuple):
    """How another industry uses a relationship type."""

    industry: str
    text: str


class TypeFit(NamedTuple):
    """How well a relationship type suits each value of each criterion, 0..1."""

    goals: Mapping[str, float]
    horizon: Mapping[str, float]
    complexity: Mapping[str, float]
    market: Mapping[str, float]
    channels: tuple[str, ...]
    scale_min: float
    scale_max: float


class BookSize(NamedTuple):
    """How many accounts one named person can look after, from what an account is worth.

    accounts = reference_accounts[market] * (reference_value / value) ** exponent
               * complexity_factor[complexity], kept within [minimum, maximum[market]];
    ``value`` is a customer's yearly value in the knowledge base's cost currency.
    """

    reference_value: float
    reference_accounts: Mapping[str, float]
    exponent: float
    minimum: float
    maximum: Mapping[str, float]
    complexity_factor: Mapping[str, float] = NO_FITS


class OwnDelivery(NamedTuple):
    """A named person who delivers the service themselves (a trainer, a tutor, a
    small firm's owner): customers who come in person at least
    ``min_purchases_per_year`` times, few enough for one person's book, cost only
    ``added_share`` (0..1) of the time a named manager would give each of them:
    the sessions carry the rest."""

    min_purchases_per_year: float
    added_share: float


class CostModel(NamedTuple):
    """A yearly cost model a consultant can read and change (amounts in the base's
    cost currency; knowledge/README.md gives the whole formula).

    cost = fixed_per_year + customers * per_customer_per_year
         + customers * contacts * cost_per_contact (counter_cost_per_contact when
           the segment meets its customers in person and the type has one)
         + people * cost_per_person, people = customers / book size (fractional)
    """

    fixed_per_year: float
    per_customer_per_year: float
    contacts_per_customer_per_year: Mapping[str, float]
    cost_per_contact: float
    accounts_per_person: Mapping[str, float]
    cost_per_person: float
    assumptions: tuple[Sourced, ...] = ()
    counter_cost_per_contact: float | None = None
    book_size: BookSize | None = None
    #: staff cost of one person answering contacts, to count a contact-priced
    #: type's people (staffing); 0 when the type has no people per contact
    contact_staff_cost_per_person: float = 0.0
    #: beyond this many customers, per-customer and per-contact costs grow as
    #: (customers / scale_from_customers) ** scale_exponent (0: no economy)
    scale_from_customers: float = 0.0
    scale_exponent: float = 1.0
    #: below this many customers, the fixed cost is fixed_per_year x
    #: (customers / small_plan_below) ** small_plan_exponent (0: no smaller plan)
    small_plan_below: float = 0.0
    small_plan_exponent: float = 1.0
    #: with a book size: the cheaper staffing where the named person delivers the service
    own_delivery: OwnDelivery | None = None
    #: with accounts_per_person: members one paid person looks after where the
    #: members pay nothing and volunteers among them do the rest (0: as paying ones)
    free_members_per_person: float = 0.0


class RelationshipType(NamedTuple):
    """One of the relationship types of the Customer Relationships block."""

    id: str
    name: str
    summary: str
    human: bool
    personal_touch: float
    fit: TypeFit
    cost: CostModel
    similar: Mapping[str, float] = NO_FITS
    fallback_share: Mapping[str, float] = NO_FITS
    definition: str = ""
    characteristics: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    drawbacks: tuple[str, ...] = ()
    fits_when: tuple[str, ...] = ()
    avoid_when: tuple[str, ...] = ()
    examples: tuple[Sourced, ...] = ()
    other_industries: tuple[IndustryExample, ...] = ()
    sources: tuple[str, ...] = ()
    #: a plausible rise of the retention rate (0..1, in points) the type brings
    retention_effect: float = 0.0
    #: the share (0..1) of the live contacts of a person in the same mix that the
    #: type answers instead (documentation, peers, a bot): what it saves
    deflection: float = 0.0
    #: what the type does for a customer; a mix never holds two types with one job
    job: str = ""


class Tactic(NamedTuple):
    """Something to do for a goal (a tactic) or a way to run relationships (a strategy)."""

    id: str
    kind: str
    title: str
    summary: str
    goals: tuple[str, ...]
    types: tuple[str, ...]
    channels: tuple[str, ...]
    first_step: str
    example: str | None = None
    source: str | None = None


class Element(NamedTuple):
    """A key element of effective customer relations, with a checklist question."""

    id: str
    title: str
    summary: str
    check: str
    example: str | None = None
    source: str | None = None


class Challenge(NamedTuple):
    """A known difficulty, the relationship types it comes with, and how to meet it."""

    id: str
    title: str
    summary: str
    mitigation: str
    types: tuple[str, ...] = ()
    source: str | None = None


class CostTip(NamedTuple):
    """A way to keep relationship costs down (``channels``: the formats it needs, any one)."""

    id: str
    title: str
    summary: str
    types: tuple[str, ...] = ()
    source: str | None = None
    channels: tuple[str, ...] = ()


class Defaults(NamedTuple):
    """Values used for optional answers that were not given."""

    currency: str
    budget_share: float
    market: str
    complexity: str
    channels: tuple[str, ...]
    segment: Mapping[str, object] = MappingProxyType({})
    budget_share_by_market: Mapping[str, float] = NO_FITS
    company: str = ""


class EconomicsDefaults(NamedTuple):
    """Defaults and rules of thumb for a segment's unit economics (see knowledge/meta.yaml)."""

    gross_margin: Mapping[str, float]
    retention_rate: Mapping[str, float]
    discount_rate: float
    min_ltv_to_cac: float
    max_payback_months: float


class Currencies(NamedTuple):
    """The currency the base's costs are in, and a dated table of rates to convert them.

    ``rates[code]`` is how many units of ``code`` one unit of ``cost_currency`` buys.
    """

    cost_currency: str
    rates: Mapping[str, float]
    as_of: str
    source: str


class HorizonRule(NamedTuple):
    """When a segment's relationship is long-term rather than transactional."""

    repeat_purchases_per_year: float
    retention_min_purchases_per_year: float
    titles: Mapping[str, str]
    lead_goal_min_purchases_per_year: float | None = None
    #: a goal to retain customers who pay nothing makes it long-term at any rate
    retain_free_users: bool = False
    #: business customers who buy at least this often are accounts (long-term),
    #: besides ``repeat_purchases_per_year``, which holds for every market
    #: (None: that rule alone)
    b2b_repeat_purchases_per_year: float | None = None
    #: customers who buy less often than ``repeat_purchases_per_year`` and whose
    #: stated retention rate is at most this are transactional, whatever the goals
    #: and the market (None: no such rule)
    transactional_max_retention_rate: float | None = None


class ScoringModel(NamedTuple):
    """The weights and curve parameters of the scoring (data, not code)."""

    weights: Mapping[str, float]
    economics_midpoint: float
    economics_steepness: float
    scale_penalty_per_decade: float
    goal_order_weights: tuple[float, ...]
    min_contact_factor: float = 1.0
    #: above one purchase a year, contacts grow as purchases ** this (0: not at all)
    contact_purchase_exponent: float = 0.0


class MixRules(NamedTuple):
    """How the mix is assembled from the ranking (knowledge/meta.yaml ``mix``)."""

    max_support: int
    support_min_score: float
    support_max_gap: float
    support_min_fit: Mapping[str, float]
    fallback_type: str
    tactics_per_goal: int
    primary_min_complexity_fit: Mapping[str, float] = NO_FITS
    personal_primary_max_cost_share: float = 0.0
    personal_primary_min_touch: float = 1.0
    #: a top tier of at most this share of a segment's customers gets the most
    #: personal type its budget carries (the pyramid constraint; 0: never)
    top_tier_max_customers_share: float = 0.0
    #: supports after the first must also fit at least this well on these criteria
    extra_support_min_fit: Mapping[str, float] = NO_FITS
    #: a primary may cost up to this multiple of the budget (costs are estimates)
    over_budget_tolerance: float = 1.0
    #: score a candidate gives up in the choice per 100% it is over the budget
    over_budget_penalty: float = 1.0
    #: a type whose break-even retention gain is above this multiple of its
    #: plausible effect gives way to a cheaper type that serves the goals
    break_even_effect_factor: float = 0.0
    #: the human fallback may take at most this share of the budget, by complexity
    fallback_max_budget_share: Mapping[str, float] = NO_FITS
    #: types whose customers prefer to help themselves: a complex offer does not
    #: force a person on them, and the one they expect is their primary when the
    #: budget carries it (the expectation constraint)
    self_directed_types: tuple[str, ...] = ()
    #: types that work only with customers who want them (co-creation): the
    #: primary only of a segment that expects one (the involvement constraint)
    wanted_only_types: tuple[str, ...] = ()
    #: formats where customers meet one another (a forum, social media): named in the answers,
    #: a type running in one the mix does not use yet earns a support's place
    hosted_formats: tuple[str, ...] = ()
    #: a support in one of those formats: these minimums replace those of
    #: ``support_min_fit`` for the criteria named (0 waives one)
    hosted_support_min_fit: Mapping[str, float] = NO_FITS


class GradingRules(NamedTuple):
    """The rubric of ``crstrat grade`` (data, not code; see knowledge/README.md)."""

    weights: Mapping[str, float]
    primary_in_mix: float
    unaffordable_penalty: float
    min_score: float


class KnowledgeBase(NamedTuple):
    """Everything crstrat knows, loaded from a knowledge folder."""

    name: str
    version: int
    sha256: str
    description: str
    sources: Mapping[str, Source]
    canvas_credit: str
    defaults: Defaults
    goals: Mapping[str, Term]
    channels: Mapping[str, Term]
    complexity: Mapping[str, Term]
    markets: Mapping[str, Term]
    horizon: HorizonRule
    scoring: ScoringModel
    mix: MixRules
    types: tuple[RelationshipType, ...]
    tactics: tuple[Tactic, ...] = ()
    elements: tuple[Element, ...] = ()
    challenges: tuple[Challenge, ...] = ()
    cost_tips: tuple[CostTip, ...] = ()
    location: str = ""
    #: the rubric of ``crstrat grade``; load_knowledge always sets it
    grading: GradingRules | None = None
    economics: EconomicsDefaults | None = None
    currencies: Currencies | None = None

    @property
    def type_ids(self) -> tuple[str, ...]:
        """Relationship type ids in knowledge-base order."""
        return tuple(t.id for t in self.types)

    def type(self, type_id: str) -> RelationshipType:
        """The relationship type with this id (KeyError if unknown)."""
        for rel_type in self.types:
            if rel_type.id == type_id:
                return rel_type
        raise KeyError(type_id)


# --------------------------------------------------------------------------- answers


class TopTier(NamedTuple):
    """The most valuable customers of a segment: their shares of its customers and revenue."""

    customers_share: float
    revenue_share: float


@dataclass(frozen=True)
class Segment:
    """One customer segment as the business described it (optional fields may be None)."""

    name: str
    expectation: str
    goals: tuple[str, ...]
    customers: int
    purchases_per_year: float
    spend_per_purchase: float
    budget_share: float | None = None
    budget_per_customer: float | None = None
    market: str | None = None
    complexity: str | None = None
    channels: tuple[str, ...] | None = None
    existing: tuple[str, ...] = ()
    proposal: tuple[str, ...] = ()
    gross_margin: float | None = None
    retention_rate: float | None = None
    new_customers_per_year: int | None = None
    acquisition_cost: float | None = None
    top_tier: TopTier | None = None

    @property
    def customer_value(self) -> float:
        """What one customer is worth a year: purchases per year x spend per purchase."""
        return self.purchases_per_year * self.spend_per_purchase


class Answers(NamedTuple):
    """A validated answers file (schema 1)."""

    segments: tuple[Segment, ...]
    company: str | None = None
    currency: str | None = None
    exchange_rate: float | None = None
    discount_rate: float | None = None


# --------------------------------------------------------------------------- plans


class Reason(NamedTuple):
    """One criterion's part in a score: its weight, the fit, and why, in plain words."""

    criterion: str
    weight: float
    fit: float
    text: str

    @property
    def contribution(self) -> float:
        """What this criterion adds to the score: weight x fit."""
        return self.weight * self.fit


class Costing(NamedTuple):
    """What a relationship type would cost a segment a year."""

    annual_cost: float
    cost_per_customer: float
    affordable: bool


class RankedType(NamedTuple):
    """A relationship type's score for a segment, its cost and its reasons."""

    type: str
    score: float
    costing: Costing
    reasons: tuple[Reason, ...]
    #: the rise of the retention rate (0..1) that pays for the type; None when
    #: no rise can (see economics.break_even_retention_gain)
    break_even_retention_gain: float | None = None


class MixEntry(NamedTuple):
    """A relationship type in the recommended mix, its role and its yearly cost there.

    ``why`` is the reason as the plan shows it, score figures included; ``basis``
    is the same reason without them, for readers to whom a score says nothing
    (grade feedback to students).
    """

    type: str
    role: str
    annual_cost: float
    why: str
    basis: str


class ChosenTactic(NamedTuple):
    """A tactic or strategy picked for one of the segment's goals."""

    tactic: Tactic
    goal: str


class ExistingReview(NamedTuple):
    """What to do with the relationship types already in place."""

    keep: tuple[str, ...] = ()
    add: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()


class Economics(NamedTuple):
    """A segment's unit economics, money in the answers' currency (see crstrat.economics)."""

    gross_margin: float
    retention_rate: float
    discount_rate: float
    margin_per_customer: float
    customer_lifetime_value: float
    acquisition_cost: float | None = None
    ltv_to_cac: float | None = None
    payback_months: float | None = None
    new_customers_per_year: int | None = None
    #: where each rate came from: "answers" or the knowledge base's default
    defaulted: tuple[str, ...] = ()


class Staffing(NamedTuple):
    """The people a human type in the mix needs: fractional when part of a person's time."""

    type: str
    people: float
    customers_per_person: float


class Step(NamedTuple):
    """One named step of the decision and what it found, in plain words."""

    step: str
    text: str


class TierPlan(NamedTuple):
    """The mix for a segment's top tier (its most valuable customers)."""

    customers: int
    customer_value: float
    budget: float
    ranking: tuple[RankedType, ...]
    mix: tuple[MixEntry, ...]
    total_annual_cost: float
    staffing: tuple[Staffing, ...]
    warnings: tuple[str, ...] = ()


class SegmentPlan(NamedTuple):
    """The recommendation for one segment.

    With a top tier, ``mix``, ``ranking`` and ``total_annual_cost`` serve the
    rest of the customers (``mix_customers`` of them) and ``top_tier`` the top.
    """

    segment: Segment
    market: str
    complexity: str
    channels: tuple[str, ...]
    budget_share: float | None
    horizon: str
    customer_value: float
    budget: float
    budget_per_customer: float
    ranking: tuple[RankedType, ...]
    mix: tuple[MixEntry, ...]
    total_annual_cost: float
    tactics: tuple[ChosenTactic, ...]
    warnings: tuple[str, ...]
    existing: ExistingReview
    economics: Economics | None = None
    staffing: tuple[Staffing, ...] = ()
    top_tier: TierPlan | None = None
    steps: tuple[Step, ...] = ()
    mix_customers: int = 0

    @property
    def primary(self) -> str:
        """The primary relationship type's id."""
        return next(entry.type for entry in self.mix if entry.role == "primary")

    @property
    def mix_budget(self) -> float:
        """The budget the mix is chosen within: the segment's, less its top tier's."""
        return self.budget - (self.top_tier.budget if self.top_tier is not None else 0.0)

    def ranked(self, type_id: str) -> RankedType:
        """This segment's ranking entry for a type."""
        return next(r for r in self.ranking if r.type == type_id)


class ExchangeRate(NamedTuple):
    """How the base's costs were converted: ``rate`` units of the answers' currency
    per unit of ``from_currency``, and where the rate came from."""

    rate: float
    from_currency: str
    source: str


class Plan(NamedTuple):
    """crstrat's recommendation for a whole answers file."""

    company: str | None
    currency: str
    knowledge_base: str
    knowledge_sha256: str
    segments: tuple[SegmentPlan, ...]
    exchange_rate: ExchangeRate = ExchangeRate(1.0, "USD", "no conversion needed")
