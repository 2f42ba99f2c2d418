"""Scenarios side by side as JSON.

``{"crstrat": 1, "version", "scenarios": [{"label", "company", "currency"}],
"figures": [keys], "segments": [{"name", "scenarios": [...], "compared_with",
"changes": [...]}]}``: per segment, one entry per scenario (``null`` where the
scenario lacks the segment) with its ``mix``, each figure of ``figures`` and its
``warnings``; ``compared_with``, the label of the first scenario that has the
segment; and one change per later scenario that has it: ``scenario`` (its label),
the ``answers`` given differently (``key``, ``from``, ``to``) and the ``mix``
change (``primary`` ``{"from", "to"}`` or null, ``added``, ``dropped``).
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..comparison import Comparison, Difference
from ..model import KnowledgeBase, MixEntry, SegmentPlan

SCHEMA_VERSION = 1


def _entry(entry: MixEntry) -> dict[str, Any]:
    return {"type": entry.type, "role": entry.role, "annual_cost": round(entry.annual_cost, 2)}


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _plan(comparison: Comparison, plan: SegmentPlan) -> dict[str, Any]:
    data: dict[str, Any] = {"mix": [_entry(e) for e in plan.mix]}
    for figure in comparison.figures:
        value = figure.read(plan)
        data[figure.key] = None if value is None else round(value, 2)
    data["warnings"] = list(plan.warnings)
    return data


def _change(comparison: Comparison, difference: Difference) -> dict[str, Any]:
    mix = difference.mix
    return {
        "scenario": comparison.scenarios[difference.scenario].label,
        "answers": [
            {"key": c.key, "from": _plain(c.before), "to": _plain(c.after)}
            for c in difference.answers
        ],
        "mix": {
            "primary": None
            if mix.primary is None
            else dict(zip(("from", "to"), mix.primary, strict=True)),
            "added": [_entry(e) for e in mix.added],
            "dropped": [_entry(e) for e in mix.dropped],
        },
    }


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data."""
    return {
        "crstrat": SCHEMA_VERSION,
        "version": __version__,
        "scenarios": [
            {"label": s.label, "company": s.plan.company, "currency": s.plan.currency}
            for s in comparison.scenarios
        ],
        "figures": [f.key for f in comparison.figures],
        "segments": [
            {
                "name": seg.name,
                "scenarios": [
                    None if plan is None else _plan(comparison, plan) for plan in seg.plans
                ],
                "compared_with": comparison.scenarios[seg.reference].label,
                "changes": [_change(comparison, d) for d in seg.differences],
            }
            for seg in comparison.segments
        ],
    }


def render(comparison: Comparison, kb: KnowledgeBase) -> str:
    """The comparison as one JSON document, with a final newline."""
    return json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False) + "\n"
