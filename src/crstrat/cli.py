"""The command line: registers the commands and maps errors to exit codes. No logic."""

from __future__ import annotations

import functools
import importlib
import sys
from typing import Annotated, Any, NamedTuple

import typer

from . import __version__
from .commands._common import new_app
from .errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_USAGE, CrstratError

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

Exit codes: 0 done, 1 a check fell short, 2 bad input or usage, 130 interrupted
(143 on SIGTERM, 129 on SIGHUP), 141 when the reader of stdout went away.
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
            )(_guarded(getattr(module, command.function)))
    for name, module_name in GROUPS.items():
        if only in (None, name):
            module = importlib.import_module(f"{__package__}.commands.{module_name}")
            for info in module.app.registered_commands:
                info.callback = _guarded(info.callback)
            app.add_typer(module.app, name=name)
    return app


class _Stopped(BaseException):
    """Carries Ctrl-C, a signal or a broken pipe past typer, which would turn the
    first into a silent exit 130 and the last into exit 1 (a failed check)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(cause)
        self.cause = cause


def _guarded(function: Any) -> Any:
    """A command function whose interruptions reach :func:`run` as they are."""
    if getattr(function, "_crstrat_guarded", False):
        return function

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (KeyboardInterrupt, BrokenPipeError) as exc:
            raise _Stopped(exc) from None

    guarded._crstrat_guarded = True  # type: ignore[attr-defined]
    return guarded


def _command_name(argv: list[str]) -> str | None:
    """The command a command line names, when it is a known one."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS or first in GROUPS else None


def run(argv: list[str]) -> int:
    """Run the app; turn crstrat's errors into one line on stderr and an exit code.

    A broken pipe (``crstrat types | head -1``) ends quietly with 141, as a tool
    killed by SIGPIPE; SIGTERM and SIGHUP stop like Ctrl-C, with 128 + the
    signal number (143, 129; Ctrl-C 130).
    """
    from .process import Signalled, guard_streams, quiet_stdout, stopping_signals

    guard_streams()
    try:
        with stopping_signals():
            try:
                return _run(argv)
            except _Stopped as stopped:
                raise stopped.cause from None
    except BrokenPipeError:
        quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Signalled as exc:
        sys.stderr.write("\ncrstrat: interrupted\n")
        return 128 + exc.signum
    except KeyboardInterrupt:
        sys.stderr.write("\ncrstrat: interrupted\n")
        return EXIT_INTERRUPTED


def _run(argv: list[str]) -> int:
    from typer import Abort
    from typer._click.exceptions import (  # typer 0.28 bundles click
        ClickException,
        NoArgsIsHelpError,
    )

    try:
        app = build(_command_name(argv))
        result = app(args=argv, prog_name="crstrat", standalone_mode=False)
        sys.stdout.flush()
    except CrstratError as exc:
        return _error(exc.message, exc.exit_code)
    except NoArgsIsHelpError as exc:  # "crstrat canvas": the group's help, on stderr
        exc.show()
        return EXIT_USAGE
    except ClickException as exc:
        # one line, as every other user error: what is wrong, and where the help is
        # (Click's own is a usage block of four); bad usage, so always exit 2
        named = _command_name(argv)
        command = getattr(getattr(exc, "ctx", None), "command_path", None) or " ".join(
            ["crstrat", *([named] if named else [])]
        )
        return _error(f"{exc.format_message().rstrip('.')} (see {command} --help)", EXIT_USAGE)
    except Abort:
        raise KeyboardInterrupt from None
    except UnicodeEncodeError as exc:
        return _error(
            f"the output holds {exc.object[exc.start : exc.end]!a}, which stdout's encoding "
            f"({exc.encoding}) cannot represent; use a UTF-8 locale (LC_ALL=C.UTF-8) or "
            "PYTHONIOENCODING=utf-8, or write to a file with -o FILE",
            EXIT_USAGE,
        )
    except BrokenPipeError:
        raise
    except OSError as exc:  # stdout on a full disk or closed; a file crstrat could not use
        where = f"{exc.filename}: " if exc.filename else ""
        return _error(f"{where}{exc.strerror or exc}", EXIT_USAGE)
    return result if isinstance(result, int) else 0


def _error(message: str, code: int) -> int:
    from .figures import printable

    # messages quote user input: control characters are shown, never acted on
    sys.stderr.write(f"crstrat: error: {printable(message)}\n")
    return code
