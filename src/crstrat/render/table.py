"""The plan as rich tables: the mix, the ranking with scores and costs, tactics, warnings.

User text (company and segment names) is escaped for rich markup and its
control characters are made visible, so it is always shown literally.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..figures import horizon_words, money, printable, share
from ..model import KnowledgeBase, Plan, SegmentPlan

ROLE_STYLE = {"primary": "bold green", "support": "cyan", "fallback": "yellow"}


def user_text(value: object) -> str:
    """User text ready for rich markup: escaped, control characters made visible."""
    return escape(printable(value))


def _t(value: object, style: str = "") -> Text:
    """A table cell or line of text that rich shows literally (no markup parsed)."""
    return Text(printable(value), style=style)


def _segment(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase) -> RenderableType:
    cur = plan.currency
    s = seg.segment
    horizon = horizon_words(seg.horizon)
    facts = Text.assemble(
        f"{s.customers:,} customers worth ",
        _t(money(seg.customer_value, cur), "bold"),
        " a year each; relationship budget ",
        _t(money(seg.budget, cur), "bold"),
        " a year (",
        _t(money(seg.budget_per_customer, cur)),
        " per customer). Horizon: ",
        (horizon, "bold"),
        f". Expects: {kb.type(s.expectation).name.lower()}.",
    )

    mix = Table(title="Recommended mix", title_justify="left", expand=False, show_lines=False)
    mix.add_column("Role")
    mix.add_column("Relationship type")
    mix.add_column("Yearly cost", justify="right")
    mix.add_column("Why")
    for entry in seg.mix:
        mix.add_row(
            _t(entry.role, ROLE_STYLE.get(entry.role, "")),
            _t(kb.type(entry.type).name),
            _t(money(entry.annual_cost, cur)),
            _t(entry.why),
        )
    used = seg.total_annual_cost / seg.budget if seg.budget > 0 else 0.0
    mix.caption = _t(
        f"Total {money(seg.total_annual_cost, cur)} of {money(seg.budget, cur)} "
        f"({share(used)} of the budget)"
    )
    mix.caption_justify = "left"

    ranking = Table(title="Every type, best first", title_justify="left")
    ranking.add_column("#", justify="right")
    ranking.add_column("Relationship type")
    ranking.add_column("Score", justify="right")
    ranking.add_column("Yearly cost", justify="right")
    ranking.add_column("Per customer", justify="right")
    ranking.add_column("Fits budget")
    ranking.add_column("Strongest reasons")
    for position, ranked in enumerate(seg.ranking, start=1):
        # the cost columns already show value against cost: the words say the rest
        worded = [r for r in ranked.reasons if r.criterion != "economics"]
        top = sorted(worded, key=lambda r: -r.contribution)[:2]
        weakest = min(worded, key=lambda r: r.fit)
        why = "; ".join(r.text for r in top)
        if weakest.fit < 0.4 and weakest not in top:
            why += f"; but it {weakest.text}"
        ranking.add_row(
            str(position),
            _t(kb.type(ranked.type).name),
            f"{ranked.score:.2f}",
            _t(money(ranked.costing.annual_cost, cur)),
            _t(money(ranked.costing.cost_per_customer, cur)),
            _t("yes", "green") if ranked.costing.affordable else _t("no", "red"),
            _t(why),
        )

    parts: list[RenderableType] = [facts, Text(), mix, Text(), ranking]
    if len(s.name) > 60:  # a panel title is cut to the width: say it whole once
        parts[:0] = [_t(s.name, "bold"), Text()]
    if seg.tactics:
        tactics = Table(title="Tactics", title_justify="left")
        tactics.add_column("Goal")
        tactics.add_column("Tactic")
        tactics.add_column("First step")
        for chosen in seg.tactics:
            tactics.add_row(_t(chosen.goal), _t(chosen.tactic.title), _t(chosen.tactic.first_step))
        parts += [Text(), tactics]
    review = seg.existing
    if s.existing:

        def names(ids: tuple[str, ...]) -> Text:
            return _t(", ".join(kb.type(t).name for t in ids) or "none", "bold")

        parts += [
            Text(),
            Text.assemble(
                "Already in place: keep ",
                names(review.keep),
                ", add ",
                names(review.add),
                ", drop ",
                names(review.drop),
                ".",
            ),
        ]
    for warning in seg.warnings:
        parts += [Text(), Text.assemble(("Warning: ", "bold red"), _t(warning))]
    return Panel(Group(*parts), title=_t(s.name, "bold"), title_align="left")


def renderables(plan: Plan, kb: KnowledgeBase) -> Iterator[RenderableType]:
    """The plan as rich renderables, a panel per segment."""
    company = plan.company or "Your company"
    yield _t(f"Customer relationships plan for {company}", "bold")
    for seg in plan.segments:
        yield _segment(plan, seg, kb)


def print_plan(console: Console, plan: Plan, kb: KnowledgeBase) -> None:
    """Print the plan on a console (colour as the console decides)."""
    for part in renderables(plan, kb):
        console.print(part)


def render(plan: Plan, kb: KnowledgeBase, width: int = 120) -> str:
    """The plan as plain text tables (no colour), e.g. for a file."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    print_plan(console, plan, kb)
    return buffer.getvalue()
