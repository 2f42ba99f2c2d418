"""The real program in a pseudo-terminal, as a person would use it (pexpect).

Each question is awaited before it is answered, as a person reads before
typing. The pseudo-terminal does not answer prompt_toolkit's cursor-position
requests, so PROMPT_TOOLKIT_NO_CPR tells it not to wait for the answers.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from conftest import run_installed
from crstrat.drafts import DRAFT_NAME
from crstrat.knowledge import load_knowledge

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ENTER = "\r"
#: The questions of a first run, in order, as they start on the screen.
QUESTIONS = (
    "What is your company called",
    "What do you call this group of customers",
    "What relationship do the customers of",
    "What is your main goal",
    "Any other goals",
    "How many customers are in",
    "How many times a year",
    "How much does a customer spend",
    "consumers or businesses",
    "How do you want to set",
    "What share of the segment",
    "Of what a customer pays",
    "still buys a year later",
    "What does winning one new customer cost",
    "In which formats",
    "How much explanation",
    "Which kinds of relationship",
    "Add another customer segment",
    "Is this right",
)
#: A colour in an SGR escape sequence (foreground, background, bright or 256/true colour).
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def env() -> dict[str, str]:
    """The environment of a person's terminal, without colour."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("COLUMNS", "LINES"))}
    out.update(NO_COLOR="1", TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    return out


def spawn(
    cwd: Path, *args: str, columns: int = 120, extra_env: dict[str, str] | None = None
) -> pexpect.spawn:
    """``crstrat ARGS`` in a pseudo-terminal 40 lines high and ``columns`` wide;
    ``logfile_read`` keeps the screen's text."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crstrat", *args],
        cwd=str(cwd),
        env={**env(), **(extra_env or {})},
        dimensions=(40, columns),
        timeout=20,
        encoding="utf-8",
        codec_errors="replace",
    )
    child.logfile_read = io.StringIO()
    return child


def answer(child: pexpect.spawn, questions: tuple[str, ...], keys: str = ENTER) -> None:
    """Wait for each question and answer it with ``keys``."""
    for question in questions:
        child.expect_exact(question)
        child.send(keys)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """Wait for the end; the exit status and everything shown."""
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus is None
    shown: str = child.logfile_read.getvalue()
    return child.exitstatus, shown


def test_enter_through_everything_shows_a_plan_and_saves_replayable_answers(
    tmp_path: Path,
) -> None:
    child = spawn(tmp_path, "plan", "--save-answers", "mine.yaml")
    answer(child, QUESTIONS)
    status, shown = finish(child)
    assert status == 0
    assert "Customer relationships plan for My company" in shown
    assert "Recommended mix" in shown
    assert not COLOUR.search(shown), "colour under NO_COLOR"
    replay = run_installed("plan", "--answers", "mine.yaml", "-f", "json", cwd=tmp_path, timeout=20)
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout)["segments"][0]["name"] == "Main segment"


def test_a_wrong_answer_is_explained_and_corrected(tmp_path: Path) -> None:
    child = spawn(tmp_path, "plan", "--save-answers", "mine.yaml")
    answer(child, QUESTIONS[:5])
    child.expect_exact(QUESTIONS[5])
    child.send("abc" + ENTER)
    child.expect_exact("must be a number")
    child.send("\x7f" * 3 + "1200" + ENTER)  # three backspaces, then the number
    answer(child, QUESTIONS[6:])
    status, _ = finish(child)
    assert status == 0
    assert yaml.safe_load((tmp_path / "mine.yaml").read_text())["segments"][0]["customers"] == 1200


def test_ctrl_c_keeps_a_draft_that_resumes(tmp_path: Path) -> None:
    child = spawn(tmp_path, "plan")
    answer(child, QUESTIONS[:1])
    answer(child, QUESTIONS[1:2], "Walk-ins" + ENTER)
    answer(child, QUESTIONS[2:6])
    child.expect_exact(QUESTIONS[6])
    child.sendcontrol("c")
    status, shown = finish(child)
    assert status == 130
    assert "Traceback" not in shown
    assert f"crstrat plan --answers {DRAFT_NAME}" in shown
    draft = yaml.safe_load((tmp_path / DRAFT_NAME).read_text())
    assert draft["segments"] == [
        {
            "name": "Walk-ins",
            "expectation": "personal_assistance",
            "goal": "retain",
            "customers": load_knowledge().defaults.segment["customers"],
        }
    ]

    child = spawn(tmp_path, "plan", "--answers", DRAFT_NAME, "-f", "json")
    answer(child, QUESTIONS[6:17])  # only what is missing, from where it stopped
    answer(child, QUESTIONS[-1:])  # the summary
    status, shown = finish(child)
    assert status == 0
    assert "What is your company called" not in shown
    assert '"name": "Walk-ins"' in shown


def test_no_terminal_and_nothing_to_go_on_exits_2_at_once(tmp_path: Path) -> None:
    done = run_installed("plan", cwd=tmp_path, timeout=20)
    assert done.returncode == 2
    assert "--answers" in done.stderr and "--defaults" in done.stderr
    assert done.stdout == ""
    assert not list(tmp_path.iterdir())


#: Any escape sequence (colour, bold, cursor): stripped to get the text a person reads.
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def screen_text(columns: int, extra_env: dict[str, str] | None = None) -> str:
    """What ``crstrat plan --example software`` shows in a pseudo-terminal ``columns`` wide."""
    child = spawn(Path.cwd(), "plan", "--example", "software", columns=columns, extra_env=extra_env)
    status, shown = finish(child)
    assert status == 0
    return ESCAPE.sub("", shown).replace("\r\n", "\n")


@pytest.mark.parametrize(("columns", "most_lines"), [(80, 160), (60, 220)])
def test_the_plan_reads_whole_at_80_and_60_columns(columns: int, most_lines: int) -> None:
    shown = screen_text(columns)
    lines = shown.splitlines()
    assert len(lines) <= most_lines
    assert max(len(line) for line in lines) <= columns
    assert "…" not in shown
    flat = " ".join(shown.split())
    # a figure of the plan itself: the dearest type's cost for the first segment
    from crstrat.answers import load_answers
    from crstrat.figures import money
    from crstrat.knowledge import example_path, load_knowledge
    from crstrat.mix import make_plan

    kb = load_knowledge()
    plan = make_plan(kb, load_answers(kb, example_path(kb, "software")))
    dearest = max(plan.segments[0].ranking, key=lambda r: r.costing.annual_cost)
    dearest_cost = money(dearest.costing.annual_cost, plan.currency)
    for whole in ("Dedicated personal assistance", dearest_cost, "Self-service", "Tactics"):
        assert whole in flat


@pytest.mark.parametrize(
    ("extra_env", "width"),
    [
        ({"COLUMNS": "0"}, 100),  # nonsense: the terminal's own width
        ({"TERM": "dumb"}, 100),
        ({"TERM": "dumb", "COLUMNS": "40"}, 40),
        ({"COLUMNS": "40"}, 40),
    ],
)
def test_odd_terminals_get_a_readable_plan(extra_env: dict[str, str], width: int) -> None:
    shown = screen_text(100, extra_env)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= width
    assert max(len(line) for line in lines) > width - 10  # and uses it
    assert "…" not in shown
    assert "Recommended mix" in shown
    if extra_env.get("TERM") == "dumb":
        assert "█" not in shown  # plain characters on a dumb terminal


def test_the_highlighted_type_is_described_whole_in_60_columns(tmp_path: Path) -> None:
    kb = load_knowledge(None)
    child = spawn(tmp_path, "plan", columns=60)
    answer(child, QUESTIONS[:2])
    child.expect_exact("Description:")
    first = kb.types[0]
    last_word = (first.definition or first.summary).split()[-1]
    child.expect_exact(last_word)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    shown = ESCAPE.sub("", child.logfile_read.getvalue()).replace("\r", "")
    described = shown.split("Description:", 1)[1]
    # every word of the definition, in order: nothing is cut at the edge
    words = " ".join(described.split())
    assert " ".join((first.definition or first.summary).split()) in words


def test_answers_typed_at_the_terminal_end_with_ctrl_d(tmp_path: Path) -> None:
    # --answers - at a terminal: it says how to end, reads to Ctrl-D and asks nothing
    child = spawn(tmp_path, "plan", "--answers", "-", "-f", "json")
    child.expect_exact("Ctrl-D")
    for line in (
        "crstrat: 1",
        "segments:",
        "  - name: Typed",
        "    expectation: self_service",
        "    goal: acquire",
        "    customers: 500",
        "    purchases_per_year: 1",
        "    spend_per_purchase: 20",
    ):
        child.sendline(line)
    child.sendeof()
    status, shown = finish(child)
    assert status == 0, shown
    assert '"name": "Typed"' in shown
