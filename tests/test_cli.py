"""The command line: exit codes, formats, atomic output, browsing the knowledge."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_installed
from crstrat import __version__

Cli = Any


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert (result.code, result.out) == (0, f"crstrat {__version__}\n")


def test_help_teaches(cli: Cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for word in ("plan", "types", "explain", "examples", "Exit codes"):
        assert word in result.out
    plan_help = cli("plan", "--help").out
    for flag in ("--answers", "--example", "--set", "--defaults", "--format", "--output", "--kb"):
        assert flag in plan_help


def test_plan_json_on_example(cli: Cli) -> None:
    result = cli("plan", "--example", "airline", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["company"] == "Kiwi Air"
    assert [s["name"] for s in data["segments"]] == [
        "Leisure travellers",
        "Corporate travel accounts",
    ]


def test_default_format_off_a_terminal_is_json(cli: Cli) -> None:
    assert json.loads(cli("plan", "--example", "software").out)["crstrat"] == 1


def test_output_file_by_extension_and_atomic(cli: Cli, in_tmp: Path) -> None:
    result = cli("plan", "--example", "software", "-o", "plan.md")
    assert result.code == 0
    assert result.out == ""
    text = (in_tmp / "plan.md").read_text()
    assert text.startswith("# Customer relationships plan for Planwise")
    assert not [p for p in in_tmp.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_only_a_file_written_is_announced(cli: Cli, in_tmp: Path) -> None:
    result = cli("plan", "--example", "software", "-f", "json", "-o", "/dev/null")
    assert result.code == 0 and result.out == "" and result.err == ""
    result = cli("plan", "--example", "software", "-f", "json", "-o", "plan.json")
    assert result.code == 0 and result.err == "crstrat: wrote plan.json\n"
    # charts go beside a file the report leaves behind: never into /dev
    result = cli("report", "--example", "software", "--charts", "-o", "/dev/null")
    assert result.code == 2 and "--charts" in result.err
    assert not list(Path("/dev").glob("null-*.svg"))


def test_bad_answers_leave_output_untouched(cli: Cli, in_tmp: Path) -> None:
    (in_tmp / "bad.yaml").write_text("crstrat: 1\nsegments: [{name: x}]\n")
    (in_tmp / "plan.json").write_text("previous")
    result = cli("plan", "--answers", "bad.yaml", "-o", "plan.json")
    assert result.code == 2
    assert "bad.yaml" in result.err and "segments[0].expectation" in result.err
    assert "Traceback" not in result.err
    assert (in_tmp / "plan.json").read_text() == "previous"


def test_set_overrides_file(cli: Cli) -> None:
    result = cli(
        "plan",
        "--example",
        "dental_clinic",
        "--set",
        "company=Other",
        "--set",
        "customers=10",
        "-f",
        "json",
    )
    data = json.loads(result.out)
    assert data["company"] == "Other"
    assert data["segments"][0]["customers"] == 10


def test_bad_set_is_usage_error(cli: Cli) -> None:
    result = cli("plan", "--example", "airline", "--set", "colour=blue")
    assert result.code == 2
    assert "--set" in result.err


def test_unknown_example_lists_known(cli: Cli) -> None:
    result = cli("plan", "--example", "airlin")
    assert result.code == 2
    assert "did you mean 'airline'" in result.err


def test_answers_and_example_together_is_usage_error(cli: Cli, in_tmp: Path) -> None:
    assert cli("plan", "--example", "airline", "--answers", "x.yaml").code == 2


def test_unknown_option_is_usage_error(cli: Cli) -> None:
    result = cli("plan", "--frmat", "json")
    assert result.code == 2


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("grade", "x.yaml", "--min-score", "60"), "--min-score"),
        (("plan", "--format", "xml"), "--format"),
        (("plan", "--frmat", "json"), "--frmat"),
        (("grade",), "PATH"),
        (("plan", "--set"), "--set"),  # Click raises this one without a context
    ],
)
def test_a_usage_error_is_one_line_that_points_to_the_help(
    cli: Cli, args: tuple[str, ...], named: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith("crstrat: error: ")
    assert "\\x0a" not in result.err  # a message of several lines, squeezed into one
    assert named in result.err and f"crstrat {args[0]} --help" in result.err


@pytest.mark.parametrize("group", [(), ("canvas",), ("kb",)])
def test_a_group_without_a_command_shows_its_help(cli: Cli, group: tuple[str, ...]) -> None:
    result = cli(*group)
    assert result.code == 2
    assert f"Usage: crstrat {' '.join(group)}".rstrip() in result.err
    assert "Commands" in result.err and "\\x0a" not in result.err


def test_types_explain_examples(cli: Cli) -> None:
    types = cli("types")
    assert types.code == 0 and "self_service" in types.out
    explain = cli("explain", "dedicated_personal_assistance")
    assert explain.code == 0
    assert "Dedicated personal assistance" in explain.out and "Cost model" in explain.out
    wrong = cli("explain", "self_servic")
    assert wrong.code == 2 and "did you mean 'self_service'" in wrong.err
    examples = cli("examples")
    assert examples.code == 0 and "airline" in examples.out


def test_installed_program_runs_from_another_folder(tmp_path: Path) -> None:
    result = run_installed("plan", "--example", "budget_airline", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["segments"][0]["warnings"]


def test_closed_stdin_is_no_terminal(tmp_path: Path) -> None:
    result = run_installed(
        "plan", "--example", "airline", "-f", "json", cwd=tmp_path, preexec_fn=lambda: os.close(0)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["company"] == "Kiwi Air"


def test_error_messages_show_control_characters(cli: Cli) -> None:
    result = cli("explain", "\x1b[31mRED")
    assert result.code == 2
    assert "\x1b" not in result.err and "\\x1b[31mRED" in result.err


def test_custom_knowledge_text_is_not_markup(cli: Cli, tmp_path: Path) -> None:
    import shutil

    from crstrat.knowledge import CACHE_FILE, builtin_location

    kb = tmp_path / "kb"
    shutil.copytree(builtin_location(), kb, ignore=shutil.ignore_patterns(CACHE_FILE))
    types = kb / "types.yaml"
    types.write_text(types.read_text().replace("name: Self-service", "name: Self [/] service", 1))
    listing = cli("types", "--kb", kb)
    assert listing.code == 0, listing.err
    assert "Self [/] service" in listing.out
    explained = cli("explain", "self_service", "--kb", kb)
    assert explained.code == 0 and "Self [/] service" in explained.out
    plan = cli("plan", "--example", "software", "--kb", kb, "-f", "markdown").out
    assert "Self \\[/\\] service" in plan


STDIN_ANSWERS = """\
crstrat: 1
company: Pipe Ltd
segments:
  - name: Regulars
    expectation: personal_assistance
    goal: [retain]
    customers: 800
    purchases_per_year: 20
    spend_per_purchase: 6
"""


def test_answers_from_standard_input_plan_as_a_file_does(cli: Cli, in_tmp: Path) -> None:
    Path("answers.yaml").write_text(STDIN_ANSWERS, encoding="utf-8")
    from_file = cli("plan", "--answers", "answers.yaml", "-f", "json")
    piped = cli("plan", "--answers", "-", "-f", "json", stdin=STDIN_ANSWERS)
    assert piped.code == 0, piped.err
    assert piped.out == from_file.out
    assert json.loads(piped.out)["company"] == "Pipe Ltd"


def test_json_on_standard_input_is_read_as_json(cli: Cli) -> None:
    answers = json.loads(json.dumps(yaml.safe_load(STDIN_ANSWERS)))
    text = json.dumps(answers)
    assert cli("plan", "-a", "-", "-f", "json", stdin=text).code == 0
    # a key twice is refused as JSON refuses it (YAML would say it otherwise)
    twice = text.replace('"company": "Pipe Ltd"', '"company": "A", "company": "B"')
    result = cli("plan", "-a", "-", "-f", "json", stdin=twice)
    assert result.code == 2
    assert "standard input" in result.err and "twice" in result.err


def test_a_wrong_answer_on_standard_input_names_it_and_its_line(cli: Cli) -> None:
    result = cli("plan", "-a", "-", stdin=STDIN_ANSWERS.replace("800", "-800"))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "standard input:7:" in result.err and "customers" in result.err


def test_nothing_on_standard_input_is_one_line(cli: Cli) -> None:
    result = cli("plan", "-a", "-", stdin="")
    assert result.code == 2
    assert result.err.startswith("crstrat: error: standard input:") and result.err.count("\n") == 1


def test_a_report_reads_answers_from_standard_input(cli: Cli) -> None:
    result = cli("report", "--answers", "-", stdin=STDIN_ANSWERS)
    assert result.code == 0, result.err
    assert "Pipe Ltd" in result.out and "Regulars" in result.out


def test_answers_piped_to_the_installed_program(tmp_path: Path) -> None:
    result = run_installed(
        "plan", "-a", "-", "-f", "json", cwd=tmp_path, stdin=None, input=STDIN_ANSWERS
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["segments"][0]["name"] == "Regulars"
    closed = run_installed(
        "plan", "-a", "-", cwd=tmp_path, stdin=None, preexec_fn=lambda: os.close(0)
    )
    assert closed.returncode == 2
    assert "standard input" in closed.stderr and "closed" in closed.stderr


def test_a_file_piped_in_is_never_overwritten(tmp_path: Path) -> None:
    # --answers - < answers.yaml: the answers file is an input, whatever its name
    answers = tmp_path / "answers.yaml"
    answers.write_text("# mine\n" + STDIN_ANSWERS, encoding="utf-8")
    for option in ("--save-answers", "-o"):
        with answers.open("rb") as piped:
            result = run_installed(
                "plan", "-a", "-", option, answers, "-f", "json", cwd=tmp_path, stdin=piped
            )
        assert result.returncode == 2
        assert "never overwrites" in result.stderr and option in result.stderr
        assert answers.read_text(encoding="utf-8").startswith("# mine\n")


def test_set_applies_to_answers_from_standard_input(cli: Cli) -> None:
    result = cli("plan", "-a", "-", "--set", "customers=1200", "-f", "json", stdin=STDIN_ANSWERS)
    assert result.code == 0, result.err
    assert json.loads(result.out)["segments"][0]["customers"] == 1200
    wrong = cli("plan", "-a", "-", "--set", "customers=-1", stdin=STDIN_ANSWERS)
    assert wrong.code == 2 and "standard input with --set" in wrong.err


def test_standard_input_is_refused_where_it_is_not_read(cli: Cli, in_tmp: Path) -> None:
    Path("answers.yaml").write_text(STDIN_ANSWERS, encoding="utf-8")
    for args in (("compare", "-", "answers.yaml"), ("canvas", "init", "-")):
        result = cli(*args, stdin=STDIN_ANSWERS)
        assert result.code == 2, args
        assert (
            result.err.startswith("crstrat: error: -: is standard input")
            and result.err.count("\n") == 1
        )


def test_a_yaml_flow_mapping_on_standard_input_is_yaml(cli: Cli) -> None:
    # it opens with { but is not JSON: read as YAML, as a .yaml file would be
    flow = json.dumps(yaml.safe_load(STDIN_ANSWERS)).replace('"', "")
    result = cli("plan", "-a", "-", "-f", "json", stdin=flow)
    assert result.code == 0, result.err
    assert json.loads(result.out)["company"] == "Pipe Ltd"
