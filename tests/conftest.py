"""Shared fixtures: the built-in knowledge base, a temp-dir chdir, a CLI runner."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from crstrat.__main__ import main
from crstrat.knowledge import load_knowledge
from crstrat.model import KnowledgeBase

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"
UPDATE_GOLDEN = "CRSTRAT_UPDATE_GOLDEN"


def updating_golden() -> bool:
    """Whether golden files are being rewritten: only ``CRSTRAT_UPDATE_GOLDEN=1`` asks for it."""
    return os.environ.get(UPDATE_GOLDEN) == "1"


def assert_golden(golden: Path, text: str) -> None:
    """``text`` equals the golden file; with ``CRSTRAT_UPDATE_GOLDEN=1`` it first replaces it.

    Any other value (``0``, ``yes``, empty) compares without writing, so a
    stray setting cannot turn every golden test into one that always passes.
    """
    if updating_golden():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test inside a fresh temporary folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Call crstrat in-process: ``cli("plan", "--answers", f)`` -> Result."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")

    def run(*args: str | os.PathLike[str], stdin: str = "") -> Result:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
        return Result(code, out.getvalue(), err.getvalue())

    yield run


def run_installed(
    *args: str | os.PathLike[str],
    cwd: Path,
    text: bool = True,
    timeout: float = 60,
    **options: object,
) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """crstrat as a user runs it: its own process, no terminal on stdin."""
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "crstrat", *map(str, args)],
        cwd=cwd,
        stdin=options.pop("stdin", subprocess.DEVNULL),
        capture_output=True,
        text=text,
        timeout=timeout,
        check=False,
        **options,
    )
