"""JSON Schema (2020-12) of the answers file and of the knowledge base files.

Editors (the YAML language server's ``# yaml-language-server: $schema=`` line)
and other tools check files against these as they are typed. The schemas say
what the loaders (:mod:`crstrat.answers`, :mod:`crstrat.knowledge`) accept,
value by value, and tests keep the two in agreement. What JSON Schema cannot
say is left to the loaders and written in the schemas' descriptions:

- answers: segment names must be unique ignoring case;
- knowledge base: references between entries (type ids, source ids, the
  fallback type), unique ids, weights that add up to 1, ``ideal_max`` not below
  ``ideal_min``; and the file a definition belongs to (the schema accepts any
  one of the knowledge files).

Numbers follow JSON: NaN and infinities, which YAML can write, do not exist there.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .answers import (
    MAX_AMOUNT,
    MAX_CUSTOMERS,
    MAX_NAME,
    MAX_PURCHASES,
    REQUIRED_SEGMENT_KEYS,
    SCHEMA_VERSION,
    TYPED_NUMBERS,
)
from .knowledge import CRITERIA, GRADING_PARTS
from .model import CHANNELS, COMPLEXITIES, GOALS, HORIZONS, MARKETS, KnowledgeBase

DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

#: Text that is not blank and at most MAX_NAME characters once stripped, as the
#: answers loader checks it (``\s`` is what Python's ``str.strip`` removes).
_TRIMMED_TEXT = rf"^\s*\S(?:[\s\S]{{0,{MAX_NAME - 2}}}\S)?\s*$"


def _nullable(schema: Schema) -> Schema:
    """An optional answer: left empty (null) it means "use the default"."""
    return {"anyOf": [schema, {"type": "null"}]}


def _number(low: float, high: float, *, low_open: bool = False, what: str = "") -> Schema:
    schema: Schema = {"type": "number", "maximum": high}
    schema["exclusiveMinimum" if low_open else "minimum"] = low
    if what:
        schema["description"] = what
    return schema


def _text(what: str) -> Schema:
    return {"type": "string", "pattern": _TRIMMED_TEXT, "description": what}


def _one_or_more(choices: Sequence[str] | None, *, min_items: int, what: str) -> Schema:
    """One value, or a list of distinct values (the loader reads ``x`` as ``[x]``)."""
    item: Schema = {"enum": list(choices)} if choices is not None else {"type": "string"}
    return {
        "description": what,
        "anyOf": [
            item,
            {"type": "array", "items": item, "uniqueItems": True, "minItems": min_items},
        ],
    }


def _or_typed(key: str, schema: Schema) -> Schema:
    """A number's schema, or the text a person types for it (``1,200``, ``5%``)."""
    typed = {"type": "string", "pattern": rf"^\s*(?:{TYPED_NUMBERS[key]})\s*$"}
    return {"anyOf": [schema, typed], "description": schema.get("description", "")}


def segment_properties(type_ids: Sequence[str] | None) -> dict[str, Schema]:
    """The schema of each segment answer, as :func:`crstrat.answers.field_checks` checks it.

    ``type_ids`` None accepts any text where a relationship type id is expected
    (the knowledge base's own defaults, checked against its types by the loader).
    """
    type_choice: Schema = {"enum": list(type_ids)} if type_ids is not None else {"type": "string"}
    properties: dict[str, Schema] = {
        "name": _text("The segment's name, unique in the file."),
        "expectation": {
            **type_choice,
            "description": "The relationship type this segment expects.",
        },
        "goal": _one_or_more(
            GOALS, min_items=1, what="acquire, retain or expand, or a list, most important first."
        ),
        "customers": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_CUSTOMERS,
            "description": "Customers in the segment, a whole number.",
        },
        "purchases_per_year": _number(
            0, MAX_PURCHASES, what="How often one customer buys a year (0.5: every two years)."
        ),
        "spend_per_purchase": _number(0, MAX_AMOUNT, what="Average spend per purchase."),
        "budget_share": _number(
            0,
            1,
            low_open=True,
            what="Share of the segment's yearly revenue relationships may cost.",
        ),
        "budget_per_customer": _number(
            0, MAX_AMOUNT, what="Yearly relationship budget per customer; wins over budget_share."
        ),
        "market": {"enum": list(MARKETS), "description": "b2c or b2b."},
        "complexity": {
            "enum": list(COMPLEXITIES),
            "description": "How much explanation the offer needs.",
        },
        "channels": _one_or_more(
            CHANNELS, min_items=0, what="The formats the company can interact in."
        ),
        "existing": _one_or_more(
            type_ids, min_items=0, what="Relationship types already in place."
        ),
        "proposal": _one_or_more(
            type_ids,
            min_items=0,
            what="A proposed mix, the primary first; compared with the advice by crstrat grade.",
        ),
        "gross_margin": _number(
            0, 1, low_open=True, what="Share of revenue left after the direct cost of what is sold."
        ),
        "retention_rate": {
            "type": "number",
            "minimum": 0,
            "exclusiveMaximum": 1,
            "description": "Share of this year's customers still buying a year later.",
        },
        "new_customers_per_year": {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_CUSTOMERS,
            "description": "Customers to win a year.",
        },
        "acquisition_cost": _number(0, MAX_AMOUNT, what="What winning one new customer costs."),
        "top_tier": {
            "type": "object",
            "additionalProperties": False,
            "required": ["customers_share", "revenue_share"],
            "description": (
                "The most valuable customers of the segment; revenue_share must be at least "
                "customers_share."
            ),
            "properties": {
                "customers_share": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                "revenue_share": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            },
        },
    }
    for key in TYPED_NUMBERS:
        properties[key] = _or_typed(key, properties[key])
    return properties


def answers_schema(kb: KnowledgeBase) -> Schema:
    """The answers file (schema 1) as JSON Schema, with this knowledge base's type ids."""
    properties = segment_properties(kb.type_ids)
    segment: Schema = {
        "type": "object",
        "description": "A customer segment. Optional answers left empty (null) take defaults.",
        "additionalProperties": False,
        "required": list(REQUIRED_SEGMENT_KEYS),
        "properties": {
            key: value if key in REQUIRED_SEGMENT_KEYS else _nullable(value)
            for key, value in properties.items()
        },
    }
    return {
        "$schema": DIALECT,
        "title": "crstrat answers file, schema 1",
        "description": (
            f"What a business told crstrat (knowledge base '{kb.name}'). Segment names must "
            "also be unique ignoring case, which JSON Schema cannot check."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["crstrat", "segments"],
        "properties": {
            "crstrat": {"const": SCHEMA_VERSION, "description": "The schema version, 1."},
            "company": _nullable(_text("The company's name, used in titles.")),
            "currency": _nullable(
                _text(
                    "The currency code (e.g. USD); costs are converted into it at "
                    "exchange_rate or the knowledge base's table of rates."
                )
            ),
            "exchange_rate": _nullable(
                _number(
                    0,
                    MAX_AMOUNT,
                    low_open=True,
                    what="Units of currency one unit of the knowledge base's currency buys.",
                )
            ),
            "discount_rate": _nullable(
                {
                    "type": "number",
                    "minimum": 0,
                    "exclusiveMaximum": 1,
                    "description": "Yearly rate future margin is discounted at.",
                }
            ),
            "segments": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/segment"},
                "description": "One or more customer segments.",
            },
        },
        "$defs": {"segment": segment},
    }


# --------------------------------------------------------------------------- knowledge base

# The knowledge loader's value kinds (crstrat.knowledge._Reader):
_KB_TEXT: Schema = {"type": ["string", "number"]}  # numbers are read as text
_KB_TEXTS: Schema = {"type": "array", "items": {"type": "string"}}


def _kb_number(low: float = 0.0, high: float | None = None) -> Schema:
    schema: Schema = {"type": "number", "minimum": low}
    if high is not None:
        schema["maximum"] = high
    return schema


def _kb_object(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """A mapping with these keys only; optional ones may be null (left out)."""
    properties = dict(required)
    for key, value in (optional or {}).items():
        properties[key] = _nullable(value) if value else value  # {} takes anything already
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": properties,
    }


def _kb_fits(keys: Sequence[str], low: float = 0.0, high: float | None = 1.0) -> Schema:
    """A number for each of ``keys``, all of them required."""
    return _kb_object({key: _kb_number(low, high) for key in keys})


def _kb_all_or_nothing(block: Schema) -> Schema:
    """An optional block: left out, empty, or complete."""
    return {"anyOf": [{"type": "null"}, {"type": "object", "maxProperties": 0}, block]}


def _kb_enum_list(choices: Sequence[str], min_items: int = 0) -> Schema:
    return {"type": "array", "items": {"enum": list(choices)}, "minItems": min_items}


def _kb_terms(ids: Sequence[str]) -> Schema:
    term = _kb_object({"title": _KB_TEXT}, {"summary": _KB_TEXT})
    return _kb_object(dict.fromkeys(ids, term))


def _kb_file(key: str, item: Schema, *, min_items: int = 0) -> Schema:
    return _kb_object({key: {"type": "array", "minItems": min_items, "items": item}})


def _sourced() -> Schema:
    return {"type": "array", "items": _kb_object({"text": _KB_TEXT}, {"source": _KB_TEXT})}


def _criteria_fits() -> Schema:
    return {
        "type": "object",
        "propertyNames": {"enum": list(CRITERIA)},
        "additionalProperties": _kb_number(0.0, 1.0),
    }


def _meta() -> Schema:
    source = _kb_object(
        {"id": _KB_TEXT, "title": _KB_TEXT},
        {
            "author": _KB_TEXT,
            "publisher": _KB_TEXT,
            "licence": _KB_TEXT,
            "note": _KB_TEXT,
            # kept for people, never read: any value
            "kind": {},
            "year": {},
            "url": {},
        },
    )
    segment_defaults = {
        "type": "object",
        "additionalProperties": False,
        "properties": segment_properties(None),
    }
    defaults = _kb_object(
        {
            "currency": _KB_TEXT,
            "budget_share": _kb_number(1e-9, 1.0),
            "market": {"enum": list(MARKETS)},
            "complexity": {"enum": list(COMPLEXITIES)},
        },
        {
            "channels": _kb_enum_list(CHANNELS),
            "segment": segment_defaults,
            "company": _KB_TEXT,
            "budget_share_by_market": {
                "type": "object",
                "propertyNames": {"enum": list(MARKETS)},
                "additionalProperties": _kb_number(1e-9, 1.0),
            },
        },
    )
    horizon = _kb_object(
        {
            "repeat_purchases_per_year": _kb_number(),
            "retention_min_purchases_per_year": _kb_number(),
            "titles": _kb_object(dict.fromkeys(HORIZONS, _KB_TEXT)),
        }
    )
    horizon["properties"]["lead_goal_min_purchases_per_year"] = _kb_number()  # not null
    horizon["properties"]["retain_free_users"] = {"type": "boolean"}
    horizon["properties"]["b2b_repeat_purchases_per_year"] = _kb_number()  # not null
    horizon["properties"]["transactional_max_retention_rate"] = _kb_number(0.0, 1.0)
    economics = _kb_object(
        {
            "gross_margin": _kb_fits(MARKETS, 1e-9, 1.0),
            "retention_rate": _kb_fits(MARKETS, 0.0, 0.99),
            "discount_rate": _kb_number(0.0, 0.99),
            "min_ltv_to_cac": _kb_number(),
            "max_payback_months": _kb_number(),
        }
    )
    currencies = _kb_object(
        {
            "cost_currency": _KB_TEXT,
            "as_of": _KB_TEXT,
            "source": _KB_TEXT,
            "rates": {
                "type": "object",
                "description": "Units of each currency that one unit of cost_currency buys.",
                "additionalProperties": _kb_number(1e-9),
            },
        }
    )
    scoring = _kb_object(
        {
            "weights": {**_kb_fits(CRITERIA), "description": "Must add up to 1."},
            "economics": _kb_fits(("midpoint", "steepness"), 1e-9, None),
            "scale_penalty_per_decade": _kb_number(0.0, 1.0),
            "goal_order_weights": {
                "type": "array",
                "minItems": 1,
                "items": _kb_number(),
            },
        },
        {
            "min_contact_factor": _kb_number(0.0, 1.0),
            "contact_purchase_exponent": _kb_number(0.0, 1.0),
        },
    )
    mix: Schema = _kb_object(
        {
            "max_support": _kb_number(0, 10),
            "support_min_score": _kb_number(0.0, 1.0),
            "support_max_gap": _kb_number(0.0, 1.0),
            "fallback_type": {**_KB_TEXT, "description": "A relationship type id of this base."},
            "tactics_per_goal": _kb_number(1, 20),
        },
        {
            "support_min_fit": _criteria_fits(),
            "extra_support_min_fit": _criteria_fits(),
            "hosted_support_min_fit": _criteria_fits(),
            "over_budget_tolerance": _kb_number(1.0, 10.0),
            "over_budget_penalty": _kb_number(0.0, 100.0),
            "break_even_effect_factor": _kb_number(),
            "self_directed_types": {**_KB_TEXTS, "description": "Relationship type ids."},
            "wanted_only_types": {**_KB_TEXTS, "description": "Relationship type ids."},
            "hosted_formats": _kb_enum_list(CHANNELS),
        },
    )
    mix["properties"]["fallback_max_budget_share"] = _kb_all_or_nothing(_kb_fits(COMPLEXITIES))
    mix["properties"]["primary_min_complexity_fit"] = _kb_all_or_nothing(_kb_fits(COMPLEXITIES))
    mix["properties"]["personal_primary_max_cost_share"] = _kb_number(0.0, 1.0)
    mix["properties"]["personal_primary_min_touch"] = _kb_number(0.0, 1.0)
    mix["properties"]["top_tier_max_customers_share"] = _kb_number(0.0, 1.0)
    grading = _kb_object(
        {
            "weights": {**_kb_fits(GRADING_PARTS), "description": "Must add up to 1."},
            "primary_in_mix": _kb_number(0.0, 1.0),
            "unaffordable_penalty": _kb_number(0.0, 1.0),
            "min_score": _kb_number(0.0, 1.0),
        }
    )
    schema = _kb_object(
        {
            "name": _KB_TEXT,
            "version": _kb_number(1),
            "sources": {"type": "array", "items": source},
            "defaults": defaults,
            "goals": _kb_terms(GOALS),
            "channels": _kb_terms(CHANNELS),
            "complexity": _kb_terms(COMPLEXITIES),
            "markets": _kb_terms(MARKETS),
            "horizon": horizon,
            "scoring": scoring,
            "mix": mix,
        },
        {"description": _KB_TEXT, "canvas_credit": _KB_TEXT},
    )
    schema["properties"]["grading"] = _kb_all_or_nothing(grading)
    schema["properties"]["economics"] = _kb_all_or_nothing(economics)
    schema["properties"]["currencies"] = _kb_all_or_nothing(currencies)
    schema["title"] = "meta.yaml"
    return schema


def _relationship_type() -> Schema:
    cost = _kb_object(
        {"fixed_per_year": _kb_number()},
        {
            "per_customer_per_year": _kb_number(),
            "cost_per_contact": _kb_number(),
            "counter_cost_per_contact": _kb_number(),
            "contact_staff_cost_per_person": _kb_number(1.0),
            "assumptions": _sourced(),
        },
    )
    cost["properties"]["contacts_per_customer_per_year"] = _kb_all_or_nothing(
        _kb_fits(COMPLEXITIES, 0.0, None)
    )
    cost["properties"]["scale_economy"] = _kb_all_or_nothing(
        _kb_object({"from_customers": _kb_number(1.0), "exponent": _kb_number(0.0, 1.0)})
    )
    cost["properties"]["small_plan"] = _kb_all_or_nothing(
        _kb_object({"below_customers": _kb_number(1.0), "exponent": _kb_number(0.0, 1.0)})
    )
    book_size = _kb_object(
        {
            "reference_value": _kb_number(1e-9),
            "reference_accounts": _kb_fits(MARKETS, 1e-9, None),
            "exponent": _kb_number(0.0, 2.0),
            "minimum": _kb_number(1.0),
            "maximum": {**_kb_fits(MARKETS, 1.0, None), "description": "Not below minimum."},
        }
    )
    book_size["properties"]["complexity_factor"] = _kb_all_or_nothing(
        _kb_fits(COMPLEXITIES, 1e-9, None)
    )
    cost["properties"]["staff"] = _kb_all_or_nothing(
        {
            "anyOf": [
                _kb_object(
                    {
                        "accounts_per_person": _kb_fits(MARKETS, 1.0, None),
                        "cost_per_person": _kb_number(),
                    },
                    {"free_members_per_person": _kb_number(1.0)},
                ),
                _kb_object(
                    {"book_size": book_size, "cost_per_person": _kb_number()},
                    {
                        "own_delivery": _kb_object(
                            {
                                "min_purchases_per_year": _kb_number(0.0),
                                "added_share": _kb_number(0.0, 1.0),
                            }
                        )
                    },
                ),
            ]
        }
    )
    fit = _kb_object(
        {
            "goals": _kb_fits(GOALS),
            "horizon": _kb_fits(HORIZONS),
            "complexity": _kb_fits(COMPLEXITIES),
            "market": _kb_fits(MARKETS),
            "scale": _kb_object({"ideal_min": _kb_number(0), "ideal_max": _kb_number(1)}),
        },
        {"channels": _kb_enum_list(CHANNELS)},
    )
    optional: dict[str, Schema] = {
        "definition": _KB_TEXT,
        "similar": {
            "type": "object",
            "description": "Keys are relationship type ids of this base.",
            "additionalProperties": _kb_number(0.0, 1.0),
        },
        "examples": _sourced(),
        "other_industries": {
            "type": "array",
            "items": _kb_object({"industry": _KB_TEXT, "text": _KB_TEXT}),
        },
    }
    for key in ("characteristics", "benefits", "drawbacks", "fits_when", "avoid_when", "sources"):
        optional[key] = _KB_TEXTS
    optional["retention_effect"] = _kb_number(0.0, 1.0)
    optional["deflection"] = _kb_number(0.0, 1.0)
    optional["job"] = _KB_TEXT
    schema = _kb_object(
        {
            "id": _KB_TEXT,
            "name": _KB_TEXT,
            "summary": _KB_TEXT,
            "human": {"type": "boolean"},
            "personal_touch": _kb_number(0.0, 1.0),
            "fit": fit,
            "cost": cost,
        },
        optional,
    )
    schema["properties"]["fallback_share"] = _kb_all_or_nothing(_kb_fits(COMPLEXITIES))
    return schema


def _tactic() -> Schema:
    return _kb_object(
        {
            "id": _KB_TEXT,
            "kind": {"enum": ["tactic", "strategy"]},
            "title": _KB_TEXT,
            "summary": _KB_TEXT,
            "goals": _kb_enum_list(GOALS, min_items=1),
            "first_step": _KB_TEXT,
        },
        {
            "types": _KB_TEXTS,
            "channels": _kb_enum_list(CHANNELS),
            "example": _KB_TEXT,
            "source": _KB_TEXT,
        },
    )


def _entry(required: Sequence[str], *, with_types: bool = False, example: bool = False) -> Schema:
    optional: dict[str, Schema] = {"source": _KB_TEXT}
    if with_types:
        optional["types"] = _KB_TEXTS
    if example:
        optional["example"] = _KB_TEXT
    return _kb_object(dict.fromkeys(required, _KB_TEXT), optional)


def _cost_tip() -> Schema:
    tip = _entry(("id", "title", "summary"), with_types=True)
    tip["properties"]["channels"] = _nullable(_kb_enum_list(CHANNELS))
    return tip


def kb_schema() -> Schema:
    """The knowledge base files as JSON Schema: a document is any one of them.

    Each file's own schema is under ``$defs`` (``meta``, ``types``, ``tactics``,
    ``elements``, ``challenges``, ``cost_tips``).
    """
    defs = {
        "meta": _meta(),
        "types": _kb_file("types", _relationship_type(), min_items=1),
        "tactics": _kb_file("tactics", _tactic()),
        "elements": _kb_file("elements", _entry(("id", "title", "summary", "check"), example=True)),
        "challenges": _kb_file(
            "challenges", _entry(("id", "title", "summary", "mitigation"), with_types=True)
        ),
        "cost_tips": _kb_file("cost_tips", _cost_tip()),
    }
    for name in defs:
        defs[name]["title"] = f"{name}.yaml"
    return {
        "$schema": DIALECT,
        "title": "crstrat knowledge base file",
        "description": (
            "One file of a crstrat knowledge base (meta.yaml, types.yaml, tactics.yaml, "
            "elements.yaml, challenges.yaml or cost_tips.yaml; see knowledge/README.md). "
            "crstrat kb validate also checks what JSON Schema cannot: references between "
            "entries (type ids, source ids, the fallback type), unique ids, weights that add "
            "up to 1, and ideal_max not below ideal_min."
        ),
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in defs],
        "$defs": defs,
    }
