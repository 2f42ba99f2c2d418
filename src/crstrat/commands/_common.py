"""What the commands share: options, loading the knowledge base, writing output."""

from __future__ import annotations

import functools
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
    """A rich console: colour only on a terminal, none under NO_COLOR; a broken pipe
    is left to the CLI (rich would exit with 1, the code of a failed check)."""
    environ = dict(os.environ)
    for name in ("COLUMNS", "LINES"):
        # COLUMNS=0 would print nothing at all: a size that makes no sense is ignored
        if not environ.get(name, "1").isdigit() or not 0 < int(environ.get(name, "1")) < 10_000:
            del environ[name]
    return _console_class()(
        stderr=stderr,
        no_color="NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "",
        highlight=False,
        soft_wrap=False,
        _environ=environ,
    )


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return PipeConsole


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` on stdout (no ``output``, or ``-``), or write it to ``output``
    as :func:`crstrat.outputs.write_output` does."""
    from ..outputs import write_output

    write_output(output if output is not None else Path("-"), text)


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


def read_answers_input(path: Path) -> tuple[Any, str]:
    """The parsed answers of ``--answers PATH`` and their text; ``-`` reads them
    from standard input (at a terminal, after saying how to end them)."""
    from ..answers import read_answers_data
    from ..yamlfile import is_stdin, load_stdin

    if not is_stdin(path):
        return read_answers_data(path)
    if is_terminal(sys.stdin):
        console(stderr=True).print(
            "Reading the answers from standard input: paste them, then press Ctrl-D.",
            markup=False,
            highlight=False,
        )
    return load_stdin()
