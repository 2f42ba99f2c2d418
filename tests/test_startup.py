"""Start-up: the light commands import only what they need (no timing here).

Timings are measured by benchmarks/startup.py; these tests keep the imports
that make them slow out of the commands that must start fast: help and version
never import the questionnaire (questionary, prompt_toolkit), YAML, templates
(jinja2) or rich's markdown help, and ``--version`` does not even import typer.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("questionary", "prompt_toolkit", "yaml", "jinja2", "markdown_it", "pygments", "rich")


def imported_by(*args: str) -> set[str]:
    """The modules ``python -m crstrat ARGS`` imports, from ``-X importtime``."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "crstrat", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["plan", "--help"]])
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    modules = top_level(imported_by(*args))
    assert "crstrat" in modules and "typer" in modules  # the probe works
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_imports_no_cli_framework(flag: str) -> None:
    modules = imported_by(flag)
    assert "crstrat" in top_level(modules)
    assert not top_level(modules) & {"typer", "click", *HEAVY}
    assert "crstrat.cli" not in modules


def test_the_probe_sees_what_a_plan_imports() -> None:
    from crstrat.knowledge import builtin_location

    example = builtin_location() / "examples" / "airline.yaml"
    modules = top_level(imported_by("plan", "--answers", str(example), "--format", "json"))
    assert "yaml" in modules
    assert not modules & {"questionary", "prompt_toolkit", "jinja2"}
