"""Values a person types, read the same way in a file, in ``--set`` and at a prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from crstrat.answers import (
    as_typed,
    load_answers,
    parse_override,
    validate_answers,
    validate_field,
)
from crstrat.errors import InputError
from crstrat.model import KnowledgeBase
from crstrat.schema import answers_schema

BASE = {
    "name": "Regulars",
    "expectation": "self_service",
    "goal": "retain",
    "customers": 1000,
    "purchases_per_year": 2,
    "spend_per_purchase": 40,
}

# (key, what a person types, the value it means, or None when it is refused)
TYPED = [
    ("customers", "1,200", 1200),
    ("customers", "10,000,000,000", 10_000_000_000),
    ("customers", "10,000,000,001", None),
    ("customers", "1,2000", None),
    ("customers", "0,100", None),
    ("customers", "1,200.5", None),
    ("spend_per_purchase", "1,000.50", 1000.5),
    ("budget_per_customer", "12,500", 12500),
    ("purchases_per_year", "1,000,000", 1_000_000),
    ("budget_share", "5%", 0.05),
    ("budget_share", "12.5 %", 0.125),
    ("budget_share", "100%", 1.0),
    ("budget_share", "0%", None),
    ("budget_share", "150%", None),
    ("customers", "5%", None),
]


def from_file(kb: KnowledgeBase, tmp_path: Path, key: str, typed: str) -> Any:
    path = tmp_path / "answers.yaml"
    fields = "".join(f"    {k}: {typed if k == key else v}\n" for k, v in {**BASE, key: 0}.items())
    path.write_text(f"crstrat: 1\nsegments:\n  - {fields[4:]}", encoding="utf-8")
    return getattr(load_answers(kb, path).segments[0], key)


def from_set(kb: KnowledgeBase, key: str, typed: str) -> Any:
    override = parse_override(f"{key}={typed}")
    data: dict[str, Any] = {"crstrat": 1, "segments": [dict(BASE)]}
    data["segments"][0][key] = override.value
    return getattr(validate_answers(kb, data, source="--set").segments[0], key)


def from_prompt(kb: KnowledgeBase, key: str, typed: str) -> Any:
    # the questionnaire reads a typed number as --set does, then checks it with validate_field
    from crstrat.answers import parse_scalar

    return validate_field(kb, key, parse_scalar(typed))


@pytest.mark.parametrize(("key", "typed", "meant"), TYPED)
def test_the_same_everywhere(
    kb: KnowledgeBase, tmp_path: Path, key: str, typed: str, meant: object
) -> None:
    readings = []
    for read in (
        lambda: from_file(kb, tmp_path, key, typed),
        lambda: from_set(kb, key, typed),
        lambda: from_prompt(kb, key, typed),
    ):
        try:
            readings.append(read())
        except InputError:
            readings.append(None)
    assert readings == [meant] * 3
    # and the JSON Schema editors use agrees
    document = {"crstrat": 1, "segments": [{**BASE, key: typed}]}
    valid = jsonschema.Draft202012Validator(answers_schema(kb)).is_valid(document)
    assert valid is (meant is not None)


@pytest.mark.parametrize("typed", ["5", "12.5"])
def test_a_whole_percentage_for_a_share_gets_a_hint(kb: KnowledgeBase, typed: str) -> None:
    with pytest.raises(InputError, match=rf"did you mean {typed}%\?"):
        from_set(kb, "budget_share", typed)
    with pytest.raises(InputError, match=rf"did you mean {typed}%\?"):
        from_prompt(kb, "budget_share", typed)


def test_other_text_is_left_for_the_check_to_refuse() -> None:
    assert as_typed("name", "1,200") == "1,200"
    assert as_typed("customers", "about 1,200") == "about 1,200"
    assert as_typed("customers", 1200) == 1200
