"""Shell completion of the knowledge base's words: type ids and example names.

Typer calls these while the shell completes a word (``crstrat explain se<TAB>``);
each returns the candidates that start with what was typed, with a short help
that zsh and fish show beside them. The built-in knowledge base is used: a
``--kb`` on the same line is not known yet while completing.
"""

from __future__ import annotations


def type_ids(incomplete: str) -> list[tuple[str, str]]:
    """Relationship type ids (with their names) that start with ``incomplete``."""
    from ..knowledge import load_knowledge

    kb = load_knowledge(None)
    return [(t.id, t.name) for t in kb.types if t.id.startswith(incomplete)]


def example_names(incomplete: str) -> list[tuple[str, str]]:
    """Shipped example names that start with ``incomplete``."""
    from ..knowledge import example_names as names
    from ..knowledge import load_knowledge

    kb = load_knowledge(None)
    return [(name, "example answers") for name in names(kb) if name.startswith(incomplete)]
