"""Plan renderers against golden files, and the JSON contract (schema 1).

Regenerate the golden files after an intended change with
``CRSTRAT_UPDATE_GOLDEN=1 python -m pytest tests/test_render_plan.py`` and review the diff.
"""

from __future__ import annotations

import json

import pytest

from conftest import GOLDEN, assert_golden
from crstrat.answers import load_answers
from crstrat.knowledge import example_path
from crstrat.mix import make_plan
from crstrat.model import Answers, KnowledgeBase, Plan, Segment
from crstrat.render import PlanFormat, renderer

SUFFIX = {PlanFormat.json: "json", PlanFormat.markdown: "md", PlanFormat.table: "txt"}


def example_plan(kb: KnowledgeBase, name: str) -> Plan:
    return make_plan(kb, load_answers(kb, example_path(kb, name)))


def stable(text: str, kb: KnowledgeBase) -> str:
    """The rendering with the knowledge base's hash masked (it changes with any data edit)."""
    return text.replace(kb.sha256, "<sha256>").replace(kb.sha256[:12], "<sha>")


@pytest.mark.parametrize("fmt", list(PlanFormat))
@pytest.mark.parametrize("example", ["airline", "budget_airline"])
def test_golden(kb: KnowledgeBase, fmt: PlanFormat, example: str) -> None:
    text = stable(renderer(fmt)(example_plan(kb, example), kb), kb)
    golden = GOLDEN / f"plan-{example}.{SUFFIX[fmt]}"
    assert_golden(golden, text)


def test_every_format_has_a_renderer(kb: KnowledgeBase) -> None:
    plan = example_plan(kb, "software")
    for fmt in PlanFormat:
        assert renderer(fmt)(plan, kb).strip()


def test_json_contract(kb: KnowledgeBase) -> None:
    data = json.loads(renderer(PlanFormat.json)(example_plan(kb, "software"), kb))
    assert data["crstrat"] == 1
    assert set(data) >= {"crstrat", "version", "knowledge_base", "company", "segments"}
    assert data["knowledge_base"] == {"name": "built-in", "sha256": kb.sha256}
    for seg in data["segments"]:
        assert set(seg) >= {
            "name",
            "horizon",
            "customer_value",
            "budget",
            "ranking",
            "mix",
            "total_annual_cost",
            "tactics",
            "warnings",
        }
        assert seg["horizon"] in ("transactional", "long_term")
        assert sorted(r["type"] for r in seg["ranking"]) == sorted(kb.type_ids)
        for ranked in seg["ranking"]:
            assert set(ranked) >= {
                "type",
                "score",
                "annual_cost",
                "cost_per_customer",
                "affordable",
                "reasons",
            }
            for reason in ranked["reasons"]:
                assert set(reason) >= {"criterion", "contribution", "text"}
        roles = [m["role"] for m in seg["mix"]]
        assert roles.count("primary") == 1
        assert set(roles) <= {"primary", "support", "fallback"}
        assert seg["total_annual_cost"] <= seg["budget"] or seg["warnings"]
        for tactic in seg["tactics"]:
            assert set(tactic) >= {"id", "goal", "title"}
            assert tactic["goal"] in ("acquire", "retain", "expand")


HOSTILE = "[bold red]Evil[/] | *x* <script>alert(1)</script> \x1b[31mred\x1b[0m\r# `a`"


def hostile_plan(kb: KnowledgeBase) -> Plan:
    segment = Segment(
        name=HOSTILE,
        expectation="self_service",
        goals=("retain",),
        customers=100,
        purchases_per_year=2,
        spend_per_purchase=10,
    )
    return make_plan(
        kb,
        Answers(segments=(segment,), company=HOSTILE, currency="[/]<b>$</b>|", exchange_rate=1.0),
    )


def test_hostile_names_in_json_are_exact(kb: KnowledgeBase) -> None:
    data = json.loads(renderer(PlanFormat.json)(hostile_plan(kb), kb))
    assert data["company"] == HOSTILE
    assert data["segments"][0]["name"] == HOSTILE


def test_hostile_names_in_table_are_literal(kb: KnowledgeBase) -> None:
    text = renderer(PlanFormat.table)(hostile_plan(kb), kb)
    assert "\x1b" not in text and "\r" not in text
    assert "[bold red]Evil[/]" in text  # markup shown, not applied
    assert "\\x1b[31mred" in text
    assert "[/]<b>$</b>|" in text  # the currency too


def test_hostile_names_in_markdown_are_escaped(kb: KnowledgeBase) -> None:
    text = renderer(PlanFormat.markdown)(hostile_plan(kb), kb)
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    assert "\x1b" not in text
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    assert "\\|" in heading and "\\*x\\*" in heading


# --------------------------------------------------------------------------- terminal widths

WIDTHS = (40, 60, 80, 120)


@pytest.mark.parametrize("width", WIDTHS)
def test_table_golden_at_each_width(kb: KnowledgeBase, width: int) -> None:
    from crstrat.render.table import render

    text = render(example_plan(kb, "software"), kb, width=width)
    golden = GOLDEN / f"plan-software-{width}.txt"
    assert_golden(golden, text)


def _words_of(kb: KnowledgeBase, plan: Plan) -> set[str]:
    """Every id-like word, name and figure the table must show whole."""
    words = {kb.type(t).name.split()[-1] for t in kb.type_ids}
    for seg in plan.segments:
        words |= {
            f"{r.costing.annual_cost:,.0f}" for r in seg.ranking if r.costing.annual_cost >= 100
        }
        words |= {chosen.tactic.title.split()[-1] for chosen in seg.tactics}
    return words


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("example", ["software", "airline", "budget_airline"])
def test_table_fits_the_width_and_cuts_nothing(kb: KnowledgeBase, width: int, example: str) -> None:
    from crstrat.render.table import render

    plan = example_plan(kb, example)
    text = render(plan, kb, width=width, details=True)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    flat = " ".join(text.split())
    for word in _words_of(kb, plan):
        assert word in flat, word
    for seg in plan.segments:
        for warning in seg.warnings:  # wrapped at word boundaries, never cut
            assert " ".join(warning.split()) in flat


def test_table_puts_the_mix_before_the_ranking(kb: KnowledgeBase) -> None:
    from crstrat.render.table import render

    text = render(example_plan(kb, "software"), kb, width=80)
    assert text.index("Recommended mix") < text.index("Tactics") < text.index("Every type")
    assert "Why each score" not in text
    assert "Why each score" in render(example_plan(kb, "software"), kb, width=80, details=True)


@pytest.mark.parametrize(
    ("cost", "budget", "bar"),
    [
        (0, 100, "░░░░░░░░░░│"),
        (1, 100, "▏░░░░░░░░░│"),  # a cost is never drawn as nothing
        (50, 100, "█████░░░░░│"),
        (100, 100, "██████████│"),
        (500, 100, "██████████▶"),
        (5, 0, "██████████▶"),
    ],
)
def test_budget_bar(cost: float, budget: float, bar: str) -> None:
    from crstrat.render.table import budget_bar

    assert budget_bar(cost, budget).plain == bar


def test_budget_bar_in_ascii() -> None:
    from crstrat.render.table import budget_bar

    assert budget_bar(1, 100, ascii_only=True).plain == "#.........|"
    assert budget_bar(300, 100, ascii_only=True).plain == "##########>"


@pytest.mark.parametrize(
    ("cost", "budget", "words"),
    [
        (57, 1000, "5.7% of the budget"),
        (1500, 1000, "150% of the budget"),
        (76_167, 1000, "76 times the budget"),
        (10, 0, "with no budget to compare"),
    ],
)
def test_a_cost_against_the_budget_in_words(cost: float, budget: float, words: str) -> None:
    from crstrat.figures import of_budget

    assert of_budget(cost, budget) == words
