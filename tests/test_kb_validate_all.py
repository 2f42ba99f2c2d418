"""``crstrat kb validate`` reports every problem of a knowledge base, not only the first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

Cli = Any


def test_every_problem_in_every_file(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    assert cli("kb", "export", folder).code == 0
    tactics = folder / "tactics.yaml"
    tactics.write_text(
        tactics.read_text("utf-8").replace("goals: [", "goals: [bogus, ", 2), "utf-8"
    )
    elements = folder / "elements.yaml"
    elements.write_text(elements.read_text("utf-8") + "\n  - [unclosed\n", "utf-8")
    challenges = folder / "challenges.yaml"
    text = challenges.read_text("utf-8")
    challenges.write_text(text.replace("mitigation:", "mitigaton:", 1), "utf-8")

    result = cli("kb", "validate", folder)
    assert result.code == 2 and result.out == ""
    errors = [line for line in result.err.splitlines() if line.startswith("crstrat: error:")]
    assert len(errors) == 4, result.err
    assert sum("tactics.yaml" in e and "'bogus' is not allowed" in e for e in errors) == 2
    assert any("elements.yaml" in e and "is not valid YAML" in e for e in errors)
    assert any("challenges.yaml" in e and "did you mean 'mitigation'" in e for e in errors)
    assert result.err.splitlines()[-1] == f"crstrat: 4 problems in {folder}"


def test_a_base_with_problems_is_never_used(cli: Cli, tmp_path: Path) -> None:
    """Recording problems is for kb validate only: plan stops at the first, as before."""
    folder = tmp_path / "kb"
    cli("kb", "export", folder)
    tactics = folder / "tactics.yaml"
    tactics.write_text(
        tactics.read_text("utf-8").replace("goals: [", "goals: [bogus, ", 2), "utf-8"
    )
    result = cli("plan", "--kb", folder, "--example", "airline", "-f", "json")
    assert result.code == 2 and result.err.count("crstrat: error:") == 1
    assert "tactics[0].goals[0]" in result.err


def test_a_sound_base_is_ok(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    cli("kb", "export", folder)
    result = cli("kb", "validate", folder)
    assert result.code == 0 and result.out.startswith(f"OK {folder}")
