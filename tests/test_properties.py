"""Property-based tests: whatever the input, a plan or a clean error, never a crash.

Over the loader (any text or bytes, any JSON-like data: answers or an
InputError), over the plan (any valid answers: the plan contract's invariants
hold and its JSON is valid with finite numbers) and over the whole ``plan``
command run in-process (exit 0 with JSON, or exit 2 with one line).
"""

from __future__ import annotations

import io
import json
import math
import sys
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from itertools import pairwise
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crstrat import yamlfile
from crstrat.__main__ import main
from crstrat.answers import SEGMENT_KEYS, TOP_KEYS, validate_answers
from crstrat.errors import InputError
from crstrat.figures import printable
from crstrat.knowledge import load_knowledge
from crstrat.mix import make_plan
from crstrat.model import CHANNELS, COMPLEXITIES, GOALS, MARKETS, Answers, KnowledgeBase, Plan
from crstrat.render import PlanFormat, renderer

KB = load_knowledge()
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- strategies

# Pieces of YAML syntax, so that random text reaches the parser's corners, not
# only its first error: indicators, tags, anchors, aliases, directives, numbers.
YAML_PIECES = [
    "\n", "  ", " ", "- ", ": ", "? ", "[", "]", "{", "}", ", ", "#", "'", '"', "|", ">",
    "\t", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "&a ", "*a", "&b ", "*b",
    "<<: ", "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ",
    "!!python/name:os.system ", "!!python/object/apply:os.system ", "!x ", "~", "null",
    "true", "yes", "1", "-1", "0x1F", "0o17", "1:30", "1e3", "1.5e308", ".nan", ".inf",
    "-.inf", "2001-12-14", "2001-13-45", "9" * 70, "crstrat", "segments", "name",
    "customers", "goal", "retain", "self_service", "\\x", "é", "\u202e", "\ufeff",
]  # fmt: skip

yaml_like_text = st.lists(
    st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=4)), max_size=60
).map("".join)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities included
    st.text(max_size=20),
    st.sampled_from([*KB.type_ids, *GOALS, *CHANNELS, *MARKETS, *COMPLEXITIES]),
)
json_keys = st.one_of(st.sampled_from([*TOP_KEYS, *SEGMENT_KEYS]), st.text(max_size=10))
json_like = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(json_keys, children, max_size=5)
    ),
    max_leaves=25,
)

names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40).map(str.strip).filter(bool)


# Amounts from nothing to a trillion. Amounts near zero but not zero (1e-300)
# are left out: they overflow the economics score (test_tiny_amounts below).
MONEY = st.just(0) | st.floats(0.01, 1e12) | st.integers(0, 100_000)


@st.composite
def segments(draw: st.DrawFn, type_ids: tuple[str, ...]) -> dict[str, Any]:
    """One valid segment of an answers file, optional answers included at random."""
    goals = draw(st.lists(st.sampled_from(GOALS), min_size=1, max_size=3, unique=True))
    segment: dict[str, Any] = {
        "name": draw(names),
        "expectation": draw(st.sampled_from(type_ids)),
        "goal": goals if len(goals) > 1 or draw(st.booleans()) else goals[0],
        "customers": draw(st.integers(1, 10_000_000_000)),
        "purchases_per_year": draw(st.just(0) | st.floats(1e-3, 1e6) | st.integers(0, 1000)),
        "spend_per_purchase": draw(MONEY),
    }
    optional = {
        "budget_share": st.floats(1e-4, 1.0),
        "budget_per_customer": MONEY,
        "market": st.sampled_from(MARKETS),
        "complexity": st.sampled_from(COMPLEXITIES),
        "channels": st.lists(st.sampled_from(CHANNELS), unique=True, max_size=9),
        "existing": st.lists(st.sampled_from(type_ids), unique=True, max_size=3),
        "proposal": st.lists(st.sampled_from(type_ids), unique=True, max_size=3),
        "gross_margin": st.floats(0.01, 1.0),
        "retention_rate": st.floats(0.0, 0.99),
        "new_customers_per_year": st.integers(0, 1_000_000),
        "acquisition_cost": MONEY,
        "top_tier": st.floats(0.01, 0.5).flatmap(
            lambda c: st.fixed_dictionaries(
                {"customers_share": st.just(c), "revenue_share": st.floats(c, 0.99)}
            )
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            segment[key] = draw(strategy)
    return segment


@st.composite
def answers_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid answers document: one to four segments with distinct names."""
    drawn = draw(st.lists(segments(KB.type_ids), min_size=1, max_size=4))
    unique = list({s["name"].casefold(): s for s in drawn}.values())
    data: dict[str, Any] = {"crstrat": 1, "segments": unique}
    if draw(st.booleans()):
        data["company"] = draw(names)
    if draw(st.booleans()):
        data["currency"] = draw(st.sampled_from(["USD", "NZD", "EUR", "¥"]))
        if data["currency"] == "¥":  # a symbol, not a code: it needs its rate
            data["exchange_rate"] = 150
    if draw(st.booleans()):
        data["discount_rate"] = draw(st.floats(0.0, 0.5))
    return data


@st.composite
def almost_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one answer replaced by anything at all."""
    data = draw(answers_data())
    segment = draw(st.sampled_from(data["segments"]))
    segment[draw(json_keys)] = draw(json_like)
    return data


# --------------------------------------------------------------------------- the loader


@SETTINGS
@given(yaml_like_text)
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        yamlfile.parse(text, source="random.yaml")
    except InputError as exc:
        assert exc.message.startswith("random.yaml")
        assert "\n" not in exc.message


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@SETTINGS
@given(data=st.binary(max_size=200) | yaml_like_text.map(str.encode))
def test_any_file_gives_answers_or_a_clean_error(scratch: Path, data: bytes) -> None:
    path = scratch / "answers.yaml"
    path.write_bytes(data)
    try:
        parsed, text = yamlfile.load(path)
        answers = validate_answers(KB, parsed, source=str(path), text=text)
    except InputError as exc:
        assert str(path) in exc.message
        assert printable(exc.message) == exc.message, ascii(exc.message)
    else:
        assert isinstance(answers, Answers)


@SETTINGS
@given(json_like | almost_valid())
def test_any_data_gives_answers_or_a_clean_error(data: object) -> None:
    try:
        answers = validate_answers(KB, data, source="data")
    except InputError as exc:
        assert exc.message.startswith("data")
        assert printable(exc.message) == exc.message, ascii(exc.message)
    else:
        assert isinstance(answers, Answers)


# --------------------------------------------------------------------------- the plan


def check_plan(plan: Plan, kb: KnowledgeBase) -> None:
    """The invariants of the plan contract (shared/contracts/plan-json-v1.md)."""
    for seg in plan.segments:
        assert sorted(r.type for r in seg.ranking) == sorted(kb.type_ids)
        scores = [r.score for r in seg.ranking]
        # best first; scores equal to 9 digits are a tie (kept in the base's order)
        assert all(a >= b - 1e-9 for a, b in pairwise(scores))
        assert all(0.0 <= s <= 1.0 for s in scores)
        roles = [e.role for e in seg.mix]
        assert roles.count("primary") == 1 and roles[0] == "primary"
        assert set(roles) <= {"primary", "support", "fallback"}
        assert len({e.type for e in seg.mix}) == len(seg.mix)
        assert all(math.isfinite(x) for x in (seg.budget, seg.total_annual_cost))
        if seg.total_annual_cost > seg.budget * (1 + 1e-9) + 1e-6:
            assert seg.warnings, "over budget without a warning"


def finite_json(text: str) -> Any:
    """Parse JSON, refusing NaN and infinities, which are not JSON."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    data = json.loads(text, parse_constant=refuse)
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, float):
            assert math.isfinite(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return data


@SETTINGS
@given(answers_data())
def test_any_valid_answers_give_a_plan_that_keeps_the_contract(data: dict[str, Any]) -> None:
    answers = validate_answers(KB, data, source="generated")
    plan = make_plan(KB, answers)
    check_plan(plan, KB)
    document = finite_json(renderer(PlanFormat.json)(plan, KB))
    assert [s["name"] for s in document["segments"]] == [s.name for s in answers.segments]
    assert document["company"] == answers.company


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_data() | almost_valid() | json_like)
def test_the_plan_command_gives_json_or_one_clean_line(scratch: Path, data: object) -> None:
    path = scratch / "answers.json"
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    # no terminal to ask on, whatever runs the tests
    with mock.patch.object(sys, "stdin", io.StringIO()), redirect_stdout(out), redirect_stderr(err):
        code = main(["plan", "--answers", str(path), "--format", "json"])
    if code == 0:
        finite_json(out.getvalue())
        assert err.getvalue() == ""
    else:
        assert code == 2, err.getvalue()
        assert out.getvalue() == ""
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"crstrat: error: {path}")


def test_tiny_amounts_give_a_plan() -> None:
    data = {
        "crstrat": 1,
        "segments": [
            {
                "name": "Dust",
                "expectation": "personal_assistance",
                "goal": "acquire",
                "customers": 1,
                "purchases_per_year": 25041,
                "spend_per_purchase": 2.2250738585072014e-308,
            }
        ],
    }
    check_plan(make_plan(KB, validate_answers(KB, data, source="tiny")), KB)


# --------------------------------------------------------------------------- the economics
# (issue 10's properties: money and choices move the way the formulas say)


def _one_segment(data: dict[str, Any], **changes: Any) -> Any:
    """The plan of the first segment of ``data`` with ``changes`` to it."""
    changed = {**data, "segments": [{**data["segments"][0], **changes}]}
    return make_plan(KB, validate_answers(KB, changed, source="generated")).segments[0]


def _with_budget(data: dict[str, Any], per_customer: float) -> Answers:
    segment = {**data["segments"][0], "budget_per_customer": per_customer}
    segment.pop("top_tier", None)  # the tiers have budgets of their own
    return validate_answers(KB, {**data, "segments": [segment]}, source="generated")


@SETTINGS
@given(answers_data(), st.floats(0.0, 1e5), st.floats(1.05, 20.0))
def test_more_budget_never_gives_a_worse_primary(
    data: dict[str, Any], per_customer: float, factor: float
) -> None:
    """A larger budget widens the candidates and raises every choice score, so the
    primary's choice score (mix.choice_score: the score less any overrun) never
    falls, unless a rule the plan names put a person first (an offer that needs
    explanation, customers worth a named manager): rules that the larger budget
    can now afford."""
    from crstrat.mix import choice_score, plan_segment, segment_context

    scores, plans = [], []
    for budget in (per_customer, per_customer * factor):
        answers = _with_budget(data, budget)
        ctx = segment_context(KB, answers, answers.segments[0])
        plan = plan_segment(KB, ctx, tactics=False)
        scores.append(choice_score(KB, ctx, plan.ranked(plan.primary)))
        plans.append(plan)
    if scores[1] < scores[0] - 1e-9:
        named = {step.step for step in plans[1].steps}
        assert named & {"complexity", "value"}, (plans[0].mix, plans[1].mix, plans[1].steps)
        assert KB.type(plans[1].primary).human


@SETTINGS
@given(answers_data(), st.floats(0.0, 0.98), st.floats(0.0, 0.98))
def test_a_higher_retention_never_lowers_the_lifetime_value(
    data: dict[str, Any], one: float, other: float
) -> None:
    low, high = sorted((one, other))
    worse = _one_segment(data, retention_rate=low).economics
    better = _one_segment(data, retention_rate=high).economics
    assert better.customer_lifetime_value >= worse.customer_lifetime_value


MONEY_KEYS = ("spend_per_purchase", "budget_per_customer", "acquisition_cost")


@SETTINGS
@given(answers_data(), st.sampled_from([0.01, 0.5, 3.0, 150.0, 12_000.0]))
def test_another_currency_multiplies_every_amount_and_changes_no_choice(
    data: dict[str, Any], k: float
) -> None:
    """Answers in a currency k times smaller (every amount x k, exchange_rate x k):
    every amount of the plan is multiplied by k, every choice stays."""
    amounts = [v for seg in data["segments"] for key, v in seg.items() if key in MONEY_KEYS]
    assume(all(v * k <= 1e12 for v in amounts))
    data = {**data, "currency": "XTS", "exchange_rate": 1.0}
    scaled = {
        **data,
        "exchange_rate": k,
        "segments": [
            {key: (v * k if key in MONEY_KEYS else v) for key, v in seg.items()}
            for seg in data["segments"]
        ],
    }
    plain = make_plan(KB, validate_answers(KB, data, source="generated"))
    converted = make_plan(KB, validate_answers(KB, scaled, source="generated"))
    for one, two in zip(plain.segments, converted.segments, strict=True):
        assert [(e.type, e.role) for e in one.mix] == [(e.type, e.role) for e in two.mix]
        assert [r.type for r in one.ranking] == [r.type for r in two.ranking]
        for a, b in [
            (one.budget, two.budget),
            (one.total_annual_cost, two.total_annual_cost),
            *((x.annual_cost, y.annual_cost) for x, y in zip(one.mix, two.mix, strict=True)),
        ]:
            assert b == pytest.approx(a * k, rel=1e-6, abs=1e-9)
        assert two.economics.customer_lifetime_value == pytest.approx(
            one.economics.customer_lifetime_value * k, rel=1e-6, abs=1e-9
        )
