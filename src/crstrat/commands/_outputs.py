"""What the commands that write a file share: the ``--output`` option and the choice
of format from the explicit ``--format``, the file's extension, or the terminal."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer

from ..outputs import is_stdout
from ._common import stdout_is_terminal

F = TypeVar("F", bound=StrEnum)


def output_option(what: str, suffixes: str = "") -> Any:
    """The ``--output/-o FILE`` option: ``what`` is written to FILE atomically."""
    picks = (
        f"; its extension ({suffixes}) picks the format unless --format is given"
        if suffixes
        else ""
    )
    return typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=f"Write {what} to FILE (atomically) instead of stdout{picks}.",
        show_default=False,
        dir_okay=False,
    )


def choose_format(
    fmt: F | None, output: Path | None, by_suffix: Mapping[str, F], table: F, json: F
) -> F:
    """The explicit format, else the output file's extension (``table`` for another),
    else ``table`` on a terminal and ``json`` off one."""
    if fmt is not None:
        return fmt
    if output is not None and not is_stdout(output):
        return by_suffix.get(output.suffix.lower(), table)
    return table if stdout_is_terminal() else json
