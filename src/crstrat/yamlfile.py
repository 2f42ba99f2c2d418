"""Reading YAML safely: the one place crstrat turns a file's bytes into data.

Only safe loaders are used (the C one when libyaml is present). Every failure
becomes an InputError that names the file and, where known, the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import InputError

#: Larger inputs are refused before parsing: no answers file or knowledge file
#: comes near this, and it bounds the time and memory a hostile file can take.
MAX_BYTES = 2 * 1024 * 1024

KeyPath = Sequence[str | int]


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, *, label: str | None = None) -> str:
    """The UTF-8 text of a file, or an InputError saying why it cannot be read."""
    name = label or str(path)
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file", source=name)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=name) from None
    if len(data) > MAX_BYTES:
        raise InputError(
            f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; is it the right file?", source=name
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            source=name,
            line=line,
        ) from None
    if "\x00" in text:
        raise InputError("contains NUL bytes: this is binary data, not YAML", source=name)
    return text


def parse(text: str, *, source: str) -> Any:
    """Parse YAML text with a safe loader; a syntax error names the line."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "is not valid YAML"
        if "could not determine a constructor" in str(exc):
            problem = (
                f"uses the YAML tag {exc.problem.split('tag ')[-1] if exc.problem else ''}"
                " which crstrat does not accept: plain values, lists and mappings only"
            )
        else:
            problem = f"is not valid YAML: {problem}"
        raise InputError(problem, source=source, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(f"is not valid YAML: {exc}", source=source) from None
    except RecursionError:
        raise InputError("is nested too deeply to be an answers file", source=source) from None


def load(path: Path, *, label: str | None = None) -> tuple[Any, str]:
    """Read and parse a YAML file; returns the data and its text (for line look-ups)."""
    name = label or str(path)
    text = read_text(path, label=name)
    return parse(text, source=name), text


def line_of(text: str, key_path: KeyPath) -> int | None:
    """The 1-based line where a key path (``["segments", 0, "customers"]``) stands.

    Used only when reporting an error, so the fast path never composes nodes.
    Falls back to the deepest part of the path that exists.
    """
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader())
    except (yaml.YAMLError, RecursionError):
        return None
    if node is None:
        return None
    line: int | None = node.start_mark.line + 1
    for part in key_path:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == part:
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                child = node.value[part]
                line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def is_finite_number(value: object) -> bool:
    """True for int and float values that are real, finite numbers (bools are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)
