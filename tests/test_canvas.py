"""``crstrat canvas init`` and ``apply`` on the published BMML v2 examples (tests/bmml, MIT)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from crstrat.answers import load_answers
from crstrat.model import KnowledgeBase

Cli = Any
BMML = Path(__file__).parent / "bmml"
EXAMPLES = ["meal-kit-minimal.bmml", "saas-platform.bmml"]
SCHEMA = json.loads((BMML / "bmclang-v2.schema.json").read_text(encoding="utf-8"))


def relationship_lines(lines: list[str]) -> set[int]:
    """The 0-based lines of the customer_relationships block (key to last content line)."""
    start = lines.index("customer_relationships:")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()),
        len(lines),
    )
    while not lines[end - 1].strip() or lines[end - 1].startswith("#"):
        end -= 1
    return set(range(start, end))


def outside_block(text: str) -> list[str]:
    lines = text.splitlines()
    inside = relationship_lines(lines)
    return [line for index, line in enumerate(lines) if index not in inside]


@pytest.mark.parametrize("name", EXAMPLES)
def test_init_plan_apply_round_trip(cli: Cli, kb: KnowledgeBase, tmp_path: Path, name: str) -> None:
    canvas = BMML / name
    model = yaml.safe_load(canvas.read_text(encoding="utf-8"))
    answers = tmp_path / "answers.yaml"
    assert cli("canvas", "init", canvas, "-o", answers).code == 0
    started = load_answers(kb, answers)
    assert [s.name for s in started.segments] == [s["name"] for s in model["customer_segments"]]
    assert started.company == model["meta"]["name"]
    for segment in model["customer_segments"]:
        assert f"# bmml: {segment['id']}" in answers.read_text(encoding="utf-8")
    for relationship in model.get("customer_relationships", ()):  # today's, as hints
        assert f"# in the canvas today: {relationship['name']}" in answers.read_text("utf-8")
    plan = json.loads(cli("plan", "--answers", answers, "-f", "json").out)

    result = tmp_path / "new.bmml"
    done = cli("canvas", "apply", canvas, "--answers", answers, "-o", result)
    assert done.code == 0, done.err
    text = result.read_text(encoding="utf-8")
    applied = yaml.safe_load(text)
    jsonschema.validate(applied, SCHEMA)
    # every line outside the relationships block is the canvas's own, comments included
    assert outside_block(text) == outside_block(canvas.read_text(encoding="utf-8"))
    # each recommended type is a relationship linked to the segments whose mix has it
    ids = [s["id"] for s in model["customer_segments"]]
    expected: dict[str, list[str]] = {}
    for seg_id, segment in zip(ids, plan["segments"], strict=True):
        for entry in segment["mix"]:
            expected.setdefault("cr-" + entry["type"].replace("_", "-"), []).append(seg_id)
    written = {r["id"]: r["for"]["customer_segments"] for r in applied["customer_relationships"]}
    assert written == expected


def test_apply_says_when_the_figures_are_still_placeholders(cli: Cli, tmp_path: Path) -> None:
    canvas, answers = BMML / "meal-kit-minimal.bmml", tmp_path / "answers.yaml"
    cli("canvas", "init", canvas, "-o", answers)
    marked = answers.read_text(encoding="utf-8").count("# default: replace")
    assert marked > 0
    done = cli("canvas", "apply", canvas, "--answers", answers, "-o", tmp_path / "a.bmml")
    assert done.code == 0
    assert f"{marked} answers in {answers} still carry canvas init's mark" in done.err
    # the consultant replaces the figures (and the marks with them): nothing to say
    replaced = answers.read_text(encoding="utf-8").replace("  # default: replace", "")
    answers.write_text(replaced, encoding="utf-8")
    done = cli("canvas", "apply", canvas, "--answers", answers, "-o", tmp_path / "b.bmml")
    assert done.code == 0 and "defaults" not in done.err


def test_a_renamed_segment_keeps_its_link_and_other_names_match(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    cli("canvas", "init", BMML / "meal-kit-minimal.bmml", "-o", answers)
    text = answers.read_text(encoding="utf-8").replace('"Busy Professionals"', '"Commuters"')
    answers.write_text(text, encoding="utf-8")
    result = tmp_path / "new.bmml"
    assert (
        cli("canvas", "apply", BMML / "meal-kit-minimal.bmml", "-a", answers, "-o", result).code
        == 0
    )
    applied = yaml.safe_load(result.read_text(encoding="utf-8"))
    linked = {s for r in applied["customer_relationships"] for s in r["for"]["customer_segments"]}
    assert linked == {"cs-busy-professionals", "cs-home-cooks"}
    # a segment neither linked nor named as in the canvas is an error naming it
    answers.write_text(text.replace("# bmml: cs-busy-professionals", ""), encoding="utf-8")
    failed = cli("canvas", "apply", BMML / "meal-kit-minimal.bmml", "-a", answers)
    assert failed.code == 2 and "'Commuters' matches no customer segment" in failed.err


def test_a_canvas_without_relationships_gets_them_before_revenue(cli: Cli, tmp_path: Path) -> None:
    original = (BMML / "meal-kit-minimal.bmml").read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    start = lines.index("customer_relationships:\n")
    end = lines.index("# === REVENUE STREAMS ===\n")
    bare = "".join(lines[: start - 3] + lines[end - 1 :])  # block and its comments removed
    canvas = tmp_path / "bare.bmml"
    canvas.write_text(bare, encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    cli("canvas", "init", canvas, "-o", answers)
    result = cli("canvas", "apply", canvas, "-a", answers)
    assert result.code == 0, result.err
    applied = yaml.safe_load(result.out)
    jsonschema.validate(applied, SCHEMA)
    assert (
        list(applied).index("customer_relationships") == list(applied).index("revenue_streams") - 1
    )
    kept = [
        line for line in difflib.ndiff(bare.splitlines(), result.out.splitlines()) if line[0] == "-"
    ]
    assert kept == []  # lines were only added


def test_inputs_are_never_overwritten(cli: Cli, tmp_path: Path) -> None:
    canvas = tmp_path / "model.bmml"
    canvas.write_text(
        (BMML / "meal-kit-minimal.bmml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    answers = tmp_path / "answers.yaml"
    cli("canvas", "init", canvas, "-o", answers)
    before = canvas.read_bytes(), answers.read_bytes()
    for target in (canvas, answers):
        result = cli("canvas", "apply", canvas, "-a", answers, "-o", target, "--force")
        assert result.code == 2 and "input" in result.err
    again = cli("canvas", "init", canvas, "-o", answers)
    assert again.code == 2 and "--force" in again.err
    assert (canvas.read_bytes(), answers.read_bytes()) == before


def test_a_file_that_is_not_a_canvas_is_refused(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.bmml"
    other.write_text("version: '1.0'\nmeta: {name: x}\n", encoding="utf-8")
    result = cli("canvas", "init", other)
    assert result.code == 2 and "BMML v2" in result.err


def test_apply_reads_the_answers_from_standard_input(cli: Cli, tmp_path: Path) -> None:
    canvas = BMML / "meal-kit-minimal.bmml"
    answers = tmp_path / "answers.yaml"
    assert cli("canvas", "init", canvas, "-o", answers).code == 0
    text = answers.read_text(encoding="utf-8")
    from_file = cli("canvas", "apply", canvas, "--answers", answers)
    piped = cli("canvas", "apply", canvas, "--answers", "-", stdin=text)
    assert piped.code == 0, piped.err
    assert piped.out == from_file.out  # the links come from the piped text's comments too
    wrong = cli(
        "canvas", "apply", canvas, "--answers", "-", stdin=text.replace("crstrat: 1", "crstrat: 9")
    )
    assert wrong.code == 2 and wrong.err.startswith("crstrat: error: standard input:")
