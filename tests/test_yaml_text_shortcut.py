"""The YAML loader's shortcut for plain text changes no loaded value.

crstrat's strict loader hands back a text scalar's string without the generic
construction (it is a sixth of the time of parsing an answers file, and
``crstrat grade`` parses a thousand). Documents of every kind of value, with
anchors, aliases, merge keys and explicit tags, load exactly as with PyYAML's
safe loader.
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
    ],
)
def test_anchors_tags_and_styles_load_as_with_the_safe_loader(text: str) -> None:
    assert yamlfile.parse(text, source="t") == safe(text)
