"""How the process meets its surroundings: closed standard streams, stopping signals.

The CLI calls these around a run; nothing else needs them.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from collections.abc import Iterator


class Signalled(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so that it stops as on Ctrl-C:
    temporary files removed, the answers typed so far kept in a draft."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: The process that installed the handlers: a worker forked from it (grade --jobs)
#: inherits them, and must end on SIGTERM as a worker does (the pool stops its
#: workers with it), without a traceback.
_owner: list[int] = []


def _on_signal(signum: int, frame: object) -> None:
    if os.getpid() not in _owner:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _stop_prompt(Signalled(signum)):
        return
    raise Signalled(signum)


def _stop_prompt(stop: Signalled) -> bool:
    """End a running prompt_toolkit application with ``stop``, so that its ``run()``
    raises it where crstrat waits for an answer. Raised here instead, it could land
    inside one of the application's own tasks (loading its history, say), which
    prints a traceback and waits for ENTER. False when no prompt is running; never
    imports prompt_toolkit."""
    current = sys.modules.get("prompt_toolkit.application.current")
    app = current.get_app_or_none() if current is not None else None
    if app is None or not app.is_running or app.future is None or app.future.done():
        return False
    app.exit(exception=stop)
    return True


class _ClosedStream(io.TextIOBase):
    """Stands for a standard stream the process was started without (``>&-``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def isatty(self) -> bool:
        return False


def guard_streams() -> None:
    """Keep file descriptors 0-2 taken and give a closed stream a clear failure.

    Started with stdout closed, the first file crstrat opens would get
    descriptor 1 and receive what is meant for stdout; /dev/null holds the
    place instead, and writing to the closed stream fails with one line.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.dup2(os.open(os.devnull, os.O_RDWR), fd)
    if sys.stdout is None:
        sys.stdout = _ClosedStream("stdout")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)


def quiet_stdout() -> None:
    """After a broken pipe: nothing more reaches stdout, not even at exit."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


#: Signals that stop crstrat as Ctrl-C does (SIGINT raises KeyboardInterrupt already).
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def stopping_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Signalled` where the program is."""
    previous = {signum: signal.signal(signum, _on_signal) for signum in _STOP_SIGNALS}
    _owner.append(os.getpid())
    try:
        yield
    finally:
        _owner.pop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
