"""Entry point: ``crstrat`` and ``python -m crstrat``.

``crstrat --version`` answers before anything else is imported, so the most
common health check of a CLI costs little more than starting Python.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    sys.exit(main())
