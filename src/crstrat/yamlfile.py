"""Reading YAML safely: the one place crstrat turns a file's bytes into data.

Only safe loaders are used (the C one when libyaml is present). Every failure
becomes an InputError that names the file and, where known, the line.

What a hostile file can do to PyYAML, and what stops it here:

- very deep nesting (``[[[[...``) overflows the C stack of libyaml's composer
  and kills the interpreter (segmentation fault at about 20,000 levels): a cheap
  bound on the depth is computed from the text, and only when it is high are the
  parser's events counted, before anything is composed;
- many small values (a 2 MiB flow list) take seconds and hundreds of MiB to
  load: the same pre-check bounds the number of values;
- aliases (``*name``) can expand a small file into billions of values (the
  "billion laughs"): when the text has an anchor, the loaded data is walked once
  with a budget;
- a scalar with an explicit tag (``!!int abc``, ``!!timestamp x``) or a huge
  number makes PyYAML raise ValueError and friends, not a YAML error: these
  become ordinary errors with a line, and integers are limited in length;
- a key given twice is silently overwritten by PyYAML: it is refused instead;
- tags that would construct Python objects are refused by the safe loader.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import InputError
from .figures import printable

#: Larger inputs are refused before parsing: no answers file or knowledge file
#: comes near this, and it bounds the time and memory a hostile file can take.
MAX_BYTES = 2 * 1024 * 1024

#: Deeper nesting is refused before composing (real files nest fewer than ten
#: levels; libyaml's composer recurses in C and crashes at about 20,000).
MAX_DEPTH = 500

#: More values (or more through aliases) are refused: a knowledge base has a
#: few thousand, an answers file a few hundred; 100,000 load in about a second.
MAX_VALUES = 100_000

#: Texts at most this deep (a bound from _check_shape) are built by direct tree
#: construction, one Python frame a level; deeper ones by PyYAML's, which keeps
#: its own stack, so the depth accepted never depends on the caller's stack
TREE_MAX_DEPTH = 100

#: Longest integer accepted, in characters: beyond it PyYAML's int() takes
#: quadratic time (sexagesimal 1:2:3...) or makes numbers no float can hold.
MAX_INT_CHARS = 64

KeyPath = Sequence[str | int]

# Lines' leading structure: indentation and block indicators ("- ", "? ", ": "),
# on lines that hold content (not blank, not only a comment).
# (Matched after a newline: much faster than ^ with re.MULTILINE.)
_BLOCK_PREFIX = re.compile(r"\n[ \t]*(?:[-?:][ \t]+)*(?=[^\s#])")
# An anchor (&name) where a node can start: only then can aliases repeat data.
# (The literal first lets the search skip ahead; the look-behind checks the start.)
_ANCHOR = re.compile(r"&(?<![^\s\[{,:\ufeff]&)[\w-]")
# Characters that can introduce a node; a generous bound on the node count.
_NODE_MARKS = ",[{-?:\n"


# Numbers read as YAML 1.2 (the core schema) says: 1e3 is a number, 0o17 is
# octal. Notations that YAML 1.1 (PyYAML's default) reads as a number and YAML
# 1.2 as text or as another number (1:30 is 90 in 1.1; 1_000; 0b101; 010 is
# 8 in 1.1 and 10 in 1.2) are refused, so that a number means the same to
# every reader.
_INT_12 = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_12 = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")  # 010: 8 in YAML 1.1, 10 in 1.2
_AMBIGUOUS_TAG = "tag:crstrat,2026:ambiguous-number"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(Exception):
    """A mapping that names one key twice (PyYAML would keep the last silently)."""

    def __init__(self, key: str, first_line: int, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.first_line = first_line
        self.line = line


class _BadScalar(Exception):
    """A scalar PyYAML cannot turn into a value (``!!int abc``, a huge number)."""

    def __init__(self, problem: str, line: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


@functools.cache
def _strict_loader() -> Any:
    """The safe loader, refusing duplicate keys and failing cleanly on bad scalars."""
    import yaml

    base = _loader()
    merge_tag = "tag:yaml.org,2002:merge"

    str_tag = "tag:yaml.org,2002:str"
    map_tag = "tag:yaml.org,2002:map"
    seq_tag = "tag:yaml.org,2002:seq"
    scalar_node = yaml.ScalarNode
    mapping_node = yaml.MappingNode
    sequence_node = yaml.SequenceNode

    # The tag of a plain scalar depends on its text alone (crstrat adds no path
    # resolvers), and answers files repeat the same few words and numbers: the
    # regular-expression matching is done once per distinct text.
    resolved: dict[str, str] = {}

    class StrictLoader(base):  # type: ignore[misc,valid-type]
        """A safe loader with duplicate keys refused and scalar errors located."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is scalar_node and implicit[0] and not self.yaml_path_resolvers:
                tag = resolved.get(value)
                if tag is None:
                    tag = self._number_tag(value) or super().resolve(kind, value, implicit)
                    if len(resolved) < 10_000:
                        resolved[value] = tag
                return tag
            return super().resolve(kind, value, implicit)

        @staticmethod
        def _number_tag(value: str) -> str | None:
            """The tag of a plain scalar that YAML 1.2 or 1.1 reads as a number, else None."""
            if not value or value[0] not in "+-.0123456789":
                return None
            in_11 = base.resolve(base, scalar_node, value, (True, False)) in (_INT_TAG, _FLOAT_TAG)
            int_12 = _INT_12.fullmatch(value) is not None
            in_12 = int_12 or _FLOAT_12.fullmatch(value) is not None
            if (in_11 and not in_12) or _LEADING_ZERO.fullmatch(value):
                return _AMBIGUOUS_TAG
            if in_12:
                return _INT_TAG if int_12 else _FLOAT_TAG
            return None

        #: set when the text has no anchor, so that no node is shared or recursive
        tree = False

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            # Most values are plain text, whose value is the node's own string:
            # handing it back directly skips the generic bookkeeping (a sixth of
            # the parsing time of an answers file) and changes nothing else, as
            # a string can neither hold nor be part of a recursive structure.
            kind = node.__class__
            if kind is scalar_node and node.tag == str_tag:
                return node.value
            if self.tree and kind is mapping_node and node.tag == map_tag:
                # a tree's plain mapping of distinct text keys (no merge key):
                # built directly, without the generic two-step construction
                keys = [
                    k.value
                    for k, _ in node.value
                    if k.__class__ is scalar_node and k.tag == str_tag
                ]
                if len(keys) == len(node.value) and len(set(keys)) == len(keys):
                    construct = self.construct_object
                    return {k.value: construct(v) for k, v in node.value}
            elif self.tree and kind is sequence_node and node.tag == seq_tag:
                construct = self.construct_object
                return [construct(v) for v in node.value]
            return super().construct_object(node, deep)

        def flatten_mapping(self, node: Any) -> None:
            # Checked once per mapping, before merge keys (<<) copy pairs in.
            # The common case, all keys distinct, is one set: a thousand
            # answers files have thousands of mappings.
            keys = [key.value for key, _ in node.value if key.__class__ is scalar_node]
            if len(set(keys)) == len(keys):
                super().flatten_mapping(node)
                return
            checked = self.__dict__.setdefault("_checked_mappings", set())
            if id(node) not in checked:
                checked.add(id(node))
                seen: dict[tuple[str, str], int] = {}
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == merge_tag:
                        continue
                    key = (key_node.tag, key_node.value)
                    line = key_node.start_mark.line + 1
                    if key in seen:
                        raise _DuplicateKey(key_node.value, seen[key], line)
                    seen[key] = line
            super().flatten_mapping(node)

    def guarded(tag: str, what: str) -> None:
        construct = base.yaml_constructors[tag]

        def construct_checked(loader: Any, node: Any) -> Any:
            line = node.start_mark.line + 1
            if what == "integer" and len(str(node.value)) > MAX_INT_CHARS:
                raise _BadScalar(
                    f"has an integer of {len(str(node.value)):,} characters; "
                    f"at most {MAX_INT_CHARS} are accepted",
                    line,
                )
            try:
                return construct(loader, node)
            except Exception:  # ValueError, KeyError, IndexError...: PyYAML does not check
                raise _BadScalar(
                    f"has a value that is not a valid {what}: {shown(node.value)}", line
                ) from None

        StrictLoader.add_constructor(tag, construct_checked)

    def ambiguous(loader: Any, node: Any) -> Any:
        raise _BadScalar(
            f"has {shown(node.value)}, a number in some YAML readers and text or another "
            "number in others (YAML 1.1 reads 1:30 as 90, 010 as 8, 1_000 as 1000): write "
            "the number plainly (1000, 90, 8), or quote it if you meant text",
            node.start_mark.line + 1,
        )

    StrictLoader.add_constructor(_AMBIGUOUS_TAG, ambiguous)
    for suffix, what in (
        ("int", "integer"),
        ("float", "number"),
        ("bool", "yes/no value"),
        ("timestamp", "date"),
        ("binary", "base64 value"),
    ):
        guarded(f"tag:yaml.org,2002:{suffix}", what)
    # the shortcut in construct_object is right only while text is built the safe way
    assert StrictLoader.yaml_constructors[str_tag] is base.yaml_constructors[str_tag]
    return StrictLoader


#: While set (``crstrat grade``), messages describe a file's text instead of quoting it:
#: a grading report is published, and a submission may be anything.
_CONTENT_HIDDEN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "content_hidden", default=False
)


@contextlib.contextmanager
def content_hidden() -> Iterator[None]:
    """Within this block, :func:`shown` and YAML syntax errors quote no text of the file."""
    token = _CONTENT_HIDDEN.set(True)
    try:
        yield
    finally:
        _CONTENT_HIDDEN.reset(token)


def hiding_content() -> bool:
    """True inside :func:`content_hidden`."""
    return _CONTENT_HIDDEN.get()


def shown(value: object, limit: int = 60) -> str:
    """A user's value quoted for a message: control characters visible, long text cut;
    inside :func:`content_hidden`, text is described, not quoted."""
    if isinstance(value, str):
        if hiding_content():
            return f"({len(value)} characters, not shown)"
        text = value if len(value) <= limit else value[:limit] + "…"
        # text as it is (an emoji with joiners, Persian); repr where a character would act
        return f"'{text}'" if printable(text) == text else repr(text)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return "a huge number"
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML writes it
    if isinstance(value, int | float) or value is None:
        return repr(value)
    return f"a {type(value).__name__}"


#: What a path that is not a regular file is, for the message that refuses it.
_NOT_A_FILE = (
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _open_regular(path: Path, name: str) -> int:
    """A descriptor open on ``path``, refused unless it is a regular file.

    Opened without blocking, so that a FIFO (or a link to /dev/stdin) is
    refused at once instead of waiting forever for a writer.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        os.set_blocking(fd, True)
        return fd
    os.close(fd)
    kind = next((what for test, what in _NOT_A_FILE if test(mode)), "not a regular file")
    raise InputError(
        f"is {kind}, not a file; crstrat reads regular files only, which cannot keep it "
        "waiting: save the text to a file and give that",
        source=name,
    )


def read_text(path: Path, *, label: str | None = None) -> str:
    """The UTF-8 text of a regular file, or an InputError saying why it cannot be read."""
    name = label or str(path)
    if is_stdin(path):
        raise InputError(
            "is standard input, which only --answers of plan, report and canvas apply "
            "read; give a file here (a file named - needs its full path)",
            source=name,
        )
    try:
        with os.fdopen(_open_regular(path, name), "rb") as handle:
            # read(MAX_BYTES + 1) alone would allocate 2 MiB for every small file
            # (a quarter of the reading time of a thousand answers files): ask for
            # the size, and read on only if the file holds more (it grew)
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, MAX_BYTES) + 1)
            if len(data) > size:
                data += handle.read(MAX_BYTES + 1 - len(data))
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=name) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=name) from None
    return _decoded(data, name)


#: ``--answers -``: the text comes from standard input, named so in messages.
STDIN = "-"
STDIN_NAME = "standard input"


def is_stdin(path: Path | str | None) -> bool:
    """True when an input path means standard input (``-``)."""
    return path is not None and str(path) == STDIN


def input_name(path: Path) -> str:
    """How messages name an input: its path, or ``standard input`` for ``-``."""
    return STDIN_NAME if is_stdin(path) else str(path)


def read_stdin_text() -> str:
    """The UTF-8 text given on standard input, read to its end, with a file's limits.

    Raises InputError when standard input is closed or cannot be read, and as
    :func:`read_text` does for what it holds (too large, not UTF-8, binary).
    """
    import sys

    if sys.stdin is None:  # started with standard input closed
        raise InputError("is closed: pipe the answers in, or give a file", source=STDIN_NAME)
    stream = getattr(sys.stdin, "buffer", sys.stdin)  # a text stream in place of stdin has none
    try:
        data = stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot be read ({reason})", source=STDIN_NAME) from None
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return _decoded(data, STDIN_NAME)


def load_stdin() -> tuple[Any, str]:
    """Read and parse the text on standard input; returns the data and the text.

    No file name tells the format: text that parses as JSON is read as JSON
    (RFC 8259, with :func:`parse_json`'s limits), anything else as YAML, as a
    ``.yaml`` file would be. Errors name ``standard input``.
    """
    text = read_stdin_text()
    if text.lstrip().startswith("{"):
        try:
            return parse_json(text, source=STDIN_NAME), text
        except InputError as as_json:
            try:  # a YAML flow mapping opens with { too
                return parse(text, source=STDIN_NAME), text
            except InputError:
                raise as_json from None
    return parse(text, source=STDIN_NAME), text


def _decoded(data: bytes, name: str) -> str:
    """``data`` as text: refused when over MAX_BYTES, not UTF-8 or binary."""
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


def _check_shape(text: str, source: str) -> int:
    """Refuse text nested too deeply or with too many values, before composing it;
    returns a bound on its depth.

    Cheap upper bounds come first (a few ``str.count`` and one regular
    expression); only when one is exceeded are the parser's events counted,
    which libyaml produces without recursion and which stop at the first excess.
    """
    openers = text.count("[") + text.count("{")
    prefix = max(map(len, _BLOCK_PREFIX.findall("\n" + text)), default=1) - 1
    # A block level needs one more column every two levels; flow levels need an opener.
    depth_bound = 2 * prefix + 2 + openers
    # A node needs one of the marks before it (at most a few nodes per mark).
    values_bound = 3 * len(text) + 3
    if values_bound > MAX_VALUES:
        values_bound = 3 * sum(map(text.count, _NODE_MARKS)) + 3
    if depth_bound <= MAX_DEPTH and values_bound <= MAX_VALUES:
        return depth_bound
    import yaml

    # Deep text is counted with the pure-Python parser: libyaml's scanner reads
    # a thousand flow openers ahead and refuses them in its own words (PyYAML
    # 6.0.4), before crstrat's count of MAX_DEPTH levels could say it in ours.
    loader = (yaml.SafeLoader if depth_bound > MAX_DEPTH else _loader())(text)
    depth = values = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.NodeEvent):
                values += 1
                if values > MAX_VALUES:
                    raise InputError(
                        f"has more than {MAX_VALUES:,} values; an answers file or a "
                        "knowledge file has a few thousand at most",
                        source=source,
                    )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(
                        f"is nested more than {MAX_DEPTH} levels deep",
                        source=source,
                        line=event.start_mark.line + 1 if event.start_mark else None,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the parse proper reports it, with its line
    finally:
        loader.dispose()
    return depth_bound


def _check_expansion(data: Any, source: str) -> None:
    """Refuse data that aliases expand beyond MAX_VALUES values, or make circular."""
    budget = MAX_VALUES
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list | tuple):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise InputError(
                f"is nested more than {MAX_DEPTH} levels deep, or refers to itself "
                "through a YAML alias (*name)",
                source=source,
            )
        budget -= len(children)
        if budget < 0:
            raise InputError(
                f"expands to more than {MAX_VALUES:,} values through YAML aliases "
                "(*name); write the values out instead",
                source=source,
            )
        stack.extend((child, depth + 1) for child in children)


#: PyYAML's descriptions of the commonest mistakes (its context or problem), in the
#: words of the person who made them; anything else is shown as PyYAML says it.
PLAIN_WORDS = (
    (
        "while parsing a flow sequence",
        "a list opened with [ is not closed with ], or two of its items have no comma between them",
    ),
    (
        "while parsing a flow mapping",
        "a mapping opened with { is not closed with }, or two "
        "of its entries have no comma between them",
    ),
    ("while parsing a flow node", "a list or mapping opened with [ or { is not closed"),
    (
        "while scanning a quoted scalar",
        "a text opened with a quote mark is not closed with the same mark",
    ),
    (
        "mapping values are not allowed",
        "a colon where a value was expected: put text "
        "that contains ': ' in quotes, or start the value on its own line",
    ),
    ("while scanning a simple key", "a line has no ':' between its key and its value"),
    (
        "while parsing a block collection",
        "a line is indented differently from the list it belongs to",
    ),
    ("while parsing a block mapping", "a key is indented differently from the keys beside it"),
)


def in_plain_words(parts: list[str]) -> str | None:
    """A YAML syntax error in the words of its reader, when it is a common one."""
    for words, plain in PLAIN_WORDS:
        if any(part.startswith(words) for part in parts):
            return plain
    return None


def _yaml_problem(exc: Any, text: str) -> tuple[str, int | None]:
    """PyYAML's description of a syntax error as one line, and the line it is on."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    parts = [p for p in (exc.context, exc.problem) if p]
    problem = in_plain_words(parts) or " ".join(": ".join(parts).split()) or "it cannot be parsed"
    if hiding_content():  # PyYAML quotes what it found: an alias's name, a character
        problem = re.sub(r"'(?!<)[^'\s]{2,}'", "(not shown)", problem)
    lines = text.splitlines()
    if line is not None and 0 < line <= len(lines) and "\t" in lines[line - 1]:
        problem += " (a tab: YAML indents with spaces, never tabs)"
    elif "escape" in problem or (
        line is not None and 0 < line <= len(lines) and {"\\", '"'} <= set(lines[line - 1])
    ):
        problem += (
            " (in double quotes a backslash starts an escape: write a Windows path in "
            "single quotes, 'C:\\Users\\me', or with forward slashes)"
        )
    return problem, line


class _AnotherDocument(Exception):
    """The text holds a second YAML document after the first (``---``)."""

    def __init__(self, line: int) -> None:
        self.line = line


def _single_document(text: str, *, tree: bool = False) -> Any:
    """The one document of the text; a second one raises _AnotherDocument.

    With ``tree`` (a text without anchors, at most TREE_MAX_DEPTH deep) it is built
    by the loader's direct tree construction, which recurses once per level;
    otherwise by PyYAML's, which does not."""
    loader = _strict_loader()(text)
    loader.tree = tree
    try:
        data = loader.get_data() if loader.check_data() else None
        if loader.check_data():
            raise _AnotherDocument(loader.peek_event().start_mark.line + 1)
        return data
    finally:
        loader.dispose()


def parse(text: str, *, source: str) -> Any:
    """Parse YAML text with a safe loader; a syntax error names the line."""
    import yaml

    depth_bound = _check_shape(text, source)
    anchored = _ANCHOR.search(text) is not None  # only then can aliases repeat data
    try:
        data = _single_document(text, tree=depth_bound <= TREE_MAX_DEPTH and not anchored)
    except _DuplicateKey as exc:
        raise InputError(
            f"has the key {shown(exc.key)} twice (first on line {exc.first_line}); "
            "keep one of them",
            source=source,
            line=exc.line,
        ) from None
    except _BadScalar as exc:
        raise InputError(exc.problem, source=source, line=exc.line) from None
    except _AnotherDocument as exc:
        raise InputError(
            "holds a second YAML document (after a '---' line); keep one",
            source=source,
            line=exc.line,
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or ""
        if "could not determine a constructor" in problem:
            tag = problem.split("tag ")[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            message = (
                f"uses the YAML tag {shown(tag)}, which crstrat does not accept: "
                "plain values, lists and mappings only"
            )
        else:
            message = f"is not valid YAML: {_yaml_problem(exc, text)[0]}"
        raise InputError(message, source=source, line=line) from None
    except yaml.MarkedYAMLError as exc:
        problem, line = _yaml_problem(exc, text)
        raise InputError(f"is not valid YAML: {problem}", source=source, line=line) from None
    except yaml.reader.ReaderError as exc:
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise InputError(
            f"contains the control character U+{character:04X}, which YAML does not "
            "allow; remove it or write it as an escape in a double-quoted string",
            source=source,
            line=line,
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"is not valid YAML: {' '.join(str(exc).split())}", source=source
        ) from None
    except RecursionError:
        raise InputError(f"is nested more than {MAX_DEPTH} levels deep", source=source) from None
    if isinstance(data, dict | list) and anchored:
        _check_expansion(data, source)
    return data


def dump(data: Any) -> str:
    """YAML text of plain data that :func:`parse` reads back as the same data.

    PyYAML's dumper decides what needs quotes by YAML 1.1: it writes the text
    ``1e3`` or ``0o17`` plain, which YAML 1.2 (and so :func:`parse`) reads as a
    number. This dumper quotes them.
    """
    import yaml

    return yaml.dump(data, Dumper=_quoting_dumper(), sort_keys=False, allow_unicode=True)


@functools.cache
def _quoting_dumper() -> Any:
    import yaml

    class QuotingDumper(yaml.SafeDumper):
        """Quotes text that YAML 1.2 reads as a number."""

    number = re.compile(f"(?:{_INT_12.pattern}|{_FLOAT_12.pattern})$")
    QuotingDumper.add_implicit_resolver(_FLOAT_TAG, number, list("-+0123456789."))
    return QuotingDumper


def load(path: Path, *, label: str | None = None) -> tuple[Any, str]:
    """Read and parse a YAML file (a ``.json`` file as JSON); returns the data and its
    text (for line look-ups)."""
    name = label or str(path)
    text = read_text(path, label=name)
    if path.suffix.lower() == ".json":
        return parse_json(text, source=name), text
    return parse(text, source=name), text


def parse_json(text: str, *, source: str) -> Any:
    """Parse JSON text as JSON (RFC 8259), with the limits YAML text has.

    ``1e3`` is a number and ``"\\ud83d\\ude00"`` an emoji, as in any JSON reader; a
    key given twice, NaN or Infinity, a huge integer, a lone half of a surrogate
    pair, deep nesting or too many values are refused with the line where known.
    """
    import json

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise InputError(f"has the key {shown(key)} twice; keep one of them", source=source)
            result[key] = value
        return result

    def constant(word: str) -> Any:
        raise InputError(f"has {word}, which is not a number in JSON", source=source)

    def integer(digits: str) -> int:
        if len(digits) > MAX_INT_CHARS:
            raise InputError(
                f"has an integer of {len(digits):,} characters; at most {MAX_INT_CHARS} "
                "are accepted",
                source=source,
            )
        return int(digits)

    if text.count("[") + text.count("{") > MAX_DEPTH:
        _check_json_depth(text, source)
    try:
        data = json.loads(
            text, object_pairs_hook=mapping, parse_constant=constant, parse_int=integer
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    except RecursionError:
        raise InputError(f"is nested more than {MAX_DEPTH} levels deep", source=source) from None
    _check_expansion(data, source)
    _check_json_text(data, source)
    return data


def _check_json_depth(text: str, source: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH (brackets in strings counted out)."""
    depth = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise InputError(
                    f"is nested more than {MAX_DEPTH} levels deep", source=source, line=line
                )
        elif mark in "]}":
            depth -= 1


def _check_json_text(data: Any, source: str) -> None:
    """Refuse a string holding half of a surrogate pair (``"\\ud83d"`` alone): no text
    can be made of it."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise InputError(
                "has a \\uD800-\\uDFFF escape without its other half; an emoji is "
                "written as a pair (\\ud83d\\ude00) or as itself",
                source=source,
            )


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def line_of(text: str, key_path: KeyPath) -> int | None:
    """The 1-based line where a key path (``["segments", 0, "customers"]``) stands.

    Used only when reporting an error, so the fast path never composes nodes.
    Falls back to the deepest part of the path that exists.
    """
    import yaml

    # JSON text is composed as YAML: JSON's surrogate-pair escapes (an emoji as
    # "\\ud83d\\ude00"), which YAML refuses, are blanked first (lines stay as they are)
    text = _SURROGATE_ESCAPE.sub("x", text)
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
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False
