"""The conventions of the ecosystem: the console-script entry point and shell completion."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import entry_points

import pytest


def test_the_command_is_a_standard_console_script() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "crstrat"]
    assert script.value == "crstrat.__main__:run"
    from crstrat.__main__ import run

    assert script.load() is run


def complete(words: str, shell: str = "bash") -> list[str]:
    """What crstrat offers when the shell completes the last of ``words``."""
    env = {
        **os.environ,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
        "_CRSTRAT_COMPLETE": f"complete_{shell}",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from crstrat.__main__ import main; sys.exit(main())"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("crstrat ex", {"explain", "examples"}),
        ("crstrat can", {"canvas"}),
        ("crstrat grade --j", {"--jobs", "--junit"}),
        ("crstrat explain se", {"self_service"}),
        ("crstrat plan --example bu", {"budget_airline"}),
        ("crstrat compare a.yaml b.yaml --format m", {"markdown"}),
    ],
)
def test_completion_offers_commands_options_type_ids_and_examples(
    words: str, expected: set[str]
) -> None:
    assert set(complete(words)) == expected


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_show_completion_prints_a_bash_script() -> None:
    # --show-completion prints the script of the shell it is run from (typer asks
    # shellingham for the parent process), so it runs the way a user does, from
    # bash: the exit after it keeps bash from replacing itself with crstrat
    command = f"{shlex.quote(sys.executable)} -m crstrat --show-completion; exit $?"
    done = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "_CRSTRAT_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _crstrat_completion crstrat" in done.stdout
