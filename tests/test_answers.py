"""Answers: one validator for files, flags and prompts; clear errors with file, key and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from crstrat.answers import (
    answers_to_data,
    apply_overrides,
    fill_defaults,
    load_answers,
    missing_keys,
    parse_override,
    validate_answers,
    validate_field,
)
from crstrat.errors import InputError
from crstrat.model import KnowledgeBase

GOOD = textwrap.dedent(
    """\
    crstrat: 1
    company: Kiwi Air
    currency: NZD
    segments:
      - name: Leisure travellers
        expectation: automated_services
        goal: retain
        customers: 2000000
        purchases_per_year: 2
        spend_per_purchase: 400
        budget_share: 0.05
        channels: [app, web]
    """
)


def write(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_for(kb: KnowledgeBase, tmp_path: Path, text: str) -> InputError:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_answers(kb, path)
    assert str(path) in str(caught.value)
    return caught.value


def test_good_file_loads_with_its_figures(kb: KnowledgeBase, tmp_path: Path) -> None:
    answers = load_answers(kb, write(tmp_path, GOOD))
    assert answers.company == "Kiwi Air"
    assert answers.currency == "NZD"
    (segment,) = answers.segments
    assert segment.goals == ("retain",)
    assert segment.customers == 2_000_000
    assert segment.customer_value == 800.0
    assert segment.channels == ("app", "web")
    assert segment.market is None  # optional answers stay unset until planning


def test_json_is_accepted(kb: KnowledgeBase, tmp_path: Path) -> None:
    text = (
        '{"crstrat": 1, "segments": [{"name": "A", "expectation": "self_service", '
        '"goal": ["acquire", "expand"], "customers": 10, "purchases_per_year": 0.5, '
        '"spend_per_purchase": 20}]}'
    )
    answers = load_answers(kb, write(tmp_path, text, "a.json"))
    assert answers.segments[0].goals == ("acquire", "expand")


def test_misspelt_key_names_line_and_suggests(kb: KnowledgeBase, tmp_path: Path) -> None:
    error = error_for(kb, tmp_path, GOOD.replace("customers:", "custmers:"))
    assert error.path == "segments[0].custmers"
    assert error.line == 8
    assert "did you mean 'customers'" in error.message


def test_unknown_value_suggests_closest(kb: KnowledgeBase, tmp_path: Path) -> None:
    error = error_for(kb, tmp_path, GOOD.replace("automated_services", "automated_service"))
    assert error.path == "segments[0].expectation"
    assert error.line == 6
    assert "did you mean 'automated_services'" in error.message
    assert "self_service" in error.message  # lists what is allowed


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (("customers: 2000000", "customers: 0"), "segments[0].customers", "at least 1"),
        (("customers: 2000000", "customers: 2.5"), "segments[0].customers", "whole number"),
        (("customers: 2000000", "customers: lots"), "segments[0].customers", "must be a number"),
        (
            ("spend_per_purchase: 400", "spend_per_purchase: -1"),
            "segments[0].spend_per_purchase",
            "at least 0",
        ),
        (
            ("spend_per_purchase: 400", "spend_per_purchase: .nan"),
            "segments[0].spend_per_purchase",
            "finite",
        ),
        (("budget_share: 0.05", "budget_share: 0"), "segments[0].budget_share", "greater than 0"),
        (("budget_share: 0.05", "budget_share: 1.5"), "segments[0].budget_share", "at most 1"),
        (("goal: retain", "goal: keep"), "segments[0].goal", "not allowed"),
        (("goal: retain", "goal: []"), "segments[0].goal", "at least one"),
        (("goal: retain", "goal: [retain, retain]"), "segments[0].goal", "twice"),
        (("channels: [app, web]", "channels: [app, fax]"), "segments[0].channels", "'fax'"),
        (("name: Leisure travellers", "name: '  '"), "segments[0].name", "blank"),
        (("name: Leisure travellers", "name: yes"), "segments[0].name", "yes/no"),
        (("crstrat: 1", "crstrat: 2"), "crstrat", "version"),
        (("crstrat: 1", "crstrat: true"), "crstrat", "version"),
    ],
)
def test_bad_values_are_named(
    kb: KnowledgeBase, tmp_path: Path, change: tuple[str, str], path: str, words: str
) -> None:
    error = error_for(kb, tmp_path, GOOD.replace(*change))
    assert error.path == path
    assert words in error.message
    assert error.line is not None


def test_missing_required_key(kb: KnowledgeBase, tmp_path: Path) -> None:
    error = error_for(kb, tmp_path, GOOD.replace("    goal: retain\n", ""))
    assert error.path == "segments[0].goal"
    assert "required" in error.message


def test_duplicate_segment_names(kb: KnowledgeBase, tmp_path: Path) -> None:
    segment = GOOD.split("segments:\n")[1]
    error = error_for(kb, tmp_path, GOOD + segment.replace("Leisure", "leisure"))
    assert error.path == "segments[1].name"
    assert "unique" in error.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("- a\n- b\n", "mapping"),
        ("crstrat: 1\n", "segments"),
        ("crstrat: 1\nsegments: []\n", "one or more"),
        ("crstrat: 1\nsegment: []\n", "did you mean 'segments'"),
        ("crstrat: 1\nsegments: [\n", "not valid YAML"),
        ("crstrat: !!python/object/apply:os.system ['true']\n", "tag"),
    ],
)
def test_broken_documents(kb: KnowledgeBase, tmp_path: Path, text: str, words: str) -> None:
    assert words in error_for(kb, tmp_path, text).message


def test_invalid_utf8_names_the_line(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD.replace("Kiwi Air", "Kiwi Caf\xe9").encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_answers(kb, path)
    assert caught.value.line == 2
    assert "UTF-8" in caught.value.message


def test_missing_file_and_folder(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_answers(kb, tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="folder"):
        load_answers(kb, tmp_path)


def test_validate_field_is_the_prompt_check(kb: KnowledgeBase) -> None:
    assert validate_field(kb, "customers", 12) == 12
    assert validate_field(kb, "goal", "expand") == ("expand",)
    with pytest.raises(InputError) as caught:
        validate_field(kb, "complexity", "hard")
    assert "low, medium, high" in caught.value.message


def test_overrides_win_over_the_file(kb: KnowledgeBase, tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(GOOD)
    merged = apply_overrides(
        data,
        [
            parse_override("company=Other Air"),
            parse_override("customers=5000"),
            parse_override("segments.0.goal=[acquire, retain]"),
        ],
    )
    answers = validate_answers(kb, merged)
    assert answers.company == "Other Air"
    assert answers.segments[0].customers == 5000
    assert answers.segments[0].goals == ("acquire", "retain")
    assert data["segments"][0]["customers"] == 2_000_000  # the file's data is not changed


@pytest.mark.parametrize("flag", ["customers", "segments.x.name=1", "colour=red"])
def test_bad_override(flag: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_override(flag)
    assert "--set" in caught.value.message


def test_override_cannot_skip_a_segment() -> None:
    with pytest.raises(InputError, match="does not exist"):
        apply_overrides({"crstrat": 1, "segments": []}, [parse_override("segments.3.name=x")])


def test_defaults_fill_what_is_missing(kb: KnowledgeBase) -> None:
    data = {"crstrat": 1, "segments": [{"name": "Shops", "customers": 40}, {}]}
    assert ("segments", 0, "goal") in missing_keys(data)
    filled = fill_defaults(kb, data)
    assert missing_keys(filled) == []
    answers = validate_answers(kb, filled)
    assert answers.segments[0].name == "Shops"
    assert answers.segments[0].customers == 40
    assert answers.segments[1].name != answers.segments[0].name


def test_answers_round_trip(kb: KnowledgeBase, tmp_path: Path) -> None:
    answers = load_answers(kb, write(tmp_path, GOOD))
    assert validate_answers(kb, answers_to_data(answers)) == answers
