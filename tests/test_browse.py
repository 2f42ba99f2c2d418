"""``crstrat types``, ``explain`` and ``examples`` at narrow widths: ids are never cut."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from crstrat.model import KnowledgeBase
from crstrat.render.explain import render_type, render_types


def shown(renderable: object, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [40, 60, 80])
def test_types_show_every_id_whole(kb: KnowledgeBase, width: int) -> None:
    text = shown(render_types(kb), width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    words = text.split()
    for rel_type in kb.types:
        assert rel_type.id in words
        assert " ".join(rel_type.summary.split()) in " ".join(words)


@pytest.mark.parametrize("width", [40, 80])
def test_explain_wraps_bullets_under_their_text(kb: KnowledgeBase, width: int) -> None:
    rel_type = kb.type("communities")
    text = shown(render_type(kb, rel_type), width)
    assert "…" not in text
    first = rel_type.characteristics[0]
    flat = " ".join(text.split())
    assert f"• {' '.join(first.split())}" in flat
    for line in text.splitlines():  # a wrapped bullet continues under its text
        assert not line.startswith(("  " + first.split()[-1], first.split()[-1]))


def test_explain_gives_every_staffing_figure_of_the_cost_model(kb: KnowledgeBase) -> None:
    communities = kb.type("communities")
    flat = " ".join(shown(render_type(kb, communities), 120).split())
    staff = communities.cost
    assert staff.free_members_per_person > 0
    assert f"{staff.free_members_per_person:,.0f}" in flat
    for market, members in staff.accounts_per_person.items():
        assert f"{market} {members:,.0f}" in flat
    # a type without the free members' figure does not show the row
    assert "Free members" not in shown(render_type(kb, kb.type("self_service")), 120)


@pytest.mark.parametrize("args", [("types",), ("explain", "self_service"), ("examples",)])
def test_piped_lines_carry_no_padding(args: tuple[str, ...], tmp_path: Path) -> None:
    # off a terminal, rich pads wrapped lines to the width with spaces: a file or a
    # pipe gets the same lines without them, none longer than 80 columns
    from conftest import run_installed

    done = run_installed(*args, cwd=tmp_path, timeout=30)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) > 3
    assert all(line == line.rstrip() for line in lines)
    assert all(len(line) <= 80 for line in lines)
