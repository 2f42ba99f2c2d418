"""The report's charts: inline SVG with a title and words, the same bytes every run."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from crstrat.answers import load_answers
from crstrat.knowledge import example_path
from crstrat.mix import make_plan
from crstrat.model import Answers, KnowledgeBase, Plan, Segment
from crstrat.render.charts import SEGMENT_CHARTS, segment_charts
from crstrat.render.report import CHART_NAMES, chart_figures, chart_ids, render
from crstrat.whatif import what_if_plan


def example_plan(kb: KnowledgeBase, name: str) -> Plan:
    return make_plan(kb, load_answers(kb, example_path(kb, name)))


def html_report(kb: KnowledgeBase, plan: Plan) -> str:
    return render(plan, kb, what_if_plan(kb, plan), fmt="html")


def test_every_chart_name_has_a_drawing() -> None:
    assert set(SEGMENT_CHARTS) == set(CHART_NAMES)


@pytest.mark.parametrize("example", ["software", "budget_airline", "dental_clinic"])
def test_each_segment_has_its_titled_charts(kb: KnowledgeBase, example: str) -> None:
    plan = example_plan(kb, example)
    for number, seg in enumerate(plan.segments, start=1):
        charts = segment_charts(plan, seg, kb, chart_ids(number))
        assert [chart.id for chart in charts] == list(chart_ids(number).values())
        for chart in charts:
            assert chart.svg.startswith("<svg ")
            assert f'<title id="{chart.id}-title">' in chart.svg
            assert f'<desc id="{chart.id}-desc">' in chart.svg
            assert 'role="img"' in chart.svg
            assert "<script" not in chart.svg and "http://" not in chart.svg.split(">", 1)[1]
            assert chart.description and seg.segment.name in chart.title


def test_the_page_carries_the_charts_in_place_of_mermaid(kb: KnowledgeBase) -> None:
    page = html_report(kb, example_plan(kb, "software"))
    assert page.count("<svg ") == 4 * 3
    assert page.count("<figure") == page.count("<figcaption>") == 12
    assert "language-mermaid" not in page and "<script" not in page.lower()
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []  # twelve charts, no id twice
    # a chart's internal links point inside the page only
    assert all(link.startswith("#") for link in re.findall(r'href="([^"]*)"', page))


def test_the_same_plan_gives_the_same_bytes(kb: KnowledgeBase) -> None:
    plan = example_plan(kb, "software")
    assert html_report(kb, plan) == html_report(kb, plan)


def test_names_are_shown_literally_in_charts(kb: KnowledgeBase) -> None:
    segment = Segment(
        name="$x^2$ <b>bold</b> & javascript:alert(1)",
        expectation="self_service",
        goals=("retain",),
        customers=500,
        purchases_per_year=2,
        spend_per_purchase=40,
    )
    plan = make_plan(
        kb, Answers(segments=(segment,), company="Co", currency="$", exchange_rate=1.0)
    )
    figures = chart_figures(plan, kb)
    text = "".join(figures.values())
    assert "<b>" not in text and "javascript:" not in text
    assert "$x^2$ &lt;b&gt;bold&lt;/b&gt; &amp; javascript&#58;alert(1)" in text


def test_markdown_marks_where_the_html_draws(kb: KnowledgeBase) -> None:
    plan = example_plan(kb, "software")
    text = render(plan, kb, what_if_plan(kb, plan), fmt="markdown")
    for number in (1, 2, 3):
        for chart_id in chart_ids(number).values():
            assert f"\n<!-- chart {chart_id} -->\n" in text
    assert "<svg" not in text and text.count("```mermaid") == 3


def test_retention_chart_pairs_what_a_type_must_keep_with_what_it_may(
    kb: KnowledgeBase,
) -> None:
    from crstrat.figures import points
    from crstrat.render.charts import MIX_FILL, OTHER_FILL, retention_break_even

    plan = example_plan(kb, "dental_clinic")
    seg = plan.segments[0]
    chart = retention_break_even(plan, seg, kb, "retention-1")
    assert chart is not None and seg.segment.name in chart.title
    never = [r for r in seg.ranking if r.break_even_retention_gain is None]
    assert never, "the example needs a type no retention pays for"
    assert chart.svg.count(">never pays<") == len(never)
    # one dark bar per type with a break-even, one light one per type, and the legend's
    paying = len(seg.ranking) - len(never)
    assert chart.svg.count(f"fill: {MIX_FILL}") == paying + 1
    # the light bars are hatched: a pattern on the light fill, told apart in greyscale
    patterns = re.findall(r'<pattern id="([^"]+)"[^>]*>\s*<rect [^>]*fill="([^"]+)"', chart.svg)
    assert [fill for _, fill in patterns] == [OTHER_FILL]
    assert chart.svg.count(f"fill: url(#{patterns[0][0]})") == len(seg.ranking) + 1
    for ranked in seg.ranking:
        name = kb.type(ranked.type).name
        gain = ranked.break_even_retention_gain
        said = f"must keep {points(gain)} more" if gain is not None else "no rise"
        effect = f"may keep {points(kb.type(ranked.type).retention_effect)} more"
        assert f"{name}: {said}" in chart.description and effect in chart.description


def test_retention_chart_needs_economics(kb: KnowledgeBase) -> None:
    from crstrat.render.charts import retention_break_even

    plan = example_plan(kb, "software")
    seg = plan.segments[0]._replace(economics=None)
    assert retention_break_even(plan, seg, kb, "retention-1") is None
    ids = chart_ids(1)
    charts = segment_charts(plan, seg, kb, ids)
    assert [chart.id for chart in charts] == [ids[n] for n in CHART_NAMES if n != "retention"]
