"""The questionnaire of ``crstrat plan``: what is missing, asked on a terminal.

The only module that imports questionary and prompt_toolkit, and it is imported
only when there is something to ask. Every typed answer is checked by
:func:`crstrat.answers.validate_field` (or :func:`~crstrat.answers.validate_top_field`),
the same check the answers-file loader runs, and its message is shown under the
prompt until the answer is right.

Ctrl-C or Ctrl-D at any question keeps the answers given so far in a draft
answers file and raises :class:`~crstrat.errors.Interrupted` with the command
that resumes from it.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.output import ColorDepth, Output

from .answers import (
    REQUIRED_SEGMENT_KEYS,
    SCHEMA_VERSION,
    apply_overrides,
    parse_scalar,
    validate_answers,
    validate_field,
    validate_top_field,
)
from .drafts import answer_count, keep_draft, resume_command
from .errors import InputError, Interrupted
from .figures import count, counted, listing, money, printable, share
from .model import CHANNELS, COMPLEXITIES, GOALS, MARKETS, Economics, KnowledgeBase, Segment
from .scoring import context

T = TypeVar("T")
#: A choice offered: its value, a short title, and optionally a description shown
#: whole (wrapped) while the choice is highlighted.
Choice = tuple[T, str] | tuple[T, str, str]


def _stop_keys() -> KeyBindings:
    """Ctrl-D ends the questionnaire like Ctrl-C does, at every kind of question
    (prompt_toolkit alone honours it only in an empty text field)."""
    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _stop(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    return bindings


class _Terminal:
    """Asks one question at a time; ``input``/``output`` are prompt_toolkit's (tests pass pipes)."""

    def __init__(self, input: Input | None, output: Output | None) -> None:
        self.output = output
        self._io: dict[str, Any] = {"input": input, "output": output}
        if os.environ.get("NO_COLOR", "") != "":
            # monochrome: questionary's colours (and any others) are not drawn
            self._io["color_depth"] = ColorDepth.DEPTH_1_BIT
        self._stop = _stop_keys()

    def _ask(self, question: questionary.Question, *keys: KeyBindings) -> Any:
        # unsafe_ask(): ask() would swallow Ctrl-C and return None
        app = question.application
        app.key_bindings = merge_key_bindings(
            [app.key_bindings or KeyBindings(), self._stop, *keys]
        )
        return question.unsafe_ask()

    def width(self) -> int:
        """The terminal's width in columns (80 when it cannot tell, never below 30)."""
        try:
            columns = (
                self.output.get_size().columns
                if self.output is not None
                else shutil.get_terminal_size((80, 24)).columns
            )
        except (OSError, ValueError):
            columns = 80
        return max(columns or 80, 30)

    def worded(self, message: str, instruction: str, answer: int = 0) -> tuple[str, str]:
        """The question and its hint broken at spaces to fit the terminal (prompt_toolkit
        would break them inside words). The hint follows the question when it fits
        on its line, else goes on lines of its own below; so does the answer, once
        given, when ``answer`` characters would not fit after the question."""
        width = self.width()
        lines = textwrap.wrap(message, width - 3, subsequent_indent="  ") or [""]
        # "? " before the first line, a space after the question, another before the hint
        after = width - len(lines[-1]) - (4 if len(lines) == 1 else 2)
        fresh_line = answer > after
        question = "\n".join(lines) + ("\n " if fresh_line else "")
        room = width - 3 if fresh_line else after
        if len(instruction) <= room - 12:  # and room left to type a short answer
            return question, instruction
        hint = "\n  ".join(textwrap.wrap(instruction, width - 4))
        return question, hint if fresh_line else "\n  " + hint

    def described(self, text: str) -> str:
        """A choice's description, broken at spaces under questionary's "Description:"."""
        lead = len("  Description: ")
        return ("\n" + " " * lead).join(textwrap.wrap(text, self.width() - lead - 1))

    def say(self, text: str) -> None:
        """Print lines between the questions, each broken at spaces to fit the
        terminal; a broken line goes on under its own first word (after the
        label of an ``label:  words`` or ``label   words`` line)."""
        width = self.width() - 1
        lines = []
        for line in text.split("\n"):
            lead = re.match(r"\s*(?:\S+(?: \S+)?(?::| {2,}) *)?", line)
            hang = " " * min(len(lead.group(0)) if lead else 0, width // 2)
            lines += textwrap.wrap(line, width, subsequent_indent=hang) or [""]
        print_formatted_text("\n".join(lines), output=self.output)

    def text(self, message: str, hint: str, default: str, check: Callable[[str], T]) -> T:
        """A typed answer, checked by ``check`` (an InputError's problem is shown inline).

        The suggestion is shown as ``[default]`` and taken by Enter on an empty
        field, so typing replaces it rather than adding to it.
        """

        def checked(typed: str) -> T:
            return check(typed if typed.strip() else default)

        accept = KeyBindings()

        @accept.add("enter", eager=True)
        def _accept(event: KeyPressEvent) -> None:
            field = event.current_buffer
            if not field.text.strip():
                field.text = default  # shown as the answer, as if typed
                field.cursor_position = len(default)
            field.validate_and_handle()

        message, instruction = self.worded(
            message, f"({hint})" + (f" [{default}]" if default else "")
        )
        typed = self._ask(
            questionary.text(
                message,
                instruction=instruction,
                validate=_verdict(checked),
                **self._io,
            ),
            accept,
        )
        return checked(typed)

    def options(self, choices: Sequence[Choice[T]], checked: Collection[T] = ()) -> list[Any]:
        """questionary's choices: a short title each, the highlighted one's
        description shown whole below the list."""
        return [
            questionary.Choice(
                choice[1],
                value=choice[0],
                checked=choice[0] in checked,
                description=self.described(choice[2]) if len(choice) > 2 else None,
            )
            for choice in choices
        ]

    def select(self, message: str, hint: str, choices: Sequence[Choice[T]], default: T | None) -> T:
        """One of ``choices`` (value, title[, description]), the pointer on ``default``."""
        options = self.options(choices)
        longest = max(len(choice[1]) for choice in choices)
        message, instruction = self.worded(message, f"({hint}; arrow keys, Enter)", longest)
        picked: T = self._ask(
            questionary.select(
                message,
                choices=options,
                default=next((o for o in options if o.value == default), None),
                instruction=instruction,
                **self._io,
            )
        )
        return picked

    def checkbox(
        self,
        message: str,
        hint: str,
        choices: Sequence[Choice[str]],
        checked: Collection[str],
        check: Callable[[list[str]], object],
    ) -> list[str]:
        """Any of ``choices`` (value, title[, description]), those in ``checked``
        ticked to start with."""
        options = self.options(choices, checked)
        # once answered, questionary shows "done" or the ticked titles in brackets
        message, instruction = self.worded(
            message, f"({hint}; space ticks, Enter when done)", answer=16
        )
        picked: list[str] = self._ask(
            questionary.checkbox(
                message,
                choices=options,
                instruction=instruction,
                validate=_verdict(check),
                **self._io,
            )
        )
        return picked

    def confirm(self, message: str, default: bool) -> bool:
        """Yes or no."""
        return bool(self._ask(questionary.confirm(message, default=default, **self._io)))


class _LineTerminal(_Terminal):
    """Asks a line at a time, for a terminal that cannot move its cursor (TERM=dumb:
    an editor's shell, a CI log): plain prompts, no escape sequences."""

    def __init__(self) -> None:
        pass

    def say(self, text: str) -> None:
        print(text, flush=True)

    def text(self, message: str, hint: str, default: str, check: Callable[[str], T]) -> T:
        suggestion = f" [{default}]" if default else ""
        while True:
            typed = input(f"{message} ({hint}){suggestion}: ")
            try:
                return check(typed if typed.strip() else default)
            except InputError as exc:
                print(f"  {exc.problem}")

    def _numbers(self, choices: Sequence[Choice[Any]], prompt: str, start: str) -> list[int]:
        for number, choice in enumerate(choices, 1):
            described = f": {choice[2]}" if len(choice) > 2 else ""
            print(f"  {number}. {choice[1]}{described}")
        while True:
            typed = input(f"{prompt} [{start}]: ").strip() or start
            if typed.lower() == "none":
                return []
            picked = [part.strip() for part in typed.split(",") if part.strip()]
            if all(p.isdigit() and 1 <= int(p) <= len(choices) for p in picked):
                return [int(p) - 1 for p in picked]
            print(f"  give numbers from 1 to {len(choices)}")

    def select(self, message: str, hint: str, choices: Sequence[Choice[T]], default: T | None) -> T:
        print(f"{message} ({hint})")
        start = next((n for n, choice in enumerate(choices, 1) if choice[0] == default), 1)
        while True:
            picked = self._numbers(choices, "Number", str(start))
            if len(picked) == 1:
                return choices[picked[0]][0]
            print("  give one number")

    def checkbox(
        self,
        message: str,
        hint: str,
        choices: Sequence[Choice[str]],
        checked: Collection[str],
        check: Callable[[list[str]], object],
    ) -> list[str]:
        print(f"{message} ({hint}; numbers separated by commas, or none)")
        start = ",".join(str(n) for n, choice in enumerate(choices, 1) if choice[0] in checked)
        while True:
            picked = [choices[i][0] for i in self._numbers(choices, "Numbers", start)]
            try:
                check(picked)
            except InputError as exc:
                print(f"  {exc.problem}")
                continue
            return picked

    def confirm(self, message: str, default: bool) -> bool:
        while True:
            typed = input(f"{message} [{'Y/n' if default else 'y/N'}]: ").strip().lower()
            if typed in ("", "y", "yes", "n", "no"):
                return default if not typed else typed.startswith("y")
            print("  answer y or n")


def _terminal(input: Input | None, output: Output | None) -> _Terminal:
    """Full prompts, or a line at a time where the terminal cannot move its cursor."""
    from prompt_toolkit.utils import is_dumb_terminal

    if input is None and output is None and is_dumb_terminal():
        return _LineTerminal()
    return _Terminal(input, output)


def _verdict(check: Callable[[T], object]) -> Callable[[T], bool | str]:
    """A questionary ``validate=`` callable: True, or the validator's message."""

    def verdict(answer: T) -> bool | str:
        try:
            check(answer)
        except InputError as exc:
            return exc.problem
        return True

    return verdict


# --------------------------------------------------------------------------- values


def _stored(value: object) -> object:
    """A clean value as answers data: lists, not tuples; 4, not 4.0."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number_text(value: object) -> str:
    return str(_stored(value)) if value is not None else ""


def _share_text(fraction: float) -> str:
    """``0.05`` -> ``5%``, or the plain number when a percentage would round it."""
    percent = f"{fraction * 100:g}%"
    return percent if _parse_share(percent) == fraction else repr(fraction)


def _parse_share(typed: str) -> object:
    """``5%`` -> 0.05; anything else as ``--set`` reads it."""
    text = typed.strip()
    if text.endswith("%"):
        number = parse_scalar(text[:-1].strip())
        if isinstance(number, int | float) and not isinstance(number, bool):
            return number / 100
    return parse_scalar(text)


def _model(kb: KnowledgeBase, segment: dict[str, Any]) -> Segment:
    """The segment as the model sees it (its required answers must all be there)."""
    return validate_answers(kb, {"crstrat": SCHEMA_VERSION, "segments": [segment]}).segments[0]


# --------------------------------------------------------------------------- questions


class _Questionnaire:
    """The questions, asked into ``answers`` (raw answers data) one by one.

    Every answer is stored as soon as it is given and checked, so an
    interruption can keep everything answered so far.
    """

    def __init__(self, kb: KnowledgeBase, answers: dict[str, Any], terminal: _Terminal) -> None:
        self.kb = kb
        self.answers = answers
        self.terminal = terminal
        self.questions: tuple[tuple[tuple[str, ...], Callable[[int], None]], ...] = (
            (("name",), self.ask_name),
            (("expectation",), self.ask_expectation),
            (("goal",), self.ask_goal),
            (("customers",), self.ask_customers),
            (("purchases_per_year",), self.ask_purchases),
            (("spend_per_purchase",), self.ask_spend),
            # the market before the budget: its default share depends on it
            (("market",), self.ask_market),
            (("budget_share", "budget_per_customer"), self.ask_budget),
            (("gross_margin",), self.ask_margin),
            (("retention_rate",), self.ask_retention),
            (("acquisition_cost",), self.ask_acquisition),
            (("channels",), self.ask_channels),
            (("complexity",), self.ask_complexity),
            (("existing",), self.ask_existing),
        )

    # ----------------------------------------------------------------- flow

    @property
    def segments(self) -> list[dict[str, Any]]:
        """The segments answered so far (raw answers data)."""
        segments: list[dict[str, Any]] = self.answers["segments"]
        return segments

    @property
    def currency(self) -> str:
        """The currency figures are shown in."""
        currency = self.answers.get("currency")
        return currency if isinstance(currency, str) and currency else self.kb.defaults.currency

    def run(self) -> None:
        """Ask everything (no segments yet) or what the segments still lack, then review."""
        segments = self.answers.get("segments")
        say = self.terminal.say
        if isinstance(segments, list) and segments and all(isinstance(s, dict) for s in segments):
            say("Some answers are still missing. Press Enter to accept a suggestion.")
            for index, segment in enumerate(segments):
                if any(segment.get(key) is None for key in REQUIRED_SEGMENT_KEYS):
                    self.ask_segment(index, only_open=True)
        else:
            self.answers["segments"] = []
            say(
                "A few questions about your business, customer segment by customer segment.\n"
                "Press Enter to accept a suggestion; Ctrl-C stops and keeps your answers."
            )
            if self.answers.get("company") is None:
                self.ask_company()
            while True:
                self.segments.append({})
                self.ask_segment(len(self.segments) - 1, only_open=True)
                if not self.terminal.confirm("Add another customer segment?", default=False):
                    break
        self.review()

    def ask_segment(self, index: int, *, only_open: bool) -> None:
        """Ask a segment's questions: the unanswered ones, or all of them to change answers."""
        segment = self.segments[index]
        name = segment.get("name")
        self.terminal.say(f"\nSegment {index + 1}" + (f": {printable(name)}" if name else ""))
        for keys, question in self.questions:
            if only_open and any(segment.get(key) is not None for key in keys):
                continue
            question(index)

    def review(self) -> None:
        """Show every answer; change, add or remove until the user says it looks right."""
        while True:
            self.terminal.say(self.summary())
            several = len(self.segments) > 1
            options: list[tuple[tuple[str, int], str]] = [
                (("done", 0), "Looks right: show the plan"),
                (("company", 0), "Change the company's name"),
            ]
            for index, segment in enumerate(self.segments):
                options.append(
                    (
                        ("change", index),
                        f"Change segment {index + 1}: {self.name_of(segment)}",
                    )
                )
            options.append((("add", 0), "Add a segment"))
            if several:
                for index, segment in enumerate(self.segments):
                    options.append(
                        (("remove", index), f"Remove segment {index + 1}: {self.name_of(segment)}")
                    )
            action, index = self.terminal.select(
                "Is this right?", "or go back to an answer", options, ("done", 0)
            )
            if action == "done":
                return
            if action == "company":
                self.ask_company()
            elif action == "change":
                self.change_answer(index)
            elif action == "add":
                self.segments.append({})
                self.ask_segment(len(self.segments) - 1, only_open=True)
            else:
                del self.segments[index]

    def change_answer(self, index: int) -> None:
        """Pick one of a segment's answers and ask that question again (or all of
        them, or none)."""
        seg = _model(self.kb, self.segments[index])
        words = dict(self.described(seg))
        cur = self.currency
        answers: list[tuple[str, str, Callable[[int], None]]] = [
            ("Name", self.name_of(self.segments[index]), self.ask_name),
            ("What they expect", words["expects"], self.ask_expectation),
            ("Goals", words["goals"], self.ask_goal),
            ("Customers", count(seg.customers), self.ask_customers),
            ("Purchases a year", count(seg.purchases_per_year), self.ask_purchases),
            ("Spend per purchase", money(seg.spend_per_purchase, cur), self.ask_spend),
            ("Consumers or businesses", words["market"], self.ask_market),
            ("Budget", words["budget"], self.ask_budget),
            ("Gross margin", words["margin"], self.ask_margin),
            ("Customers kept a year", words["retention"], self.ask_retention),
            ("Cost of winning a customer", words["acquisition"], self.ask_acquisition),
            ("Formats", words["formats"], self.ask_channels),
            ("Explanation the offer needs", words["explanation"], self.ask_complexity),
            ("Relationships already in place", words["in place"], self.ask_existing),
        ]
        choices: list[Choice[int]] = [
            (position, title, value) for position, (title, value, _) in enumerate(answers)
        ]
        choices += [(-1, "Every answer, one after the other"), (-2, "None: back")]
        picked = self.terminal.select(
            f"Which answer for {self.called(index)}?",
            "its current value is shown below the list",
            choices,
            0,
        )
        if picked == -1:
            self.ask_segment(index, only_open=False)
        elif picked >= 0:
            answers[picked][2](index)

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def name_of(segment: dict[str, Any]) -> str:
        """A segment's name, safe to show (every segment has one by the summary)."""
        return printable(segment["name"])

    def current(self, index: int, key: str) -> Any:
        """A segment's clean answer to ``key``, or None when it has none."""
        value = self.segments[index].get(key)
        return None if value is None else validate_field(self.kb, key, value)

    def suggestion(self, index: int, key: str) -> Any:
        """The answer to offer: the segment's own, else the knowledge base's default
        (which the knowledge-base loader has checked)."""
        value = self.current(index, key)
        if value is None and self.kb.defaults.segment.get(key) is not None:
            value = validate_field(self.kb, key, self.kb.defaults.segment[key])
        return value

    def store(self, index: int, key: str, value: object) -> None:
        """Keep one checked answer."""
        self.segments[index][key] = _stored(value)

    def typed(self, index: int, key: str, message: str, hint: str, default: object = None) -> None:
        """A typed number for ``key``, read as --set reads it, checked by validate_field;
        ``default`` (else :meth:`suggestion`) is offered."""
        value = self.terminal.text(
            message,
            hint,
            _number_text(default if default is not None else self.suggestion(index, key)),
            lambda typed: validate_field(self.kb, key, parse_scalar(typed.strip())),
        )
        self.store(index, key, value)

    def called(self, index: int) -> str:
        """How the questions name the segment."""
        name = self.segments[index].get("name")
        return f"'{printable(name)}'" if name else "this segment"

    # ----------------------------------------------------------------- questions

    def ask_company(self) -> None:
        """The company's name."""
        current = self.answers.get("company")
        self.answers["company"] = self.terminal.text(
            "What is your company called?",
            "shown in the plan's title",
            current if isinstance(current, str) else self.kb.defaults.company,
            lambda typed: validate_top_field("company", typed),
        )

    def ask_name(self, index: int) -> None:
        """The segment's name, unique among the segments."""
        taken = {
            segment["name"].casefold()
            for other, segment in enumerate(self.segments)
            if other != index and isinstance(segment.get("name"), str)
        }

        def check(typed: str) -> str:
            name: str = validate_field(self.kb, "name", typed)
            if name.casefold() in taken:
                raise InputError(
                    f"another segment is already called '{name}'; names must be unique",
                    path="name",
                )
            return name

        default = self.current(index, "name")
        if default is None:
            base = str(self.kb.defaults.segment.get("name") or "Segment")
            # numbered by position, as --defaults names them, unless that name is taken
            numbers = [index + 1, *range(1, len(self.segments) + 2)]
            candidates = [base if n == 1 else f"{base} {n}" for n in numbers]
            default = next(c for c in candidates if c.casefold() not in taken)
        self.store(
            index,
            "name",
            self.terminal.text(
                "What do you call this group of customers?",
                "a customer segment: people you serve alike, e.g. Leisure travellers",
                default,
                check,
            ),
        )

    def ask_expectation(self, index: int) -> None:
        """The relationship type the segment expects."""
        choices = [(t.id, t.name, t.definition or t.summary) for t in self.kb.types]
        picked = self.terminal.select(
            f"What relationship do the customers of {self.called(index)} expect?",
            "the closest one",
            choices,
            self.suggestion(index, "expectation") or self.kb.type_ids[0],
        )
        self.store(index, "expectation", validate_field(self.kb, "expectation", picked))

    def ask_goal(self, index: int) -> None:
        """The goals, most important first: the main one, then any others."""
        goals = self.suggestion(index, "goal") or GOALS[:1]
        titles = {g: (g, self.kb.goals[g].title, self.kb.goals[g].summary) for g in GOALS}
        main = self.terminal.select(
            f"What is your main goal with {self.called(index)}?",
            "it weighs most in the plan",
            [titles[g] for g in GOALS],
            goals[0],
        )
        self.store(index, "goal", validate_field(self.kb, "goal", main)[0])  # kept if stopped here
        others = [titles[g] for g in GOALS if g != main]
        more = self.terminal.checkbox(
            "Any other goals, less important?",
            "none is fine",
            others,
            goals[1:],
            lambda picked: validate_field(self.kb, "goal", [main, *picked]),
        )
        chosen = validate_field(self.kb, "goal", [main, *more])
        self.store(index, "goal", chosen[0] if len(chosen) == 1 else chosen)

    def ask_customers(self, index: int) -> None:
        """How many customers the segment has."""
        self.typed(
            index,
            "customers",
            f"How many customers are in {self.called(index)}?",
            "a whole number: customers now, or expected within a year",
        )

    def ask_purchases(self, index: int) -> None:
        """How often one customer buys a year."""
        self.typed(
            index,
            "purchases_per_year",
            "How many times a year does one customer buy?",
            "0.5 = once every two years",
        )

    def ask_spend(self, index: int) -> None:
        """The average spend per purchase; then what a customer is worth a year."""
        self.typed(
            index,
            "spend_per_purchase",
            f"How much does a customer spend per purchase, in {self.currency}?",
            "an average; 0 if the service is free",
        )
        seg = _model(self.kb, self.segments[index])
        self.terminal.say(
            f"  So one customer is worth {money(seg.customer_value, self.currency)} a year, "
            f"{money(seg.customer_value * seg.customers, self.currency)} for all of them."
        )

    def ask_budget(self, index: int) -> None:
        """The relationship budget, as a share of revenue or an amount per customer."""
        per_customer_given = self.current(index, "budget_per_customer") is not None
        way = self.terminal.select(
            "How do you want to set what relationships may cost a year?",
            "the budget the plan must fit in",
            [
                ("share", "As a share of the segment's revenue"),
                ("per_customer", "As an amount per customer"),
            ],
            "per_customer" if per_customer_given else "share",
        )
        segment = self.segments[index]
        if way == "share":
            market = self.current(index, "market") or self.kb.defaults.market
            fraction = self.current(index, "budget_share") or (
                self.kb.defaults.budget_share_by_market.get(market, self.kb.defaults.budget_share)
            )
            value = self.terminal.text(
                "What share of the segment's yearly revenue may relationships cost?",
                "e.g. 5% or 0.05",
                _share_text(fraction),
                lambda typed: validate_field(self.kb, "budget_share", _parse_share(typed)),
            )
            self.store(index, "budget_share", value)
            segment.pop("budget_per_customer", None)
        else:
            amount = self.current(index, "budget_per_customer")
            if amount is None:  # suggest what the share comes to per customer
                model = _model(self.kb, segment)
                amount = round(context(self.kb, model).budget_per_customer, 2)
            self.typed(
                index,
                "budget_per_customer",
                f"How much a year per customer may relationships cost, in {self.currency}?",
                "an amount per customer per year",
                amount,
            )
            segment.pop("budget_share", None)
        ctx = context(self.kb, _model(self.kb, segment), self.currency)
        self.terminal.say(
            f"  That is {money(ctx.budget, self.currency)} a year for the segment, "
            f"{money(ctx.budget_per_customer, self.currency)} per customer."
        )

    def _market_default(self, index: int, rates: Mapping[str, float]) -> float:
        market: str = self.current(index, "market") or self.kb.defaults.market
        return rates[market]

    def ask_margin(self, index: int) -> None:
        """The gross margin: what a sale leaves after the direct cost of what is sold."""
        assert self.kb.economics is not None  # load_knowledge always sets it
        margin = self.current(index, "gross_margin")
        if margin is None:
            margin = self._market_default(index, self.kb.economics.gross_margin)
        value = self.terminal.text(
            "Of what a customer pays, what share is left after the direct cost of what "
            "you sell (your gross margin)?",
            "e.g. 70% for a café, 80% for software; Enter keeps the usual figure",
            _share_text(margin),
            lambda typed: validate_field(self.kb, "gross_margin", _parse_share(typed)),
        )
        self.store(index, "gross_margin", value)

    def ask_retention(self, index: int) -> None:
        """How many of this year's customers still buy a year later."""
        assert self.kb.economics is not None
        kept = self.current(index, "retention_rate")
        if kept is None:
            kept = self._market_default(index, self.kb.economics.retention_rate)
        value = self.terminal.text(
            f"Of {self.called(index)} who buy this year, what share still buys a year later?",
            "your retention rate; e.g. 80% when one customer in five leaves each year",
            _share_text(kept),
            lambda typed: validate_field(self.kb, "retention_rate", _parse_share(typed)),
        )
        self.store(index, "retention_rate", value)
        self.say_lifetime_value(index)

    def ask_acquisition(self, index: int) -> None:
        """What winning one new customer costs (optional)."""
        known = self.current(index, "acquisition_cost")

        def check(typed: str) -> float | None:
            if not typed.strip():
                return None  # not known: the plan leaves LTV:CAC and payback out
            checked: float = validate_field(self.kb, "acquisition_cost", parse_scalar(typed))
            return checked

        value = self.terminal.text(
            f"What does winning one new customer cost you, in {self.currency}?",
            "advertising and sales over the customers they bring; Enter if you do not know",
            "" if known is None else _number_text(known),
            check,
        )
        if value is None:
            self.segments[index].pop("acquisition_cost", None)
        else:
            self.store(index, "acquisition_cost", value)

    def say_lifetime_value(self, index: int) -> None:
        """Show back what a customer is worth over time, from the answers so far."""
        economics = self._economics(index)
        if economics is None:
            return
        cur = self.currency
        self.terminal.say(
            f"  A customer brings {money(economics.margin_per_customer, cur)} of margin a year "
            f"and is worth {money(economics.customer_lifetime_value, cur)} over their lifetime."
        )

    def _economics(self, index: int) -> Economics | None:
        try:
            model = _model(self.kb, self.segments[index])
        except (InputError, KeyError):
            return None
        discount = self.answers.get("discount_rate")
        return context(self.kb, model, self.currency, discount_rate=discount).economics

    def ask_channels(self, index: int) -> None:
        """The formats the company can interact in."""
        channels = self.current(index, "channels")
        if channels is None:
            # Enter claims only the format the expected type cannot do without
            # (in person for personal assistance, the web for self-service), never all nine
            expected = self.current(index, "expectation")
            needs = self.kb.type(expected).fit.channels[:1] if expected else ()
            channels = tuple(c for c in needs if c in CHANNELS)
        picked = self.terminal.checkbox(
            f"In which formats can you interact with {self.called(index)}?",
            "tick all that you offer or could offer",
            [(c, self.kb.channels[c].title, self.kb.channels[c].summary) for c in CHANNELS],
            channels,
            lambda picked: validate_field(self.kb, "channels", picked),
        )
        self.store(index, "channels", validate_field(self.kb, "channels", picked))

    def ask_complexity(self, index: int) -> None:
        """How much explanation the offer needs."""
        terms = self.kb.complexity
        picked = self.terminal.select(
            "How much explanation does your offer need?",
            "before, during or after the sale",
            [(c, terms[c].title, terms[c].summary) for c in COMPLEXITIES],
            self.current(index, "complexity") or self.kb.defaults.complexity,
        )
        self.store(index, "complexity", validate_field(self.kb, "complexity", picked))

    def ask_market(self, index: int) -> None:
        """B2C or B2B."""
        terms = self.kb.markets
        picked = self.terminal.select(
            f"Are {self.called(index)} consumers or businesses?",
            "b2c or b2b",
            [(m, terms[m].title, terms[m].summary) for m in MARKETS],
            self.current(index, "market") or self.kb.defaults.market,
        )
        self.store(index, "market", validate_field(self.kb, "market", picked))

    def ask_existing(self, index: int) -> None:
        """The relationship types already in place."""
        picked = self.terminal.checkbox(
            f"Which kinds of relationship do you already have with {self.called(index)}?",
            "none is fine",
            [(t.id, t.name, t.summary) for t in self.kb.types],
            self.current(index, "existing") or (),
            lambda picked: validate_field(self.kb, "existing", picked),
        )
        self.store(index, "existing", validate_field(self.kb, "existing", picked))

    # ----------------------------------------------------------------- summary

    def summary(self) -> str:
        """Every answer in words, before the plan."""
        company = self.answers.get("company")
        lines = ["", "Your answers", f"  Company: {printable(company or '(none)')}"]
        for index, segment in enumerate(self.segments):
            lines.append(f"  Segment {index + 1}: {self.name_of(segment)}")
            described = self.described(_model(self.kb, segment))
            lines.extend(f"    {label:<12} {text}" for label, text in described)
        lines.append("")
        return "\n".join(lines)

    def described(self, seg: Segment) -> list[tuple[str, str]]:
        """A segment's answers as (label, words) lines, defaults resolved."""
        kb, cur = self.kb, self.currency
        ctx = context(kb, seg, cur, discount_rate=self.answers.get("discount_rate"))
        economics = ctx.economics
        if seg.budget_per_customer is not None:
            budget = (
                f"{money(seg.budget_per_customer, cur)} per customer: "
                f"{money(ctx.budget, cur)} a year for the segment"
            )
        else:
            budget = (
                f"{share(ctx.budget_share or 0.0)} of revenue: {money(ctx.budget, cur)} "
                f"a year, {money(ctx.budget_per_customer, cur)} per customer"
            )
        channels = [kb.channels[c].title for c in ctx.channels]
        return [
            ("expects", kb.type(seg.expectation).name),
            ("goals", listing([kb.goals[g].title for g in seg.goals], "then")),
            (
                "customers",
                f"{count(seg.customers)}, buying {count(seg.purchases_per_year)} times a year, "
                f"{money(seg.spend_per_purchase, cur)} a time: "
                f"{money(ctx.customer_value, cur)} a year each",
            ),
            ("budget", budget),
            ("margin", share(economics.gross_margin) if economics else "the usual figure"),
            (
                "retention",
                f"{share(economics.retention_rate)}: a customer is worth "
                f"{money(economics.customer_lifetime_value, cur)} over their lifetime"
                if economics
                else "the usual figure",
            ),
            (
                "acquisition",
                money(seg.acquisition_cost, cur)
                if seg.acquisition_cost is not None
                else "not known",
            ),
            ("formats", ", ".join(channels) or "none"),
            ("explanation", kb.complexity[ctx.complexity].title),
            ("market", kb.markets[ctx.market].title),
            ("in place", ", ".join(kb.type(t).name for t in seg.existing) or "none"),
        ]


def _interrupted(kb: KnowledgeBase, answers: dict[str, Any], save_path: Path | None) -> Interrupted:
    """Keep the answers in a draft; the error says how to resume."""
    if not answer_count(answers):
        return Interrupted("interrupted before the first answer; there was nothing to keep")
    try:
        path = keep_draft(answers, save_path)
    except InputError as exc:
        return Interrupted(f"interrupted; the answers given so far could not be kept: {exc}")
    return Interrupted(
        f"interrupted; the answers given so far are kept in {path}. "
        f"Resume with: {resume_command(kb, path, save_path)}"
    )


def offer_draft(
    path: Path, answers: dict[str, Any], *, input: Input | None = None, output: Output | None = None
) -> bool:
    """Ask whether to resume from an earlier session's draft; Ctrl-C means no."""
    terminal = _terminal(input, output)
    try:
        return terminal.confirm(
            # short enough for an 80-column terminal with the default draft's name
            f"Resume the {counted(answer_count(answers), 'answer')} kept in {printable(path)}?",
            default=True,
        )
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("interrupted; the draft was left as it was") from None


def ask_missing(
    kb: KnowledgeBase,
    data: object,
    *,
    save_path: Path | None = None,
    input: Input | None = None,
    output: Output | None = None,
) -> dict[str, Any]:
    """Ask on the terminal for the answers ``data`` lacks; returns complete raw answers.

    With no segments in ``data`` everything is asked, segment by segment; else
    only what its incomplete segments lack. A summary follows, where any answer
    can be changed. The answers already in ``data`` are kept as they are and
    must be right: check them first, as ``crstrat plan`` does. Ctrl-C or Ctrl-D keeps the answers given so far in a draft
    (:func:`crstrat.drafts.draft_path`) and raises Interrupted. ``input`` and ``output`` are
    prompt_toolkit's, for tests; by default the process's terminal.
    """
    answers = apply_overrides(data, [])
    questionnaire = _Questionnaire(kb, answers, _terminal(input, output))
    try:
        questionnaire.run()
    except (KeyboardInterrupt, EOFError) as exc:
        stopped = _interrupted(kb, answers, save_path)
        # SIGTERM and SIGHUP arrive as a KeyboardInterrupt carrying their number
        signum = getattr(exc, "signum", None)
        if signum is not None:
            stopped.exit_code = 128 + signum
        raise stopped from None
    return answers
