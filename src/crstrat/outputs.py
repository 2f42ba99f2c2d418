"""Writing files atomically: a temporary file beside the target, then a rename.

A run that fails half-way leaves an existing file exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import InputError


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` all at once, or not at all."""
    with atomic_writer(path) as out:
        out.write(text)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file to write ``path`` with bit by bit, which appears all at once at the end.

    What is written goes to a temporary file beside ``path``; leaving the block
    normally renames it into place (``path`` keeps its permissions), an exception
    removes it and leaves ``path`` as it was. For output too large to hold in memory
    (``crstrat grade`` of a whole MOOC); :func:`write_atomic` writes a text at once.
    """
    target = path.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError("is a folder; give a file name to write to", source=str(path))
    if not folder.is_dir():
        raise InputError(f"cannot be written: the folder {folder} does not exist", source=str(path))
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror or exc})", source=str(path)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot be written ({exc.strerror or exc})", source=str(path)
            ) from None
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
