"""The one error hierarchy of crstrat, each error with the exit code it maps to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: stdout's reader went away (``| head -1``): quiet, as a tool killed by SIGPIPE.
EXIT_BROKEN_PIPE = 141


class CrstratError(Exception):
    """An error a user can act on: shown as one message, never as a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CrstratError):
    """Bad input: an answers file, a knowledge base, a flag value.

    ``source`` names the file (or ``--set``, or the prompt), ``path`` the key path
    inside it (``segments[0].customers``), ``line`` the 1-based line where known.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.path = path
        self.line = line
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = ""
        if self.source:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        key = f"{self.path}: " if self.path else ""
        return f"{where}{key}{self.problem}"

    def located(self, *, source: str | None = None, line: int | None = None) -> InputError:
        """The same error with the file and line filled in where still unknown."""
        return InputError(
            self.problem,
            source=self.source or source,
            path=self.path,
            line=self.line if self.line is not None else line,
        )


class KnowledgeError(InputError):
    """A knowledge base that cannot be used."""


class UsageError(CrstratError):
    """A command called the wrong way."""


class Interrupted(CrstratError):
    """The user pressed Ctrl-C."""

    exit_code = EXIT_INTERRUPTED
