"""The plan as markdown: a section per segment with the mix, the ranking, tactics, warnings.

User text is escaped so that it is shown literally: markdown punctuation gets a
backslash, ``<``, ``>`` and ``&`` become entities, ``|`` cannot break a table,
and line breaks cannot start a new block.
"""

from __future__ import annotations

import re

from ..figures import horizon_words, listing, money, of_budget, printable
from ..model import KnowledgeBase, Plan, RankedType, SegmentPlan

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


def strongest_reasons(ranked: RankedType) -> str:
    """A type's two strongest reasons, and its weakest when that is poor. The
    economics reason is left to the cost columns beside it."""
    worded = [r for r in ranked.reasons if r.criterion != "economics"]
    top = sorted(worded, key=lambda r: -r.contribution)[:2]
    weakest = min(worded, key=lambda r: r.fit)
    why = "; ".join(r.text for r in top)
    if weakest.fit < 0.4 and weakest not in top:
        why += f"; but it {weakest.text}"
    return why


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
    out += ["", "### Recommended mix", ""]
    out += table(
        ["Role", "Relationship type", "Yearly cost", "Why"],
        [
            [e.role, escape(kb.type(e.type).name), money(e.annual_cost, cur), escape(e.why)]
            for e in seg.mix
        ],
        "llrl",
    )
    out += [
        "",
        f"Total: {money(seg.total_annual_cost, cur)} a year, "
        f"{of_budget(seg.total_annual_cost, seg.budget)}.",
        "",
    ]
    out += ["### Every type, best first", ""]
    rows = []
    for ranked in seg.ranking:
        rows.append(
            [
                escape(kb.type(ranked.type).name),
                f"{ranked.score:.2f}",
                money(ranked.costing.annual_cost, cur),
                money(ranked.costing.cost_per_customer, cur),
                "yes" if ranked.costing.affordable else "no",
                escape(strongest_reasons(ranked)),
            ]
        )
    out += table(
        [
            "Relationship type",
            "Score",
            "Yearly cost",
            "Per customer",
            "Fits budget",
            "Strongest reasons",
        ],
        rows,
        "lrrrll",
    )
    if seg.tactics:
        out += ["", "### Tactics", ""]
        out += [
            f"- **{escape(c.tactic.title)}** ({c.goal}): {escape(c.tactic.first_step)}"
            for c in seg.tactics
        ]
    if s.existing:
        review = seg.existing
        moves = [
            f"{verb} {escape(listing([kb.type(t).name for t in ids]))}."
            for verb, ids in (("Keep", review.keep), ("Add", review.add), ("Drop", review.drop))
            if ids
        ]
        out += ["", "### What you already have", "", " ".join(moves)]
    if seg.warnings:
        out += ["", "### Warnings", ""]
        out += [f"- {escape(w)}" for w in seg.warnings]
    out.append("")
    return out


def render(plan: Plan, kb: KnowledgeBase) -> str:
    """The plan as a markdown document."""
    company = escape(plan.company) if plan.company else "your company"
    lines = [f"# Customer relationships plan for {company}", ""]
    for seg in plan.segments:
        lines += _segment(plan, seg, kb)
    lines.append(f"_Knowledge base: {escape(plan.knowledge_base)} ({plan.knowledge_sha256[:12]})._")
    return "\n".join(lines) + "\n"
