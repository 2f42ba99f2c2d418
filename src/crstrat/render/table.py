"""The plan for a terminal: what matters first, laid out for the width at hand.

Each segment reads top to bottom: the facts, the recommended mix and what it
costs against the budget, the warnings, the tactics, then every type ranked with
its yearly cost drawn as a bar against the budget. ``details=True`` adds the
reasons behind each score. Nothing is ever cut: names and sentences wrap at word
boundaries and figures stay on one line; when the columns of the ranking would
not leave its names room for a whole word, each type stacks on two lines.

User text (company and segment names) is shown literally: control characters are
made visible and nothing is read as rich markup.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from typing import Literal, NamedTuple

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..figures import horizon_words, money, of_budget, points, printable, share, staff
from ..model import KnowledgeBase, MixEntry, Plan, SegmentPlan, Staffing

ROLE_STYLE = {"primary": "bold green", "support": "cyan", "fallback": "yellow"}
MIN_WIDTH = 30  # a narrower console (or COLUMNS=0) is laid out at the terminal's real size
BAR_CELLS = 10  # the budget is the full bar
_EIGHTHS = " ▏▎▍▌▋▊▉"


def _t(value: object, style: str = "") -> Text:
    """A line of text that rich shows literally (no markup parsed)."""
    return Text(printable(value), style=style)


def budget_bar(cost: float, budget: float, *, ascii_only: bool = False) -> Text:
    """``cost`` against ``budget`` as a bar of ``BAR_CELLS`` cells and an end mark.

    The filled part is the share of the budget in eighths of a cell; the end
    mark is ``│`` when the cost fits and ``▶`` when it goes past the budget.
    With ``ascii_only`` the bar is drawn with ``#``, ``.``, ``|`` and ``>``.
    """
    fraction = cost / budget if budget > 0 else float("inf")
    eighths = round(min(fraction, 1.0) * BAR_CELLS * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1  # a cost is never drawn as nothing
    full, part = divmod(eighths, 8)
    over = fraction > 1.0
    if ascii_only:
        filled = "#" * max(full + (1 if part >= 4 else 0), 1 if eighths else 0)
        track = "." * (BAR_CELLS - len(filled))
        end = ">" if over else "|"
    else:
        filled = "█" * full + (_EIGHTHS[part] if part else "")
        track = "░" * (BAR_CELLS - len(filled))
        end = "▶" if over else "│"
    return Text.assemble(
        (filled, "red" if over else "green"), (track, "dim"), (end, "bold red" if over else "")
    )


def _heading(title: str, note: str = "") -> Text:
    return Text.assemble((title, "bold"), note)


def _facts(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase) -> Text:
    cur = plan.currency
    s = seg.segment
    return Text.assemble(
        f"{s.customers:,} customers, each worth ",
        _t(money(seg.customer_value, cur), "bold"),
        " a year. Relationship budget ",
        _t(money(seg.budget, cur), "bold"),
        " a year (",
        _t(money(seg.budget_per_customer, cur)),
        " per customer). Horizon: ",
        (horizon_words(seg.horizon), "bold"),
        f". They expect {kb.type(s.expectation).name.lower()}.",
    )


def _economics(plan: Plan, seg: SegmentPlan) -> Text:
    """What a customer is worth over time, and what winning one costs (if known)."""
    economics = seg.economics
    if economics is None:
        return Text()
    cur = plan.currency
    line = Text.assemble(
        "Lifetime value ",
        _t(money(economics.customer_lifetime_value, cur), "bold"),
        f" a customer ({money(economics.margin_per_customer, cur)} of margin a year, "
        f"{share(economics.retention_rate)} kept each year",
        "; the usual figures where you gave none)." if economics.defaulted else ").",
    )
    if economics.acquisition_cost is not None and economics.ltv_to_cac is not None:
        line.append(f" Winning one costs {money(economics.acquisition_cost, cur)}: LTV:CAC ")
        line.append(f"{economics.ltv_to_cac:.1f}:1", "bold")
        if economics.payback_months is not None:
            line.append(f", paid back in {economics.payback_months:.0f} months")
        line.append(".")
    return line


def _staffing(kb: KnowledgeBase, staffing: tuple[Staffing, ...]) -> Text:
    """The people the human types of a mix take, in fractions of a person."""
    parts = [
        staff(s.people, kb.type(s.type).name.lower(), s.customers_per_person) for s in staffing
    ]
    return _t(f"Staff: {'; '.join(parts)}." if parts else "", "dim")


class _NameAndFigure:
    """A name that wraps on the left and a figure kept whole on the right; when
    the figure leaves the name no room for its longest word, the figure goes on
    a line of its own under the name, to the right."""

    def __init__(self, name: Text, figure: Text) -> None:
        self.name = name
        self.figure = figure

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((len(word) for word in self.name.plain.split()), default=0)
        widest = self.name.cell_len + 1 + self.figure.cell_len
        return Measurement(max(longest, self.figure.cell_len), widest).clamp(
            max_width=options.max_width
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        longest = max((len(word) for word in self.name.plain.split()), default=0)
        if longest + 1 + self.figure.cell_len <= options.max_width:
            line = Table.grid(expand=True, padding=(0, 1))
            line.add_column(ratio=1)
            line.add_column(justify="right", no_wrap=True)
            line.add_row(self.name, self.figure)
            yield line
        else:
            yield self.name
            yield Text.assemble(self.figure, justify="right")


def _name_and_figure(name: Text, figure: Text) -> _NameAndFigure:
    return _NameAndFigure(name, figure)


def _labelled(justify: Literal["left", "right"]) -> Table:
    """Two columns: a short label that never wraps, then the text, which takes the rest."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify=justify, no_wrap=True)
    grid.add_column(ratio=1)
    return grid


def _mix_rows(plan: Plan, mix: tuple[MixEntry, ...], kb: KnowledgeBase) -> Table:
    grid = _labelled("left")
    for entry in mix:
        name = _name_and_figure(
            _t(kb.type(entry.type).name, "bold"), _t(money(entry.annual_cost, plan.currency))
        )
        grid.add_row(
            _t(entry.role, ROLE_STYLE.get(entry.role, "")), Group(name, _t(entry.why, "dim"))
        )
    return grid


def _mix(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase) -> list[RenderableType]:
    cur = plan.currency
    total = Text.assemble(
        ": ",
        _t(money(seg.total_annual_cost, cur), "bold"),
        f" a year, {of_budget(seg.total_annual_cost, seg.mix_budget)}",
    )
    heading = _heading("Recommended mix", "").append_text(total)
    if seg.top_tier is not None:
        heading = _heading("Recommended mix", f" for the other {seg.mix_customers:,}")
        heading.append_text(total)
    parts: list[RenderableType] = [heading, _mix_rows(plan, seg.mix, kb)]
    if seg.staffing:
        parts.append(_staffing(kb, seg.staffing))
    tier = seg.top_tier
    if tier is not None:
        parts += [
            Text(),
            Text.assemble(
                ("Top tier", "bold"),
                f": {tier.customers:,} customers worth {money(tier.customer_value, cur)} a year "
                f"each; ",
                _t(money(tier.total_annual_cost, cur), "bold"),
                f" a year, {of_budget(tier.total_annual_cost, tier.budget)}",
            ),
            _mix_rows(plan, tier.mix, kb),
        ]
        if tier.staffing:
            parts.append(_staffing(kb, tier.staffing))
    return parts


def _steps(seg: SegmentPlan) -> list[RenderableType]:
    """How the decision went, step by step (the plan's ``steps``)."""
    if not seg.steps:
        return []
    grid = _labelled("left")
    for step in seg.steps:
        grid.add_row(_t(step.step.replace("_", " "), "cyan"), _t(step.text))
    return [Text(), _heading("How the mix was decided", ""), grid]


def _tactics(seg: SegmentPlan) -> list[RenderableType]:
    if not seg.tactics:
        return []
    grid = _labelled("left")
    for chosen in seg.tactics:
        grid.add_row(
            _t(chosen.goal, "cyan"),
            Group(_t(chosen.tactic.title, "bold"), _t(chosen.tactic.first_step)),
        )
    return [Text(), _heading("Tactics", " (goal, tactic, first step)"), grid]


def _existing(seg: SegmentPlan, kb: KnowledgeBase) -> list[RenderableType]:
    if not seg.segment.existing:
        return []
    review = seg.existing
    parts: list[str | tuple[str, str] | Text] = [("Already in place. ", "bold")]
    for verb, ids in (("Keep", review.keep), ("Add", review.add), ("Drop", review.drop)):
        if ids:
            names = [kb.type(type_id).name for type_id in ids]
            parts += [f"{verb} ", _t(_and(names), "bold"), ". "]
    if len(parts) == 1:
        return []
    line = Text.assemble(*parts)
    line.rstrip()
    return [Text(), line]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class _Row(NamedTuple):
    """One type of the ranking, its cells ready to lay out."""

    name: Text
    score: str
    cost: str
    per_customer: str
    bar: Text
    used: Text


def _rows(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, ascii_only: bool) -> list[_Row]:
    cur = plan.currency
    in_mix = {entry.type for entry in seg.mix}
    rows = []
    for ranked in seg.ranking:
        cost = ranked.costing.annual_cost
        mark = " *" if ranked.type in in_mix else ""
        budget = seg.mix_budget  # with a top tier, the rest's share of the budget
        if budget <= 0:
            used = "n/a"
        else:
            used = share(cost / budget) if cost <= 2 * budget else f"{cost / budget:,.0f}x"
        rows.append(
            _Row(
                Text.assemble(_t(kb.type(ranked.type).name), (mark, "bold green")),
                f"{ranked.score:.2f}",
                money(cost, cur),
                money(ranked.costing.cost_per_customer, cur),
                budget_bar(cost, budget, ascii_only=ascii_only),
                _t(used, "" if ranked.costing.affordable else "red"),
            )
        )
    return rows


def _ranking_stacked(rows: list[_Row], width: int) -> Table:
    """Two lines a type: its name and score, then its cost and its bar (three
    lines, the bar under the cost, when both do not fit on one)."""
    grid = _labelled("right")
    pad = max(len(row.used) for row in rows) + 1
    number = len(str(len(rows))) + 1
    one_line = number + max(len(row.cost) for row in rows) + 1 + BAR_CELLS + 1 + pad <= width
    for position, row in enumerate(rows, start=1):
        figure = row.bar + Text(" " * (pad - len(row.used))) + row.used
        lines: list[RenderableType] = [_name_and_figure(row.name, _t(row.score))]
        if one_line:
            lines.append(_name_and_figure(_t(row.cost), figure))
        else:
            lines += [_t(row.cost), figure]
        grid.add_row(str(position), Group(*lines))
    return grid


def _ranking_columns(rows: list[_Row], per_customer: bool) -> Table:
    """A row a type, in columns (with the cost per customer when there is room)."""
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Type", ratio=1)
    for header in ("Score", "Yearly cost", "Per customer")[: 3 if per_customer else 2]:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Budget", no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    for position, row in enumerate(rows, start=1):
        figures = (row.score, row.cost, row.per_customer)[: 3 if per_customer else 2]
        table.add_row(str(position), row.name, *map(_t, figures), row.bar, row.used)
    return table


def _ranking(
    plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, width: int, ascii_only: bool
) -> list[RenderableType]:
    """Every type ranked with its cost against the budget: in columns when the
    names keep room for their longest word, else stacked."""
    rows = _rows(plan, seg, kb, ascii_only)
    names = [row.name.plain.removesuffix(" *") for row in rows]
    longest_word = max(len(word) for name in names for word in name.split())
    # #, type (its longest word and the mix mark), score, cost, bar, share; 2 spaces apart
    columns_need = 1 + longest_word + 2 + 5 + max(len(r.cost) for r in rows) + BAR_CELLS + 7 + 5 * 2
    room_for_more = width - columns_need - (max(map(len, names)) - longest_word)
    if width < columns_need:
        body: RenderableType = _ranking_stacked(rows, width)
    else:
        per_customer = room_for_more >= max(12, *(len(r.per_customer) for r in rows)) + 2
        body = _ranking_columns(rows, per_customer)
    past = ">" if ascii_only else "▶"
    key = (
        "* in the recommended mix (a fallback there serves only its share of the customers; "
        f"here each type serves them all). A full bar is the whole budget; {past} goes past it"
    )
    key += " (5x: five times the budget)."
    title = _heading("Every type, best first", " (yearly cost against the budget)")
    return [Text(), title, body, _t(key, "dim")]


def _reasons(seg: SegmentPlan, kb: KnowledgeBase) -> list[RenderableType]:
    """Why each type scores as it does: every criterion's part, largest first."""
    parts: list[RenderableType] = [Text(), _heading("Why each score", " (criterion's part, why)")]
    for ranked in seg.ranking:
        parts.append(
            _name_and_figure(_t(kb.type(ranked.type).name, "bold"), _t(f"{ranked.score:.2f}"))
        )
        gain = ranked.break_even_retention_gain
        if gain is not None:
            parts.append(
                _t(
                    f"pays for itself if it keeps {points(gain)} more customers in 100",
                    "dim",
                )
            )
        grid = _labelled("right")
        for reason in sorted(ranked.reasons, key=lambda r: -r.contribution):
            grid.add_row(f"{reason.contribution:.2f}", _t(reason.text))
        parts.append(grid)
    return parts


def _segment(
    plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, width: int, details: bool, ascii_only: bool
) -> Iterator[RenderableType]:
    yield _t(seg.segment.name, "bold")
    yield Rule(style="dim", characters="-" if ascii_only else "─")
    yield _facts(plan, seg, kb)
    if seg.economics is not None:
        yield _economics(plan, seg)
    yield Text()
    yield from _mix(plan, seg, kb)
    for warning in seg.warnings:
        yield Text()
        yield Text.assemble(("Warning: ", "bold red"), _t(warning))
    yield from _tactics(seg)
    yield from _existing(seg, kb)
    yield from _ranking(plan, seg, kb, width, ascii_only)
    if details:
        yield from _steps(seg)
        yield from _reasons(seg, kb)


def renderables(
    plan: Plan, kb: KnowledgeBase, width: int, *, details: bool = False, ascii_only: bool = False
) -> Iterator[RenderableType]:
    """The plan as rich renderables laid out for ``width`` columns."""
    company = plan.company or "your company"
    yield _t(f"Customer relationships plan for {company}", "bold")
    for seg in plan.segments:
        yield Text()
        yield from _segment(plan, seg, kb, width, details, ascii_only)
    if not details:
        yield Text()
        yield _t("The reasons behind each score: add --details.", "dim")


def _usable_width(console: Console) -> int:
    """The console's width; on a dumb terminal (which rich takes as 80 columns) or
    when the width is nonsense (``COLUMNS=0``), the terminal's own: a positive
    ``COLUMNS``, else what the terminal says. Never below ``MIN_WIDTH``."""
    width = console.width
    if console.is_dumb_terminal or width < MIN_WIDTH:
        # shutil skips a COLUMNS that is not a positive number and asks the terminal
        width = shutil.get_terminal_size((80, 24)).columns
    return max(width, MIN_WIDTH)


def print_plan(console: Console, plan: Plan, kb: KnowledgeBase, *, details: bool = False) -> None:
    """Print the plan on a console (colour and width as the console decides)."""
    width = _usable_width(console)
    if width != console.width:
        console.size = (width, console.height)
    ascii_only = console.options.ascii_only or os.environ.get("TERM") == "dumb"
    for part in renderables(plan, kb, width, details=details, ascii_only=ascii_only):
        console.print(part)


def render(plan: Plan, kb: KnowledgeBase, width: int = 100, *, details: bool = False) -> str:
    """The plan as plain text (no colour) for ``width`` columns, e.g. for a file."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    print_plan(console, plan, kb, details=details)
    return buffer.getvalue()
