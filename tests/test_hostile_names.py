"""Hostile names are shown literally in every plan format, through the real program.

A company or segment name may carry rich markup, terminal escape sequences
(colours, a window title, clearing the screen), carriage returns and
markdown/HTML specials. The table shows them as text (markup escaped, control
characters made visible), the markdown escapes them, the JSON keeps them exactly.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_installed

COMPANY = "[bold red]Acme[/bold red] <script>alert(1)</script> & Co_ *bold* `tick` | pipe # hash"
SEGMENT_ESCAPES = "Red\x1b[31mAlert\x1b[0m \x1b]0;pwned\x07 tit\rle"
SEGMENT_MARKUP = "[link=https://evil.example]click[/link] [blink]now[/blink]"
SEGMENT_SCREEN = "wipe\x1b[2J\x1b[Hhome"

#: Control characters that act on a terminal; none may come from a name.
ACTING = ("\x07", "\r", "\x1b]", "\x1b[2J", "\x1b[H", "\x1b[0m", "\x1b[31m")


def answers_file(folder: Path, company: str, names: tuple[str, ...]) -> Path:
    segment = {
        "expectation": "self_service",
        "goal": "retain",
        "customers": 5000,
        "purchases_per_year": 4,
        "spend_per_purchase": 30,
    }
    data = {
        "crstrat": 1,
        "company": company,
        "segments": [{"name": name, **segment} for name in names],
    }
    path = folder / "hostile.json"  # JSON is YAML; its \u escapes carry the control characters
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


HOSTILE = (COMPANY, (SEGMENT_ESCAPES, SEGMENT_MARKUP, SEGMENT_SCREEN))
PLAIN = ("Acme", ("Leisure", "Business", "Students"))


def plan(folder: Path, fmt: str, names: tuple[str, tuple[str, ...]] = HOSTILE, **env: str) -> str:
    environment = {**os.environ, "COLUMNS": "250", **env}
    if "FORCE_COLOR" not in env:
        environment["NO_COLOR"] = "1"
    else:
        environment.pop("NO_COLOR", None)
    path = answers_file(folder, *names)
    result = run_installed(
        "plan",
        "--format",
        fmt,
        "--answers",
        path,
        cwd=folder,
        env=environment,
        text=False,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode("utf-8")


def test_json_keeps_the_names_exactly(tmp_path: Path) -> None:
    out = plan(tmp_path, "json")
    assert not any(ch in out for ch in "\x1b\x07\r"), "JSON escapes control characters"
    document = json.loads(out)
    assert document["company"] == COMPANY
    assert [s["name"] for s in document["segments"]] == [
        SEGMENT_ESCAPES,
        SEGMENT_MARKUP,
        SEGMENT_SCREEN,
    ]


def test_table_shows_the_names_as_text(tmp_path: Path) -> None:
    out = plan(tmp_path, "table")
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    # markup is shown, not applied
    assert "[bold red]Acme[/bold red] <script>alert(1)</script> & Co_ *bold*" in out
    assert "[link=https://evil.example]click[/link] [blink]now[/blink]" in out
    # control characters are shown as escapes
    assert "Red\\x1b[31mAlert\\x1b[0m \\x1b]0;pwned\\x07 tit\\x0dle" in out
    assert "wipe\\x1b[2J\\x1b[Hhome" in out


def test_table_in_colour_lets_no_name_act_on_the_terminal(tmp_path: Path) -> None:
    out = plan(tmp_path, "table", FORCE_COLOR="1", TERM="xterm-256color")
    assert "\x1b[" in out, "colour is on"
    for sequence in ("\x07", "\r", "\x1b]", "\x1b[2J", "\x1b[H"):
        assert sequence not in out, repr(sequence)
    assert "\\x1b]0;pwned\\x07" in out
    assert "\\x1b[2J" in out


class _Text(HTMLParser):
    """The text and the tags of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags[tag] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html(markdown: str) -> _Text:
    markdown_it = pytest.importorskip("markdown_it")
    page = _Text()
    page.feed(markdown_it.MarkdownIt("commonmark").enable("table").render(markdown))
    return page


def test_markdown_shows_the_names_as_text(tmp_path: Path) -> None:
    out = plan(tmp_path, "markdown")
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "<script>" not in out
    page = _html(out)
    text = html.unescape("".join(page.text))
    assert COMPANY in text
    assert SEGMENT_MARKUP in text
    assert "wipe\\x1b[2J\\x1b[Hhome" in text
    # the names made no HTML of their own (no script, link, emphasis, code...):
    # the same plan with plain names has the same elements
    assert page.tags == _html(plan(tmp_path, "markdown", PLAIN)).tags
