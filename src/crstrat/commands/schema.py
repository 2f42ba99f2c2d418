"""``crstrat schema answers|kb``: JSON Schema for editors and other tools."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ._common import KbOption, load_kb

HELP = """\
Print the JSON Schema (2020-12) of answers files or of knowledge base files.

Editors check files against it as they are typed. Save it beside your files
and point the YAML language server at it with a first line such as:

\b
  crstrat schema answers > answers.schema.json
  # yaml-language-server: $schema=answers.schema.json

The answers schema lists the relationship types of the knowledge base (--kb).
"""


class SchemaName(StrEnum):
    """The documents crstrat has a schema for."""

    answers = "answers"
    kb = "kb"


def schema(
    name: Annotated[
        SchemaName,
        typer.Argument(
            metavar="answers|kb",
            help="answers: an answers file; kb: a knowledge base file.",
            case_sensitive=False,
            show_default=False,
        ),
    ],
    kb_dir: KbOption = None,
) -> None:
    """Print the JSON Schema of answers files or knowledge base files."""
    import json

    from ..schema import answers_schema, kb_schema

    document = answers_schema(load_kb(kb_dir)) if name is SchemaName.answers else kb_schema()
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
