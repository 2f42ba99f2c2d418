"""What the commands share: options, loading the knowledge base, writing output."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from ..model import KnowledgeBase

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        metavar="DIR",
        help="Use a custom knowledge base folder instead of the built-in one "
        "(crstrat kb export DIR writes one to start from).",
        show_default=False,
    ),
]


def new_app(name: str, help: str, *, completion: bool = False) -> typer.Typer:
    """A typer app (or command group) set up the crstrat way; ``completion`` adds typer's
    --install-completion and --show-completion (the root app's)."""
    return typer.Typer(
        name=name,
        help=help,
        no_args_is_help=True,
        add_completion=completion,
        pretty_exceptions_enable=False,
        # plain click help: rich help would import markdown-it and pygments on every --help
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )


def format_option() -> Any:
    """The ``--format/-f`` option of commands whose default depends on the terminal."""
    return typer.Option(
        "--format",
        "-f",
        help="Output format [default: table on a terminal, else json].",
        show_default=False,
        case_sensitive=False,
    )


def load_kb(folder: Path | None) -> KnowledgeBase:
    """The knowledge base of a command: the built-in one, or ``--kb DIR``."""
    from ..knowledge import load_knowledge

    return load_knowledge(folder)


def console(stderr: bool = False) -> Console:
    """A rich console: colour only on a terminal, none under NO_COLOR."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color="NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "",
        highlight=False,
        soft_wrap=False,
    )


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` on stdout, or write it atomically to ``output``."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..outputs import write_atomic

    write_atomic(output, text)
    sys.stderr.write(f"crstrat: wrote {output}\n")


def is_terminal(stream: object) -> bool:
    """True when a standard stream is an interactive terminal (a closed or missing
    stream is not)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    """True when stdout is an interactive terminal."""
    return is_terminal(sys.stdout)
