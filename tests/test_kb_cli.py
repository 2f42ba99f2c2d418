"""``crstrat kb export`` and ``crstrat kb validate``: custom knowledge bases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crstrat.knowledge import KB_FILES, builtin_location, load_knowledge

Cli = Any


@pytest.fixture
def exported(cli: Cli, tmp_path: Path) -> Path:
    folder = tmp_path / "my-kb"
    result = cli("kb", "export", folder)
    assert result.code == 0, result.err
    assert result.out == ""
    assert f"wrote {len(list(folder.rglob('*.*')))} files to {folder}" in result.err
    return folder


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_export_copies_the_built_in_files(exported: Path) -> None:
    root = builtin_location()
    for name in (*KB_FILES, "README.md"):
        assert (exported / name).read_bytes() == (root / name).read_bytes()
    examples = sorted(p.name for p in (root / "examples").glob("*.yaml"))
    assert sorted(p.name for p in (exported / "examples").glob("*.yaml")) == examples
    assert not list(exported.rglob(".*"))  # no temporary files left behind


def test_exported_base_validates_with_the_built_in_hash(cli: Cli, exported: Path) -> None:
    result = cli("kb", "validate", exported)
    assert result.code == 0, result.err
    sha = load_knowledge().sha256
    assert result.out.startswith(f"OK {exported}: knowledge base 'built-in' version 1, ")
    assert f"sha256 {sha}" in result.out


def test_exported_base_gives_the_same_plan(cli: Cli, exported: Path) -> None:
    built_in = cli("plan", "--example", "airline", "--format", "json")
    custom = cli("plan", "--example", "airline", "--format", "json", "--kb", exported)
    assert built_in.code == custom.code == 0
    assert custom.out == built_in.out  # name and hash included: the files are the same


def test_types_and_explain_read_a_custom_base(cli: Cli, exported: Path) -> None:
    types = exported / "types.yaml"
    types.write_text(
        types.read_text(encoding="utf-8").replace(
            "name: Personal assistance", "name: Personal help desk", 1
        ),
        encoding="utf-8",
    )
    assert "Personal help desk" in cli("types", "--kb", exported).out
    assert "Personal help desk" in cli("explain", "personal_assistance", "--kb", exported).out


def test_export_refuses_a_folder_with_files(cli: Cli, exported: Path) -> None:
    result = cli("kb", "export", exported)
    assert result.code == 2
    assert "not empty" in result.err and "--force" in result.err
    meta = exported / "meta.yaml"
    meta.write_text("edited", encoding="utf-8")
    keep = exported / "notes.md"
    keep.write_text("mine", encoding="utf-8")
    assert cli("kb", "export", exported, "--force").code == 0
    assert meta.read_bytes() == (builtin_location() / "meta.yaml").read_bytes()
    assert keep.read_text(encoding="utf-8") == "mine"


def test_export_into_an_empty_folder_or_onto_a_file(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("kb", "export", empty).code == 0
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = cli("kb", "export", a_file)
    assert result.code == 2 and "is a file" in result.err


def test_validate_names_a_bad_type_with_file_line_and_key(cli: Cli, exported: Path) -> None:
    types = exported / "types.yaml"
    text = types.read_text(encoding="utf-8")
    types.write_text(text.replace("personal_touch: 0.7", "personal_touch: high", 1), "utf-8")
    result = cli("kb", "validate", exported)
    assert result.code == 2
    assert result.out == ""
    line = line_of(types, "    personal_touch: high")
    assert result.err.startswith(
        f"crstrat: error: {types}:{line}: types[0].personal_touch: must be a number"
    )


def test_validate_names_an_unknown_key(cli: Cli, exported: Path) -> None:
    tactics = exported / "tactics.yaml"
    text = tactics.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("    title: "))
    tactics.write_text(text.replace(first, first.replace("title:", "titel:"), 1), "utf-8")
    result = cli("kb", "validate", exported)
    assert result.code == 2
    line = line_of(tactics, first.replace("title:", "titel:"))
    assert f"{tactics}:{line}: tactics[0].titel: unknown key (did you mean 'title'?)" in result.err


def test_validate_names_a_missing_file(cli: Cli, exported: Path) -> None:
    (exported / "types.yaml").unlink()
    result = cli("kb", "validate", exported)
    assert result.code == 2
    assert f"{exported / 'types.yaml'}: no such file" in result.err


def test_validate_checks_the_examples(cli: Cli, exported: Path) -> None:
    example = exported / "examples" / "dental_clinic.yaml"
    text = example.read_text(encoding="utf-8")
    example.write_text(text.replace("complexity: high", "complexity: extreme"), "utf-8")
    result = cli("kb", "validate", exported)
    assert result.code == 2
    line = line_of(example, "    complexity: extreme")
    assert f"{example}:{line}: segments[0].complexity: 'extreme' is not allowed" in result.err


def test_validate_a_folder_that_is_not_there(cli: Cli, tmp_path: Path) -> None:
    result = cli("kb", "validate", tmp_path / "nowhere")
    assert result.code == 2
    assert "is not a folder" in result.err


def test_kb_help(cli: Cli) -> None:
    result = cli("kb", "--help")
    assert result.code == 0
    assert "export" in result.out and "validate" in result.out
