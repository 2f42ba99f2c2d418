"""The command line: registers the commands and maps errors to exit codes. No logic."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import __version__
from .commands import browse, grade, kb, plan, report, schema
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

app = typer.Typer(
    name="crstrat",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help: rich help would import markdown-it and pygments on every --help
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crstrat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Advice on the Customer Relationships block of a Business Model Canvas."""


app.command("plan", help=plan.HELP, no_args_is_help=False)(plan.plan)
app.command("types")(browse.types)
app.command("explain")(browse.explain)
app.command("examples")(browse.examples)
app.command("report", help=report.HELP, no_args_is_help=True)(report.report)
app.command("grade", help=grade.HELP)(grade.grade)
app.command("schema", help=schema.HELP)(schema.schema)
app.add_typer(kb.app, name="kb")


def run(argv: list[str]) -> int:
    """Run the app; turn crstrat's errors into one line on stderr and an exit code."""
    from typer import Abort
    from typer._click.exceptions import ClickException  # typer 0.28 bundles click

    try:
        result = app(args=argv, prog_name="crstrat", standalone_mode=False)
    except CrstratError as exc:
        sys.stderr.write(f"crstrat: error: {exc.message}\n")
        return exc.exit_code
    except ClickException as exc:
        exc.show()
        return exc.exit_code if exc.exit_code else EXIT_USAGE
    except (Abort, KeyboardInterrupt):
        sys.stderr.write("\ncrstrat: interrupted\n")
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else 0
