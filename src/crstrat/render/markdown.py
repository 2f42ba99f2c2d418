"""The plan as markdown: a section per segment with the mix, the ranking, tactics, warnings.

User text is escaped so that it is shown literally: markdown punctuation gets a
backslash, ``<``, ``>`` and ``&`` become entities, ``|`` cannot break a table,
and line breaks cannot start a new block.
"""

from __future__ import annotations

import re

from ..figures import count, horizon_words, money, of_budget, points, printable, share
from ..model import KnowledgeBase, MixEntry, Plan, SegmentPlan, Staffing

# Inline markdown only acts on these; the text never starts a line (it follows
# "## " or a table pipe), so list and heading markers need no escape.
_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|~])")


def escape(text: object) -> str:
    """User text made literal in markdown (inline or in a table cell)."""
    value = printable(str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    value = _SPECIAL.sub(r"\\\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A markdown table; ``align`` has one letter per column (l or r)."""
    marks = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _segment(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase) -> list[str]:
    cur = escape(plan.currency)
    s = seg.segment
    horizon = horizon_words(seg.horizon)
    out = [f"## {escape(s.name)}", ""]
    out.append(
        f"{s.customers:,} customers, each worth {money(seg.customer_value, cur)} a year; "
        f"relationship budget {money(seg.budget, cur)} a year "
        f"({money(seg.budget_per_customer, cur)} per customer). "
        f"Horizon: **{horizon}**. Expects: {escape(kb.type(s.expectation).name.lower())}."
    )
    out += _economics(seg, cur)
    whom = f" for the other {seg.mix_customers:,}" if seg.top_tier is not None else ""
    out += ["", f"### Recommended mix{whom}", ""]
    out += _mix(seg.mix, kb, cur)
    out += [
        "",
        f"Total: {money(seg.total_annual_cost, cur)} a year, "
        f"{of_budget(seg.total_annual_cost, seg.mix_budget)}." + _staffing(seg.staffing, kb),
        "",
    ]
    tier = seg.top_tier
    if tier is not None:
        out += [
            "### Top tier",
            "",
            f"{tier.customers:,} customers worth {money(tier.customer_value, cur)} a year each; "
            f"budget {money(tier.budget, cur)} a year.",
            "",
        ]
        out += _mix(tier.mix, kb, cur)
        out += [
            "",
            f"Total: {money(tier.total_annual_cost, cur)} a year, "
            f"{of_budget(tier.total_annual_cost, tier.budget)}." + _staffing(tier.staffing, kb),
            "",
        ]
    if seg.steps:
        out += ["### How the mix was decided", ""]
        out += [
            f"{i}. **{step.step.replace('_', ' ')}**: {escape(step.text)}"
            for i, step in enumerate(seg.steps, 1)
        ]
        out.append("")
    out += ["### Every type, best first", ""]
    rows = []
    for ranked in seg.ranking:
        top = sorted(ranked.reasons, key=lambda r: -r.contribution)[:2]
        rows.append(
            [
                escape(kb.type(ranked.type).name),
                f"{ranked.score:.2f}",
                money(ranked.costing.annual_cost, cur),
                money(ranked.costing.cost_per_customer, cur),
                "yes" if ranked.costing.affordable else "no",
                _points(ranked.break_even_retention_gain),
                escape("; ".join(r.text for r in top)),
            ]
        )
    out += table(
        [
            "Relationship type",
            "Score",
            "Yearly cost",
            "Per customer",
            "Fits budget",
            "Pays for itself at",
            "Strongest reasons",
        ],
        rows,
        "lrrrlrl",
    )
    if seg.tactics:
        out += ["", "### Tactics", ""]
        out += [
            f"- **{escape(c.tactic.title)}** ({c.goal}): {escape(c.tactic.first_step)}"
            for c in seg.tactics
        ]
    if s.existing:

        def names(ids: tuple[str, ...]) -> str:
            return escape(", ".join(kb.type(t).name for t in ids)) or "none"

        out += [
            "",
            "### What you already have",
            "",
            f"Keep: {names(seg.existing.keep)}. Add: {names(seg.existing.add)}. "
            f"Drop: {names(seg.existing.drop)}.",
        ]
    if seg.warnings:
        out += ["", "### Warnings", ""]
        out += [f"- {escape(w)}" for w in seg.warnings]
    out.append("")
    return out


def _points(gain: float | None) -> str:
    """A break-even retention gain in words: more customers kept in 100."""
    return "never" if gain is None else f"{points(gain)} more kept in 100"


def _economics(seg: SegmentPlan, cur: str) -> list[str]:
    economics = seg.economics
    if economics is None:
        return []
    text = (
        f"A customer brings {money(economics.margin_per_customer, cur)} of margin a year and is "
        f"worth **{money(economics.customer_lifetime_value, cur)}** over their lifetime "
        f"(gross margin {share(economics.gross_margin)}, retention "
        f"{share(economics.retention_rate)}, discount rate {share(economics.discount_rate)})."
    )
    if economics.acquisition_cost is not None and economics.ltv_to_cac is not None:
        text += (
            f" Winning one costs {money(economics.acquisition_cost, cur)}: LTV:CAC "
            f"{economics.ltv_to_cac:.1f}:1"
        )
        if economics.payback_months is not None:
            text += f", paid back in {economics.payback_months:.0f} months"
        text += "."
    return ["", text]


def _mix(mix: tuple[MixEntry, ...], kb: KnowledgeBase, cur: str) -> list[str]:
    return table(
        ["Role", "Relationship type", "Yearly cost", "Why"],
        [
            [e.role, escape(kb.type(e.type).name), money(e.annual_cost, cur), escape(e.why)]
            for e in mix
        ],
        "llrl",
    )


def _staffing(staffing: tuple[Staffing, ...], kb: KnowledgeBase) -> str:
    parts = [
        f"{count(round(s.people, 2))} {'person' if round(s.people, 2) == 1 else 'people'} for "
        f"{escape(kb.type(s.type).name.lower())} ({count(round(s.customers_per_person))} "
        "customers each)"
        for s in staffing
    ]
    return f" Staff: {'; '.join(parts)}." if parts else ""


def render(plan: Plan, kb: KnowledgeBase) -> str:
    """The plan as a markdown document."""
    company = escape(plan.company) if plan.company else "your company"
    lines = [f"# Customer relationships plan for {company}", ""]
    for seg in plan.segments:
        lines += _segment(plan, seg, kb)
    lines.append(f"_Knowledge base: {escape(plan.knowledge_base)} ({plan.knowledge_sha256[:12]})._")
    return "\n".join(lines) + "\n"
