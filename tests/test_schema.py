"""The JSON Schemas accept exactly what the loaders accept.

Hypothesis writes answers documents, valid ones and mutated ones (wrong types,
out-of-range numbers, unknown and missing keys, nulls), and each must be valid
for the schema exactly when ``validate_answers`` accepts it. The one rule JSON
Schema cannot say, segment names unique ignoring case, is the one difference.
The knowledge base schema is held to the loader file by file, mutation by mutation.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from crstrat.answers import MAX_NAME, validate_answers
from crstrat.errors import InputError
from crstrat.knowledge import KB_FILES, builtin_location, load_knowledge
from crstrat.model import CHANNELS, COMPLEXITIES, GOALS, MARKETS, KnowledgeBase
from crstrat.schema import answers_schema, kb_schema

KB = load_knowledge()
ANSWERS = Draft202012Validator(answers_schema(KB))
KNOWLEDGE = Draft202012Validator(kb_schema())
CASES = Path(__file__).parent / "cases"

Cli = Any


def loader_accepts(data: object) -> bool:
    try:
        validate_answers(KB, data)
    except InputError:
        return False
    return True


def duplicate_names(data: object) -> bool:
    """Segment names equal ignoring case and surrounding spaces (the schema cannot tell)."""
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        return False
    names = [
        s["name"].strip().casefold()
        for s in data["segments"]
        if isinstance(s, dict) and isinstance(s.get("name"), str)
    ]
    return len(names) != len(set(names))


def currency_without_rate(data: object) -> bool:
    """A currency neither the base's table nor an exchange_rate converts (the schema
    cannot tell; the loader asks for exchange_rate)."""
    if not isinstance(data, dict) or data.get("exchange_rate") is not None:
        return False
    currency = data.get("currency")
    rates = load_knowledge().currencies.rates  # type: ignore[union-attr]
    return isinstance(currency, str) and currency.strip().upper() not in rates


def assert_agree(data: object) -> None:
    schema_ok = ANSWERS.is_valid(data)
    refused_by_loader_only = duplicate_names(data) or currency_without_rate(data)
    assert loader_accepts(data) == (schema_ok and not refused_by_loader_only), (
        data,
        [e.message for e in ANSWERS.iter_errors(data)][:3],
    )


# --------------------------------------------------------------------------- strategies

names = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "\t\n", "Leisure", " padded ", "x" * MAX_NAME, "x" * (MAX_NAME + 1)]),
    st.sampled_from([" " + "y" * MAX_NAME + "\n", "\u00a0z\u2003", "a" + " " * 300 + "b"]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**13), max_value=10**13),
    st.floats(allow_nan=False, width=64),
    st.sampled_from([0, 0.0, -0.0, 1, 1.0, 0.5, 1e-12, 1e6, 1e6 + 1, 1e10, 1e10 + 1, 1e12, 2e12]),
    st.sampled_from([10**10, 10**10 + 1, 2000000.0, 2.5, 1.5e-300]),
)
words = st.sampled_from([*KB.type_ids, *GOALS, *CHANNELS, *MARKETS, *COMPLEXITIES, "b2x", "Retain"])
leaves = st.one_of(st.none(), st.booleans(), numbers, names, words)
anything = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def one_or_list(choices: st.SearchStrategy[str], min_size: int) -> st.SearchStrategy[Any]:
    return st.one_of(choices, st.lists(choices, min_size=min_size, max_size=4, unique=True))


types = st.sampled_from(KB.type_ids)
valid_values: dict[str, st.SearchStrategy[Any]] = {
    "name": st.text(min_size=1, max_size=20).filter(lambda s: 0 < len(s.strip()) <= MAX_NAME),
    "expectation": types,
    "goal": one_or_list(st.sampled_from(GOALS), 1),
    "customers": st.one_of(st.integers(1, 10**10), st.integers(1, 10**7).map(float)),
    "purchases_per_year": st.one_of(st.integers(0, 10**6), st.floats(0, 1e6)),
    "spend_per_purchase": st.one_of(st.integers(0, 10**9), st.floats(0, 1e12)),
    "budget_share": st.floats(0, 1, exclude_min=True),
    "budget_per_customer": st.floats(0, 1e12),
    "market": st.sampled_from(MARKETS),
    "complexity": st.sampled_from(COMPLEXITIES),
    "channels": one_or_list(st.sampled_from(CHANNELS), 0),
    "existing": one_or_list(types, 0),
    "proposal": one_or_list(types, 0),
}
REQUIRED = ("name", "expectation", "goal", "customers", "purchases_per_year", "spend_per_purchase")


@st.composite
def segments(draw: st.DrawFn, mutate: bool) -> dict[str, Any]:
    segment = {key: draw(valid_values[key]) for key in REQUIRED}
    for key in set(valid_values) - set(REQUIRED):
        if draw(st.booleans()):
            segment[key] = draw(st.one_of(valid_values[key], st.none()))
    if mutate:
        for key in draw(st.lists(st.sampled_from(sorted(valid_values)), max_size=2)):
            segment[key] = draw(anything)
        for key in draw(st.lists(st.sampled_from(REQUIRED), max_size=1)):
            segment.pop(key, None)
        if draw(st.integers(0, 9)) == 0:
            segment[draw(st.sampled_from(["goals", "Name", "budget", "x"]))] = draw(leaves)
    return segment


@st.composite
def documents(draw: st.DrawFn, mutate: bool) -> Any:
    doc: dict[str, Any] = {
        "crstrat": 1,
        "segments": draw(st.lists(segments(mutate), min_size=1, max_size=3)),
    }
    for key in ("company", "currency"):
        if draw(st.booleans()):
            doc[key] = draw(st.one_of(names, st.none()))
    if mutate:
        roll = draw(st.integers(0, 9))
        if roll == 0:
            doc["crstrat"] = draw(st.sampled_from([1.0, 2, "1", True, None, 0]))
        elif roll == 1:
            doc["segments"] = draw(anything)
        elif roll == 2:
            doc[draw(st.sampled_from(["segment", "version", "Company"]))] = draw(leaves)
        elif roll == 3:
            doc = draw(anything)
        elif roll == 4:
            doc.pop(draw(st.sampled_from(["crstrat", "segments"])))
        elif roll == 5:
            doc[draw(st.sampled_from(["company", "currency"]))] = draw(anything)
    return doc


# --------------------------------------------------------------------------- answers


def test_schemas_are_valid_2020_12() -> None:
    Draft202012Validator.check_schema(answers_schema(KB))
    Draft202012Validator.check_schema(kb_schema())
    assert answers_schema(KB)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(mutate=False))
def test_valid_documents_are_valid_for_both(doc: Any) -> None:
    assert_agree(doc)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(mutate=True))
def test_schema_and_loader_agree_on_mutated_documents(doc: Any) -> None:
    assert_agree(doc)


def shipped_answers() -> list[tuple[str, Any]]:
    found = [
        (path.name, yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted((builtin_location() / "examples").glob("*.yaml"))
    ]
    found += [
        (path.name, yaml.safe_load(path.read_text(encoding="utf-8"))["answers"])
        for path in sorted(CASES.glob("*.yaml"))
    ]
    return found


@pytest.mark.parametrize(("name", "data"), shipped_answers(), ids=lambda v: str(v)[:20])
def test_shipped_answers_are_valid(name: str, data: Any) -> None:
    assert ANSWERS.is_valid(data), name
    assert loader_accepts(data)


def base_doc() -> dict[str, Any]:
    return {
        "crstrat": 1,
        "segments": [
            {
                "name": "Patients",
                "expectation": "personal_assistance",
                "goal": "retain",
                "customers": 2500,
                "purchases_per_year": 2,
                "spend_per_purchase": 120,
            }
        ],
    }


def with_segment(**changes: Any) -> dict[str, Any]:
    doc = base_doc()
    doc["segments"][0].update(changes)
    return doc


@pytest.mark.parametrize(
    ("doc", "valid"),
    [
        (base_doc(), True),
        (with_segment(customers=2000000.0), True),  # an integral float is a whole number
        (with_segment(customers=2.5), False),
        (with_segment(customers=True), False),
        (with_segment(customers="500"), False),
        (with_segment(customers=0), False),
        (with_segment(budget_share=0), False),  # 0 < budget_share <= 1
        (with_segment(budget_share=1), True),
        (with_segment(budget_share=None), True),  # optional left empty: the default
        (with_segment(goal=["retain", "expand"]), True),
        (with_segment(goal=["retain", "retain"]), False),
        (with_segment(goal=[]), False),
        (with_segment(channels=[]), True),
        (with_segment(proposal="self_service"), True),  # one type for a list of one
        (with_segment(proposal=["self_service", "teleportation"]), False),
        (with_segment(expectation="Self_service"), False),
        (with_segment(name="   "), False),
        (with_segment(name=None), False),
        (with_segment(budget_shar=0.1), False),  # unknown key
        ({**base_doc(), "crstrat": 2}, False),
        ({**base_doc(), "crstrat": True}, False),
        ({**base_doc(), "colour": "blue"}, False),
        ({**base_doc(), "company": None}, True),
        ({**base_doc(), "segments": []}, False),
    ],
)
def test_answers_cases(doc: dict[str, Any], valid: bool) -> None:
    assert ANSWERS.is_valid(doc) is valid
    assert loader_accepts(doc) is valid


def test_duplicate_names_are_the_loaders_to_refuse() -> None:
    doc = base_doc()
    doc["segments"].append({**doc["segments"][0], "name": " PATIENTS"})
    assert ANSWERS.is_valid(doc)
    assert not loader_accepts(doc)


def test_the_answers_schema_lists_the_knowledge_bases_types(kb: KnowledgeBase) -> None:
    custom = kb._replace(types=(*kb.types, kb.types[0]._replace(id="chatbot")))
    doc = with_segment(proposal=["chatbot"])
    assert not ANSWERS.is_valid(doc)
    assert Draft202012Validator(answers_schema(custom)).is_valid(doc)


def test_schema_command(cli: Cli) -> None:
    result = cli("schema", "answers")
    assert result.code == 0
    assert json.loads(result.out) == answers_schema(KB)
    assert json.loads(cli("schema", "kb").out) == kb_schema()
    assert cli("schema", "plans").code == 2


# --------------------------------------------------------------------------- knowledge base


@pytest.mark.parametrize("name", KB_FILES)
def test_built_in_files_match_their_own_definition(name: str) -> None:
    data = yaml.safe_load((builtin_location() / name).read_text(encoding="utf-8"))
    assert KNOWLEDGE.is_valid(data), [e.message for e in KNOWLEDGE.iter_errors(data)][:3]
    key = name.removesuffix(".yaml")
    own = {"$ref": f"#/$defs/{key}", "$defs": kb_schema()["$defs"]}
    assert Draft202012Validator(own).is_valid(data)


Mutation = Callable[[Any], None]


def setter(*path: str | int, value: Any) -> Mutation:
    def mutate(data: Any) -> None:
        for part in path[:-1]:
            data = data[part]
        data[path[-1]] = value

    return mutate


def deleter(*path: str | int) -> Mutation:
    def mutate(data: Any) -> None:
        for part in path[:-1]:
            data = data[part]
        del data[path[-1]]

    return mutate


KB_MUTATIONS: list[tuple[str, str, Mutation, bool]] = [
    # file, what, change, accepted
    ("meta.yaml", "a number as a name", setter("name", value=5), True),
    ("meta.yaml", "a yes/no name", setter("name", value=True), False),
    ("meta.yaml", "version 0", setter("version", value=0), False),
    ("meta.yaml", "an unknown key", setter("colour", value="blue"), False),
    ("meta.yaml", "weight above 1", setter("scoring", "weights", "goals", value=1.5), False),
    ("meta.yaml", "an unknown market", setter("defaults", "market", value="b2x"), False),
    ("meta.yaml", "no grading block", deleter("grading"), True),
    ("meta.yaml", "an empty grading block", setter("grading", value={}), True),
    ("meta.yaml", "a grading block without min_score", deleter("grading", "min_score"), False),
    ("meta.yaml", "text as a weight", setter("grading", "weights", "primary", value="half"), False),
    ("meta.yaml", "an unknown criterion", setter("mix", "support_min_fit", value={"x": 1}), False),
    (
        "meta.yaml",
        "a hosted fit above 1",
        setter("mix", "hosted_support_min_fit", "horizon", value=2),
        False,
    ),
    ("meta.yaml", "no hosted fit", deleter("mix", "hosted_support_min_fit"), True),
    (
        "meta.yaml",
        "a retention cut above 1",
        setter("horizon", "transactional_max_retention_rate", value=1.5),
        False,
    ),
    ("meta.yaml", "no retention cut", deleter("horizon", "transactional_max_retention_rate"), True),
    (
        "meta.yaml",
        "an unknown hosted format",
        setter("mix", "hosted_formats", value=["fax"]),
        False,
    ),
    ("meta.yaml", "anything as a source year", setter("sources", 0, "year", value=[1]), True),
    (
        "meta.yaml",
        "a bad default segment",
        setter("defaults", "segment", "customers", value=0),
        False,
    ),
    ("meta.yaml", "empty goal weights", setter("scoring", "goal_order_weights", value=[]), False),
    (
        "types.yaml",
        "text as personal touch",
        setter("types", 0, "personal_touch", value="high"),
        False,
    ),
    ("types.yaml", "a fit above 1", setter("types", 0, "fit", "goals", "acquire", value=2), False),
    ("types.yaml", "text as human", setter("types", 0, "human", value="yes"), False),
    (
        "types.yaml",
        "staff without accounts",
        setter("types", 0, "cost", "staff", value={"cost_per_person": 5}),
        False,
    ),
    ("types.yaml", "an unknown key", setter("types", 0, "colour", value="red"), False),
    ("types.yaml", "no types", setter("types", value=[]), False),
    ("types.yaml", "no definition", setter("types", 0, "definition", value=None), True),
    ("types.yaml", "an empty fallback share", setter("types", 0, "fallback_share", value={}), True),
    (
        "types.yaml",
        "a partial fallback share",
        setter("types", 2, "fallback_share", value={"low": 0.1}),
        False,
    ),
    (
        "types.yaml",
        "an unknown channel",
        setter("types", 0, "fit", "channels", value=["fax"]),
        False,
    ),
    ("tactics.yaml", "an unknown kind", setter("tactics", 0, "kind", value="trick"), False),
    ("tactics.yaml", "no goals", setter("tactics", 0, "goals", value=[]), False),
    ("tactics.yaml", "no example", setter("tactics", 0, "example", value=None), True),
    ("elements.yaml", "no check", setter("elements", 0, "check", value=None), False),
    ("challenges.yaml", "a number as text", setter("challenges", 0, "title", value=3.5), True),
    ("cost_tips.yaml", "a tip that is text", setter("cost_tips", 0, value="save money"), False),
]


@pytest.mark.parametrize(
    ("file", "what", "mutate", "accepted"), KB_MUTATIONS, ids=[m[1] for m in KB_MUTATIONS]
)
def test_knowledge_schema_and_loader_agree(
    tmp_path: Path, file: str, what: str, mutate: Mutation, accepted: bool
) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(builtin_location(), copy)
    data = yaml.safe_load((copy / file).read_text(encoding="utf-8"))
    mutate(data)
    (copy / file).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        load_knowledge(copy)
        loaded = True
    except InputError:
        loaded = False
    assert loaded is accepted, what
    assert KNOWLEDGE.is_valid(data) is accepted, what


def test_what_only_the_loader_checks(tmp_path: Path) -> None:
    """References between entries are beyond JSON Schema: the schema says so, kb validate checks."""
    copy = tmp_path / "kb"
    shutil.copytree(builtin_location(), copy)
    meta = yaml.safe_load((copy / "meta.yaml").read_text(encoding="utf-8"))
    meta["mix"]["fallback_type"] = "carrier_pigeon"
    (copy / "meta.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    assert KNOWLEDGE.is_valid(meta)
    with pytest.raises(InputError, match="carrier_pigeon"):
        load_knowledge(copy)
    assert "references between" in kb_schema()["description"]


def test_nan_is_no_json_number() -> None:
    # YAML can write .nan; JSON cannot, and the loader refuses it.
    assert not loader_accepts(with_segment(spend_per_purchase=math.nan))
