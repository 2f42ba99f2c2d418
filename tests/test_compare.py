"""``crstrat compare``: scenarios side by side in a table, markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from crstrat.comparison import FIGURES, Scenario, compare
from crstrat.knowledge import example_path
from crstrat.model import KnowledgeBase

Cli = Any


@pytest.fixture
def scenarios(tmp_path: Path, kb: KnowledgeBase) -> dict[str, Path]:
    """Today's software case; a larger budget for small teams and more enterprises;
    another segmentation (growing companies dropped, agencies added)."""
    today: dict[str, Any] = yaml.safe_load(example_path(kb, "software").read_text("utf-8"))
    bigger = json.loads(json.dumps(today))
    bigger["segments"][0]["budget_share"] = 0.2
    bigger["segments"][2]["customers"] = 400
    other = json.loads(json.dumps(today))
    other["segments"].pop(1)
    other["segments"].append({**other["segments"][0], "name": "Agencies", "customers": 800})
    paths = {}
    for name, data in (("today", today), ("bigger", bigger), ("resegmented", other)):
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return paths


def test_json_lines_up_segments_and_says_what_changed(cli: Cli, scenarios: dict[str, Path]) -> None:
    result = cli("compare", scenarios["today"], scenarios["bigger"], scenarios["resegmented"])
    assert result.code == 0, result.err
    data = json.loads(result.out)  # JSON off a terminal
    assert [s["label"] for s in data["scenarios"]] == ["today", "bigger", "resegmented"]
    segments = {s["name"]: s for s in data["segments"]}
    assert list(segments) == ["Small teams", "Growing companies", "Enterprises", "Agencies"]
    small = segments["Small teams"]
    assert small["compared_with"] == "today"
    budgets = [s["budget"] for s in small["scenarios"]]
    assert budgets[1] > budgets[0] and small["scenarios"][0]["mix"][0]["role"] == "primary"
    change = small["changes"][0]
    assert change["scenario"] == "bigger"
    assert change["answers"] == [{"key": "budget_share", "from": None, "to": 0.2}]
    growing = segments["Growing companies"]
    assert growing["scenarios"][2] is None and [c["scenario"] for c in growing["changes"]] == [
        "bigger"
    ]
    assert growing["changes"][0]["answers"] == []
    agencies = segments["Agencies"]
    assert agencies["scenarios"][:2] == [None, None] and agencies["compared_with"] == "resegmented"
    # lifetime value appears once plans carry economics; other figures are always there
    assert {"customer_value", "budget", "total_annual_cost"} <= set(data["figures"])
    for scenario in small["scenarios"]:
        assert set(data["figures"]) <= set(scenario)


def test_a_changed_mix_names_the_types(kb: KnowledgeBase) -> None:
    from crstrat.answers import load_answers
    from crstrat.mix import make_plan

    answers = load_answers(kb, example_path(kb, "software"))
    tiny = answers._replace(
        segments=(
            answers.segments[2].__class__(**{**answers.segments[2].__dict__, "customers": 5}),
        )
    )
    comparison = compare(
        [
            Scenario("a", make_plan(kb, answers._replace(segments=answers.segments[2:]))),
            Scenario("b", make_plan(kb, tiny)),
        ]
    )
    (difference,) = comparison.segments[0].differences
    assert [c.key for c in difference.answers] == ["customers"]
    before = {e.type for e in comparison.segments[0].plans[0].mix}  # type: ignore[union-attr]
    after = {e.type for e in comparison.segments[0].plans[1].mix}  # type: ignore[union-attr]
    assert {e.type for e in difference.mix.added} == after - before
    assert {e.type for e in difference.mix.dropped} == before - after


def test_markdown_is_a_table_per_segment(cli: Cli, scenarios: dict[str, Path]) -> None:
    result = cli("compare", scenarios["today"], scenarios["bigger"], "-f", "markdown")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "# Scenarios side by side"
    assert "## Small teams" in lines and "## Enterprises" in lines
    header = lines[lines.index("## Small teams") + 2]
    assert header == "|  | today | bigger |"
    changed = next(line for line in lines if line.startswith("| What changed |"))
    assert "budget\\_share (none) → 0.2" in changed


def test_the_table_fits_80_columns(cli: Cli, scenarios: dict[str, Path]) -> None:
    from crstrat.commands.compare import build_comparison
    from crstrat.knowledge import load_knowledge
    from crstrat.render.compare_table import render

    kb = load_knowledge()
    text = render(build_comparison(kb, list(scenarios.values())), kb, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "not in this" in text and "Self-service" in text


def test_one_file_is_not_a_comparison(cli: Cli, scenarios: dict[str, Path]) -> None:
    result = cli("compare", scenarios["today"])
    assert result.code == 2 and "two or more" in result.err


def test_a_bad_scenario_names_its_file(
    cli: Cli, scenarios: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("crstrat: 1\nsegments: []\n", encoding="utf-8")
    result = cli("compare", scenarios["today"], bad, "-f", "json")
    assert result.code == 2 and result.out == "" and "bad.yaml" in result.err


def test_output_file_by_extension(cli: Cli, scenarios: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "options.md"
    result = cli("compare", scenarios["today"], scenarios["bigger"], "-o", target)
    assert result.code == 0 and target.read_text(encoding="utf-8").startswith("# Scenarios")


def test_lifetime_value_is_read_from_the_plans_economics() -> None:
    (clv,) = [f for f in FIGURES if f.key == "customer_lifetime_value"]
    with_economics = SimpleNamespace(economics=SimpleNamespace(customer_lifetime_value=1234.5))
    assert clv.read(with_economics) == 1234.5  # type: ignore[arg-type]
    assert clv.read(SimpleNamespace()) is None  # type: ignore[arg-type]
