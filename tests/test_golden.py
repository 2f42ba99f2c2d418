"""Golden files are rewritten only when CRSTRAT_UPDATE_GOLDEN is exactly ``1``."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TESTS, UPDATE_GOLDEN, assert_golden


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text("what the renderer printed last time\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [None, "0", "", "yes", "true", "1 ", "01"])
def test_anything_but_1_compares_without_writing(
    golden: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    else:
        monkeypatch.setenv(UPDATE_GOLDEN, value)
    with pytest.raises(AssertionError):
        assert_golden(golden, "what it prints now\n")
    assert golden.read_text(encoding="utf-8") == "what the renderer printed last time\n"


def test_1_rewrites(golden: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    assert_golden(golden, "what it prints now\n")
    assert golden.read_text(encoding="utf-8") == "what it prints now\n"


def test_equal_text_passes(golden: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    assert_golden(golden, "what the renderer printed last time\n")


def test_no_test_module_reads_the_setting_itself() -> None:
    """Every golden test goes through assert_golden, so the rule holds everywhere."""
    readers = [
        path.name
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("conftest.py", Path(__file__).name)
        and "environ" in path.read_text(encoding="utf-8")
        and UPDATE_GOLDEN in path.read_text(encoding="utf-8")
    ]
    assert readers == []
