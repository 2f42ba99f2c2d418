"""The questionnaire, driven through prompt_toolkit's pipe input.

Keys are sent ahead of time: prompt_toolkit keeps what one question did not
read for the next. ``ENTER`` takes a question's suggestion.
"""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from crstrat.answers import missing_keys, validate_answers, validate_field
from crstrat.commands.plan import gather_answers
from crstrat.drafts import DRAFT_NAME, draft_path
from crstrat.errors import InputError, Interrupted
from crstrat.knowledge import builtin_location, load_knowledge
from crstrat.model import Answers, KnowledgeBase, Segment
from crstrat.questionnaire import ask_missing

ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"
CTRL_D = "\x04"
#: a segment's questions: name, expectation, main goal, other goals, customers,
#: purchases, spend, market, budget way, budget share, gross margin, retention,
#: acquisition cost, channels, complexity, existing
SEGMENT_QUESTIONS = 16
#: company, one segment, "another segment?" and the summary
ALL_QUESTIONS = 1 + SEGMENT_QUESTIONS + 2


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def ask(kb: KnowledgeBase, pipe: PipeInput, keys: str, data: object = None, **kw: Any) -> Any:
    """Answer the questionnaire with ``keys``; returns the validated answers."""
    pipe.send_text(keys)
    raw = ask_missing(kb, {} if data is None else data, input=pipe, output=DummyOutput(), **kw)
    return validate_answers(kb, raw)


def default_answers(
    kb: KnowledgeBase, company: str | None = None, customers: int | None = None
) -> Answers:
    """What Enter through every question must give: the knowledge base's defaults
    (with ``company`` and ``customers`` changed when given)."""
    seg = kb.defaults.segment
    return Answers(
        company=company or kb.defaults.company,
        segments=(
            Segment(
                name=str(seg["name"]),
                expectation=str(seg["expectation"]),
                goals=(str(seg["goal"]),),
                customers=customers or int(seg["customers"]),  # type: ignore[call-overload]
                purchases_per_year=float(seg["purchases_per_year"]),  # type: ignore[arg-type]
                spend_per_purchase=float(seg["spend_per_purchase"]),  # type: ignore[arg-type]
                budget_share=kb.defaults.budget_share,
                market=kb.defaults.market,
                complexity=kb.defaults.complexity,
                # the formats start from what the expected type needs, not all nine
                channels=kb.type(str(seg["expectation"])).fit.channels[:1],
                # the usual figures for the market, shown and kept by Enter
                gross_margin=kb.economics.gross_margin[kb.defaults.market],  # type: ignore[union-attr]
                retention_rate=kb.economics.retention_rate[kb.defaults.market],  # type: ignore[union-attr]
            ),
        ),
    )


def test_enter_through_everything_gives_the_defaults(kb: KnowledgeBase, pipe: PipeInput) -> None:
    assert ask(kb, pipe, ENTER * ALL_QUESTIONS) == default_answers(kb)


class Screen(PlainTextOutput):
    """A terminal screen as plain text that a test can wait on."""

    def __init__(self) -> None:
        super().__init__(io.StringIO())
        self.changed = threading.Condition()

    def flush(self) -> None:
        with self.changed:
            super().flush()
            self.changed.notify_all()

    def shows(self, text: str) -> bool:
        """Wait (10 s at most) until ``text`` is on the screen."""
        with self.changed:
            return self.changed.wait_for(lambda: text in self.stdout.getvalue(), timeout=10)


def test_a_wrong_number_is_refused_inline_and_the_correction_kept(
    kb: KnowledgeBase, pipe: PipeInput
) -> None:
    with pytest.raises(InputError) as refused:  # what the answers-file loader says of it
        validate_field(kb, "customers", "abc")
    message = refused.value.problem[:40]  # short enough not to wrap on the screen
    screen = Screen()
    seen: list[bool] = []

    def type_along() -> None:
        # up to "how many customers?": company, name, expectation, goal, other goals
        pipe.send_text(ENTER * 5 + "abc" + ENTER)
        seen.append(screen.shows(message))
        pipe.send_text("\x15" + "1200" + ENTER + ENTER * (ALL_QUESTIONS - 6))  # Ctrl-U clears

    typist = threading.Thread(target=type_along)
    typist.start()
    raw = ask_missing(kb, {}, input=pipe, output=screen)
    typist.join()
    assert seen == [True]
    assert validate_answers(kb, raw).segments[0].customers == 1200


def test_typed_answers_are_read_like_set_values(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = (
        ENTER * 2  # company, name
        + DOWN * 3  # automated services
        + ENTER
        + DOWN  # main goal: from retain to expand
        + ENTER
        + " "  # also acquire
        + ENTER
        + "2000000" + ENTER + "0.5" + ENTER + "400" + ENTER
        + DOWN + ENTER  # b2b
        + ENTER  # budget as a share
        + "10%" + ENTER
        + "55%" + ENTER  # gross margin
        + "0.9" + ENTER  # retention
        + "120" + ENTER  # what winning one costs
        + "aa"  # channels: tick all, then untick all
        + ENTER
        + DOWN + ENTER  # high complexity (from medium)
        + " " + ENTER  # personal assistance already in place
        + ENTER * 2
    )  # fmt: skip
    seg = ask(kb, pipe, keys).segments[0]
    assert seg.expectation == kb.type_ids[3]
    assert seg.goals == ("expand", "acquire")
    assert (seg.customers, seg.purchases_per_year, seg.spend_per_purchase) == (2_000_000, 0.5, 400)
    assert (seg.budget_share, seg.budget_per_customer) == (0.1, None)
    assert (seg.channels, seg.complexity, seg.market) == ((), "high", "b2b")
    assert seg.existing == (kb.type_ids[0],)
    assert (seg.gross_margin, seg.retention_rate, seg.acquisition_cost) == (0.55, 0.9, 120)


def test_budget_per_customer(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = ENTER * 9 + DOWN + ENTER + "12.5" + ENTER + ENTER * 8
    seg = ask(kb, pipe, keys).segments[0]
    assert (seg.budget_share, seg.budget_per_customer) == (None, 12.5)


def test_the_budget_share_suggested_follows_the_market(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = ENTER * 8 + DOWN + ENTER + ENTER * 11  # b2b, then Enter through the rest
    seg = ask(kb, pipe, keys).segments[0]
    assert seg.market == "b2b"
    assert seg.budget_share == kb.defaults.budget_share_by_market["b2b"]
    assert seg.budget_share != kb.defaults.budget_share


def test_several_segments_with_unique_names(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = (
        ENTER * (1 + SEGMENT_QUESTIONS)  # company and the first segment
        + "y"  # another segment
        + "main SEGMENT" + ENTER  # taken (case aside): refused, stays in the field
        + "\x15" + ENTER  # Ctrl-U empties it: Enter takes the suggestion
        + ENTER * (SEGMENT_QUESTIONS - 1)
        + ENTER * 2  # no more; looks right
    )  # fmt: skip
    answers = ask(kb, pipe, keys)
    assert [s.name for s in answers.segments] == ["Main segment", "Main segment 2"]


def test_going_back_from_the_summary(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = (
        ENTER * (ALL_QUESTIONS - 1)
        + DOWN + ENTER + "Acme" + ENTER  # change the company
        + DOWN * 2 + ENTER  # change segment 1: pick the answer to change
        + DOWN * 3 + ENTER + "800" + ENTER  # customers, and only that question
        + DOWN * 2 + ENTER  # change segment 1 again
        + DOWN * 15 + ENTER  # "none: back"
        + DOWN * 3 + ENTER  # add a segment
        + "Second" + ENTER + ENTER * (SEGMENT_QUESTIONS - 1)
        + DOWN * 6 + ENTER  # remove segment 2
        + ENTER  # looks right
    )  # fmt: skip
    answers = ask(kb, pipe, keys)
    assert answers == default_answers(kb, company="Acme", customers=800)


def test_every_answer_of_a_segment_can_be_asked_again(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = (
        ENTER * (ALL_QUESTIONS - 1)
        + DOWN * 2 + ENTER  # change segment 1
        + DOWN * 14 + ENTER  # every answer, its current one suggested
        + ENTER * 4 + "800" + ENTER + ENTER * (SEGMENT_QUESTIONS - 5)
        + ENTER  # looks right
    )  # fmt: skip
    assert ask(kb, pipe, keys) == default_answers(kb, customers=800)


def test_the_formats_start_from_what_the_expected_type_needs(
    kb: KnowledgeBase, pipe: PipeInput
) -> None:
    keys = ENTER * 2 + DOWN * 2 + ENTER + ENTER * (ALL_QUESTIONS - 3)  # expects self-service
    seg = ask(kb, pipe, keys).segments[0]
    assert seg.expectation == kb.type_ids[2]
    assert seg.channels == kb.type(kb.type_ids[2]).fit.channels[:1]
    assert len(seg.channels or ()) == 1


def test_the_review_says_each_figure_once(kb: KnowledgeBase, pipe: PipeInput) -> None:
    keys = ENTER * 9 + DOWN + ENTER + "500" + ENTER + ENTER * 8
    pipe.send_text(keys)
    screen = io.StringIO()
    ask_missing(kb, {}, input=pipe, output=PlainTextOutput(screen))
    review = screen.getvalue().split("Your answers")[-1]
    budget = " ".join(review.split("budget", 1)[1].split("formats", 1)[0].split())
    assert budget.count("500 USD per customer") == 1, budget


def test_a_file_gets_only_its_missing_answers_asked(kb: KnowledgeBase, pipe: PipeInput) -> None:
    given = {
        "crstrat": 1,
        "segments": [
            {"name": "Shop", "expectation": "self_service", "goal": "acquire", "customers": 90},
            {
                "name": "Complete",
                "expectation": "communities",
                "goal": ["retain", "expand"],
                "customers": 10,
                "purchases_per_year": 1,
                "spend_per_purchase": 5,
            },
        ],
    }
    # purchases and spend first (no company question), then the rest of segment 1 only
    answers = ask(kb, pipe, "3" + ENTER + "7" + ENTER + ENTER * 10, data=given)
    shop, complete = answers.segments
    assert answers.company is None
    assert (shop.name, shop.customers, shop.purchases_per_year, shop.spend_per_purchase) == (
        "Shop",
        90,
        3,
        7,
    )
    assert (
        complete == validate_answers(kb, {**given, "segments": given["segments"][1:]}).segments[0]
    )


@pytest.mark.parametrize("stop", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_stopping_keeps_a_draft_that_resumes(
    kb: KnowledgeBase, pipe: PipeInput, in_tmp: Path, stop: str
) -> None:
    # company, name typed, expectation, main goal, then stop at "other goals?"
    pipe.send_text(ENTER + "Walk-ins" + ENTER + ENTER * 2 + stop)
    with pytest.raises(Interrupted) as stopped:
        ask_missing(kb, {}, input=pipe, output=DummyOutput())
    assert stopped.value.exit_code == 130
    assert f"crstrat plan --answers {DRAFT_NAME}" in stopped.value.message
    draft = yaml.safe_load((in_tmp / DRAFT_NAME).read_text())
    assert draft == {
        "crstrat": 1,
        "company": kb.defaults.company,
        "segments": [{"name": "Walk-ins", "expectation": "personal_assistance", "goal": "retain"}],
    }
    assert missing_keys(draft)  # so `plan --answers draft` asks, and only for the rest
    # the first segment's questions from "how many customers?" on, and the summary
    resumed = ask(kb, pipe, ENTER * (SEGMENT_QUESTIONS - 4 + 1), data=draft)
    assert resumed.segments[0].name == "Walk-ins"
    assert resumed.segments[0].customers == kb.defaults.segment["customers"]


def test_stopping_at_the_first_question_keeps_an_empty_draft(
    kb: KnowledgeBase, pipe: PipeInput, in_tmp: Path
) -> None:
    pipe.send_text(CTRL_C)
    with pytest.raises(Interrupted):
        ask_missing(kb, {"currency": "NZD"}, input=pipe, output=DummyOutput())
    draft = yaml.safe_load((in_tmp / DRAFT_NAME).read_text())
    assert draft == {"crstrat": 1, "currency": "NZD", "segments": []}


def test_the_draft_goes_beside_save_answers(
    kb: KnowledgeBase, pipe: PipeInput, in_tmp: Path
) -> None:
    (in_tmp / "out").mkdir()
    pipe.send_text(ENTER * 3 + CTRL_C)
    with pytest.raises(Interrupted) as stopped:
        ask_missing(kb, {}, save_path=Path("out/mine.yaml"), input=pipe, output=DummyOutput())
    assert draft_path(Path("out/mine.yaml")) == Path("out/mine.draft.yaml")
    assert (in_tmp / "out" / "mine.draft.yaml").is_file()
    assert "--answers out/mine.draft.yaml --save-answers out/mine.yaml" in stopped.value.message
    assert not (in_tmp / DRAFT_NAME).exists()


def test_a_draft_that_cannot_be_written_still_stops(
    kb: KnowledgeBase, pipe: PipeInput, in_tmp: Path
) -> None:
    pipe.send_text(CTRL_C)
    # the folder of --save-answers is missing: the draft is kept in the current folder
    with pytest.raises(Interrupted, match=r"kept in mine\.draft\.yaml"):
        ask_missing(
            kb,
            {"company": "Kept Ltd"},
            save_path=Path("missing/mine.yaml"),
            input=pipe,
            output=DummyOutput(),
        )
    assert (in_tmp / "mine.draft.yaml").is_file()


def test_a_wrong_answer_in_the_file_is_refused_before_asking(
    kb: KnowledgeBase, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("asked although the file is wrong")

    monkeypatch.setattr("crstrat.questionnaire.ask_missing", never)
    (in_tmp / "half.yaml").write_text("crstrat: 1\nsegments:\n  - name: Shop\n    customers: abc\n")
    with pytest.raises(InputError) as refused:
        gather_answers(
            kb,
            answers_file=Path("half.yaml"),
            example=None,
            sets=[],
            use_defaults=False,
            interactive=True,
        )
    assert str(refused.value).startswith("half.yaml:4: segments[0].customers: must be a number")


def test_resuming_with_a_custom_knowledge_base_names_it(pipe: PipeInput, in_tmp: Path) -> None:
    shutil.copytree(builtin_location(), in_tmp / "kb")
    custom = load_knowledge(Path("kb"))
    pipe.send_text(CTRL_C)
    with pytest.raises(Interrupted) as stopped:
        ask_missing(custom, {"company": "Kept Ltd"}, input=pipe, output=DummyOutput())
    assert stopped.value.message.endswith(f"--answers {DRAFT_NAME} --kb kb")


class NarrowOutput(DummyOutput):
    """A terminal ``columns`` wide."""

    def __init__(self, columns: int) -> None:
        self.columns = columns

    def get_size(self) -> Any:
        from prompt_toolkit.data_structures import Size

        return Size(rows=40, columns=self.columns)


@pytest.mark.parametrize("columns", [40, 60, 80])
def test_questions_hints_and_descriptions_break_at_spaces(kb: KnowledgeBase, columns: int) -> None:
    from crstrat.questionnaire import _Terminal

    terminal = _Terminal(None, NarrowOutput(columns))
    message = "What relationship do the customers of 'Leisure travellers' expect?"
    hint = "(a customer segment: people you serve alike, e.g. Leisure travellers) [Main]"
    question, instruction = terminal.worded(message, hint)
    shown = f"? {question} {instruction}"
    assert " ".join(shown.split()) == f"? {message} {hint}"  # every word, whole, in order
    assert all(len(line) <= columns for line in shown.split("\n"))
    # an answer too long for the question's line goes on a line of its own
    answer = "As a share of the segment's revenue"
    question, _ = terminal.worded(message, hint, answer=len(answer))
    answered = f"? {question} {answer}"
    assert " ".join(answered.split()) == f"? {message} {answer}"
    assert all(len(line) <= columns for line in answered.split("\n"))
    definition = kb.types[1].definition
    described = "  Description: " + terminal.described(definition)
    assert " ".join(described.split()) == f"Description: {' '.join(definition.split())}"
    assert all(len(line) <= columns for line in described.split("\n"))
