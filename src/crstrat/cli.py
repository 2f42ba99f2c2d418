"""The command line: registers the commands and maps errors to exit codes. No logic."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, NamedTuple

import typer

from . import __version__
from .commands._common import new_app
from .errors import EXIT_INTERRUPTED, EXIT_USAGE, CrstratError

HELP = """\
Advice on the Customer Relationships block of a Business Model Canvas.

crstrat recommends, for each customer segment, a mix of relationship types
(personal assistance, dedicated personal assistance, self-service, automated
services, communities, co-creation) from the business's own figures: what the
segment expects, what a customer is worth, the budget, the formats you can use.
Every score comes with its reasons and every type with its yearly cost.

\b
Start here:
  crstrat plan                          answer a few questions, get a plan
  crstrat plan --example airline        a shipped example (see crstrat examples)
  crstrat plan --answers FILE -f json   from an answers file, as JSON
  crstrat types / crstrat explain TYPE  browse the knowledge base

Exit codes: 0 done, 1 a check fell short, 2 bad input or usage, 130 interrupted.
"""


class Command(NamedTuple):
    """A command: the module under crstrat.commands that holds it, and how to register it."""

    module: str
    function: str
    uses_module_help: bool = False
    no_args_is_help: bool = False


COMMANDS = {
    "plan": Command("plan", "plan", uses_module_help=True),
    "report": Command("report", "report", uses_module_help=True, no_args_is_help=True),
    "grade": Command("grade", "grade", uses_module_help=True),
    "compare": Command("compare", "compare", uses_module_help=True, no_args_is_help=True),
    "types": Command("browse", "types"),
    "explain": Command("browse", "explain"),
    "examples": Command("browse", "examples"),
    "schema": Command("schema", "schema", uses_module_help=True),
}
GROUPS = {"kb": "kb", "canvas": "canvas"}  # sub-command groups: name -> module with a Typer `app`


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crstrat {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Advice on the Customer Relationships block of a Business Model Canvas."""


def build(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with only the one about to run.

    Typer turns every registered command into a click command on each run, and
    each command module costs its imports: a run builds just what it uses.
    """
    app = new_app("crstrat", HELP, completion=True)
    app.callback()(_root)
    for name, command in COMMANDS.items():
        if only in (None, name):
            module = importlib.import_module(f"{__package__}.commands.{command.module}")
            app.command(
                name,
                help=module.HELP if command.uses_module_help else None,
                no_args_is_help=command.no_args_is_help,
            )(getattr(module, command.function))
    for name, module_name in GROUPS.items():
        if only in (None, name):
            module = importlib.import_module(f"{__package__}.commands.{module_name}")
            app.add_typer(module.app, name=name)
    return app


def _command_name(argv: list[str]) -> str | None:
    """The command a command line names, when it is a known one."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS or first in GROUPS else None


def run(argv: list[str]) -> int:
    """Run the app; turn crstrat's errors into one line on stderr and an exit code."""
    from typer import Abort
    from typer._click.exceptions import ClickException  # typer 0.28 bundles click

    try:
        app = build(_command_name(argv))
        result = app(args=argv, prog_name="crstrat", standalone_mode=False)
    except CrstratError as exc:
        from .figures import printable

        # messages quote user input: control characters are shown, never acted on
        sys.stderr.write(f"crstrat: error: {printable(exc.message)}\n")
        return exc.exit_code
    except ClickException as exc:
        exc.show()
        return exc.exit_code if exc.exit_code else EXIT_USAGE
    except (Abort, KeyboardInterrupt):
        sys.stderr.write("\ncrstrat: interrupted\n")
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else 0
