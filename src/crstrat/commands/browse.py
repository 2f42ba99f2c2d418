"""``crstrat types``, ``crstrat explain TYPE`` and ``crstrat examples``: browse the knowledge."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import KbOption, console, load_kb


def types(kb_dir: KbOption = None) -> None:
    """List the relationship types of the knowledge base, with one line each."""
    from ..render.explain import render_types

    console().print(render_types(load_kb(kb_dir)))


def explain(
    type_id: Annotated[
        str,
        typer.Argument(
            metavar="TYPE", help="A relationship type id, e.g. self_service (see crstrat types)."
        ),
    ],
    kb_dir: KbOption = None,
) -> None:
    """Explain one relationship type: what it is, when it fits, its examples and its costs."""
    from ..answers import did_you_mean
    from ..errors import InputError
    from ..render.explain import render_type

    kb = load_kb(kb_dir)
    if type_id not in kb.type_ids:
        raise InputError(
            f"'{type_id}' is not a relationship type{did_you_mean(type_id, kb.type_ids)}; "
            f"known: {', '.join(kb.type_ids)}",
            path="TYPE",
        )
    console().print(render_type(kb, kb.type(type_id)))


def examples(kb_dir: KbOption = None) -> None:
    """List the shipped example answers files (use one: crstrat plan --example NAME)."""
    from rich.padding import Padding
    from rich.text import Text

    from ..answers import load_answers
    from ..figures import printable
    from ..knowledge import example_names, example_path

    kb = load_kb(kb_dir)
    out = console()
    out.print(Text("Examples", style="bold"))
    for name in example_names(kb):
        answers = load_answers(kb, example_path(kb, name))
        segments = "; ".join(printable(s.name) for s in answers.segments)
        out.print(Text.assemble((printable(name), "bold"), "  ", printable(answers.company or "")))
        out.print(Padding(Text(f"Segments: {segments}"), (0, 0, 0, 4)))
    out.print(
        Text(
            "Run one: crstrat plan --example NAME   (or copy it: crstrat plan --example NAME "
            "--save-answers mine.yaml)"
        )
    )
