"""Business Model Canvas files in BMML v2 (``.bmml``): segments in, relationships out.

BMML v2 is an open YAML format for a whole canvas, with a published JSON Schema
(customer segments ``cs-...``, customer relationships ``cr-...`` linked to
segments by ``for: {customer_segments: [...]}``).

- :func:`canvas_segments` reads the customer segments of a canvas;
- :func:`answers_text` starts an answers file from them, each segment carrying
  its canvas id in a ``# bmml: cs-...`` comment so the two stay linked;
- :func:`segment_links` finds, for each segment of an answers file, its canvas id;
- :func:`relationships` turns a plan into BMML customer relationships;
- :func:`apply_relationships` writes them into the canvas's text.

The canvas is read for its content with crstrat's safe loader
(:func:`crstrat.yamlfile.load`); ruamel.yaml, a round-trip YAML library imported
only here and only by ``crstrat canvas``, locates the ``customer_relationships``
block and writes its new content, comments included. Every line outside that
block is the file's own: a whole-document round trip would re-indent nested
lists elsewhere (``- - a``), which a canvas's author should not find changed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import yamlfile
from .errors import InputError
from .figures import printable
from .model import KnowledgeBase, Plan

#: A customer segment id of BMML v2.
SEGMENT_ID = re.compile(r"^cs-[a-z0-9-]+$")

#: The comment that links a segment of an answers file to its canvas segment.
LINK = re.compile(r"#\s*bmml:\s*(cs-[a-z0-9-]+)")

#: The canvas blocks in the order of the canvas; customer relationships come after
#: channels, so a canvas without them gets them before the first block listed after.
AFTER_RELATIONSHIPS = (
    "revenue_streams",
    "key_resources",
    "key_activities",
    "key_partnerships",
    "costs",
)


class CanvasSegment(NamedTuple):
    """A customer segment of a canvas: its id (``cs-...``), name, and the names of the
    customer relationships the canvas gives it today."""

    id: str
    name: str
    relationships: tuple[str, ...] = ()


def _relationships_by_segment(data: dict[str, Any]) -> dict[str, list[str]]:
    """The names of the canvas's customer relationships, by the segment ids they are for."""
    found: dict[str, list[str]] = {}
    for item in data.get("customer_relationships") or ():
        links = item.get("for") if isinstance(item, dict) else None
        ids = links.get("customer_segments") if isinstance(links, dict) else None
        if isinstance(ids, list) and isinstance(item.get("name"), str):
            for seg_id in ids:
                found.setdefault(str(seg_id), []).append(item["name"])
    return found


def canvas_segments(data: object, source: str) -> tuple[CanvasSegment, ...]:
    """The customer segments of parsed BMML data; InputError when it has none usable."""
    if not isinstance(data, dict) or str(data.get("version")) != "2.0":
        raise InputError('is not a BMML v2 canvas (it needs version: "2.0")', source=source)
    raw = data.get("customer_segments")
    if not isinstance(raw, list) or not raw:
        raise InputError(
            "has no customer segments: list them under customer_segments first",
            source=source,
            path="customer_segments",
        )
    segments = []
    for index, item in enumerate(raw):
        where = f"customer_segments[{index}]"
        if not isinstance(item, dict):
            raise InputError("must be a mapping with id and name", source=source, path=where)
        seg_id, name = item.get("id"), item.get("name")
        if not isinstance(seg_id, str) or not SEGMENT_ID.match(seg_id):
            raise InputError(
                f"id {yamlfile.shown(seg_id)} is not a segment id (cs- then a-z, 0-9, -)",
                source=source,
                path=f"{where}.id",
            )
        if not isinstance(name, str) or not name.strip():
            raise InputError("needs a name", source=source, path=f"{where}.name")
        today = tuple(_relationships_by_segment(data).get(seg_id, ()))
        segments.append(CanvasSegment(seg_id, name.strip(), today))
    return tuple(segments)


def read_canvas(path: Path) -> tuple[tuple[CanvasSegment, ...], str, str | None]:
    """A canvas file's segments, its text and its model's name (``meta.name``)."""
    data, text = yamlfile.load(path)
    segments = canvas_segments(data, str(path))
    meta = data.get("meta") if isinstance(data, dict) else None
    name = meta.get("name") if isinstance(meta, dict) else None
    return segments, text, name if isinstance(name, str) else None


# --------------------------------------------------------------------------- answers


def _scalar(value: object) -> str:
    """A value as YAML flow text (strings double-quoted, JSON being YAML)."""
    import json

    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def answers_text(
    kb: KnowledgeBase, segments: Sequence[CanvasSegment], company: str | None, canvas: str
) -> str:
    """An answers file (schema 1) with a segment per canvas segment.

    Each segment's required figures are the knowledge base's defaults, marked to
    be replaced; its ``# bmml:`` comment keeps the link to the canvas segment.
    """
    defaults: Mapping[str, object] = kb.defaults.segment
    lines = [
        f"# crstrat answers, schema 1, started from the canvas {canvas}",
        "# (crstrat canvas init). The figures of each segment are defaults: replace them",
        "# with the segment's own, then: crstrat canvas apply CANVAS --answers THIS-FILE",
        "# The '# bmml:' comment links a segment to the canvas: keep it if you rename one.",
        "crstrat: 1",
    ]
    if company:
        lines.append(f"company: {_scalar(company)}")
    lines.append("segments:")
    for segment in segments:
        lines.append(f"  - name: {_scalar(segment.name)}  # bmml: {segment.id}")
        for today in segment.relationships:  # a hint for expectation and existing
            lines.append(f"    # in the canvas today: {printable(' '.join(today.split()))}")
        for key, value in defaults.items():
            if key != "name":
                lines.append(f"    {key}: {_scalar(value)}  {PLACEHOLDER}")
    return "\n".join(lines) + "\n"


#: the comment canvas init puts after every figure it could not take from the canvas
PLACEHOLDER = "# default: replace"


def placeholders_left(text: str | None) -> int:
    """How many answers of an answers file still carry canvas init's placeholder mark
    (a line that ends with it: a value replaced with its mark left counts too)."""
    return sum(line.rstrip().endswith(PLACEHOLDER) for line in (text or "").splitlines())


def segment_links(
    answer_names: Sequence[str], text: str, segments: Sequence[CanvasSegment], source: str
) -> list[str]:
    """The canvas id of each segment of an answers file: its ``# bmml:`` comment, else
    the canvas segment of the same name (ignoring case). InputError names a segment
    that matches none."""
    by_name = {s.name.casefold(): s.id for s in segments}
    known = {s.id for s in segments}
    links = []
    lines = text.splitlines()
    for index, name in enumerate(answer_names):
        line = yamlfile.line_of(text, ("segments", index, "name"))
        comment = LINK.search(lines[line - 1]) if line and line <= len(lines) else None
        seg_id = comment.group(1) if comment and comment.group(1) in known else None
        seg_id = seg_id or by_name.get(name.casefold())
        if seg_id is None:
            raise InputError(
                f"{yamlfile.shown(name)} matches no customer segment of the canvas (by its "
                f"'# bmml:' comment or its name); canvas segments: "
                f"{', '.join(s.name for s in segments)}",
                source=source,
                path=f"segments[{index}].name",
                line=line,
            )
        links.append(seg_id)
    return links


# --------------------------------------------------------------------------- relationships


def relationships(kb: KnowledgeBase, plan: Plan, links: Sequence[str]) -> list[dict[str, Any]]:
    """The plan's relationship types as BMML customer relationships.

    One entry per recommended type (in the order first recommended), named by the
    type and linked to every segment whose mix has it; ``roles`` maps each segment
    id to the type's role there (a comment in the file, not a BMML key).
    """
    entries: dict[str, dict[str, Any]] = {}
    for segment, seg_id in zip(plan.segments, links, strict=True):
        for entry in segment.mix:
            item = entries.setdefault(
                entry.type,
                {
                    "id": "cr-" + entry.type.replace("_", "-"),
                    "name": kb.type(entry.type).name,
                    "segments": [],
                    "roles": [],
                },
            )
            if seg_id not in item["segments"]:
                item["segments"].append(seg_id)
                item["roles"].append(f"{entry.role} for {segment.segment.name}")
    return list(entries.values())


def _indent(text: str) -> tuple[int, int]:
    """The (sequence, offset) indentation of the canvas's block lists: ``  - id`` is (4, 2)."""
    match = re.search(r"^[a-z_]+:[ \t]*\n(?:[ \t]*#.*\n|[ \t]*\n)*( *)- ", text, re.M)
    offset = len(match.group(1)) if match else 2
    return offset + 2, offset


def block_text(items: list[dict[str, Any]], text: str) -> str:
    """The ``customer_relationships`` block for ``items``, written by ruamel.yaml in the
    canvas's own indentation, list style and spacing, each entry under a comment that
    gives its roles."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    sequence, offset = _indent(text)
    flow = re.search(r"customer_segments: *\[", text) is not None  # the canvas's own style
    seq = CommentedSeq()
    for item in items:
        linked = CommentedSeq(item["segments"])
        if flow:
            linked.fa.set_flow_style()
        links = CommentedMap(customer_segments=linked)
        seq.append(CommentedMap(id=item["id"], name=item["name"], **{"for": links}))
    # a blank line between two entries where the canvas has one between its items
    spaced = re.search(r"\n[ \t]*\n *- id:", text) is not None
    for index, item in enumerate(items):
        comment = "crstrat: " + "; ".join(item["roles"])
        gap = "\n" if spaced and index else ""
        seq.yaml_set_comment_before_after_key(index, before=gap + comment, indent=offset)
    yaml = YAML()
    yaml.width = 4096  # never fold a long name
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    out = io.StringIO()
    yaml.dump(CommentedMap(customer_relationships=seq), out)
    return out.getvalue()


def _top_level_lines(text: str) -> dict[str, int]:
    """The 0-based line of each top-level key of the canvas, found by ruamel.yaml."""
    from ruamel.yaml import YAML

    document = YAML().load(text)
    return {key: document.lc.key(key)[0] for key in document}


def apply_relationships(text: str, block: str) -> str:
    """The canvas text with its ``customer_relationships`` block replaced by ``block``
    (or added before the revenue streams, or at the end); every other line kept."""
    lines = text.splitlines(keepends=True)
    keys = _top_level_lines(text)
    order = sorted(keys.values())
    if "customer_relationships" in keys:
        start = keys["customer_relationships"]
        following = [line for line in order if line > start]
        end = _content_end(lines, following[0] if following else len(lines))
    else:
        after = [keys[k] for k in AFTER_RELATIONSHIPS if k in keys]
        start = end = _content_end(lines, min(after)) if after else len(lines)
        if start and not lines[start - 1].endswith("\n"):
            lines[start - 1] += "\n"
        block = "\n" + block  # a blank line before it, as between the other blocks
    return "".join(lines[:start]) + block + "".join(lines[end:])


def _content_end(lines: list[str], next_key: int) -> int:
    """Where the content before ``next_key`` ends: blank lines and column-0 comments
    just above a key belong to that key's block."""
    end = next_key
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end
