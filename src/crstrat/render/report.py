"""The consultant's report: markdown from a Jinja2 template, and HTML from that markdown.

The template (``crstrat/templates/report.md.j2``, or a consultant's own) gets a
*report context*: plain dicts, lists and strings in which every piece of text
is already markdown-escaped (user text, and knowledge-base text too, so a custom
knowledge base cannot break a table either). A template cannot reach the raw
user text, so a restyled template cannot let it inject markup by mistake.

The HTML is the markdown rendered by markdown-it-py with raw HTML off, only
http(s) and mailto links allowed, inside one self-contained page (inline CSS,
no scripts, no external assets). Text that merely *looks* like a script
scheme or an event handler (``javascript:``, ``onerror=``) is written with a
character entity, so it reads the same but matches no filter.

Imports jinja2 and markdown-it: import this module only when a report is made.
"""

from __future__ import annotations

import html
import math
import re
import urllib.parse
from collections.abc import Mapping
from importlib import resources
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from .. import __version__
from ..errors import InputError
from ..figures import (
    amount,
    count,
    horizon_words,
    listing,
    money,
    of_budget,
    points,
    printable,
    share,
    share_or_times,
)
from ..mix import retention_is_the_test
from ..model import (
    Economics,
    KnowledgeBase,
    MixEntry,
    Plan,
    Reason,
    SegmentPlan,
    Staffing,
    TierPlan,
)
from ..whatif import AnswerChange, BudgetShift, WhatIf
from .markdown import escape

TEMPLATE = "report.md.j2"
#: The charts of each segment, by the name the template uses (``seg.charts.NAME``
#: gives the chart's id); the HTML report draws each (render/charts.py).
CHART_NAMES = ("touch_cost", "budget", "scores", "retention")
#: The report suggests ways to spend less when the mix takes more than this share
#: of the budget (or there is no budget).
TIGHT_BUDGET = 0.7
#: A chart's place in the markdown: a comment, invisible in markdown viewers.
_CHART_MARK = re.compile(r"<!-- chart ([a-z0-9-]+) -->")
HTML_TEMPLATE = "report.html.j2"
ROLES_TEXT = {"primary": "primary", "support": "support", "fallback": "fallback"}
CRITERION_TITLES = {
    "expectation": "Expectation",
    "goals": "Goals",
    "horizon": "Horizon",
    "channels": "Channels",
    "complexity": "Complexity",
    "market": "Market",
    "economics": "Economics",
    "scale": "Scale",
}
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|livescript|data|file)(\s*):")
_HANDLER = re.compile(r"(?i)\b(on[a-z]+)(\s*)=")
_SAFE_LINK = re.compile(r"(?i)^(https?:|mailto:|#)")
# words the quadrant chart grammar reads as keywords wherever a word (or a
# hyphenated part of one) starts with them
_CHART_KEYWORDS = (
    "title",
    "acctitle",
    "accdescr",
    "classdef",
    "quadrantchart",
    "section",
    "x-axis",
    "y-axis",
    "quadrant-",
)


# --------------------------------------------------------------------------- escaping


def _defuse(text: str, colon: str, equals: str) -> str:
    """Write the ``:`` of a script scheme and the ``=`` of an event handler differently."""
    text = _SCHEME.sub(lambda m: f"{m.group(1)}{m.group(2)}{colon}", text)
    return _HANDLER.sub(lambda m: f"{m.group(1)}{m.group(2)}{equals}", text)


def md(text: object) -> str:
    """Text made literal in markdown, inline or in a table cell (the ``md`` filter).

    :func:`crstrat.render.markdown.escape` (markdown punctuation, ``<>&``, line
    breaks, control characters), plus parentheses, so ``](`` never appears,
    and entities for the colon of ``javascript:`` and the ``=`` of ``onerror=``.
    """
    value = escape(text).replace("(", "\\(").replace(")", "\\)")
    return _defuse(value, "&#58;", "&#61;")


def html_text(text: object) -> Markup:
    """Text made literal in HTML (for the page title), control characters visible."""
    return Markup(_defuse(html.escape(printable(text), quote=True), "&#58;", "&#61;"))


def chart_label(name: str, fallback: str) -> str:
    """A point name a mermaid quadrant chart accepts: letters, digits, spaces and
    inner hyphens, starting with a letter, and no keyword of the chart grammar."""
    for candidate in (name, fallback.replace("_", " ")):
        cleaned = "".join(ch if ch.isalnum() or ch == "-" else " " for ch in candidate)
        words = [w.strip("-") for w in cleaned.split()]
        words = [w for w in words if w]
        if not words or not words[0][0].isalpha():
            continue
        text = " ".join(words)
        starts = [text.lower()[i:] for i in range(len(text)) if i == 0 or text[i - 1] in " -"]
        if not any(start.startswith(_CHART_KEYWORDS) for start in starts):
            return text
    return "Type"


# --------------------------------------------------------------------------- the context


def _role_names(kb: KnowledgeBase, mix: tuple[MixEntry, ...], role: str) -> list[str]:
    return [md(kb.type(e.type).name) for e in mix if e.role == role]


def _mix_text(kb: KnowledgeBase, mix: tuple[MixEntry, ...]) -> str:
    return md(", ".join(f"{kb.type(e.type).name.lower()} ({ROLES_TEXT[e.role]})" for e in mix))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _why(kb: KnowledgeBase, seg: SegmentPlan) -> list[str]:
    """Three or four sentences on the stance, built from the reasons and the mix."""
    primary_entry = seg.mix[0]
    primary = seg.ranked(primary_entry.type)
    name = kb.type(primary.type).name
    strongest = sorted(primary.reasons, key=lambda r: -r.contribution)[:2]
    sentences = [
        f"{name} is the primary type, {primary_entry.why}.",
        f"It {', and it '.join(r.text for r in strongest)}.",
    ]
    support = [kb.type(e.type).name.lower() for e in seg.mix if e.role == "support"]
    fallback = [e for e in seg.mix if e.role == "fallback"]
    parts = []
    if support:
        verb = "supports" if len(support) == 1 else "support"
        parts.append(f"{listing(support).capitalize()} {verb} it, close in score and within budget")
    if fallback:
        entry = fallback[0]
        parts.append(
            f"{kb.type(entry.type).name.lower()} is the human fallback: {_lower_first(entry.why)}"
        )
    if parts:
        text = "; ".join(parts)
        sentences.append(text[:1].upper() + text[1:] + ".")
    weakest = min(primary.reasons, key=lambda r: r.fit)
    if weakest.fit < 0.4 and not _said_elsewhere(weakest, seg):
        sentences.append(f"Watch one weakness: it {weakest.text}.")
    return [md(s) for s in sentences]


def _said_elsewhere(reason: Reason, seg: SegmentPlan) -> bool:
    """A poor fit that is no weakness to watch: to an offer that needs little
    explanation it means the type gives more than the offer needs (a cost, which
    the economics say), and against no budget at all the warnings say it."""
    if reason.criterion == "complexity":
        return seg.complexity == "low"
    return reason.criterion == "economics" and seg.budget <= 0


def _cost_pressure(kb: KnowledgeBase, seg: SegmentPlan, used: float) -> str:
    """Why the report shows ways to spend less, or "" when the budget is not tight."""
    if seg.budget <= 0:
        return "There is no budget for relationships."
    if used > TIGHT_BUDGET:
        return f"The mix takes {of_budget(seg.total_annual_cost, seg.mix_budget)}."
    return ""


def _cost_tips(kb: KnowledgeBase, seg: SegmentPlan) -> list[dict[str, str]]:
    """The tips for the types of the mix, leaving out any that needs a format the
    segment does not use (a tip with no formats listed needs none)."""
    mix_types = {e.type for e in seg.mix}
    tips = []
    for tip in kb.cost_tips:
        formats = tip.channels
        if _applies(tip.types, mix_types) and (not formats or set(formats) & set(seg.channels)):
            tips.append({"title": md(tip.title), "summary": md(tip.summary)})
    return tips


def _chart(kb: KnowledgeBase, seg: SegmentPlan) -> list[dict[str, str]]:
    """Quadrant chart points: personal touch across, cost to serve (log-scaled) up."""
    per_customer = {r.type: r.costing.cost_per_customer for r in seg.ranking}
    positive = [c for c in per_customer.values() if c > 0]
    low, high = (min(positive), max(positive)) if positive else (1.0, 1.0)
    roles = {e.type: e.role for e in seg.mix}
    points = []
    for rel_type in kb.types:
        cost = per_customer[rel_type.id]
        if high > low and cost > 0:
            up = (math.log(cost) - math.log(low)) / (math.log(high) - math.log(low))
        else:
            up = 0.0 if positive and cost <= 0 else 0.5
        label = chart_label(rel_type.name, rel_type.id)
        if rel_type.id in roles:
            label += f" - {roles[rel_type.id]}"
        points.append(
            {
                "label": label,
                "x": f"{0.05 + 0.9 * rel_type.personal_touch:.2f}",
                "y": f"{0.05 + 0.9 * up:.2f}",
            }
        )
    return points


def _round_money(amount: float, upward: bool) -> float:
    """Round to what money() shows (cents below 100, units above), up or down."""
    step = 0.01 if abs(amount) < 100 else 1.0
    steps = amount / step
    return (math.ceil(steps - 1e-9) if upward else math.floor(steps + 1e-9)) * step


def _shift(
    kb: KnowledgeBase, seg: SegmentPlan, shift: BudgetShift | None, currency: str
) -> dict[str, str] | None:
    if shift is None:
        return None
    per_customer = _round_money(shift.budget_per_customer, upward=shift.direction == "raise")
    revenue_share = of_revenue = ""
    if seg.customer_value > 0:
        fraction = per_customer / seg.customer_value
        revenue_share = share(fraction) if fraction >= 0.0005 else "less than 0.1%"
        # past twice the revenue a share reads as nonsense ("1,379.6% of revenue")
        of_revenue = (
            f"{revenue_share} of revenue" if fraction < 2 else f"{fraction:,.0f} times the revenue"
        )
    return {
        "per_customer": md(money(per_customer, currency)),
        "budget": md(money(per_customer * seg.segment.customers, currency)),
        "revenue_share": md(revenue_share),
        "of_revenue": md(of_revenue),
        "primary": md(kb.type(shift.primary).name),
        "mix": _mix_text(kb, shift.mix),
    }


def _same_budget(a: BudgetShift | None, b: BudgetShift | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a.budget_per_customer, b.budget_per_customer, rel_tol=1e-5)


def _change_text(kb: KnowledgeBase, flip: AnswerChange) -> str:
    if flip.answer == "expectation":
        return f"expects {kb.type(flip.value).name.lower()}"
    if flip.answer == "goal":
        title = kb.goals[flip.value].title.lower()
        return {"set": f"only: {title}", "add": f"add: {title}", "remove": f"drop: {title}"}[
            flip.action
        ]
    if flip.answer == "channels":
        title = kb.channels[flip.value].title.lower()
        return f"add {title}" if flip.action == "add" else f"stop using {title}"
    if flip.answer == "complexity":
        return f"{kb.complexity[flip.value].title.lower()} complexity"
    return kb.markets[flip.value].title


def _whatif(kb: KnowledgeBase, seg: SegmentPlan, what: WhatIf, currency: str) -> dict[str, Any]:
    answers = {
        "expectation": "Expectation",
        "goal": "Goal",
        "channels": "Channels",
        "complexity": "Complexity",
        "market": "Market",
    }
    return {
        "primary_up": _shift(kb, seg, what.primary_up, currency),
        "primary_down": _shift(kb, seg, what.primary_down, currency),
        # a mix change at the same budget as the primary's is the same change
        "mix_up": None
        if _same_budget(what.mix_up, what.primary_up)
        else _shift(kb, seg, what.mix_up, currency),
        "mix_down": None
        if _same_budget(what.mix_down, what.primary_down)
        else _shift(kb, seg, what.mix_down, currency),
        "searched_up_to": md(money(_round_money(what.searched_up_to, True), currency)),
        "budget_is_zero": what.budget_per_customer <= 0,
        "flips": [
            {
                "answer": answers[flip.answer],
                "change": md(_change_text(kb, flip)),
                "primary": md(kb.type(flip.primary).name),
                "mix": _mix_text(kb, flip.mix),
            }
            for flip in what.flips
        ],
    }


def _score_rows(kb: KnowledgeBase, seg: SegmentPlan) -> list[dict[str, Any]]:
    roles = {e.type: e.role for e in seg.mix}
    rows = []
    for ranked in seg.ranking:
        strongest = sorted(ranked.reasons, key=lambda r: -r.contribution)[:2]
        weakest = min(ranked.reasons, key=lambda r: r.fit)
        rows.append(
            {
                "type": md(kb.type(ranked.type).name),
                "score": f"{ranked.score:.2f}",
                "role": roles.get(ranked.type, ""),
                "contributions": [f"{r.contribution:.2f}" for r in ranked.reasons],
                "strongest": md(", and ".join(r.text for r in strongest)),
                "weakest": md(weakest.text) if weakest.fit < 0.4 else "",
            }
        )
    return rows


def _cost_rows(kb: KnowledgeBase, seg: SegmentPlan, currency: str) -> list[dict[str, str]]:
    in_mix = {e.type: e for e in seg.mix}
    rows = []
    for ranked in seg.ranking:
        cost = ranked.costing
        entry = in_mix.get(ranked.type)
        role = ""
        if entry is not None:
            role = entry.role
            if not math.isclose(entry.annual_cost, cost.annual_cost, rel_tol=1e-9):
                role += f" ({money(entry.annual_cost, currency)})"
        rows.append(
            {
                "type": md(kb.type(ranked.type).name),
                "yearly": md(money(cost.annual_cost, currency)),
                "per_customer": md(money(cost.cost_per_customer, currency)),
                "share": share_or_times(cost.annual_cost / seg.mix_budget)
                if seg.mix_budget > 0
                else "n/a",
                "fits": "yes" if cost.affordable else "no",
                "role": md(role),
            }
        )
    return rows


def _tactics(kb: KnowledgeBase, seg: SegmentPlan) -> list[dict[str, Any]]:
    groups = []
    for goal in seg.segment.goals:
        items = [
            {
                "title": md(c.tactic.title),
                "kind": md(c.tactic.kind),
                "summary": md(c.tactic.summary),
                "first_step": md(c.tactic.first_step),
                "example": md(c.tactic.example) if c.tactic.example else "",
            }
            for c in seg.tactics
            if c.goal == goal
        ]
        groups.append({"goal": md(kb.goals[goal].title), "tactics": items})
    return groups


def _applies(types: tuple[str, ...], mix_types: set[str]) -> bool:
    return not types or bool(mix_types.intersection(types))


# --------------------------------------------------------------------------- economics

#: How the report names each rate the knowledge base can supply (Economics.defaulted).
RATE_NAMES = {
    "gross_margin": "gross margin",
    "retention_rate": "retention rate",
    "discount_rate": "discount rate",
}


def _economics(kb: KnowledgeBase, seg: SegmentPlan, currency: str) -> dict[str, Any] | None:
    """What a customer is worth: lifetime value, margin a year, the rates behind
    them, LTV:CAC and payback when an acquisition cost was given, and a sentence
    naming the rates that are the knowledge base's defaults ("" when none)."""
    economics: Economics | None = seg.economics
    if economics is None:
        return None
    defaulted = [RATE_NAMES.get(name, name.replace("_", " ")) for name in economics.defaulted]
    defaults = ""
    if defaulted:
        verb = "is" if len(defaulted) == 1 else "are"
        market = kb.markets[seg.market].title
        defaults = (
            f"The {listing(defaulted)} {verb} the knowledge base's usual figures for a "
            f"{market} segment, not the business's own; give them in the answers to "
            "sharpen the figures."
        )
    acquisition = None
    if economics.acquisition_cost is not None and economics.ltv_to_cac is not None:
        payback = economics.payback_months
        acquisition = {
            "cost": md(money(economics.acquisition_cost, currency)),
            "ltv_to_cac": f"{economics.ltv_to_cac:,.1f}:1",
            "payback": f"{payback:,.0f} months" if payback is not None else "",
        }
    return {
        "lifetime_value": md(money(economics.customer_lifetime_value, currency)),
        "margin": md(money(economics.margin_per_customer, currency)),
        "gross_margin": share(economics.gross_margin),
        "retention": share(economics.retention_rate),
        "discount_rate": share(economics.discount_rate),
        "acquisition": acquisition,
        "defaults": md(defaults),
    }


def _people(people: float) -> str:
    """A head count to two decimals: ``0.29 of one person's time``, ``1 person``, ``3.42 people``."""
    rounded = round(people, 2)
    if rounded == 1:
        return "1 person"
    if rounded == 0 and people > 0:
        return "under 0.01 of one person's time"
    figure = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return f"{figure} of one person's time" if rounded < 1 else f"{figure} people"


def _staffing(kb: KnowledgeBase, staffing: tuple[Staffing, ...]) -> list[str]:
    """Each human type's staff in words, part of a person's time when under one."""
    return [
        md(
            f"{_people(s.people)} for {kb.type(s.type).name.lower()} "
            f"(one person looks after about {count(round(s.customers_per_person))} customers)"
        )
        for s in staffing
    ]


def _mix_rows(kb: KnowledgeBase, mix: tuple[MixEntry, ...], currency: str) -> list[dict[str, str]]:
    return [
        {
            "role": e.role,
            "type": md(kb.type(e.type).name),
            "cost": md(money(e.annual_cost, currency)),
            "why": md(e.why),
        }
        for e in mix
    ]


def _top_tier(kb: KnowledgeBase, tier: TierPlan | None, currency: str) -> dict[str, Any] | None:
    """The top tier's own mix, its cost against its own budget, and its staff."""
    if tier is None:
        return None
    return {
        "customers": count(tier.customers),
        "primary": ", ".join(_role_names(kb, tier.mix, "primary")),
        "customer_value": md(money(tier.customer_value, currency)),
        "budget": md(money(tier.budget, currency)),
        "mix": _mix_rows(kb, tier.mix, currency),
        "total": md(money(tier.total_annual_cost, currency)),
        "of_budget": md(of_budget(tier.total_annual_cost, tier.budget)),
        "staffing": _staffing(kb, tier.staffing),
        "warnings": [md(w) for w in tier.warnings],
    }


def _steps(seg: SegmentPlan) -> list[dict[str, str]]:
    """The decision's named steps, in order, each with what it found."""
    return [
        {
            "title": md(step.step.replace("_", " ").capitalize()),
            "text": md(step.text if step.text.endswith((".", "!", "?")) else step.text + "."),
        }
        for step in seg.steps
    ]


def _retention_rows(kb: KnowledgeBase, seg: SegmentPlan) -> list[dict[str, str]]:
    """Each type's break-even retention gain against the gain it plausibly brings,
    both in customers kept in 100; empty without economics."""
    if seg.economics is None:
        return []
    rows = []
    for ranked in seg.ranking:
        gain = ranked.break_even_retention_gain
        effect = kb.type(ranked.type).retention_effect
        if gain is None:
            verdict = "no: no rise of retention pays for it"
        elif gain <= effect:
            verdict = "yes"
        else:
            verdict = "not on retention alone"
        rows.append(
            {
                "type": md(kb.type(ranked.type).name),
                "break_even": f"{points(gain)} more in 100" if gain is not None else "never",
                "effect": f"{points(effect)} more in 100",
                "verdict": verdict,
            }
        )
    return rows


def chart_ids(number: int) -> dict[str, str]:
    """The ids of segment ``number``'s charts (1-based), by chart name."""
    return {name: f"{name.replace('_', '-')}-{number}" for name in CHART_NAMES}


def _segment(
    kb: KnowledgeBase, plan: Plan, seg: SegmentPlan, what: WhatIf, number: int
) -> dict[str, Any]:
    cur = plan.currency
    s = seg.segment
    mix_types = {e.type for e in seg.mix}
    # the mix against the budget it was chosen within (less a top tier's)
    used = seg.total_annual_cost / seg.mix_budget if seg.mix_budget > 0 else math.inf
    primary = kb.type(seg.primary)
    # the mix and its top tier's together, for the summary
    whole = seg.total_annual_cost + (seg.top_tier.total_annual_cost if seg.top_tier else 0.0)
    existing = None
    if s.existing:

        def names(ids: tuple[str, ...]) -> str:
            return md(", ".join(kb.type(t).name for t in ids) or "none")

        moves = [
            f"{verb} {listing([kb.type(t).name for t in ids])}."
            for verb, ids in (
                ("Keep", seg.existing.keep),
                ("Add", seg.existing.add),
                ("Drop", seg.existing.drop),
            )
            if ids
        ]
        existing = {
            "keep": names(seg.existing.keep),
            "add": names(seg.existing.add),
            "drop": names(seg.existing.drop),
            "moves": md(" ".join(moves)),
        }
    return {
        "name": md(s.name),
        "customers": count(s.customers),
        "customer_value": md(money(seg.customer_value, cur)),
        "budget": md(money(seg.budget, cur)),
        "budget_amount": amount(seg.budget),
        "budget_per_customer": md(money(seg.budget_per_customer, cur)),
        "total": md(money(seg.total_annual_cost, cur)),
        "total_per_customer": md(money(seg.total_annual_cost / s.customers, cur)),
        "used": share_or_times(used) if math.isfinite(used) else "n/a",
        "budget_used": used,
        "cost_pressure": md(_cost_pressure(kb, seg, used)),
        "horizon": seg.horizon,
        "horizon_title": md(kb.horizon.titles[seg.horizon]),
        "horizon_word": horizon_words(seg.horizon),
        "expectation": md(kb.type(s.expectation).name),
        "expectation_met": s.expectation in mix_types,
        "goals": md(listing([kb.goals[g].title.lower() for g in s.goals])),
        "market": md(kb.markets[seg.market].title),
        "complexity": md(kb.complexity[seg.complexity].title.lower()),
        "channels": md(", ".join(kb.channels[c].title.lower() for c in seg.channels) or "none"),
        "primary": md(primary.name),
        "primary_summary": md(primary.summary),
        "support": _role_names(kb, seg.mix, "support"),
        "fallback": _role_names(kb, seg.mix, "fallback"),
        "mix": _mix_rows(kb, seg.mix, cur),
        "mix_customers": count(seg.mix_customers or s.customers),
        "mix_total_per_customer": md(
            money(seg.total_annual_cost / max(seg.mix_customers or s.customers, 1), cur)
        ),
        "mix_of_budget": md(of_budget(seg.total_annual_cost, seg.mix_budget)),
        "mix_budget": md(money(seg.mix_budget, cur)),
        "mix_budget_per_customer": md(
            money(seg.mix_budget / max(seg.mix_customers or s.customers, 1), cur)
        ),
        "segment_total": md(money(whole, cur)),
        "segment_total_amount": amount(whole),
        "segment_used": share_or_times(whole / seg.budget) if seg.budget > 0 else "n/a",
        "staffing": _staffing(kb, seg.staffing),
        "top_tier": _top_tier(kb, seg.top_tier, cur),
        "economics": _economics(kb, seg, cur),
        "retention": _retention_rows(kb, seg),
        "retention_is_the_test": retention_is_the_test(s, seg.horizon),
        "steps": _steps(seg),
        "why": _why(kb, seg),
        "existing": existing,
        "scores": _score_rows(kb, seg),
        "costs": _cost_rows(kb, seg, cur),
        "tactics": _tactics(kb, seg),
        "industries": [
            {
                "type": md(kb.type(e.type).name),
                "examples": [
                    {"industry": md(x.industry), "text": md(x.text)}
                    for x in kb.type(e.type).other_industries
                ],
            }
            for e in seg.mix
            if kb.type(e.type).other_industries
        ],
        "challenges": [
            {"title": md(c.title), "summary": md(c.summary), "mitigation": md(c.mitigation)}
            for c in kb.challenges
            if _applies(c.types, mix_types)
        ],
        "elements": [
            {"title": md(e.title), "summary": md(e.summary), "check": md(e.check)}
            for e in kb.elements
        ],
        "cost_tips": _cost_tips(kb, seg),
        "warnings": [md(w) for w in seg.warnings],
        "whatif": _whatif(kb, seg, what, cur),
        "chart": _chart(kb, seg),
        "charts": chart_ids(number),
    }


def _source_text(kb: KnowledgeBase, source_id: str) -> str:
    source = kb.sources[source_id]
    text = source.title
    by = ", ".join(x for x in (source.author, source.publisher) if x)
    if by:
        text += f", {by}"
    if source.licence:
        text += f" ({source.licence})"
    if source.note:
        text += f". {source.note}"
    return md(text)


def report_context(
    plan: Plan, kb: KnowledgeBase, what_ifs: tuple[WhatIf, ...], date: str | None = None
) -> dict[str, Any]:
    """Everything the report template shows, every text markdown-escaped."""
    criteria = [r.criterion for r in plan.segments[0].ranking[0].reasons] if plan.segments else []
    return {
        "company": md(plan.company) if plan.company else "",
        "currency": md(plan.currency),
        "date": md(date) if date else "",
        "version": __version__,
        "knowledge_base": {"name": md(kb.name), "sha256": plan.knowledge_sha256[:12]},
        "criteria": [
            {
                "title": CRITERION_TITLES.get(c, md(c.capitalize())),
                "weight": f"{kb.scoring.weights.get(c, 0.0):.2f}",
            }
            for c in criteria
        ],
        "segments": [
            _segment(kb, plan, seg, what, number)
            for number, (seg, what) in enumerate(zip(plan.segments, what_ifs, strict=True), 1)
        ],
        "sources": [_source_text(kb, sid) for sid in kb.sources],
        "canvas_credit": md(kb.canvas_credit),
    }


# --------------------------------------------------------------------------- markdown


def builtin_template(name: str = TEMPLATE) -> str:
    """The text of a template shipped with crstrat."""
    return resources.files("crstrat").joinpath("templates", name).read_text(encoding="utf-8")


def _environment(templates: Mapping[str, str], *, autoescape: bool) -> SandboxedEnvironment:
    # sandboxed: a template handed over by someone else cannot reach Python internals
    env = SandboxedEnvironment(
        loader=jinja2.DictLoader(dict(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    return env


def render_markdown(
    plan: Plan,
    kb: KnowledgeBase,
    what_ifs: tuple[WhatIf, ...],
    *,
    template: str | None = None,
    template_source: str = "template",
    date: str | None = None,
) -> str:
    """The report as markdown, from ``template`` (text) or the built-in template.

    A template that does not parse or render is an InputError naming
    ``template_source`` and, where known, the line.
    """
    text = builtin_template() if template is None else template
    name = TEMPLATE if template is None else template_source
    context = report_context(plan, kb, what_ifs, date)
    try:
        return _environment({name: text}, autoescape=False).get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            exc.message or "syntax error", source=template_source, line=exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        raise InputError(
            f"the template failed: {exc.message or exc.__class__.__name__}", source=template_source
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise InputError(f"the template failed: {exc}", source=template_source) from None


# --------------------------------------------------------------------------- html


def _text_rule(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    text = _defuse(html.escape(tokens[idx].content, quote=False), "&#58;", "&#61;")
    # literal markdown link syntax in the text stays text, and reads as none either
    return text.replace("](", "]&#40;")


def _place_charts(tokens: list[Token], charts: Mapping[str, str]) -> list[Token]:
    """Put each chart where its ``<!-- chart ID -->`` paragraph is, in place of a
    mermaid block right after it (the HTML draws what mermaid would need a script
    for). An unknown id stays as text; a mermaid block alone stays as code."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        mark = None
        if token.type == "paragraph_open" and index + 2 < len(tokens):
            mark = _CHART_MARK.fullmatch(tokens[index + 1].content.strip())
        if mark is None or mark.group(1) not in charts:
            out.append(token)
            index += 1
            continue
        figure = Token("html_block", "", 0)
        figure.content = charts[mark.group(1)]
        out.append(figure)
        index += 3
        after = tokens[index] if index < len(tokens) else None
        if after is not None and after.type == "fence" and after.info.strip() == "mermaid":
            index += 1
    return out


def _scroll_box(tokens: list[Token]) -> list[Token]:
    """Wrap each table in a box of its own that scrolls sideways on a narrow screen."""
    out: list[Token] = []
    for token in tokens:
        if token.type == "table_open":
            box = Token("html_block", "", 0)
            box.content = '<div class="scroll">\n'
            out.append(box)
        out.append(token)
        if token.type == "table_close":
            box = Token("html_block", "", 0)
            box.content = "</div>\n"
            out.append(box)
    return out


def markdown_to_html(text: str, charts: Mapping[str, str] | None = None) -> str:
    """An HTML fragment: raw HTML in the markdown shown as text, only safe links.

    ``charts`` maps a chart id to its HTML (a ``<figure>``), put where the
    markdown has ``<!-- chart ID -->``.
    """
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    parser.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]
    parser.add_render_rule("text", _text_rule)
    env: EnvType = {}
    tokens = _scroll_box(_place_charts(parser.parse(text, env), charts or {}))
    fragment: str = parser.renderer.render(tokens, parser.options, env)
    # a checklist item ("- [ ] ...") prints as a box to tick
    return fragment.replace("<li>[ ] ", "<li>\u2610 ")


def chart_figures(plan: Plan, kb: KnowledgeBase) -> dict[str, str]:
    """Every chart of the plan as an HTML ``<figure>`` (inline SVG, a caption and
    the chart in words), by chart id. Imports matplotlib."""
    from .charts import segment_charts

    figures = {}
    for number, seg in enumerate(plan.segments, start=1):
        for chart in segment_charts(plan, seg, kb, chart_ids(number)):
            title = html_text(chart.title)
            words = html_text(chart.description)
            figures[chart.id] = (
                '<figure class="chart">\n'
                f"{_defuse(chart.svg, '&#58;', '&#61;')}"
                f"<figcaption><strong>{title}</strong>\n"
                f"<details><summary>The chart in words</summary><p>{words}</p></details>"
                "</figcaption>\n</figure>\n"
            )
    return figures


def chart_files(plan: Plan, kb: KnowledgeBase, stem: str) -> dict[str, tuple[str, str, str]]:
    """Every chart of the plan as a standalone SVG file: by chart id, the file's
    name (``STEM-ID.svg``), the chart's title and the file's text. Imports matplotlib."""
    from .charts import segment_charts

    files = {}
    for number, seg in enumerate(plan.segments, start=1):
        for chart in segment_charts(plan, seg, kb, chart_ids(number)):
            text = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + chart.svg
            files[chart.id] = (f"{stem}-{chart.id}.svg", chart.title, text)
    return files


def link_charts(markdown_text: str, charts: Mapping[str, tuple[str, str]]) -> str:
    """The markdown with each ``<!-- chart ID -->`` line turned into an image of the
    chart's file (``charts`` gives its file name and its title); a mermaid block
    right after the line gives way to the image, as in the HTML."""

    def image(match: re.Match[str]) -> str:
        chart_id = match.group(1)
        if chart_id not in charts:
            return match.group(0)
        name, title = charts[chart_id]
        return f"![{md(title)}]({urllib.parse.quote(name)})\n"

    mark = r"^<!-- chart ([a-z0-9-]+) -->\n(?:\n```mermaid\n.*?^```\n)?"
    return re.sub(mark, image, markdown_text, flags=re.MULTILINE | re.DOTALL)


def render_html(markdown_text: str, title: str, charts: Mapping[str, str] | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG, no scripts) with the report."""
    env = _environment({HTML_TEMPLATE: builtin_template(HTML_TEMPLATE)}, autoescape=True)
    page = env.get_template(HTML_TEMPLATE).render(
        title=html_text(title),
        body=Markup(markdown_to_html(markdown_text, charts)),
        version=__version__,
    )
    return page


def render(
    plan: Plan,
    kb: KnowledgeBase,
    what_ifs: tuple[WhatIf, ...],
    *,
    fmt: str = "markdown",
    template: str | None = None,
    template_source: str = "template",
    date: str | None = None,
) -> str:
    """The report as ``markdown`` or ``html``."""
    text = render_markdown(
        plan, kb, what_ifs, template=template, template_source=template_source, date=date
    )
    if fmt == "html":
        company = plan.company or "your company"
        title = f"Customer relationships report: {company}"
        return render_html(text, title, chart_figures(plan, kb))
    return text
