"""Renderers: each output format is a module with ``render(plan, kb) -> str``.

The registry maps every ``--format`` choice to its module, imported only when
used (rich and jinja2 are slow to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import KnowledgeBase, Plan


class PlanFormat(StrEnum):
    """The formats ``crstrat plan`` can print."""

    table = "table"
    json = "json"
    markdown = "markdown"


_MODULES = {
    PlanFormat.table: "table",
    PlanFormat.json: "json_plan",
    PlanFormat.markdown: "markdown",
}


def renderer(fmt: PlanFormat) -> Callable[[Plan, KnowledgeBase], str]:
    """The ``render`` function of a format."""
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    render: Callable[[Plan, KnowledgeBase], str] = module.render
    return render
