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
