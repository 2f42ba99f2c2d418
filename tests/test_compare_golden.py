"""The comparison's renderers against golden files (the table at 80 and 60 columns).

Regenerate them after an intended change with
``CRSTRAT_UPDATE_GOLDEN=1 python -m pytest tests/test_compare_golden.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import assert_golden
from crstrat.answers import load_answers
from crstrat.comparison import Comparison, Scenario, compare
from crstrat.knowledge import example_path
from crstrat.mix import make_plan
from crstrat.model import KnowledgeBase
from crstrat.render import compare_json, compare_markdown, compare_table

GOLDEN = Path(__file__).parent / "golden"


def scenarios(kb: KnowledgeBase) -> Comparison:
    """The software case today, with a larger budget for small teams, and resegmented."""
    today = load_answers(kb, example_path(kb, "software"))
    small, growing, enterprises = today.segments
    bigger = today._replace(
        segments=(dataclasses.replace(small, budget_share=0.2), growing, enterprises)
    )
    agencies = dataclasses.replace(small, name="Agencies", customers=800)
    other = today._replace(segments=(small, enterprises, agencies))
    return compare(
        [
            Scenario(label, make_plan(kb, answers))
            for label, answers in (
                ("today", today),
                ("bigger budget", bigger),
                ("resegmented", other),
            )
        ]
    )


def check(name: str, text: str) -> None:
    assert_golden(GOLDEN / name, text)


@pytest.mark.parametrize("width", [80, 60])
def test_table(kb: KnowledgeBase, width: int) -> None:
    text = compare_table.render(scenarios(kb), kb, width=width)
    assert max(map(len, text.splitlines())) <= width
    assert not any(line.endswith(" ") for line in text.splitlines())
    check(f"compare-software-{width}.txt", text)


def test_markdown(kb: KnowledgeBase) -> None:
    check("compare-software.md", compare_markdown.render(scenarios(kb), kb))


def test_json(kb: KnowledgeBase) -> None:
    check("compare-software.json", compare_json.render(scenarios(kb), kb))
