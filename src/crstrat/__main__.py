"""Entry point: ``crstrat`` and ``python -m crstrat``.

``crstrat --version`` answers before anything else is imported, so the most
common health check of a CLI costs little more than starting Python.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run crstrat with ``argv`` (default: the process's arguments); returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"crstrat {__version__}\n")
        return 0
    from .cli import run

    return run(args)


def exit_now(code: int) -> None:  # never returns (typing is not imported here: start-up)
    """Flush the output and end the process without tearing the interpreter down.

    Freeing every imported module at exit takes about 20 ms, a sixth of a whole
    ``crstrat plan`` run, and crstrat has nothing left to clean up by then: files
    are written atomically before ``main`` returns and no atexit handler of
    ours exists. Under coverage (whose data is saved at exit) it exits normally.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or 1
    if "coverage" in sys.modules:
        sys.exit(code)
    os._exit(code)


def run() -> None:
    """The ``crstrat`` command: run with the process's arguments and exit."""
    exit_now(main())


if __name__ == "__main__":
    run()
