"""The report's charts as inline SVG, drawn by matplotlib's SVG backend.

Each chart is a :class:`Chart`: an id the report's markdown names
(``<!-- chart ID -->``), a title, a text alternative, and the SVG itself with
``<title>`` and ``<desc>`` inside, ready to put in an HTML page (no script, no
external reference). The charts read in greyscale and in print: the mix is told
apart by marker shape, fill and hatching, never by colour alone.

The same plan gives the same bytes: the ids inside each SVG come from a fixed
hash salt (the chart's id), and no date is written.

Adding a chart is adding a function to ``SEGMENT_CHARTS``: it takes the plan, a
segment and the knowledge base and returns a Chart, or None when the plan does
not carry what it needs (e.g. lifetime value, once the plan has it).

Imports matplotlib (about 0.3 s): import this module only when a report is made.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import matplotlib as mpl
import matplotlib.style
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..figures import money, of_budget, printable, share
from ..model import KnowledgeBase, Plan, SegmentPlan

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Greys and patterns that survive greyscale printing; the mix is dark, the rest light.
INK = "#1f2328"
MIX_FILL = "#3d5a80"
OTHER_FILL = "#d0d7de"
#: One fill and hatch per scoring criterion, in the ranking's criterion order.
CRITERION_STYLE = (
    ("#1b4965", ""),
    ("#5fa8d3", "//"),
    ("#bee9e8", ""),
    ("#62b6cb", "xx"),
    ("#cae9ff", "\\\\"),
    ("#8d99ae", "||"),
    ("#2b2d42", ""),
    ("#edf2f4", "--"),
)
ROLE_MARKER = {"primary": "*", "support": "D", "fallback": "s"}
WIDTH_INCHES = 4.2  # narrow, with large type: a 390-px phone shows the text at about 9 px
FONT_SIZE = 12


class Chart(NamedTuple):
    """One chart: ``svg`` is an ``<svg>`` element (no XML prolog) with ``<title>``
    and ``<desc>``; ``description`` is the same text alternative as plain text."""

    id: str
    title: str
    description: str
    svg: str


def _figure(height_inches: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH_INCHES, height_inches))
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _svg(figure: Figure, chart_id: str, title: str, description: str) -> str:
    """The figure as an inline ``<svg>`` with an accessible title and description."""
    buffer = io.StringIO()
    # ids from a fixed salt, text as text (searchable, small), the chart's own id
    with mpl.rc_context(
        {"svg.hashsalt": f"crstrat-{chart_id}", "svg.fonttype": "none", "svg.id": chart_id}
    ):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    # matplotlib's "* {stroke-linejoin: round}" would style the whole page once inline
    text = re.sub(r"\s*<style[^>]*>.*?</style>", "", text, count=1, flags=re.DOTALL)
    text = _own_ids(text, chart_id)
    head_end = text.index(">") + 1
    head = text[:head_end].replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ',
        1,
    )
    accessible = (
        f'\n <title id="{chart_id}-title">{_xml(title)}</title>'
        f'\n <desc id="{chart_id}-desc">{_xml(description)}</desc>'
    )
    return head + accessible + text[head_end:].rstrip() + "\n"


def _own_ids(svg: str, chart_id: str) -> str:
    """Every id inside the drawing prefixed with the chart's id (and every link to
    one), so that several charts inline in one page never share an id."""
    inner = set(re.findall(r'\bid="([^"]+)"', svg)) - {chart_id}

    def prefixed(match: re.Match[str]) -> str:
        before, name, after = match.groups()
        return f"{before}{chart_id}-{name}{after}" if name in inner else match.group(0)

    svg = re.sub(r'(\bid=")([^"]+)(")', prefixed, svg)
    return re.sub(r'((?:href="|url\()#)([^")]+)([")])', prefixed, svg)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(text: object, wrap: int = 0) -> str:
    """Text matplotlib shows literally (control characters visible; mathtext is off
    while charts are drawn); with ``wrap``, broken into lines of at most that many
    characters at spaces."""
    value = printable(text)
    return "\n".join(textwrap.wrap(value, wrap)) if wrap else value


def _compact(amount: float) -> str:
    """An axis figure: ``1500`` -> ``1.5k``, ``2000000`` -> ``2M``."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(amount) >= size:
            return f"{amount / size:,.3g}{suffix}"
    return f"{amount:.3g}"


class _Box(NamedTuple):
    """A label's extent in axes fraction: across from ``left`` to ``right``, up
    from ``bottom`` to ``bottom + height``."""

    left: float
    right: float
    bottom: float
    height: float

    def overlaps(self, other: _Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.bottom < other.bottom + other.height
            and other.bottom < self.bottom + self.height
        )


def _spread(boxes: list[_Box], obstacles: list[_Box]) -> list[float]:
    """The centre height of each label box, moved up from where it was asked for
    as little as needed to overlap no obstacle (the marks) and no label placed
    before it (lowest first)."""
    placed = list(obstacles)
    centres = [0.0] * len(boxes)
    for index in sorted(range(len(boxes)), key=lambda i: boxes[i].bottom):
        box = boxes[index]
        moved = True
        while moved:
            moved = False
            for other in placed:
                if box.overlaps(other):
                    box = box._replace(bottom=other.bottom + other.height + 0.005)
                    moved = True
        placed.append(box)
        centres[index] = box.bottom + box.height / 2
    return centres


def touch_and_cost(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, chart_id: str) -> Chart:
    """Each type's personal touch (0 to 1) across and its yearly cost per customer
    up (log scale); the mix's types are marked by role and named in bold."""
    cur = plan.currency
    roles = {entry.type: entry.role for entry in seg.mix}
    height_inches = 4.4
    figure, axes = _figure(height_inches)
    costs = [max(r.costing.cost_per_customer, 0.01) for r in seg.ranking]
    low, high = math.log10(min(costs) / 3), math.log10(max(costs) * 3)
    axes.set_yscale("log")
    axes.set_ylim(10**low, 10**high)
    axes.set_xlim(-0.08, 1.08)
    # label boxes in axes fraction, from the type size and the axes' size in points
    # (matplotlib's default axes take 0.775 of the width and 0.77 of the height)
    char = (FONT_SIZE - 1) * 0.55 / (WIDTH_INCHES * 72 * 0.775)
    line = (FONT_SIZE - 1) * 1.25 / (height_inches * 72 * 0.77)
    labels, anchors, boxes = [], [], []
    for ranked, cost in zip(seg.ranking, costs, strict=True):
        role = roles.get(ranked.type)
        label = _label(kb.type(ranked.type).name + (f" ({role})" if role else ""), 18)
        x = (kb.type(ranked.type).personal_touch + 0.08) / 1.16
        y = (math.log10(cost) - low) / (high - low)
        on_right = x < 0.55
        width = char * max(len(text) for text in label.splitlines())
        height = line * (label.count("\n") + 1)
        left = x + 0.03 if on_right else x - 0.03 - width
        labels.append(label)
        anchors.append((x, y, on_right))
        boxes.append(_Box(left, left + width, y - height / 2, height))
    marks = [_Box(x - 0.025, x + 0.025, y - 0.035, 0.07) for x, y, _ in anchors]
    heights = _spread(boxes, marks)
    lines = []
    for ranked, cost, label, (x, y, right), height in zip(
        seg.ranking, costs, labels, anchors, heights, strict=True
    ):
        rel_type = kb.type(ranked.type)
        role = roles.get(ranked.type)
        axes.scatter(
            [rel_type.personal_touch],
            [cost],
            s=120 if role else 50,
            marker=ROLE_MARKER.get(role or "", "o"),
            facecolor=MIX_FILL if role else "white",
            edgecolor=INK,
            linewidth=1.2,
            zorder=3,
        )
        axes.annotate(
            label,
            (rel_type.personal_touch, cost),
            xytext=(x + (0.035 if right else -0.035), height),
            textcoords="axes fraction",
            ha="left" if right else "right",
            va="center",
            fontsize=FONT_SIZE - 1,
            fontweight="bold" if role else "normal",
            color=INK,
            arrowprops={"arrowstyle": "-", "color": "#8c959f", "linewidth": 0.6}
            if abs(height - y) > 0.02
            else None,
        )
        lines.append(
            f"{rel_type.name}: personal touch {rel_type.personal_touch:.2f}, "
            f"{money(ranked.costing.cost_per_customer, cur)} per customer a year"
            + (f", {role} in the mix" if role else "")
        )
    axes.yaxis.set_major_locator(LogLocator(base=10))
    axes.yaxis.set_minor_formatter(NullFormatter())
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _compact(value)))
    axes.set_xlabel("Personal touch (0 = none, 1 = a named person)", fontsize=FONT_SIZE)
    axes.set_ylabel(_label(f"Cost to serve a customer a year, {cur}", 28), fontsize=FONT_SIZE)
    axes.tick_params(labelsize=FONT_SIZE - 1)
    axes.grid(True, which="major", color="#e5e7eb", linewidth=0.8)
    axes.set_axisbelow(True)
    title = f"Personal touch and cost to serve: {printable(seg.segment.name)}"
    description = (
        "Each relationship type by how personal it is (across) and what it costs "
        "per customer a year (up, log scale); filled marks are the recommended mix. "
        + "; ".join(lines)
        + "."
    )
    return Chart(chart_id, title, description, _svg(figure, chart_id, title, description))


def cost_against_budget(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, chart_id: str) -> Chart:
    """The mix and each type's yearly cost as bars against the budget (a dashed
    line), on a log scale so a small cost and a huge one both show."""
    cur = plan.currency
    in_mix = {entry.type for entry in seg.mix}
    rows = [("Recommended mix", seg.total_annual_cost, True)]
    rows += [(kb.type(r.type).name, r.costing.annual_cost, r.type in in_mix) for r in seg.ranking]
    figure, axes = _figure(0.45 * len(rows) + 1.3)
    positions = list(range(len(rows)))[::-1]
    values = [max(cost, 1.0) for _, cost, _ in rows]
    bars = axes.barh(
        positions,
        values,
        height=0.62,
        color=[MIX_FILL if mixed else OTHER_FILL for _, _, mixed in rows],
        edgecolor=INK,
        linewidth=0.8,
    )
    for bar, (_, cost, _) in zip(bars, rows, strict=True):
        if seg.budget > 0 and cost > seg.budget:
            bar.set_hatch("///")
    low = min([*values, seg.budget or 1.0]) / 3
    high = max([*values, seg.budget or 1.0]) * 40
    axes.set_xscale("log")
    axes.set_xlim(low, high)
    for position, (_, cost, _) in zip(positions, rows, strict=True):
        axes.annotate(
            _label(f"{_compact(cost)}, {_short_share(cost, seg.budget)}"),
            (max(cost, 1.0), position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT_SIZE - 1,
            color=INK,
        )
    if seg.budget > 0:
        axes.axvline(seg.budget, color=INK, linestyle="--", linewidth=1.2)
        axes.annotate(
            _label(f"budget {money(seg.budget, cur)}"),
            (seg.budget, len(rows) - 0.45),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=FONT_SIZE - 1,
            color=INK,
            fontweight="bold",
        )
    axes.set_yticks(positions, [_label(name, 20) for name, _, _ in rows], fontsize=FONT_SIZE - 1)
    axes.xaxis.set_major_locator(LogLocator(base=100))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _compact(value)))
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    axes.set_xlabel(
        _label(f"Yearly cost, {cur} (log scale); hatched bars go past the budget", 44),
        fontsize=FONT_SIZE,
    )
    title = f"Yearly cost against the budget: {printable(seg.segment.name)}"
    description = f"The budget is {money(seg.budget, cur)} a year. " + "; ".join(
        f"{name}: {money(cost, cur)}, {of_budget(cost, seg.budget)}" for name, cost, _ in rows
    )
    return Chart(chart_id, title, description + ".", _svg(figure, chart_id, title, description))


def _short_share(cost: float, budget: float) -> str:
    if budget <= 0:
        return "no budget"
    fraction = cost / budget
    return share(fraction) if fraction < 2 else f"{fraction:,.0f}x"


def score_breakdown(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, chart_id: str) -> Chart:
    """Each type's score (0 to 1) as stacked bars, a part per scoring criterion."""
    criteria = [reason.criterion for reason in seg.ranking[0].reasons]
    roles = {entry.type: entry.role for entry in seg.mix}
    names = [
        kb.type(r.type).name + (f" ({roles[r.type]})" if r.type in roles else "")
        for r in seg.ranking
    ]
    figure, axes = _figure(0.45 * len(seg.ranking) + 2.2)
    positions = list(range(len(seg.ranking)))[::-1]
    left = [0.0] * len(seg.ranking)
    for index, criterion in enumerate(criteria):
        fill, hatch = CRITERION_STYLE[index % len(CRITERION_STYLE)]
        parts = [
            next((r.contribution for r in ranked.reasons if r.criterion == criterion), 0.0)
            for ranked in seg.ranking
        ]
        axes.barh(
            positions,
            parts,
            left=left,
            height=0.62,
            color=fill,
            hatch=hatch,
            edgecolor=INK,
            linewidth=0.6,
            label=_label(criterion.capitalize()),
        )
        left = [a + b for a, b in zip(left, parts, strict=True)]
    for position, ranked in zip(positions, seg.ranking, strict=True):
        axes.annotate(
            f"{ranked.score:.2f}",
            (ranked.score, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT_SIZE - 1,
            color=INK,
        )
    axes.set_xlim(0, 1.08)
    axes.set_yticks(positions, [_label(name, 20) for name in names], fontsize=FONT_SIZE - 1)
    axes.set_xlabel(
        "Score: each part is a criterion's weight\ntimes how well the type fits it",
        fontsize=FONT_SIZE,
    )
    axes.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.4, -0.25),
        ncol=3,
        fontsize=FONT_SIZE - 1,
        frameon=False,
    )
    title = f"Score breakdown: {printable(seg.segment.name)}"
    description = "; ".join(
        f"{kb.type(r.type).name} {r.score:.2f} ("
        + ", ".join(f"{x.criterion} {x.contribution:.2f}" for x in r.reasons)
        + ")"
        for r in seg.ranking
    )
    return Chart(chart_id, title, description + ".", _svg(figure, chart_id, title, description))


ChartMaker = Callable[[Plan, SegmentPlan, KnowledgeBase, str], "Chart | None"]

#: The charts of every segment: a name the template uses, and the function drawing it.
SEGMENT_CHARTS: dict[str, ChartMaker] = {
    "touch_cost": touch_and_cost,
    "budget": cost_against_budget,
    "scores": score_breakdown,
}


def segment_charts(
    plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, ids: Mapping[str, str]
) -> list[Chart]:
    """A segment's charts; ``ids`` gives each chart's id by its name in ``SEGMENT_CHARTS``."""
    charts = []
    # matplotlib's defaults whatever a matplotlibrc says (the same bytes on every
    # machine), and "$x$" in a name is text, never mathtext
    with (
        mpl.style.context("default"),
        mpl.rc_context({"text.parse_math": False, "text.usetex": False}),
    ):
        for name, make in SEGMENT_CHARTS.items():
            chart = make(plan, seg, kb, ids[name])
            if chart is not None:
                charts.append(chart)
    return charts
