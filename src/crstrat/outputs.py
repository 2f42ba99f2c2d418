"""Where output goes: checked before any work, written as a Unix tool writes.

- ``-`` (and ``/dev/stdout``) is stdout, for every output option.
- A regular file is written atomically: a temporary file beside the target,
  then a rename, so a run that fails half-way leaves an existing file exactly
  as it was. A symbolic link is written through (its target is replaced, the
  link stays), as ``>``, ``cp`` and ``sort -o`` do.
- Anything else that exists (a FIFO, ``/dev/null``, a terminal) is opened and
  written to, never replaced.
- An output that is one of the run's inputs, or lies inside an input folder
  (``--kb``), or that two outputs share, is refused before anything is read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TextIO

from .errors import InputError, UsageError
from .yamlfile import is_stdin

#: The output path that means stdout.
STDOUT = "-"

#: Paths that name this process's stdout: written as ``-`` is.
_STDOUT_NAMES = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def is_stdout(path: Path | str | None) -> bool:
    """True when an output path means stdout (``-`` or ``/dev/stdout``)."""
    return path is not None and (str(path) == STDOUT or str(path) in _STDOUT_NAMES)


def _status(path: Path) -> os.stat_result | None:
    """The status of what ``path`` leads to (links followed), None when nothing is there."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise InputError(f"cannot be used ({exc.strerror or exc})", source=str(path)) from None


def keeps_a_file(path: Path) -> bool:
    """Whether writing to ``path`` leaves a file to be found: a regular file, or
    nothing there yet; not stdout, /dev/null, a pipe or a terminal."""
    if is_stdout(path):
        return False
    status = _status(path.expanduser())
    return status is None or stat.S_ISREG(status.st_mode)


def announce_written(path: Path) -> None:
    """Say on stderr that ``path`` was written, when it is a file (:func:`keeps_a_file`)."""
    if keeps_a_file(path):
        sys.stderr.write(f"crstrat: wrote {path}\n")


def _input_status(path: Path) -> os.stat_result | None:
    """What an input leads to: for ``-``, the file standard input is redirected from
    (``--answers - < answers.yaml``), else the path's; None when there is nothing
    (closed, a stream with no descriptor, a missing file: nothing to overwrite)."""
    try:
        if is_stdin(path):
            return os.fstat(sys.stdin.fileno())
        return os.stat(path.expanduser())
    except (AttributeError, OSError, ValueError):
        return None


def _same(status: os.stat_result, other: os.stat_result | None) -> bool:
    return other is not None and (status.st_dev, status.st_ino) == (other.st_dev, other.st_ino)


def folder_inputs(option: str, folder: Path | None) -> list[tuple[str, Path]]:
    """The files of an input folder (``--kb DIR``: its files and its examples), as inputs."""
    if folder is None:
        return []
    found = []
    for place in (folder, folder / "examples"):
        with contextlib.suppress(OSError):
            found += [(option, Path(entry.path)) for entry in os.scandir(place)]
    return found


def check_outputs(
    outputs: Mapping[str, Path | None], inputs: Iterable[tuple[str, Path | None]] = ()
) -> None:
    """Refuse, before any work, outputs that cannot be written or would overwrite an input.

    ``outputs`` maps each option (``--output``) to its path (``-`` for stdout,
    None when not given); ``inputs`` are (what, path) pairs of the files the run
    reads. Raises UsageError (two outputs on stdout or on one file) or
    InputError (a folder, a missing or read-only folder, an input).
    """
    given = {option: path for option, path in outputs.items() if path is not None}
    on_stdout = [option for option, path in given.items() if is_stdout(path)]
    if len(on_stdout) > 1:
        raise UsageError(
            f"{' and '.join(on_stdout)} would both go to stdout; give one of them a file name"
        )
    files: dict[str, os.stat_result] = {}
    for option, path in given.items():
        if is_stdout(path):
            continue
        target = path.expanduser()
        status = _status(target)
        if status is None or stat.S_ISREG(status.st_mode):
            _check_folder(target, option)
        elif stat.S_ISDIR(status.st_mode):
            raise InputError(f"is a folder; give {option} a file name", source=str(path))
        if status is None:
            continue
        for other, seen in files.items():
            if (seen.st_dev, seen.st_ino) == (status.st_dev, status.st_ino):
                raise UsageError(f"{other} and {option} name the same file {path}")
        files[option] = status
        if not stat.S_ISREG(status.st_mode):
            continue  # a device or a FIFO is written to, never replaced
        for source, input_path in inputs:
            if input_path is not None and _same(status, _input_status(input_path)):
                raise InputError(
                    f"is also an input of this run ({source}); crstrat never overwrites "
                    f"its input: give {option} another file",
                    source=str(path),
                )


def _check_folder(target: Path, option: str) -> None:
    """Refuse a regular-file output whose folder is missing or cannot be written."""
    real = Path(os.path.realpath(target))
    folder = real.parent
    if not folder.is_dir():
        raise InputError(
            f"cannot be written: the folder {folder} does not exist", source=str(target)
        )
    import tempfile

    # the one sure test (a read-only disk, /proc, rights that root does not bypass): try
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(
            f"cannot be written in {folder} ({exc.strerror or exc}); give {option} another place",
            source=str(target),
        ) from None
    os.close(handle)
    os.unlink(probe)


def write_output(path: Path, text: str, *, announce: bool = True) -> None:
    """Write ``text`` to an output path: stdout for ``-``, else :func:`write_atomic`."""
    if is_stdout(path):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(path, text)
    if announce:
        announce_written(path)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` all at once, or not at all (see atomic_writer)."""
    with atomic_writer(path) as out:
        out.write(text)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file to write ``path`` with bit by bit, which appears all at once at the end.

    What is written goes to a temporary file beside the target; leaving the block
    normally renames it into place (an existing file keeps its permissions), an
    exception (a signal included) removes it and leaves the target as it was. A
    symbolic link is written through (its target is replaced); a FIFO or a device
    is written to in place, and ``-`` is stdout. Raises InputError.
    """
    if is_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    given = path.expanduser()
    status = _status(given)
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise InputError("is a folder; give a file name to write to", source=str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        with _in_place(given, str(path)) as out:
            yield out
        return
    import tempfile  # here: importing it costs a plan run that writes to stdout 2 ms

    target = Path(os.path.realpath(given))  # through links, as > writes
    folder = target.parent
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
        os.chmod(temp, status.st_mode & 0o7777 if status is not None else 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot be written ({exc.strerror or exc})", source=str(path)
            ) from None
        raise


@contextlib.contextmanager
def _in_place(path: Path, label: str) -> Iterator[TextIO]:
    """Write to a FIFO, a terminal or a device as it is (``/dev/null`` stays a device)."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror or exc})", source=label) from None


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
