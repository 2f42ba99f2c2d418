"""The report's charts as inline SVG, drawn by matplotlib's SVG backend.

Each chart is a :class:`Chart`: an id the report's markdown names
(``<!-- chart ID -->``), a title, a text alternative, and the SVG itself with
``<title>`` and ``<desc>`` inside, ready to put in an HTML page (no script, no
external reference). The charts read in greyscale and in print: the mix is told
apart by marker shape, fill and hatching, never by colour alone.

The same plan gives the same bytes: the ids inside each SVG come from a fixed
hash salt (the chart's id), and no date is written.

Adding a chart (say lifetime value against cost to serve) takes three lines: a
function in ``SEGMENT_CHARTS`` that takes the plan, a segment, the knowledge base
and the chart's id and returns a Chart (or None when the plan lacks what it
needs), its name in ``report.CHART_NAMES``, and a ``<!-- chart {{
seg.charts.NAME }} -->`` line where the report's template should show it.

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
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..figures import money, of_budget, points, printable, share
from ..model import KnowledgeBase, Plan, SegmentPlan

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import XAxis, YAxis

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
    ("#e9c46a", "++"),  # economics: told from expectation by its lightness and cross
    ("#edf2f4", "--"),
)
ROLE_MARKER = {"primary": "*", "support": "D", "fallback": "s"}
WIDTH_INCHES = 4.2  # narrow, with large type: a 390-px phone shows the text at about 9 px
BAR_CHART_INCHES = 3.4
FONT_SIZE = 12


class Chart(NamedTuple):
    """One chart: ``svg`` is an ``<svg>`` element (no XML prolog) with ``<title>``
    and ``<desc>``; ``description`` is the same text alternative as plain text."""

    id: str
    title: str
    description: str
    svg: str


def _figure(height_inches: float, width_inches: float = WIDTH_INCHES) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width_inches, height_inches))
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


class _Point(NamedTuple):
    """A type on the personal-touch chart: where it is (data and axes fraction)."""

    label: str
    role: str | None
    touch: float
    cost: float
    x: float  # axes fraction
    y: float  # axes fraction

    @property
    def label_on_right(self) -> bool:
        return self.x < 0.55


def _label_heights(points: list[_Point], height_inches: float) -> list[float]:
    """Where each point's label goes up (axes fraction) so that no two labels and
    no label and mark overlap; the box sizes come from the type size and the axes'
    size in points (matplotlib's default axes take 0.775 of the width, 0.77 of the
    height)."""
    char = (FONT_SIZE - 1) * 0.55 / (WIDTH_INCHES * 72 * 0.775)
    line = (FONT_SIZE - 1) * 1.25 / (height_inches * 72 * 0.77)
    boxes = []
    for point in points:
        width = char * max(len(text) for text in point.label.splitlines())
        height = line * (point.label.count("\n") + 1)
        left = point.x + 0.03 if point.label_on_right else point.x - 0.03 - width
        boxes.append(_Box(left, left + width, point.y - height / 2, height))
    marks = [_Box(p.x - 0.025, p.x + 0.025, p.y - 0.035, 0.07) for p in points]
    return _spread(boxes, marks)


def _draw_point(axes: Axes, point: _Point, label_height: float) -> None:
    """The point's mark (its role's shape, filled when in the mix) and its label,
    with a leader line when the label had to move away from it."""
    axes.scatter(
        [point.touch],
        [point.cost],
        s=120 if point.role else 50,
        marker=ROLE_MARKER.get(point.role or "", "o"),
        facecolor=MIX_FILL if point.role else "white",
        edgecolor=INK,
        linewidth=1.2,
        zorder=3,
    )
    right = point.label_on_right
    leader = {"arrowstyle": "-", "color": "#8c959f", "linewidth": 0.6}
    axes.annotate(
        point.label,
        (point.touch, point.cost),
        xytext=(point.x + (0.035 if right else -0.035), label_height),
        textcoords="axes fraction",
        ha="left" if right else "right",
        va="center",
        fontsize=FONT_SIZE - 1,
        fontweight="bold" if point.role else "normal",
        color=INK,
        arrowprops=leader if abs(label_height - point.y) > 0.02 else None,
    )


def _money_axis(axis: XAxis | YAxis, base: int) -> None:
    """A log-scaled money axis with compact figures (``10k``, ``1M``) at powers of ``base``."""
    axis.set_major_locator(LogLocator(base=base))
    axis.set_major_formatter(FuncFormatter(lambda value, _: _compact(value)))
    axis.set_minor_formatter(NullFormatter())


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
    points = []
    for ranked, cost in zip(seg.ranking, costs, strict=True):
        rel_type, role = kb.type(ranked.type), roles.get(ranked.type)
        points.append(
            _Point(
                _label(rel_type.name + (f" ({role})" if role else ""), 18),
                role,
                rel_type.personal_touch,
                cost,
                (rel_type.personal_touch + 0.08) / 1.16,
                (math.log10(cost) - low) / (high - low),
            )
        )
    for point, height in zip(points, _label_heights(points, height_inches), strict=True):
        _draw_point(axes, point, height)
    _money_axis(axes.yaxis, 10)
    axes.set_xlabel("Personal touch (0 = none, 1 = a named person)", fontsize=FONT_SIZE)
    axes.set_ylabel(_label(f"Cost to serve a customer a year, {cur}", 28), fontsize=FONT_SIZE)
    axes.tick_params(labelsize=FONT_SIZE - 1)
    axes.grid(True, which="major", color="#e5e7eb", linewidth=0.8)
    axes.set_axisbelow(True)
    title = f"Personal touch and cost to serve: {printable(seg.segment.name)}"
    description = (
        "Each relationship type by how personal it is (across) and what it costs "
        "per customer a year (up, log scale); filled marks are the recommended mix. "
        + "; ".join(
            f"{kb.type(r.type).name}: personal touch {kb.type(r.type).personal_touch:.2f}, "
            f"{money(r.costing.cost_per_customer, cur)} per customer a year"
            + (f", {roles[r.type]} in the mix" if r.type in roles else "")
            for r in seg.ranking
        )
        + "."
    )
    return Chart(chart_id, title, description, _svg(figure, chart_id, title, description))


def cost_against_budget(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, chart_id: str) -> Chart:
    """The mix and each type's yearly cost as bars against the budget (a dashed
    line), on a log scale so a small cost and a huge one both show."""
    cur = plan.currency
    # with a top tier, the ranking's costs are the rest's, against what is left to them
    budget = seg.mix_budget
    in_mix = {entry.type for entry in seg.mix}
    rows = [("Recommended mix", seg.total_annual_cost, True)]
    rows += [(kb.type(r.type).name, r.costing.annual_cost, r.type in in_mix) for r in seg.ranking]
    # narrower than the others: the names at the left take the rest of a phone's width
    figure, axes = _figure(0.45 * len(rows) + 1.3, BAR_CHART_INCHES)
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
        if budget > 0 and cost > budget:
            bar.set_hatch("///")
    low = min([*values, budget or 1.0]) / 3
    high = max([*values, budget or 1.0]) * 40
    axes.set_xscale("log")
    axes.set_xlim(low, high)
    for position, (_, cost, _) in zip(positions, rows, strict=True):
        axes.annotate(
            _label(f"{_compact(cost)}, {_short_share(cost, budget)}"),
            (max(cost, 1.0), position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT_SIZE - 1,
            color=INK,
        )
    if budget > 0:
        axes.axvline(budget, color=INK, linestyle="--", linewidth=1.2)
        axes.annotate(
            _label(f"budget {money(budget, cur)}"),
            (budget, len(rows) - 0.45),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=FONT_SIZE - 1,
            color=INK,
            fontweight="bold",
        )
    axes.set_yticks(positions, [_label(name, 20) for name, _, _ in rows], fontsize=FONT_SIZE - 1)
    _money_axis(axes.xaxis, 100)
    axes.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    axes.set_xlabel(
        _label(f"Yearly cost, {cur} (log scale); hatched bars go past the budget", 44),
        fontsize=FONT_SIZE,
    )
    title = f"Yearly cost against the budget: {printable(seg.segment.name)}"
    description = f"The budget is {money(budget, cur)} a year. " + "; ".join(
        f"{name}: {money(cost, cur)}, {of_budget(cost, budget)}" for name, cost, _ in rows
    )
    return Chart(chart_id, title, description + ".", _svg(figure, chart_id, title, description))


def _short_share(cost: float, budget: float) -> str:
    if budget <= 0:
        return "no budget"
    fraction = cost / budget
    return share(fraction) if fraction < 2 else f"{fraction:,.0f}x"


def _names_with_roles(seg: SegmentPlan, kb: KnowledgeBase) -> list[str]:
    """Each ranked type's name, with its role when it is in the mix ("Self-service (support)")."""
    roles = {entry.type: entry.role for entry in seg.mix}
    return [
        kb.type(r.type).name + (f" ({roles[r.type]})" if r.type in roles else "")
        for r in seg.ranking
    ]


def score_breakdown(plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, chart_id: str) -> Chart:
    """Each type's score (0 to 1) as stacked bars, a part per scoring criterion."""
    criteria = [reason.criterion for reason in seg.ranking[0].reasons]
    names = _names_with_roles(seg, kb)
    figure, axes = _figure(0.45 * len(seg.ranking) + 2.4, BAR_CHART_INCHES)
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
        bbox_to_anchor=(0.3, -0.22),
        ncol=2,
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


def retention_break_even(
    plan: Plan, seg: SegmentPlan, kb: KnowledgeBase, chart_id: str
) -> Chart | None:
    """Each type's break-even retention gain (the rise of the retention rate that
    pays for its cost per customer, in customers kept in 100) against the rise it
    plausibly brings (the knowledge base's ``retention_effect``), as paired bars:
    dark for what it must keep, light and hatched for what it may keep. A type no
    rise can pay for has no dark bar and says so. None without economics."""
    if seg.economics is None:
        return None
    names = _names_with_roles(seg, kb)
    needed = [r.break_even_retention_gain for r in seg.ranking]
    effects = [kb.type(r.type).retention_effect for r in seg.ranking]
    figure, axes = _figure(0.62 * len(seg.ranking) + 2.0, BAR_CHART_INCHES)
    centres = [1.0 * i for i in range(len(seg.ranking))][::-1]
    high = max([*(100 * g for g in needed if g is not None), *(100 * e for e in effects), 1.0])
    axes.set_xlim(0, high * 1.6)
    for centre, gain, effect in zip(centres, needed, effects, strict=True):
        must, may = centre + 0.19, centre - 0.19
        axes.barh(
            [may],
            [100 * effect],
            height=0.36,
            color=OTHER_FILL,
            hatch="//",
            edgecolor=INK,
            linewidth=0.6,
        )
        _bar_label(axes, _bar_points(effect), 100 * effect, may)
        if gain is None:
            _bar_label(axes, "never pays", 0, must, bold=True)
            continue
        axes.barh([must], [100 * gain], height=0.36, color=MIX_FILL, edgecolor=INK, linewidth=0.6)
        _bar_label(axes, _bar_points(gain), 100 * gain, must, bold=True)
    must_keep = Patch(facecolor=MIX_FILL, edgecolor=INK, label="Must keep to pay for itself")
    may_keep = Patch(facecolor=OTHER_FILL, edgecolor=INK, hatch="//", label="May plausibly keep")
    axes.set_yticks(centres, [_label(name, 20) for name in names], fontsize=FONT_SIZE - 1)
    axes.set_xlabel("More customers kept in 100, a year", fontsize=FONT_SIZE)
    axes.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    axes.legend(
        handles=[must_keep, may_keep],
        loc="upper center",
        bbox_to_anchor=(0.3, -0.12),
        ncol=1,
        fontsize=FONT_SIZE - 1,
        frameon=False,
    )
    title = f"Retention that pays for each type: {printable(seg.segment.name)}"
    description = (
        "For each relationship type, how many more customers in 100 it must keep a year "
        "to pay for what it costs per customer, against how many more it plausibly keeps. "
        + "; ".join(
            f"{kb.type(r.type).name}: "
            + (
                f"must keep {points(g)} more in 100"
                if g is not None
                else "no rise of retention pays for it"
            )
            + f", may keep {points(e)} more"
            for r, g, e in zip(seg.ranking, needed, effects, strict=True)
        )
    )
    return Chart(chart_id, title, description + ".", _svg(figure, chart_id, title, description))


def _bar_label(axes: Axes, text: str, x: float, y: float, *, bold: bool = False) -> None:
    """A small label just right of the end of a bar."""
    axes.annotate(
        text,
        (x, y),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        fontsize=FONT_SIZE - 2,
        color=INK,
        fontweight="bold" if bold else "normal",
    )


def _bar_points(gain: float) -> str:
    """A rise of retention as a bar's label: ``0.042`` -> ``4.2``, tiny ones ``<0.1``."""
    return "<0.1" if gain * 100 < 0.05 else f"{gain * 100:.1f}"


ChartMaker = Callable[[Plan, SegmentPlan, KnowledgeBase, str], "Chart | None"]

#: The charts of every segment: a name the template uses, and the function drawing it.
SEGMENT_CHARTS: dict[str, ChartMaker] = {
    "touch_cost": touch_and_cost,
    "budget": cost_against_budget,
    "scores": score_breakdown,
    "retention": retention_break_even,
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
