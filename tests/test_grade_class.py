"""``crstrat grade`` for a class: the assigned case, the gradebook CSV, --jobs, --output."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from crstrat.answers import load_answers
from crstrat.comparison import Change, segment_changes
from crstrat.grading import Grader, match_segments
from crstrat.knowledge import example_path
from crstrat.model import KnowledgeBase

Cli = Any


def case_data(kb: KnowledgeBase, name: str = "software") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(example_path(kb, name).read_text(encoding="utf-8"))
    for segment in data["segments"]:
        segment.pop("proposal", None)
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def assigned(tmp_path: Path, kb: KnowledgeBase) -> dict[str, Path]:
    """The software case, a student who keeps it and one who edits three figures of
    the first segment towards the proposal they both make."""
    case = case_data(kb)
    honest = json.loads(json.dumps(case))
    for segment in honest["segments"]:
        segment["proposal"] = ["dedicated_personal_assistance", "personal_assistance"]
    edited = json.loads(json.dumps(honest))
    first = edited["segments"][0]
    first["expectation"] = "dedicated_personal_assistance"
    first["budget_share"] = 0.9
    first["channels"] = ["in_person", "phone"]
    return {
        "case": write(tmp_path / "case.yaml", case),
        "honest": write(tmp_path / "class" / "honest.yaml", honest),
        "edited": write(tmp_path / "class" / "edited.yaml", edited),
    }


def by_file(out: str) -> dict[str, dict[str, Any]]:
    return {Path(r["file"]).stem: r for r in json.loads(out)["results"]}


def test_without_case_an_edited_case_scores_on_its_own_figures(
    cli: Cli, assigned: dict[str, Path]
) -> None:
    results = by_file(cli("grade", assigned["case"].parent / "class", "-f", "json").out)
    assert results["edited"]["score"] > results["honest"]["score"]
    assert all(not r["changed"] for r in results.values())


def test_with_case_every_submission_is_graded_on_the_case(
    cli: Cli, assigned: dict[str, Path], tmp_path: Path
) -> None:
    junit = tmp_path / "report.xml"
    result = cli(
        "grade", tmp_path / "class", "--case", assigned["case"], "-f", "json", "--junit", junit
    )
    results = by_file(result.out)
    assert results["edited"]["score"] == results["honest"]["score"]
    edited, honest = results["edited"]["segments"][0], results["honest"]["segments"][0]
    assert honest["changed"] == [] and honest["feedback"][0]["part"] != "case"
    assert {c["key"] for c in edited["changed"]} == {"expectation", "budget_share", "channels"}
    change = next(c for c in edited["changed"] if c["key"] == "channels")
    assert change["case"] == ["web", "app", "email", "chat", "forum"]
    assert change["submitted"] == ["in_person", "phone"]
    said = edited["feedback"][0]
    assert said["part"] == "case" and said["points"] == 0
    for key in ("expectation", "budget_share", "channels"):
        assert key in said["text"]
    cases = {Path(c.get("name", "")).stem: c for c in ET.parse(junit).iter("testcase")}
    failure = cases["edited"].find("failure")
    assert failure is not None and "budget_share from nothing to 0.9" in (failure.text or "")
    assert "changed" not in (cases["honest"].find("failure").text or "")  # type: ignore[union-attr]


def test_a_segment_left_out_scores_zero_and_an_added_one_is_named(
    kb: KnowledgeBase, assigned: dict[str, Path]
) -> None:
    case = load_answers(kb, assigned["case"])
    data = yaml.safe_load(assigned["honest"].read_text(encoding="utf-8"))
    data["segments"].pop(1)  # Growing companies
    data["segments"].append({**data["segments"][0], "name": "Public sector"})
    answers_file = write(assigned["honest"].with_name("partial.yaml"), data)
    result = Grader(kb, case=case).grade_file(answers_file)
    names = [s.name for s in result.segments]
    assert names == [s.name for s in case.segments]
    left_out = result.segments[1]
    assert left_out.score == 0 and left_out.remarks[0].part == "case"
    assert result.changed == (Change("segments", None, "Public sector"),)
    assert result.segments[2].changed == ()  # Enterprises, found by name at another place


def test_segments_are_matched_by_name_then_position(kb: KnowledgeBase) -> None:
    case = load_answers(kb, example_path(kb, "software")).segments
    renamed = dataclasses.replace(case[0], name="Solo founders")
    matched, added = match_segments(case, (renamed, case[1]))
    assert matched == [renamed, case[1], None] and added == []
    matched, added = match_segments(case, (case[1], renamed))
    assert matched == [None, case[1], None] and added == [renamed]
    assert segment_changes(case[0], case[0]) == ()


def test_a_case_that_cannot_be_read_is_a_bad_call(
    cli: Cli, assigned: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "bad-case.yaml").write_text("crstrat: 1\nsegments: [\n", encoding="utf-8")
    result = cli("grade", tmp_path / "class", "--case", tmp_path / "bad-case.yaml")
    assert result.code == 2 and result.out == ""
    assert "bad-case.yaml:3" in result.err


def test_the_gradebook_csv_reads_back(cli: Cli, assigned: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "class" / "=broken.yaml"
    broken.write_text("crstrat: 1\nsegments: [\n", encoding="utf-8")
    result = cli("grade", tmp_path / "class", "--case", assigned["case"], "-f", "csv")
    assert result.code == 2
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["student"] for r in rows] == ["'=broken", "edited", "honest"]
    assert rows[0]["result"] == "error" and rows[0]["score"] == ""
    assert "is not valid YAML" in rows[0]["error"]
    assert rows[1]["score"] == rows[2]["score"] and 0 < float(rows[1]["score"]) < 1
    assert float(rows[1]["percent"]) == pytest.approx(float(rows[1]["score"]) * 100, abs=0.01)
    assert {r["result"] for r in rows[1:]} == {"fail"}


def test_output_takes_its_format_from_the_extension(
    cli: Cli, assigned: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "grades.csv"
    result = cli("grade", tmp_path / "class", "-o", target)
    assert result.out == "" and f"wrote {target}" in result.err
    assert target.read_text(encoding="utf-8").startswith("student,file,score")
    result = cli("grade", tmp_path / "class", "-o", tmp_path / "missing" / "grades.json")
    assert result.code == 2 and "does not exist" in result.err


def test_jobs_give_the_same_results_in_the_same_order(
    cli: Cli, kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crstrat.commands import grade as grade_command

    monkeypatch.setattr(grade_command, "PARALLEL_FROM", 2)
    case = case_data(kb)
    types = [t.id for t in kb.types]
    for number in range(40):
        data = json.loads(json.dumps(case))
        for index, segment in enumerate(data["segments"]):
            segment["customers"] = 100 + 37 * number
            segment["proposal"] = [types[(number + index) % len(types)]]
        write(tmp_path / "class" / f"student-{number:02d}.yaml", data)
    outputs = [
        cli("grade", tmp_path / "class", "-f", "json", "--jobs", jobs).out for jobs in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert [r["file"] for r in json.loads(outputs[0])["results"]] == sorted(
        str(p) for p in (tmp_path / "class").iterdir()
    )


def test_feedback_says_each_thing_once(kb: KnowledgeBase, assigned: dict[str, Path]) -> None:
    grade = Grader(kb).grade_file(assigned["honest"])
    for segment in grade.segments:
        texts = [r.text for r in segment.remarks]
        assert not any("(score" in text for text in texts), texts
        cost = [r.text for r in segment.remarks if r.part == "affordability"]
        for sentence in cost:
            others = [t for t in texts if t != sentence]
            assert not any(sentence.rstrip(".") in t for t in others)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("crstrat: 1\nsegments: [\n", "not closed"),
        ("crstrat: 1\nsegments:\n  - name: a\n    goal: [retain\n    customers: 3\n", "comma"),
        ('crstrat: 1\nsegments:\n  - name: "a\n', "quote mark"),
        ("crstrat: 1\nsegments:\n  - name: a b: c\n", "in quotes"),
    ],
)
def test_yaml_mistakes_are_said_in_plain_words(
    cli: Cli, tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "mistake.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("grade", path, "-f", "json")
    (graded,) = json.loads(result.out)["results"]
    assert said in graded["error"] and "while " not in graded["error"]


def test_an_example_saved_as_a_case_carries_no_proposal(
    cli: Cli, kb: KnowledgeBase, tmp_path: Path
) -> None:
    assert load_answers(kb, example_path(kb, "software")).segments[1].proposal  # the probe
    target = tmp_path / "case.yaml"
    result = cli("plan", "--example", "software", "--save-answers", target, "-f", "json")
    assert result.code == 0, result.err
    saved = load_answers(kb, target)
    assert [s.name for s in saved.segments] == ["Small teams", "Growing companies", "Enterprises"]
    assert all(not s.proposal for s in saved.segments)
    assert "proposal" not in target.read_text(encoding="utf-8")


def test_the_caches_stay_bounded(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crstrat import grading

    monkeypatch.setattr(grading, "CACHE_SIZE", 4)
    grader = Grader(kb)
    case = case_data(kb)
    for number in range(10):
        data = json.loads(json.dumps(case))
        for segment in data["segments"]:
            segment["customers"] = 100 + number
            segment["proposal"] = ["self_service"]
        grade = grader.grade_file(write(tmp_path / f"s{number}.yaml", data))
        assert grade.error is None
        assert len(grader._plans) <= 4 and len(grader._grades) <= 4
    # the newest are kept: grading the last file again plans nothing
    before = dict(grader._plans)
    grader.grade_file(tmp_path / "s9.yaml")
    assert grader._plans == before
