"""The YAML loader's shortcuts change no loaded value.

crstrat's strict loader hands back a text scalar's string without the generic
construction (it is a sixth of the time of parsing an answers file, and
``crstrat grade`` parses a thousand), and in a text without anchors builds plain
mappings of distinct text keys and lists directly (a further fifth). Documents
of every kind of value, with anchors, aliases, merge keys and explicit tags,
load exactly as with PyYAML's safe loader, and a key given twice is still refused.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from crstrat import yamlfile

values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(["yes", "No", "~", "1_000", "0x1F", "1:30", "2024-01-31", "12e3", ".inf"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def safe(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


@settings(max_examples=200, deadline=None)
@given(values)
def test_dumped_values_load_as_with_the_safe_loader(value: Any) -> None:
    # crstrat reads numbers as YAML 1.2 does, and its dumper quotes text it would read as one
    text = yamlfile.dump(value)
    assert yamlfile.parse(text, source="t") == safe(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x text\nb: *x\nc: [*x, *x]\n",
        "base: &b {name: one, n: 1}\nother:\n  <<: *b\n  name: two\n",
        "a: !!str 123\nb: !!str yes\nc: '007'\nd: \"line\\nbreak\"\n",
        "? complex key\n: value\nlist: [a, 'b', \"c\", 1, 1.5, null, true]\n",
        "text: |\n  block\n  text\nfolded: >\n  folded\n  text\n",
        "a: &s [x, y]\nb: *s\n",
        "inline: {<<: {x: 1, y: 2}, y: 3}\nlist: [{<<: [{a: 1}, {b: 2}]}]\n",
        "1: one\n2.5: [two]\nnull: none\ntrue: yes\ntext: {3: three}\n",
        "a: !!map {b: !!seq [1, 2]}\nc: !!str 1\n",
        "- [[], {}, [{}], {a: []}]\n- ''\n",
    ],
)
def test_anchors_tags_and_styles_load_as_with_the_safe_loader(text: str) -> None:
    assert yamlfile.parse(text, source="t") == safe(text)


@pytest.mark.parametrize(
    "text",
    ["a: 1\nb: 2\na: 3\n", "top:\n  - {x: 1, x: 2}\n", "a: {b: 1, c: [{d: 1, d: 2}]}\n"],
)
def test_a_key_given_twice_is_refused_at_any_depth(text: str) -> None:
    from crstrat.errors import InputError

    with pytest.raises(InputError) as caught:
        yamlfile.parse(text, source="t")
    assert "twice" in caught.value.message


def test_aliases_still_share_what_their_anchor_holds() -> None:
    # a text with an anchor takes PyYAML's construction, which shares the node
    data = yamlfile.parse("a: &s [x]\nb: *s\n", source="t")
    assert data["a"] is data["b"]


def _from_deep_in_the_stack(frames: int, text: str) -> Any:
    if frames:
        return _from_deep_in_the_stack(frames - 1, text)
    return yamlfile.parse(text, source="t")


@pytest.mark.parametrize("frames", [0, 300, 600])
def test_the_depth_accepted_does_not_depend_on_the_callers_stack(frames: int) -> None:
    levels = yamlfile.MAX_DEPTH - 2  # the top mapping and the key's value: 500 in all
    text = "a: " + "[" * levels + "]" * levels + "\n"
    data, depth = _from_deep_in_the_stack(frames, text)["a"], 1
    while data:
        (data,) = data
        depth += 1
    assert depth == levels
