"""Bad input, run through the real program: a clean exit 2, never a crash.

Every file in tests/bad_inputs/answers/ and every folder in tests/bad_inputs/kb/
is given to ``python -m crstrat plan`` in a subprocess (as a user or a grader
would run it). Each run must end with exit code 2, one line on stderr that names
the file, nothing on stdout, no traceback, no raw control character, within
the timeout, having executed nothing and written nothing.

The inputs too large to keep in the repository (deep nesting, more than 2 MiB,
too many values) are made by the tests. The knowledge-base cases are overlays:
each folder holds the files that replace those of a copy of the built-in
knowledge base (``NAME.absent`` deletes ``NAME``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_installed
from crstrat.figures import printable
from crstrat.knowledge import builtin_location

CORPUS = Path(__file__).parent / "bad_inputs"
ANSWERS = sorted((CORPUS / "answers").iterdir())
KBS = sorted(p for p in (CORPUS / "kb").iterdir() if p.is_dir())
TIMEOUT = 20

#: A few words each message must contain, by file: the problem is named, not just "error".
ANSWERS_SAY = {
    "alias_bomb.yaml": "through YAML aliases",
    "alias_self_reference.yaml": "refers to itself",
    "bad_indentation.yaml": "is not valid YAML",
    "budget_share_yes.yaml": "a yes/no value",
    "budget_share_zero.yaml": "greater than 0",
    "channel_unknown.yaml": "'carrier_pigeon' is not allowed",
    "control_character.yaml": "control character U+001B",
    "customers_fraction.yaml": "whole number",
    "customers_list.yaml": "got a list",
    "customers_negative.yaml": "at least 1",
    "customers_text.yaml": "must be a number",
    "date_impossible.yaml": "not a valid date",
    "empty.yaml": "is empty",
    "expectation_misspelt.yaml": "did you mean 'automated_services'",
    "expectation_unknown.yaml": "'robot_butlers' is not allowed",
    "goal_mapping.yaml": "got a mapping",
    "goal_unknown.yaml": "'grow' is not allowed",
    "hostile_key.yaml": "unknown key",
    "integer_huge.yaml": "5,000 characters",
    "invalid_utf8.yaml": "is not UTF-8",
    "key_duplicate.yaml": "has the key 'customers' twice",
    "key_missing.yaml": "segments[0].customers",
    "key_misspelt.yaml": "segments[0].custmers",
    "key_not_text.yaml": "keys must be text",
    "name_blank.yaml": "must not be blank",
    "name_too_long.yaml": "at most 200",
    "names_duplicate.yaml": "names two segments",
    "nul_bytes.yaml": "NUL bytes",
    "only_comments.yaml": "is empty",
    "picture.yaml": "is not UTF-8",
    "proposal_unknown_type.yaml": "'telepathy' is not allowed",
    "purchases_nan.yaml": "finite number",
    "segment_not_a_mapping.yaml": "segments[0]",
    "segments_missing.yaml": "segments",
    "segments_not_a_list.yaml": "segments",
    "spend_infinite.yaml": "finite number",
    "spend_negative.yaml": "at least 0",
    "tab_indentation.yaml": "tab",
    "tag_bool_maybe.yaml": "not a valid yes/no value",
    "tag_int_not_a_number.yaml": "not a valid integer",
    "tag_os_system.yaml": "!!python/object/apply:os.system",
    "tag_os_system_nested.yaml": "!!python/object/apply:os.system",
    "tag_python_module.yaml": "!!python/module:subprocess",
    "tag_python_name.yaml": "!!python/name:os.system",
    "tag_unknown.yaml": "YAML tag '!secret'",
    "top_key_misspelt.yaml": "did you mean 'company'",
    "top_level_list.yaml": "must be a mapping",
    "top_level_scalar.yaml": "must be a mapping",
    "two_documents.yaml": "a second YAML document",
    "unclosed_quote.yaml": "is not valid YAML",
    "utf16.yaml": "is not UTF-8",
    "version_missing.yaml": "schema version",
    "version_text.yaml": "schema version '1' is not supported",
    "version_true.yaml": "schema version true is not supported",
    "version_wrong.yaml": "schema version 2 is not supported",
}

#: What a better message says where the plan command reports "incomplete"
#: before checking what was given (commands/plan.py, gather_answers).
ANSWERS_SHOULD_SAY = {
    "key_misspelt.yaml": "did you mean 'customers'",
    "segment_not_a_mapping.yaml": "must be a mapping",
    "segments_not_a_list.yaml": "must be a list",
}

KB_SAY = {
    "challenges_not_utf8": "is not UTF-8",
    "elements_top_level_list": "must be a mapping",
    "meta_alias_bomb": "through YAML aliases",
    "meta_binary": "is not UTF-8",
    "meta_tabs": "tab",
    "tactics_deep": "levels deep",
    "tactics_duplicate_key": "has the key 'title' twice",
    "tactics_unknown_goal": "'grow' is not allowed",
    "types_missing": "no such file",
    "types_not_a_list": "must be a list",
    "types_python_tag": "!!python/object/apply:os.system",
}


def run_crstrat(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The installed program, as a user runs it: no terminal, no colour."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    result: subprocess.CompletedProcess[bytes] = run_installed(
        *args, cwd=cwd, env=env, text=False, timeout=TIMEOUT
    )
    return result


def assert_clean_failure(result: subprocess.CompletedProcess[bytes], names: str) -> str:
    """Exit 2, one plain line on stderr naming ``names``, nothing on stdout; returns it."""
    err = result.stderr.decode("utf-8", errors="replace")
    assert result.returncode == 2, (result.returncode, err)
    assert result.stdout == b"", result.stdout[:300]
    assert "Traceback" not in err, err
    lines = err.rstrip("\n").splitlines()
    assert len(lines) == 1, err
    message = lines[0]
    assert message.startswith("crstrat: error: "), message
    assert names in message, (names, message)
    # terminal control characters from the input never reach the terminal
    assert printable(message) == message, ascii(message)  # nothing acts on a terminal
    return message


def plan_args(answers: Path | str) -> list[str | Path]:
    return ["plan", "--answers", answers, "--format", "json"]


# --------------------------------------------------------------------------- answers files


def test_corpus_is_large_and_every_case_says_what_it_checks() -> None:
    assert len(ANSWERS) >= 25
    assert len(KBS) >= 5
    assert {p.name for p in ANSWERS} == set(ANSWERS_SAY)
    assert {p.name for p in KBS} <= set(KB_SAY)


@pytest.mark.parametrize("case", ANSWERS, ids=[p.name for p in ANSWERS])
def test_bad_answers_file(case: Path, tmp_path: Path) -> None:
    message = assert_clean_failure(run_crstrat(*plan_args(case), cwd=tmp_path), str(case))
    assert ANSWERS_SAY[case.name] in message
    assert not list(tmp_path.iterdir()), "nothing is written, nothing is executed"


@pytest.mark.parametrize("name", sorted(ANSWERS_SHOULD_SAY))
def test_what_is_given_is_checked_before_what_is_missing(name: str, tmp_path: Path) -> None:
    case = CORPUS / "answers" / name
    message = assert_clean_failure(run_crstrat(*plan_args(case), cwd=tmp_path), str(case))
    assert ANSWERS_SHOULD_SAY[name] in message


def test_object_constructing_tags_execute_nothing(tmp_path: Path) -> None:
    for name in ("tag_os_system.yaml", "tag_os_system_nested.yaml"):
        assert_clean_failure(run_crstrat(*plan_args(CORPUS / "answers" / name), cwd=tmp_path), name)
    assert not list(tmp_path.glob("PWNED*"))


def _deep_flow(path: Path) -> None:
    path.write_text("[" * 100_000)


def _deep_flow_closed(path: Path) -> None:
    path.write_text("crstrat: 1\nsegments: " + "[" * 50_000 + "]" * 50_000 + "\n")


def _deep_mappings(path: Path) -> None:
    path.write_text("{a: " * 50_000 + "}" * 50_000)


def _deep_block_sequences(path: Path) -> None:
    path.write_text("- " * 50_000 + "x\n")


def _deep_block_mappings(path: Path) -> None:
    path.write_text("".join(" " * i + "a:\n" for i in range(1_500)))


def _too_large(path: Path) -> None:
    path.write_text("crstrat: 1\ncompany: " + "x" * (2 * 1024 * 1024 + 10) + "\n")


def _too_many_values(path: Path) -> None:
    path.write_text("crstrat: 1\nsegments: [" + "1, " * 500_000 + "1]\n")


def _many_lines_of_values(path: Path) -> None:
    path.write_text("crstrat: 1\nsegments:\n" + "- 1\n" * 400_000)


def _a_folder(path: Path) -> None:
    path.mkdir()


def _missing(path: Path) -> None:
    pass


def _symlink_loop(path: Path) -> None:
    path.symlink_to(path)


MADE = {
    _deep_flow: "levels deep",
    _deep_flow_closed: "levels deep",
    _deep_mappings: "levels deep",
    _deep_block_sequences: "levels deep",
    _deep_block_mappings: "levels deep",
    _too_large: "larger than 2 MiB",
    _too_many_values: "more than 100,000 values",
    _many_lines_of_values: "more than 100,000 values",
    _a_folder: "is a folder",
    _missing: "no such file",
    _symlink_loop: "cannot be read",
}


@pytest.mark.parametrize("make", list(MADE), ids=[m.__name__.strip("_") for m in MADE])
def test_bad_answers_made_at_test_time(make: object, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = tmp_path / "answers.yaml"
    make(path)  # type: ignore[operator]
    message = assert_clean_failure(run_crstrat(*plan_args(path), cwd=work), str(path))
    assert MADE[make] in message  # type: ignore[index]


@pytest.mark.parametrize(
    "name",
    ["unclosed_quote.yaml", "customers_negative.yaml", "tag_os_system.yaml", "alias_bomb.yaml"],
)
def test_a_failed_run_leaves_existing_files_as_they_were(name: str, tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text('{"an": "earlier plan"}\n')
    saved = tmp_path / "answers-copy.yaml"
    saved.write_text("# answers saved earlier\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    case = CORPUS / "answers" / name
    result = run_crstrat(
        *plan_args(case), "--output", "plan.json", "--save-answers", saved.name, cwd=tmp_path
    )
    assert_clean_failure(result, str(case))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# --------------------------------------------------------------------------- knowledge bases


def _broken_kb(case: Path, into: Path) -> Path:
    """A copy of the built-in knowledge base with the case's files laid over it."""
    kb = into / "kb"
    shutil.copytree(builtin_location(), kb)
    for item in case.iterdir():
        if item.name == "README":
            continue
        if item.name.endswith(".absent"):
            (kb / item.name.removesuffix(".absent")).unlink()
        else:
            shutil.copyfile(item, kb / item.name)
    return kb


def _broken_file(case: Path) -> str:
    return next(p.name.removesuffix(".absent") for p in case.iterdir() if p.name != "README")


EXAMPLE = builtin_location() / "examples" / "airline.yaml"


@pytest.mark.parametrize("case", KBS, ids=[p.name for p in KBS])
def test_broken_knowledge_base(case: Path, tmp_path: Path) -> None:
    kb = _broken_kb(case, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    result = run_crstrat(*plan_args(EXAMPLE), "--kb", kb, cwd=work)
    message = assert_clean_failure(result, str(kb / _broken_file(case)))
    assert KB_SAY[case.name] in message
    assert not list(work.iterdir()), "nothing is written, nothing is executed"


def test_knowledge_base_that_is_missing(tmp_path: Path) -> None:
    result = run_crstrat(*plan_args(EXAMPLE), "--kb", tmp_path / "nowhere", cwd=tmp_path)
    assert "is not a folder" in assert_clean_failure(result, str(tmp_path / "nowhere"))


def test_knowledge_base_that_is_a_file(tmp_path: Path) -> None:
    result = run_crstrat(*plan_args(EXAMPLE), "--kb", EXAMPLE, cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b""
    assert str(EXAMPLE) in err and "Traceback" not in err


def test_a_hostile_parsed_cache_is_ignored(tmp_path: Path) -> None:
    """A knowledge folder's parsed.json that cannot be read is not used, and harms nothing."""
    kb = tmp_path / "kb"
    shutil.copytree(builtin_location(), kb)
    (kb / "parsed.json").write_text("[" * 100_000)
    result = run_crstrat(*plan_args(EXAMPLE), "--kb", kb, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"{")
