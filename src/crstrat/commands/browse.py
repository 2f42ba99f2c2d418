"""``crstrat types``, ``crstrat explain TYPE`` and ``crstrat examples``: browse the knowledge."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import KbOption, console, load_kb
from ._completion import type_ids

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..model import KnowledgeBase


def show(*renderables: RenderableType) -> None:
    """Print on a terminal as rich lays it out; elsewhere (a pipe, a file) the same
    lines without the spaces rich pads them with to the width."""
    out = console()
    if out.is_terminal:
        out.print(*renderables, sep="\n")
        return
    with out.capture() as captured:
        out.print(*renderables, sep="\n")
    sys.stdout.write("".join(f"{line.rstrip()}\n" for line in captured.get().splitlines()))


def types(kb_dir: KbOption = None) -> None:
    """List the relationship types of the knowledge base, with one line each."""
    from ..render.explain import render_types

    show(render_types(load_kb(kb_dir)))


def explain(
    type_id: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="A relationship type: its id or its name, e.g. self_service or "
            "'Self-service' (see crstrat types).",
            autocompletion=type_ids,
        ),
    ],
    kb_dir: KbOption = None,
) -> None:
    """Explain one relationship type: what it is, when it fits, its examples and its costs."""
    from ..answers import did_you_mean
    from ..errors import InputError
    from ..render.explain import render_type

    kb = load_kb(kb_dir)
    found = type_named(kb, type_id)
    if found is None:
        raise InputError(
            f"'{type_id}' is not a relationship type{did_you_mean(_folded(type_id), kb.type_ids)}; "
            f"known: {', '.join(kb.type_ids)}",
            path="TYPE",
        )
    show(render_type(kb, kb.type(found)))


def _folded(text: str) -> str:
    """``Self-service``, ``self service`` and ``self_service`` alike."""
    return "_".join(text.replace("-", " ").replace("_", " ").casefold().split())


def type_named(kb: KnowledgeBase, text: str) -> str | None:
    """The id of the type ``text`` names: its id or its display name, in any case,
    with spaces, hyphens or underscores; None when it names none."""
    wanted = _folded(text)
    return next((t.id for t in kb.types if wanted in (_folded(t.id), _folded(t.name))), None)


def examples(kb_dir: KbOption = None) -> None:
    """List the shipped example answers files (use one: crstrat plan --example NAME)."""
    from rich.padding import Padding
    from rich.text import Text

    from ..answers import load_answers
    from ..figures import printable
    from ..knowledge import example_names, example_path

    kb = load_kb(kb_dir)
    lines: list[RenderableType] = [Text("Examples", style="bold")]
    for name in example_names(kb):
        answers = load_answers(kb, example_path(kb, name))
        segments = "; ".join(printable(s.name) for s in answers.segments)
        lines.append(
            Text.assemble((printable(name), "bold"), "  ", printable(answers.company or ""))
        )
        lines.append(Padding(Text(f"Segments: {segments}"), (0, 0, 0, 4), expand=False))
    lines.append(
        Text("Run one: crstrat plan --example NAME (add --save-answers mine.yaml to copy it)")
    )
    show(*lines)
