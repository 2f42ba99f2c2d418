"""``crstrat plan``: answers in, a recommended mix per segment out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import CrstratError
from ..outputs import is_stdout
from ..render import PlanFormat
from ._common import (
    KbOption,
    console,
    emit,
    format_option,
    is_terminal,
    load_kb,
    read_answers_input,
    stdout_is_terminal,
)
from ._completion import example_names
from ._outputs import choose_format as pick_format

if TYPE_CHECKING:
    from ..model import Answers, KnowledgeBase

HELP = """\
Recommend a mix of relationship types for each customer segment.

Answers come from a file (--answers), a shipped example (--example), single
flags (--set KEY=VALUE) and, on a terminal, questions for whatever is still
missing. Flags win over the file; --defaults fills the rest without asking.

\b
Examples:
  crstrat plan                                 ask everything, show the plan
  crstrat plan --example airline               a shipped example
  crstrat plan -a answers.yaml -f json         JSON for scripts (schema 1)
  crstrat plan -a answers.yaml --set customers=5000 -f markdown -o plan.md
  crstrat plan --defaults --save-answers mine.yaml

The default format is a table on a terminal and JSON otherwise; with -o the
file's extension decides (.json, .md) unless --format is given.
"""

AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        "-a",
        metavar="FILE",
        help="An answers file (YAML or JSON, schema 1); '-' reads it from standard input.",
        show_default=False,
    ),
]
ExampleOption = Annotated[
    str | None,
    typer.Option(
        "--example",
        "-e",
        metavar="NAME",
        help="Use a shipped example's answers (list them: crstrat examples).",
        show_default=False,
        autocompletion=example_names,
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="KEY=VALUE",
        help="Override one answer: company=..., customers=500 (first segment) or "
        "segments.1.goal=[retain,expand]. Repeatable.",
        show_default=False,
    ),
]
DefaultsOption = Annotated[
    bool,
    typer.Option("--defaults", help="Fill missing answers from defaults instead of asking."),
]
SaveOption = Annotated[
    Path | None,
    typer.Option(
        "--save-answers",
        metavar="PATH",
        help="Save the answers used (schema 1) so the run can be replayed with --answers "
        "('-' for stdout). Checked before the first question.",
        show_default=False,
    ),
]
FormatOption = Annotated[PlanFormat | None, format_option()]
DetailsOption = Annotated[
    bool,
    typer.Option("--details", help="Table view: add the reasons behind every type's score."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (atomically; through a link; '-' for stdout) instead of stdout.",
        show_default=False,
    ),
]


def gather_answers(
    kb: KnowledgeBase,
    *,
    answers_file: Path | None,
    example: str | None,
    sets: list[str],
    use_defaults: bool,
    interactive: bool,
    save_path: Path | None = None,
    asked: list[dict[str, Any]] | None = None,
    resumed: list[Path] | None = None,
) -> Answers:
    """Merge defaults < file < flags, ask for what is missing, validate once.

    On a terminal, with no file given, a draft an earlier session left beside
    ``save_path`` is offered first; a draft resumed is appended to ``resumed``.
    Answers asked for are appended to ``asked``.
    """
    from ..answers import (
        apply_overrides,
        fill_defaults,
        format_path,
        missing_keys,
        parse_override,
        validate_answers,
    )
    from ..errors import InputError, UsageError
    from ..yamlfile import input_name

    if answers_file is not None and example is not None:
        raise UsageError("give --answers or --example, not both")
    data: Any = {}
    text: str | None = None
    source = "answers"
    if example is not None:
        from ..knowledge import example_path

        answers_file = example_path(kb, example)
    if answers_file is None and interactive and not use_defaults:
        answers_file = _offered_draft(save_path)
        if answers_file is not None and resumed is not None:
            resumed.append(answers_file)
    elif answers_file is not None and resumed is not None and _is_draft_of(answers_file, save_path):
        resumed.append(answers_file)  # the command the interruption gave
    if answers_file is not None:
        data, text = read_answers_input(answers_file)
        source = input_name(answers_file)
    overrides = [parse_override(flag) for flag in sets]
    if overrides:
        if data is not None and not isinstance(data, dict):
            validate_answers(kb, data, source=source, text=text)  # raises the file's own error
        data = apply_overrides(data, overrides)
        source = f"{source} with --set" if answers_file is not None else "--set"
        text = None
    if use_defaults:
        data = fill_defaults(kb, data)
    missing = missing_keys(data)
    if missing:
        # what is wrong is said before what is missing: a misspelt key is named
        # as such, and nobody answers questions only to lose them to an error
        _check_given(kb, data, source=source, text=text)
        if interactive:
            from ..questionnaire import ask_missing

            data = ask_missing(kb, data, save_path=save_path)
            if asked is not None:
                asked.append(data)
            source = "your answers"
            text = None
        else:
            names = ", ".join(format_path(path) for path in missing[:4])
            more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
            # typed at a terminal with stdout redirected: the questions need stdout
            redirected = is_terminal(sys.stdin) and not stdout_is_terminal()
            raise InputError(
                f"answers are incomplete (missing {names}{more}) and there is no terminal to "
                + (
                    "ask on (stdout is redirected): to answer the questions and keep the "
                    "plan in a file, use -o FILE instead of >; or pass"
                    if redirected
                    else "ask on: pass"
                )
                + " a complete file with --answers FILE, or add --defaults to fill "
                "what is missing from defaults",
                source=source if answers_file is not None else None,
            )
    return validate_answers(kb, data, source=source, text=text)


def _is_draft_of(answers_file: Path, save_path: Path | None) -> bool:
    """Whether ``answers_file`` is the draft an interrupted ``--save-answers save_path``
    run kept (``crstrat plan --answers mine.draft.yaml --save-answers mine.yaml``)."""
    from ..drafts import draft_path
    from ..yamlfile import is_stdin

    if save_path is None or is_stdin(answers_file):
        return False
    try:
        return answers_file.resolve() == draft_path(save_path).resolve()
    except OSError:
        return False


def _offered_draft(save_path: Path | None) -> Path | None:
    """An earlier session's draft, when there is one and the user chooses to resume it."""
    from ..drafts import answer_count, draft_path, read_draft

    path = draft_path(save_path)
    draft = read_draft(path) if path.is_file() else None
    if not draft or not answer_count(draft):
        return None
    from ..questionnaire import offer_draft  # the prompts load only to ask

    return path if offer_draft(path, draft) else None


def _check_given(kb: KnowledgeBase, data: Any, *, source: str, text: str | None) -> None:
    """Raise the error of the first wrong answer among those given, if any.

    What is missing is filled from defaults for the check only: incomplete is
    fine here, wrong is not.
    """
    from ..answers import fill_defaults, validate_answers

    if not isinstance(data, dict):
        validate_answers(kb, data, source=source, text=text)  # empty, or not a mapping: say so
    validate_answers(kb, fill_defaults(kb, data), source=source, text=text)


def save_answers(answers: Answers, path: Path) -> None:
    """Write answers as a schema-1 YAML file, atomically."""
    from ..answers import answers_to_data
    from ..outputs import write_output
    from ..yamlfile import dump

    header = "# crstrat answers, schema 1: replay with  crstrat plan --answers FILE\n"
    body = dump(answers_to_data(answers))
    write_output(path, header + body, announce=False)


def without_proposals(answers: Answers) -> Answers:
    """The answers with every segment's proposal taken out."""
    import dataclasses

    segments = tuple(dataclasses.replace(seg, proposal=()) for seg in answers.segments)
    return answers._replace(segments=segments)


def choose_format(fmt: PlanFormat | None, output: Path | None) -> PlanFormat:
    """The explicit format, else the output file's extension, else terminal or not."""
    by_suffix = {
        ".json": PlanFormat.json,
        ".md": PlanFormat.markdown,
        ".markdown": PlanFormat.markdown,
    }
    return pick_format(fmt, output, by_suffix, PlanFormat.table, PlanFormat.json)


def plan(
    answers: AnswersOption = None,
    example: ExampleOption = None,
    set_: SetOption = None,
    defaults: DefaultsOption = False,
    save_answers_to: SaveOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    details: DetailsOption = False,
    kb_dir: KbOption = None,
) -> None:
    """Recommend a mix of relationship types for each customer segment."""
    from ..mix import make_plan
    from ..outputs import check_outputs, folder_inputs
    from ..render import renderer
    from ..yamlfile import is_stdin

    check_outputs(
        {"--output": output or Path("-"), "--save-answers": save_answers_to},
        [("--answers", answers), *folder_inputs("--kb", kb_dir)],
    )
    kb = load_kb(kb_dir)
    # answers read from standard input leave none of it to ask questions on
    interactive = is_terminal(sys.stdin) and stdout_is_terminal() and not is_stdin(answers)
    asked: list[dict[str, Any]] = []
    resumed: list[Path] = []
    chosen = gather_answers(
        kb,
        answers_file=answers,
        example=example,
        sets=set_ or [],
        use_defaults=defaults,
        interactive=interactive,
        save_path=save_answers_to,
        asked=asked,
        resumed=resumed,
    )
    try:
        if save_answers_to is not None:
            # a shipped example saved is a case to hand students: it carries no proposal
            save_answers(without_proposals(chosen) if example else chosen, save_answers_to)
        result = make_plan(kb, chosen)
        out_format = choose_format(fmt, output)
        if out_format is PlanFormat.table and (output is None or is_stdout(output)):
            from ..render.table import print_plan

            print_plan(console(), result, kb, details=details)
        else:
            emit(renderer(out_format)(result, kb), output)
        if save_answers_to is not None:
            _retire_drafts(resumed, save_answers_to)
    except CrstratError as exc:
        if not asked:
            raise
        raise _with_draft(exc, kb, asked[0], save_answers_to) from None


def _retire_drafts(drafts: list[Path], saved: Path) -> None:
    """Remove the drafts a session resumed from once its answers are saved in full:
    kept, a draft would be offered again at every run. Only when a regular file
    holds them: answers sent to the screen or a pipe leave the draft where it is."""
    from ..figures import printable

    if is_stdout(saved) or not saved.is_file():
        return
    for draft in drafts:
        try:
            draft.unlink()
        except OSError:
            continue  # it stays, and is offered again: nothing is lost
        sys.stderr.write(
            f"crstrat: removed the draft {printable(str(draft))}; its answers are in "
            f"{printable(str(saved))}\n"
        )


def _with_draft(
    error: CrstratError, kb: KnowledgeBase, answers: dict[str, Any], save_path: Path | None
) -> CrstratError:
    """The error of a run that failed after questions, with the answers kept in a draft."""
    from ..drafts import keep_draft, resume_command

    try:
        path = keep_draft(answers, save_path)
    except CrstratError as exc:
        note = f"; your answers could not be kept either: {exc}"
    else:
        note = f"; your answers are kept in {path}: {resume_command(kb, path, save_path)}"
    kept = CrstratError(error.message + note)
    kept.exit_code = error.exit_code
    return kept
