"""Bounds on running a user's report template: time, memory and recursion.

Jinja2's sandbox keeps a template from Python's internals, not from running
forever (nested ``range(100000)`` loops), taking gigabytes (``'a' * 10**9``)
or recursing without end (a macro calling itself). Inside :func:`bounded`
each of these ends in an InputError naming the template: one line, exit 2.

Time is bounded with SIGALRM (POSIX, main thread), memory with RLIMIT_AS
(Linux); where either is not available, that bound is not applied.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from .errors import InputError

#: Seconds a user template may run; CRSTRAT_TEMPLATE_SECONDS changes it.
TEMPLATE_SECONDS = 20.0

#: Memory a user template may add to the process, in bytes.
TEMPLATE_MEMORY = 512 * 1024 * 1024


class _OutOfTime(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` in Jinja swallows it."""


def template_seconds() -> float:
    """The time bound: CRSTRAT_TEMPLATE_SECONDS when it is a positive number, else the default."""
    try:
        seconds = float(os.environ.get("CRSTRAT_TEMPLATE_SECONDS", TEMPLATE_SECONDS))
    except ValueError:
        return TEMPLATE_SECONDS
    return seconds if 0 < seconds < 1e6 else TEMPLATE_SECONDS


@contextlib.contextmanager
def bounded(source: str) -> Iterator[None]:
    """Run the block with a user template's bounds; exceeding one raises InputError."""
    seconds = template_seconds()
    try:
        with _time_bound(seconds), _memory_bound(TEMPLATE_MEMORY):
            yield
    except _OutOfTime:
        raise InputError(
            f"the template ran for more than {seconds:g} seconds and was stopped (a loop "
            "too large?); CRSTRAT_TEMPLATE_SECONDS sets the limit",
            source=source,
        ) from None
    except MemoryError:
        raise InputError(
            f"the template needed more than {TEMPLATE_MEMORY // 2**20:,} MiB and was "
            "stopped (a string or list too large?)",
            source=source,
        ) from None
    except RecursionError:
        raise InputError(
            "the template recurses without end (a macro or include calling itself?)",
            source=source,
        ) from None


@contextlib.contextmanager
def _time_bound(seconds: float) -> Iterator[None]:
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def out_of_time(signum: int, frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int | None:
    """The process's virtual memory size in bytes (Linux), None where unknown."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def _memory_bound(extra: int) -> Iterator[None]:
    try:
        import resource
    except ImportError:  # not POSIX
        yield
        return
    used = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = None if used is None else used + extra
    if limit is None or (soft != resource.RLIM_INFINITY and soft <= limit):
        yield  # unknown, or already bounded as tightly by whoever started crstrat
        return
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
