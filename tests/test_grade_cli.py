"""``crstrat grade``: a class's submissions, exit codes, JSON, JUnit, table."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from crstrat.answers import load_answers
from crstrat.grading import GradeReport
from crstrat.knowledge import example_names, example_path
from crstrat.mix import make_plan
from crstrat.model import KnowledgeBase

Cli = Any


def write_submission(path: Path, data: dict[str, Any], proposals: list[list[str]]) -> None:
    answers = json.loads(json.dumps(data))
    for seg, proposal in zip(answers["segments"], proposals, strict=True):
        seg["proposal"] = proposal
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")


@pytest.fixture
def batch(tmp_path: Path, kb: KnowledgeBase) -> dict[str, list[str]]:
    """A class: for every shipped case one student copies the advisor's mix and one
    leads with its worst choice; one file is not YAML. Returns the files by outcome."""
    root = tmp_path / "submissions"
    outcome: dict[str, list[str]] = {"copies": [], "worst": [], "broken": []}
    for name in example_names(kb):
        data = yaml.safe_load(example_path(kb, name).read_text(encoding="utf-8"))
        plan = make_plan(kb, load_answers(kb, example_path(kb, name)))
        copy = root / f"{name}-copy.yaml"
        write_submission(copy, data, [[e.type for e in seg.mix] for seg in plan.segments])
        worst = root / "team-b" / f"{name}-worst.yml"
        write_submission(worst, data, [[seg.ranking[-1].type] for seg in plan.segments])
        outcome["copies"].append(str(copy))
        outcome["worst"].append(str(worst))
    broken = root / "team-b" / "broken.yaml"
    broken.write_text("crstrat: 1\nsegments: [\n", encoding="utf-8")
    outcome["broken"].append(str(broken))
    # neither graded: not an answers file, and a hidden folder
    (root / "notes.txt").write_text("not a submission", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "config.yaml").write_text("x: 1", encoding="utf-8")
    return outcome


def results_by_file(out: str) -> dict[str, dict[str, Any]]:
    return {r["file"]: r for r in json.loads(out)["results"]}


def test_batch_json_junit_and_exit_code(
    cli: Cli, batch: dict[str, list[str]], tmp_path: Path
) -> None:
    report = tmp_path / "report.xml"
    result = cli("grade", tmp_path / "submissions", "--format", "json", "--junit", report)
    assert result.code == 2, result.err  # an unreadable file: 2, the others still graded
    data = json.loads(result.out)
    results = results_by_file(result.out)
    assert sorted(results) == sorted(batch["copies"] + batch["worst"] + batch["broken"])
    for file in batch["copies"]:
        assert results[file]["passed"] and results[file]["score"] == 1.0
        assert results[file]["error"] is None
    for file in batch["worst"]:
        assert not results[file]["passed"] and results[file]["score"] < 0.6
        feedback = results[file]["segments"][0]["feedback"]
        assert feedback[0]["part"] == "primary" and "You lead with" in feedback[0]["text"]
    (broken,) = batch["broken"]
    assert results[broken]["score"] is None and not results[broken]["passed"]
    assert results[broken]["segments"] == []
    assert f"{broken}:3: is not valid YAML" in results[broken]["error"]
    copies, worst = len(batch["copies"]), len(batch["worst"])
    assert data["summary"] == {
        "submissions": copies + worst + 1,
        "passed": copies,
        "failed": worst,
        "errors": 1,
        "min_score": 0.6,
        "mean_score": data["summary"]["mean_score"],
        "knowledge_base": data["summary"]["knowledge_base"],
    }
    assert data["summary"]["knowledge_base"]["name"] == "built-in"
    assert result.err == f"crstrat: wrote {report}\n"

    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        str(copies + worst + 1),
        str(worst),
        "1",
    )
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert sorted(cases) == sorted(results)
    for file in batch["copies"]:
        assert cases[file].find("failure") is None and cases[file].find("error") is None
        assert "score 1.00" in (cases[file].findtext("system-out") or "")
    for file in batch["worst"]:
        failure = cases[file].find("failure")
        assert failure is not None and "below the minimum 0.60" in failure.get("message", "")
        assert "You lead with" in (failure.text or "")
    error = cases[broken].find("error")
    assert error is not None and "is not valid YAML" in error.get("message", "")


def test_exit_1_when_any_below_the_minimum(cli: Cli, batch: dict[str, list[str]]) -> None:
    result = cli("grade", *batch["copies"], *batch["worst"], "-f", "json")
    assert result.code == 1
    assert result.err == ""
    assert len(json.loads(result.out)["results"]) == len(batch["copies"] + batch["worst"])


def test_exit_0_when_all_pass(cli: Cli, batch: dict[str, list[str]]) -> None:
    assert cli("grade", *batch["copies"]).code == 0
    assert cli("grade", *batch["copies"], *batch["worst"], "--min-score", "0").code == 0


def test_min_score_decides(cli: Cli, batch: dict[str, list[str]]) -> None:
    worst = batch["worst"][0]
    score = results_by_file(cli("grade", worst, "-f", "json").out)[worst]["score"]
    assert cli("grade", worst, "--min-score", str(score)).code == 0
    assert cli("grade", worst, "--min-score", str(min(1.0, score + 0.01))).code == 1
    assert cli("grade", *batch["copies"], "--min-score", "1").code == 0


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high"])
def test_a_wrong_min_score_is_a_bad_call(cli: Cli, batch: dict[str, list[str]], value: str) -> None:
    result = cli("grade", batch["copies"][0], "--min-score", value)
    assert result.code == 2
    assert result.out == ""


def test_a_missing_file_is_an_error_beside_the_others(
    cli: Cli, batch: dict[str, list[str]]
) -> None:
    result = cli("grade", batch["copies"][0], "no-such-file.yaml", "-f", "json")
    assert result.code == 2
    results = results_by_file(result.out)
    assert results[batch["copies"][0]]["passed"]
    assert "no such file" in results["no-such-file.yaml"]["error"]


def test_an_invalid_answers_file_is_an_error_with_its_line(cli: Cli, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    text = example_path_text("dental_clinic").replace("budget_share:", "budget_shar:")
    wrong.write_text(text, encoding="utf-8")
    result = cli("grade", wrong, "-f", "json")
    assert result.code == 2
    error = results_by_file(result.out)[str(wrong)]["error"]
    line = text.splitlines().index("    budget_shar: 0.12") + 1
    assert error.startswith(f"{wrong}:{line}: segments[0].budget_shar: unknown key")
    assert "did you mean 'budget_share'" in error


def example_path_text(name: str) -> str:
    from crstrat.knowledge import builtin_location

    return (builtin_location() / "examples" / f"{name}.yaml").read_text(encoding="utf-8")


def test_a_segment_without_proposal_fails_with_feedback(cli: Cli, tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(example_path_text("dental_clinic"), encoding="utf-8")
    result = cli("grade", plain, "-f", "json")
    assert result.code == 1
    (segment,) = results_by_file(result.out)[str(plain)]["segments"]
    assert segment["score"] == 0.0
    assert segment["feedback"][0]["part"] == "proposal"


def test_no_submissions_is_a_bad_call(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli("grade", tmp_path / "empty")
    assert result.code == 2
    assert "no answers files" in result.err
    assert cli("grade").code == 2  # no PATH at all


def test_a_file_named_twice_is_graded_once(cli: Cli, batch: dict[str, list[str]]) -> None:
    copy = batch["copies"][0]
    result = cli("grade", copy, str(Path(copy).parent), "-f", "json")
    files = [r["file"] for r in json.loads(result.out)["results"]]
    assert files.count(copy) == 1


def test_table_shows_verdicts_feedback_and_summary(cli: Cli, batch: dict[str, list[str]]) -> None:
    files = [batch["copies"][0], batch["worst"][0], batch["broken"][0]]
    result = cli("grade", *files, "--format", "table")
    assert result.code == 2
    lines = result.out.splitlines()
    assert lines[0].startswith("PASS  1.00  ") and lines[0].endswith(files[0])
    fail = next(line for line in lines if line.startswith("FAIL"))
    assert fail.endswith(files[1])
    assert any(line.startswith("ERROR") and line.endswith(files[2]) for line in lines)
    assert "matches the recommendation" in result.out
    assert "You lead with" in result.out
    assert lines[-1] == (
        "3 submissions: 1 passed, 1 below the minimum score 0.6, 1 unreadable; "
        f"mean score {json_mean(cli, files):.2f}."
    )
    assert all(line == line.rstrip() for line in lines)


def json_mean(cli: Cli, files: list[str]) -> float:
    return float(json.loads(cli("grade", *files, "-f", "json").out)["summary"]["mean_score"])


def test_user_text_cannot_break_the_junit_report(cli: Cli, tmp_path: Path) -> None:
    data = yaml.safe_load(example_path_text("dental_clinic"))
    data["segments"][0]["name"] = "Patients \x1b[31m<&>\x07"
    sub = tmp_path / "odd.yaml"
    write_submission(sub, data, [["communities"]])
    report = tmp_path / "out" / "report.xml"
    report.parent.mkdir()
    assert cli("grade", sub, "--junit", report).code == 1
    text = report.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # parses: the control characters were escaped
    assert "Patients \\x1b[31m<&>\\x07" in ET.tostring(root, encoding="unicode").replace(
        "&lt;", "<"
    ).replace("&gt;", ">").replace("&amp;", "&")


def test_junit_into_a_missing_folder_is_an_error(cli: Cli, batch: dict[str, list[str]]) -> None:
    result = cli("grade", batch["copies"][0], "--junit", "nowhere/report.xml")
    assert result.code == 2
    assert "does not exist" in result.err
    assert result.out == ""


def test_grade_with_a_custom_knowledge_base(
    cli: Cli, tmp_path: Path, batch: dict[str, list[str]]
) -> None:
    kb_dir = tmp_path / "my-kb"
    assert cli("kb", "export", kb_dir).code == 0
    meta = kb_dir / "meta.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8")
        .replace("name: built-in", "name: course-2027")
        .replace("min_score: 0.6 ", "min_score: 0.05"),
        encoding="utf-8",
    )
    result = cli("grade", *batch["worst"], "--kb", kb_dir, "-f", "json")
    assert result.code == 0  # the course's pass mark
    summary = json.loads(result.out)["summary"]
    assert summary["min_score"] == 0.05
    assert summary["knowledge_base"]["name"] == "course-2027"


def test_help_lists_grade_schema_and_kb(cli: Cli) -> None:
    out = cli("--help").out
    for word in ("grade", "schema", "kb"):
        assert word in out
    grade_help = cli("grade", "--help").out
    for flag in ("--min-score", "--format", "--junit", "--kb", "Exit codes"):
        assert flag in grade_help


def test_the_example_workflow_grades_with_a_junit_report() -> None:
    workflow = Path(__file__).parents[1] / "examples" / "github-actions-grade.yml"
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    steps = data["jobs"]["grade"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "crstrat grade submissions/ --case case.yaml --junit report.xml" in runs
    assert any(step.get("with", {}).get("report_paths") == "report.xml" for step in steps)
    # it installs a pinned source, not a release the package index does not have
    assert 'pip install "$CRSTRAT"' in runs and "@" in data["env"]["CRSTRAT"]
    assert "crstrat==" not in workflow.read_text(encoding="utf-8")
    # the guide it points to is in the repository
    assert (workflow.parents[1] / "docs" / "instructors.md").is_file()


def test_the_example_workflow_keeps_names_inside_the_summary_fence(tmp_path: Path) -> None:
    """The job summary's code fence is longer than any run of backticks in the table."""
    import re
    import subprocess

    workflow = Path(__file__).parents[1] / "examples" / "github-actions-grade.yml"
    (grade_step,) = [
        step
        for step in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["grade"]["steps"]
        if "GITHUB_STEP_SUMMARY" in step.get("run", "")
    ]
    script = re.search(r"<<'PY'\n(.*?)\nPY", grade_step["run"], re.S)
    assert script is not None
    grades = tmp_path / "grades.txt"
    grades.write_text("FAIL  0.10  a.yaml\n      ```` </pre> # Heading: 0.10\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-", str(grades)],
        input=script.group(1),
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "`````text" and lines[-1] == "`````"
    assert "```` </pre> # Heading" in done.stdout


def test_json_lines_are_the_report_data(kb: KnowledgeBase, batch: dict[str, list[str]]) -> None:
    from crstrat.grading import Grader
    from crstrat.render.grade_json import render, report_data

    grader = Grader(kb)
    files = batch["copies"] + batch["worst"] + batch["broken"]
    report = grader.report(grader.grade_file(Path(f)) for f in files)
    text = render(report)
    assert json.loads(text) == json.loads(json.dumps(report_data(report)))
    assert len(text.splitlines()) == len(files) + 2  # a line per result


def test_progress_goes_to_stderr_only(
    cli: Cli, batch: dict[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crstrat.commands import grade

    monkeypatch.setattr(grade, "PROGRESS_FROM", 2)
    monkeypatch.setattr(grade, "is_terminal", lambda stream: stream is sys.stderr)
    result = cli("grade", tmp_path / "submissions", "-f", "json")
    assert result.code == 2
    files = [file for files in batch.values() for file in files]
    assert len(json.loads(result.out)["results"]) == len(files)


def three_graded(kb: KnowledgeBase, batch: dict[str, list[str]]) -> GradeReport:
    """The report of a copy, a worst choice and a broken file, graded in process."""
    from crstrat.grading import Grader

    grader = Grader(kb)
    files = [batch["copies"][0], batch["worst"][0], batch["broken"][0]]
    return grader.report(grader.grade_file(Path(f)) for f in files)


def test_a_terminal_gets_the_same_lines_in_colour(
    kb: KnowledgeBase, batch: dict[str, list[str]]
) -> None:
    import io
    import re

    from rich.console import Console

    from crstrat.render.grade_table import print_report, render

    report = three_graded(kb, batch)
    buffer = io.StringIO()
    print_report(Console(file=buffer, width=100, force_terminal=True), report)
    coloured = buffer.getvalue()
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render(report, width=100)


def test_the_summary_wraps_at_the_terminal_width(
    kb: KnowledgeBase, batch: dict[str, list[str]]
) -> None:
    from crstrat.render.grade_table import render, summary_line

    report = three_graded(kb, batch)
    summary = summary_line(report)
    assert len(summary) > 80  # "3 submissions: ... unreadable; mean score 0.54."
    lines = render(report, width=80).splitlines()
    tail = lines[len(lines) - lines[::-1].index("") :]  # after the last blank line
    assert " ".join(tail) == summary
    assert all(len(line) <= 80 for line in tail)
