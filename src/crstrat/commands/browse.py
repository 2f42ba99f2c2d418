"""``crstrat types``, ``crstrat explain TYPE`` and ``crstrat examples``: browse the knowledge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ._common import KbOption, console, load_kb
from ._completion import type_ids

if TYPE_CHECKING:
    from ..model import KnowledgeBase


def types(kb_dir: KbOption = None) -> None:
    """List the relationship types of the knowledge base, with one line each."""
    from rich.table import Table

    from ..render.table import user_text

    kb = load_kb(kb_dir)
    table = Table(title=f"Relationship types ({user_text(kb.name)})", title_justify="left")
    table.add_column("Id", style="bold")
    table.add_column("Name")
    table.add_column("What it is")
    for rel_type in kb.types:
        table.add_row(*(user_text(v) for v in (rel_type.id, rel_type.name, rel_type.summary)))
    out = console()
    out.print(table)
    out.print("More on one: crstrat explain TYPE")


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
    console().print(render_type(kb, kb.type(found)))


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
    from rich.table import Table

    from ..answers import load_answers
    from ..knowledge import example_names, example_path
    from ..render.table import user_text

    kb = load_kb(kb_dir)
    table = Table(title="Examples", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Company")
    table.add_column("Segments")
    for name in example_names(kb):
        answers = load_answers(kb, example_path(kb, name))
        table.add_row(
            user_text(name),
            user_text(answers.company or ""),
            user_text(", ".join(s.name for s in answers.segments)),
        )
    out = console()
    out.print(table)
    out.print(
        "Run one: crstrat plan --example NAME   (or copy it: crstrat plan --example NAME "
        "--save-answers mine.yaml)"
    )
