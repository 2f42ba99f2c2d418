"""Answers: load, merge and validate them, the same way whatever they come from.

An answers file, a ``--set KEY=VALUE`` flag and an answer typed at a prompt all
go through :func:`validate_field` (one field) and :func:`validate_answers`
(the whole document), so they accept and refuse exactly the same things.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import yamlfile
from .economics import exchange_rate
from .errors import InputError
from .figures import printable
from .model import (
    CHANNELS,
    COMPLEXITIES,
    GOALS,
    MARKETS,
    Answers,
    KnowledgeBase,
    Segment,
    TopTier,
)

SCHEMA_VERSION = 1

#: Upper bounds that keep every figure a plain finite number through the costing;
#: far above any real business (there are fewer than 10 billion people).
MAX_CUSTOMERS = 10_000_000_000
MAX_AMOUNT = 1e12
MAX_PURCHASES = 1e6
MAX_NAME = 200

TOP_KEYS = ("crstrat", "company", "currency", "exchange_rate", "discount_rate", "segments")
SEGMENT_KEYS = (
    "name",
    "expectation",
    "goal",
    "customers",
    "purchases_per_year",
    "spend_per_purchase",
    "budget_share",
    "budget_per_customer",
    "market",
    "complexity",
    "channels",
    "existing",
    "proposal",
    "gross_margin",
    "retention_rate",
    "new_customers_per_year",
    "acquisition_cost",
    "top_tier",
)
REQUIRED_SEGMENT_KEYS = SEGMENT_KEYS[:6]  # name ... spend_per_purchase
_KNOWN_KEYS = frozenset(TOP_KEYS + SEGMENT_KEYS)

#: Most segments in one answers file. Each segment's what-if analysis replans it
#: about 140 times, so a report takes tens of milliseconds per segment and the
#: JSON plan some 14 KB: at the 7,500 segments the YAML limits would allow, a
#: report took minutes and the JSON plan 860 MB of memory.
MAX_SEGMENTS = 100

KeyPath = tuple[str | int, ...]


def format_path(path: Sequence[str | int]) -> str:
    """``("segments", 0, "goal")`` -> ``segments[0].goal``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # keys come from the user: control characters shown, long ones cut
            shown = printable(part if len(part) <= 60 else part[:60] + "…")
            if yamlfile.hiding_content() and not _near_known_key(part):
                shown = "(a key, not shown)"  # a misspelt key is feedback, anything else content
            out += f".{shown}" if out else shown
    return out


def _near_known_key(key: str) -> bool:
    """True for an answers key, or one misspelt (what did_you_mean would name)."""
    return key in _KNOWN_KEYS or bool(did_you_mean(key, sorted(_KNOWN_KEYS)))


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    if len(word) > 100:  # nothing known is that long, and difflib would take its time
        return ""
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; quote it if you meant text)"
    if isinstance(value, str):
        return f"the text {yamlfile.shown(value)}"
    if isinstance(value, int | float):
        return f"the number {yamlfile.shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class FieldError(ValueError):
    """A value refused by a field check; the message says what is allowed."""


# --------------------------------------------------------------------------- field checks


def _text(value: object, *, what: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise FieldError(f"must be text ({what}), got {_describe(value)}")
    stripped = value.strip()
    if not stripped and not allow_empty:
        raise FieldError(f"must not be blank ({what})")
    if len(stripped) > MAX_NAME:
        raise FieldError(f"is {len(stripped)} characters long; at most {MAX_NAME} are allowed")
    return stripped


def _number(value: object, *, low: float, high: float, what: str, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"must be a number ({what}), got {_describe(value)}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        raise FieldError(f"must be at most {high:g} ({what}), got a huge number") from None
    if not math.isfinite(number):
        raise FieldError(f"must be a finite number ({what}), got {value!r}")
    if number < low or (low_open and number == low):
        bound = f"greater than {low:g}" if low_open else f"at least {low:g}"
        raise FieldError(f"must be {bound} ({what}), got {value!r}")
    if number > high:
        raise FieldError(f"must be at most {high:g} ({what}), got {value!r}")
    return number


def _choice(value: object, choices: Sequence[str], *, what: str) -> str:
    allowed = ", ".join(choices)
    if not isinstance(value, str):
        raise FieldError(f"must be one of: {allowed} ({what}); got {_describe(value)}")
    if value not in choices:
        raise FieldError(
            f"{yamlfile.shown(value)} is not allowed{did_you_mean(value, choices)}; "
            f"allowed: {allowed}"
        )
    return value


def _choices(
    value: object, choices: Sequence[str], *, what: str, allow_empty: bool = True
) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FieldError(
            f"must be a list of: {', '.join(choices)} ({what}); got {_describe(value)}"
        )
    if not value and not allow_empty:
        raise FieldError(f"must name at least one of: {', '.join(choices)}")
    seen: list[str] = []
    for index, item in enumerate(value):
        try:
            picked = _choice(item, choices, what=what)
        except FieldError as exc:
            raise FieldError(f"item {index + 1}: {exc}") from None
        if picked in seen:
            raise FieldError(f"names '{picked}' twice")
        seen.append(picked)
    return tuple(seen)


def _customers(value: object) -> int:
    number = _number(
        value, low=1, high=MAX_CUSTOMERS, what="a whole number of customers, 1 or more"
    )
    if number != int(number):
        raise FieldError(f"must be a whole number of customers, got {value!r}")
    return int(number)


def _whole(value: object, *, what: str) -> int:
    number = _number(value, low=0, high=MAX_CUSTOMERS, what=what)
    if number != int(number):
        raise FieldError(f"must be a whole number ({what}), got {value!r}")
    return int(number)


def _top_tier(value: object) -> TopTier:
    """``top_tier``: {customers_share: 0 < x < 1, revenue_share: customers_share <= x < 1}."""
    what = "a mapping with customers_share and revenue_share"
    if not isinstance(value, dict):
        raise FieldError(f"must be {what}, got {_describe(value)}")
    keys = ("customers_share", "revenue_share")
    for key in value:
        if key not in keys:
            raise FieldError(
                f"has the unknown key {yamlfile.shown(key)}"
                f"{did_you_mean(str(key), keys)}; allowed: {', '.join(keys)}"
            )
    shares = []
    for key in keys:
        if key not in value:
            raise FieldError(f"needs {key} ({what})")
        try:
            share = _number(value[key], low=0, high=1, low_open=True, what="a share above 0")
        except FieldError as exc:
            raise FieldError(f"{key} {exc}") from None
        if share >= 1:
            raise FieldError(f"{key} must be below 1, got {value[key]!r}")
        shares.append(share)
    if shares[1] < shares[0]:
        raise FieldError(
            "revenue_share must be at least customers_share: the top tier is the most "
            f"valuable customers, got {shares[1]:g} of revenue for {shares[0]:g} of customers"
        )
    return TopTier(*shares)


def _retention(value: object) -> float:
    number = _number(value, low=0, high=1, what="a share of customers kept a year, 0 to below 1")
    if number >= 1:
        raise FieldError(
            "must be below 1 (a retention of 1 keeps every customer forever, and the "
            f"lifetime value has no end), got {value!r}"
        )
    return number


#: The numbers a person types that YAML reads as text, by segment key: thousands
#: separated by commas (``1,200``) and, for a share, a percentage (``5%``). Each
#: pattern matches only values within the key's bounds, so that the JSON Schema
#: (:mod:`crstrat.schema`) can say exactly what is accepted.
TYPED_NUMBERS = {
    "customers": r"[1-9]\d{0,2}(?:,\d{3}){1,2}|[1-9](?:,\d{3}){3}|10(?:,000){3}",
    "purchases_per_year": r"[1-9]\d{0,2},\d{3}(?:\.\d+)?|1,000,000(?:\.0+)?",
    "spend_per_purchase": r"[1-9]\d{0,2}(?:,\d{3}){1,3}(?:\.\d+)?|1(?:,000){4}(?:\.0+)?",
    "budget_per_customer": r"[1-9]\d{0,2}(?:,\d{3}){1,3}(?:\.\d+)?|1(?:,000){4}(?:\.0+)?",
    "budget_share": r"(?!0*(?:\.0*)?\s*%\s*$)(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)\s*%",
}
_TYPED = {key: re.compile(pattern) for key, pattern in TYPED_NUMBERS.items()}


def as_typed(key: str, value: object) -> object:
    """A number as a person types it, read the same way from a file, ``--set`` and a
    prompt (:data:`TYPED_NUMBERS`): ``"1,200"`` is 1200 and, for a share, ``"5%"`` is
    0.05. Anything else is returned as it is, for the field's check to accept or
    refuse; a share typed as a whole percentage (``5``) is refused there with
    "did you mean 5%?".
    """
    pattern = _TYPED.get(key)
    if pattern is None or not isinstance(value, str):
        return value
    text = value.strip()
    if not pattern.fullmatch(text):
        return value
    if text.endswith("%"):
        return float(text[:-1]) / 100
    number = float(text.replace(",", ""))
    return int(number) if key == "customers" else number


def _share(value: object) -> float:
    """A share of revenue, above 0 and at most 1; a whole percentage gets a hint."""
    try:
        return _number(
            value, low=0, high=1, low_open=True, what="a share of revenue, above 0 and at most 1"
        )
    except FieldError as exc:
        whole_percent = isinstance(value, int | float) and not isinstance(value, bool)
        if whole_percent and 1 < value <= 100:  # type: ignore[operator]
            raise FieldError(f"{exc} (did you mean {value:g}%?)") from None
        raise


def field_checks(kb: KnowledgeBase) -> Mapping[str, Callable[[object], Any]]:
    """The check of every segment field, by key; each returns the clean value.

    Built once per knowledge base's type ids: the loader asks for it for every
    segment, and ``crstrat grade`` loads a thousand files in one run.
    """
    return _field_checks(kb.type_ids)


@functools.lru_cache(maxsize=8)
def _field_checks(type_ids: tuple[str, ...]) -> Mapping[str, Callable[[object], Any]]:
    checks: dict[str, Callable[[object], Any]] = {
        "name": lambda v: _text(v, what="the segment's name"),
        "expectation": lambda v: _choice(v, type_ids, what="a relationship type id"),
        "goal": lambda v: _choices(v, GOALS, what="acquire, retain or expand", allow_empty=False),
        "customers": _customers,
        "purchases_per_year": lambda v: _number(
            v, low=0, high=MAX_PURCHASES, what="purchases per customer per year, 0 or more"
        ),
        "spend_per_purchase": lambda v: _number(
            v, low=0, high=MAX_AMOUNT, what="average spend per purchase, 0 or more"
        ),
        "budget_share": _share,
        "budget_per_customer": lambda v: _number(
            v, low=0, high=MAX_AMOUNT, what="a yearly amount per customer, 0 or more"
        ),
        "market": lambda v: _choice(v, MARKETS, what="b2c or b2b"),
        "complexity": lambda v: _choice(v, COMPLEXITIES, what="low, medium or high"),
        "channels": lambda v: _choices(v, CHANNELS, what="interaction formats"),
        "existing": lambda v: _choices(v, type_ids, what="relationship type ids"),
        "proposal": lambda v: _choices(v, type_ids, what="relationship type ids"),
        "gross_margin": lambda v: _number(
            v, low=0, high=1, low_open=True, what="a share of revenue, above 0 and at most 1"
        ),
        "retention_rate": _retention,
        "new_customers_per_year": lambda v: _whole(v, what="new customers a year, 0 or more"),
        "acquisition_cost": lambda v: _number(
            v, low=0, high=MAX_AMOUNT, what="the cost of winning one customer, 0 or more"
        ),
        "top_tier": _top_tier,
    }
    return MappingProxyType(checks)


def validate_field(kb: KnowledgeBase, key: str, value: object) -> Any:
    """Check one segment answer; returns the clean value or raises InputError.

    This is the check the questionnaire runs on every typed answer, and the
    one the file loader runs on every field.
    """
    checks = field_checks(kb)
    if key not in checks:
        raise InputError(f"unknown key{did_you_mean(key, SEGMENT_KEYS)}", path=key)
    try:
        return checks[key](as_typed(key, value))
    except FieldError as exc:
        raise InputError(str(exc), path=key) from None


def validate_top_field(key: str, value: object) -> Any:
    """Check a top-level answer (company, currency, exchange_rate, discount_rate)."""
    try:
        if key == "company":
            return _text(value, what="the company's name")
        if key == "currency":
            return _text(value, what="a currency code such as USD")[:12]
        if key == "exchange_rate":
            return _number(
                value,
                low=0,
                high=MAX_AMOUNT,
                low_open=True,
                what="units of the currency one unit of the knowledge base's currency buys",
            )
        if key == "discount_rate":
            number = _number(value, low=0, high=1, what="a yearly rate, 0 to below 1")
            if number >= 1:
                raise FieldError(f"must be below 1, got {value!r}")
            return number
    except FieldError as exc:
        raise InputError(str(exc), path=key) from None
    raise InputError(f"unknown key{did_you_mean(key, TOP_KEYS)}", path=key)


# --------------------------------------------------------------------------- documents


def _unknown_keys(data: Mapping[Any, Any], known: Sequence[str], where: KeyPath) -> None:
    for key in data:
        if not isinstance(key, str):
            raise InputError(
                f"keys must be text, got {_describe(key)}", path=format_path(where) or None
            )
        if key not in known:
            raise _Located(
                f"unknown key{did_you_mean(key, known)}; allowed: {', '.join(known)}",
                (*where, key),
            )


class _Located(InputError):
    def __init__(self, problem: str, key_path: KeyPath) -> None:
        super().__init__(problem, path=format_path(key_path) or None)
        self.key_path = key_path


def _segment(kb: KnowledgeBase, raw: object, index: int, names: set[str]) -> Segment:
    where: KeyPath = ("segments", index)
    if not isinstance(raw, dict):
        raise _Located(f"each segment must be a mapping of keys, got {_describe(raw)}", where)
    _unknown_keys(raw, SEGMENT_KEYS, where)
    for key in REQUIRED_SEGMENT_KEYS:
        if key not in raw or raw[key] is None:
            raise _Located(f"is required: {_HINTS[key]}", (*where, key))
    checks = field_checks(kb)
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None and key not in REQUIRED_SEGMENT_KEYS:
            continue  # an optional key left empty means "use the default"
        try:
            clean[key] = checks[key](as_typed(key, value))
        except FieldError as exc:
            raise _Located(str(exc), (*where, key)) from None
    folded = clean["name"].casefold()
    if folded in names:
        raise _Located(
            f"{yamlfile.shown(clean['name'])} names two segments; names must be unique",
            (*where, "name"),
        )
    names.add(folded)
    return Segment(
        name=clean["name"],
        expectation=clean["expectation"],
        goals=clean["goal"],
        customers=clean["customers"],
        purchases_per_year=clean["purchases_per_year"],
        spend_per_purchase=clean["spend_per_purchase"],
        budget_share=clean.get("budget_share"),
        budget_per_customer=clean.get("budget_per_customer"),
        market=clean.get("market"),
        complexity=clean.get("complexity"),
        channels=clean.get("channels"),
        existing=clean.get("existing", ()),
        proposal=clean.get("proposal", ()),
        gross_margin=clean.get("gross_margin"),
        retention_rate=clean.get("retention_rate"),
        new_customers_per_year=clean.get("new_customers_per_year"),
        acquisition_cost=clean.get("acquisition_cost"),
        top_tier=clean.get("top_tier"),
    )


_HINTS = {
    "name": "the segment's name",
    "expectation": "the relationship type this segment expects",
    "goal": "acquire, retain or expand (or a list of them)",
    "customers": "how many customers the segment has",
    "purchases_per_year": "how often one customer buys a year",
    "spend_per_purchase": "the average spend per purchase",
}


def _document(kb: KnowledgeBase, data: object) -> Answers:
    if data is None:
        raise InputError("is empty; an answers file starts with 'crstrat: 1' and lists 'segments'")
    if not isinstance(data, dict):
        raise InputError(
            f"must be a mapping with the keys crstrat, company, currency, segments; "
            f"got {_describe(data)} at the top level"
        )
    _unknown_keys(data, TOP_KEYS, ())
    version = data.get("crstrat")
    if version is None:
        raise _Located("is required: the schema version, 'crstrat: 1'", ("crstrat",))
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise _Located(
            f"schema version {yamlfile.shown(version)} is not supported; "
            "this crstrat reads version 1",
            ("crstrat",),
        )
    top: dict[str, Any] = {}
    for key in ("company", "currency", "exchange_rate", "discount_rate"):
        if data.get(key) is not None:
            try:
                top[key] = validate_top_field(key, data[key])
            except InputError as exc:
                raise _Located(exc.problem, (key,)) from None
    segments = data.get("segments")
    if segments is None:
        raise _Located("is required: a list of one or more customer segments", ("segments",))
    if not isinstance(segments, list) or not segments:
        raise _Located(
            f"must be a list of one or more segments, got {_describe(segments)}", ("segments",)
        )
    if len(segments) > MAX_SEGMENTS:
        raise _Located(
            f"has {len(segments):,} segments; at most {MAX_SEGMENTS} are accepted (a canvas "
            "has a handful: group customers who need the same relationship)",
            ("segments",),
        )
    names: set[str] = set()
    parsed = tuple(_segment(kb, raw, index, names) for index, raw in enumerate(segments))
    answers = Answers(segments=parsed, **top)
    try:
        exchange_rate(kb, answers)  # a currency with no known rate needs one
    except InputError as exc:
        where = ("currency",) if "currency" in data else ("exchange_rate",)
        raise _Located(f"exchange_rate {exc.problem}", where) from None
    return answers


def validate_answers(
    kb: KnowledgeBase, data: object, *, source: str = "answers", text: str | None = None
) -> Answers:
    """Validate answers data (as parsed from YAML/JSON, or merged from flags).

    Raises InputError naming ``source``, the key path and, when the file's
    ``text`` is given, the line.
    """
    try:
        return _document(kb, data)
    except _Located as exc:
        line = yamlfile.line_of(text, exc.key_path) if text is not None else None
        raise InputError(exc.problem, source=source, path=exc.path, line=line) from None
    except InputError as exc:
        raise exc.located(source=source) from None


def read_answers_data(path: Path) -> tuple[object, str]:
    """Parse an answers file (YAML or JSON) without validating it."""
    return yamlfile.load(path)


def load_answers(kb: KnowledgeBase, path: Path) -> Answers:
    """Load and validate an answers file."""
    data, text = read_answers_data(path)
    return validate_answers(kb, data, source=str(path), text=text)


# --------------------------------------------------------------------------- merging


def parse_scalar(text: str) -> object:
    """A typed value from text, as YAML reads it ("2000" -> 2000, "[a, b]" -> a list)."""
    try:
        value = yamlfile.parse(text, source="value")
    except InputError:
        return text
    return text if value is None and text.strip() not in ("", "null", "~") else value


@dataclass(frozen=True)
class Override:
    """One ``--set KEY=VALUE``: a key path into the answers and the typed value."""

    path: KeyPath
    value: object


def parse_override(flag: str) -> Override:
    """Parse ``KEY=VALUE``; keys are ``company``, ``currency`` or ``segments.N.KEY``
    (``N`` counts from 0; a bare segment key such as ``customers=500`` means segment 0)."""
    if "=" not in flag:
        raise InputError(
            "must look like KEY=VALUE, e.g. company=Kiwi Air or segments.0.customers=500",
            source="--set",
            path=flag,
        )
    key, _, raw = flag.partition("=")
    parts = [p for p in key.strip().split(".") if p]
    path: list[str | int] = []
    if len(parts) == 1 and parts[0] in SEGMENT_KEYS:
        path = ["segments", 0, parts[0]]
    elif len(parts) == 1 and parts[0] in TOP_KEYS:
        path = [parts[0]]
    elif len(parts) == 3 and parts[0] == "segments" and parts[1].isdigit():
        path = ["segments", int(parts[1]), parts[2]]
        if parts[2] not in SEGMENT_KEYS:
            raise InputError(
                f"unknown segment key{did_you_mean(parts[2], SEGMENT_KEYS)}",
                source="--set",
                path=key,
            )
    else:
        known = (*TOP_KEYS, *SEGMENT_KEYS)
        raise InputError(
            f"unknown key{did_you_mean(parts[-1] if parts else key, known)}; use company, "
            "currency, a segment key, or segments.N.KEY",
            source="--set",
            path=key,
        )
    return Override(tuple(path), parse_scalar(raw))


def apply_overrides(data: object, overrides: Sequence[Override]) -> dict[str, Any]:
    """A copy of raw answers data with the overrides applied (flags win over the file)."""
    merged: dict[str, Any] = dict(data) if isinstance(data, dict) else {}
    if isinstance(merged.get("segments"), list):
        merged["segments"] = [dict(s) if isinstance(s, dict) else s for s in merged["segments"]]
    for override in overrides:
        if override.path[0] != "segments":
            merged[str(override.path[0])] = override.value
            continue
        index = int(override.path[1])
        segments = merged.setdefault("segments", [])
        if not isinstance(segments, list):
            segments = merged["segments"] = []
        if index > len(segments):
            raise InputError(
                f"segment {index} does not exist yet; the next new one is {len(segments)}",
                source="--set",
                path=format_path(override.path),
            )
        if index == len(segments):
            segments.append({})
        if not isinstance(segments[index], dict):
            segments[index] = {}
        segments[index][str(override.path[2])] = override.value
    merged.setdefault("crstrat", SCHEMA_VERSION)
    return merged


def missing_keys(data: object) -> list[KeyPath]:
    """The required answers still missing from raw data, in questionnaire order."""
    if not isinstance(data, dict):
        return [("segments",)]
    segments = data.get("segments")
    if not isinstance(segments, list) or not segments:
        return [("segments",)]
    missing: list[KeyPath] = []
    for index, segment in enumerate(segments):
        present = segment if isinstance(segment, dict) else {}
        missing.extend(
            ("segments", index, key) for key in REQUIRED_SEGMENT_KEYS if present.get(key) is None
        )
    return missing


def fill_defaults(kb: KnowledgeBase, data: object) -> Any:
    """A copy of raw answers with every missing required answer taken from the
    knowledge base's defaults (what ``--defaults`` does).

    Answers of the wrong shape (not a mapping, segments not a list) are returned
    as they are, for the validator to name what is wrong.
    """
    if data is not None and not isinstance(data, dict):
        return data
    merged = apply_overrides(data, [])
    if merged.get("company") is None and kb.defaults.company:
        merged["company"] = kb.defaults.company
    segments = merged.get("segments")
    if segments is None or segments == []:
        segments = merged["segments"] = [{}]
    if not isinstance(segments, list):
        return merged
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict):
            continue
        for key in REQUIRED_SEGMENT_KEYS:
            if segment.get(key) is None and key in kb.defaults.segment:
                value = kb.defaults.segment[key]
                if key == "name" and index:
                    value = f"{value} {index + 1}"
                segment[key] = value
    return merged


def answers_to_data(answers: Answers) -> dict[str, Any]:
    """Answers as schema-1 data, ready to save; optional answers only when given."""
    data: dict[str, Any] = {"crstrat": SCHEMA_VERSION}
    if answers.company is not None:
        data["company"] = answers.company
    if answers.currency is not None:
        data["currency"] = answers.currency
    segments = []
    for seg in answers.segments:
        item: dict[str, Any] = {
            "name": seg.name,
            "expectation": seg.expectation,
            "goal": list(seg.goals) if len(seg.goals) > 1 else seg.goals[0],
            "customers": seg.customers,
            "purchases_per_year": _plain(seg.purchases_per_year),
            "spend_per_purchase": _plain(seg.spend_per_purchase),
        }
        optional = {
            "budget_share": seg.budget_share,
            "budget_per_customer": seg.budget_per_customer,
            "market": seg.market,
            "complexity": seg.complexity,
            "channels": list(seg.channels) if seg.channels is not None else None,
            "existing": list(seg.existing) or None,
            "proposal": list(seg.proposal) or None,
        }
        for key, value in optional.items():
            if value is not None:
                item[key] = _plain(value) if isinstance(value, float) else value
        segments.append(item)
    data["segments"] = segments
    return data


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
