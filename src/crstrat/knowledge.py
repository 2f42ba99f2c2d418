"""Loading a knowledge base: the one place that reads knowledge files.

A knowledge base is a folder of YAML files (``meta.yaml``, ``types.yaml``,
``tactics.yaml``, ``elements.yaml``, ``challenges.yaml``, ``cost_tips.yaml``
and ``examples/``), documented in ``knowledge/README.md``. Every problem is an
error that names the file, the line and the key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from . import yamlfile
from .answers import did_you_mean, format_path
from .errors import InputError, KnowledgeError
from .figures import first_control_character
from .model import (
    CHANNELS,
    COMPLEXITIES,
    GOALS,
    HORIZONS,
    MARKETS,
    BookSize,
    Challenge,
    CostModel,
    CostTip,
    Currencies,
    Defaults,
    EconomicsDefaults,
    Element,
    GradingRules,
    HorizonRule,
    IndustryExample,
    KnowledgeBase,
    MixRules,
    OwnDelivery,
    RelationshipType,
    ScoringModel,
    Source,
    Sourced,
    Tactic,
    Term,
    TypeFit,
    frozen_map,
)

KB_FILES = (
    "meta.yaml",
    "types.yaml",
    "tactics.yaml",
    "elements.yaml",
    "challenges.yaml",
    "cost_tips.yaml",
)
REQUIRED_FILES = ("meta.yaml", "types.yaml")

#: While ``crstrat kb validate`` runs (:func:`knowledge_problems`), the problems found
#: so far: a problem in one file or one entry is recorded and the others still read.
_PROBLEMS: ContextVar[list[KnowledgeError] | None] = ContextVar("_PROBLEMS", default=None)


def _carry_on(problem: KnowledgeError) -> bool:
    """Record ``problem`` and return True when every problem is wanted; else False
    (the caller then raises it)."""
    problems = _PROBLEMS.get()
    if problems is None:
        return False
    problems.append(problem)
    return True


CRITERIA = (
    "expectation",
    "goals",
    "horizon",
    "channels",
    "complexity",
    "market",
    "economics",
    "scale",
)
BUILT_IN = "built-in"
GRADING_PARTS = ("primary", "overlap", "affordability")

T = TypeVar("T")


def builtin_location() -> Path:
    """The folder of the built-in knowledge base (inside the wheel, or the source tree)."""
    packaged = Path(__file__).resolve().parent / "knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "knowledge"


_NOT_CACHED = object()

#: The parsed knowledge files, as JSON, written into the wheel at build time
#: (see hatch_build.py): parsing JSON is about ten times faster than YAML, and
#: every ``crstrat plan`` loads the knowledge base. Used only while its
#: fingerprint matches the YAML files beside it.
CACHE_FILE = "parsed.json"


class _File:
    """One parsed knowledge file and how to report a problem inside it.

    ``data`` may come from the parsed cache shipped in the wheel; the text is
    then read only when a problem must be located by line.
    """

    def __init__(self, folder: Path, name: str, cached: object = _NOT_CACHED) -> None:
        self.path = folder / name
        self.name = name
        self._text: str | None = None
        if cached is not _NOT_CACHED:
            self.data = cached
            if folder.resolve() != builtin_location():  # a cache shipped with a custom base
                _refuse_control_characters(self)
            return
        try:
            self.data, self._text = yamlfile.load(self.path, label=str(self.path))
        except KnowledgeError:
            raise
        except InputError as exc:
            raise KnowledgeError(
                exc.problem, source=exc.source, path=exc.path, line=exc.line
            ) from None
        _refuse_control_characters(self)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = yamlfile.read_text(self.path)
        return self._text

    def fail(self, key_path: tuple[str | int, ...], problem: str) -> KnowledgeError:
        return KnowledgeError(
            problem,
            source=str(self.path),
            path=format_path(key_path) or None,
            line=yamlfile.line_of(self.text, key_path),
        )


def _refuse_control_characters(file: _File) -> None:
    """Refuse text (keys too) with a character that would act on a terminal (an
    escape sequence, a bell, a bidirectional override): knowledge-base text is
    shown in tables, explanations and grades as it is."""
    stack: list[tuple[tuple[str | int, ...], object]] = [((), file.data)]
    while stack:
        key_path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*key_path, str(k)), k) for k in value if isinstance(k, str))
            stack.extend(((*key_path, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*key_path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and (found := first_control_character(value)):
            raise file.fail(
                key_path,
                f"contains the control character U+{ord(found):04X}, which would act on "
                "the terminal; remove it",
            )


class _Reader:
    """Typed access to a mapping of a knowledge file, failing with file, line and key."""

    def __init__(self, file: _File, data: object, path: tuple[str | int, ...]) -> None:
        self.file = file
        self.path = path
        if not isinstance(data, dict):
            raise file.fail(path, f"must be a mapping, got {type(data).__name__}")
        self.data: dict[str, Any] = data

    def allow(self, *keys: str) -> _Reader:
        for key in self.data:
            if key not in keys:
                raise self.file.fail(
                    (*self.path, str(key)),
                    f"unknown key{did_you_mean(str(key), keys)}; allowed: {', '.join(keys)}",
                )
        return self

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.file.fail((*self.path, key) if self.path else (key,), "is required")
            return None
        return self.data[key]

    def fail(self, key: str, problem: str) -> KnowledgeError:
        return self.file.fail((*self.path, key), problem)

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(key, "must be text")
        return str(value)

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, False)
        return None if value is None else self.text(key)

    def number(
        self,
        key: str,
        low: float = 0.0,
        high: float = math.inf,
        required: bool = True,
        default: float = 0.0,
    ) -> float:
        value = self._get(key, required)
        if value is None:
            return default
        if not yamlfile.is_finite_number(value) or not low <= value <= high:
            bound = f"between {low:g} and {high:g}" if math.isfinite(high) else f"{low:g} or more"
            raise self.fail(key, f"must be a number {bound}, got {yamlfile.shown(value)}")
        return float(value)

    def boolean(self, key: str) -> bool:
        value = self._get(key, True)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {yamlfile.shown(value)}")
        return value

    def texts(self, key: str, choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.file.fail((*self.path, key, index), "must be text")
            if choices is not None and item not in choices:
                raise self.file.fail(
                    (*self.path, key, index),
                    f"{yamlfile.shown(item)} is not allowed{did_you_mean(item, choices)}; "
                    f"allowed: {', '.join(choices)}",
                )
            out.append(item)
        return tuple(out)

    def child(self, key: str, required: bool = True) -> _Reader:
        value = self._get(key, required)
        return _Reader(self.file, {} if value is None else value, (*self.path, key))

    def fits(self, key: str, keys: tuple[str, ...], required: bool = True) -> Mapping[str, float]:
        """A mapping from each of ``keys`` to a number in [0, 1]."""
        reader = self.child(key, required).allow(*keys)
        if not required and not reader.data:
            return frozen_map()
        return frozen_map({k: reader.number(k, 0.0, 1.0) for k in keys})

    def shares(self) -> Mapping[str, float]:
        """Every key of this mapping to a share above 0 and at most 1."""
        return frozen_map({str(k): self.number(str(k), 1e-9, 1.0) for k in self.data})

    def items(self, key: str, required: bool = True) -> list[_Reader]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return [_Reader(self.file, item, (*self.path, key, i)) for i, item in enumerate(value)]


def _sourced(reader: _Reader, key: str) -> tuple[Sourced, ...]:
    return tuple(
        Sourced(text=item.allow("text", "source").text("text"), source=item.opt_text("source"))
        for item in reader.items(key, required=False)
    )


def _terms(reader: _Reader, key: str, ids: tuple[str, ...]) -> Mapping[str, Term]:
    block = reader.child(key).allow(*ids)
    terms = {}
    for term_id in ids:
        item = block.child(term_id).allow("title", "summary")
        terms[term_id] = Term(term_id, item.text("title"), item.text("summary", required=False))
    return terms


def _unique(file: _File, key: str, readers: list[_Reader], read: Callable[[_Reader], T]) -> list[T]:
    seen: set[str] = set()
    out = []
    for reader in readers:
        try:
            item_id = reader.text("id")
            if item_id in seen:
                raise reader.fail("id", f"{yamlfile.shown(item_id)} is used twice in {key}")
            seen.add(item_id)
            out.append(read(reader))
        except KnowledgeError as problem:  # kb validate: the other entries are still read
            if not _carry_on(problem):
                raise
    return out


def _relationship_type(r: _Reader, type_ids: tuple[str, ...]) -> RelationshipType:
    r.allow(
        "id",
        "name",
        "summary",
        "definition",
        "human",
        "personal_touch",
        "similar",
        "fallback_share",
        "fit",
        "cost",
        "characteristics",
        "benefits",
        "drawbacks",
        "fits_when",
        "avoid_when",
        "examples",
        "other_industries",
        "sources",
        "retention_effect",
        "deflection",
        "job",
    )
    fit = r.child("fit").allow("goals", "horizon", "complexity", "market", "channels", "scale")
    scale = fit.child("scale").allow("ideal_min", "ideal_max")
    scale_min = scale.number("ideal_min", 0.0)
    scale_max = scale.number("ideal_max", 1.0)
    if scale_max < scale_min:
        raise scale.fail("ideal_max", "must not be below ideal_min")
    cost = r.child("cost").allow(
        "fixed_per_year",
        "per_customer_per_year",
        "contacts_per_customer_per_year",
        "cost_per_contact",
        "counter_cost_per_contact",
        "contact_staff_cost_per_person",
        "scale_economy",
        "small_plan",
        "staff",
        "assumptions",
    )
    contacts = cost.child("contacts_per_customer_per_year", required=False).allow(*COMPLEXITIES)
    staff = cost.child("staff", required=False).allow(
        "accounts_per_person",
        "book_size",
        "cost_per_person",
        "own_delivery",
        "free_members_per_person",
    )
    accounts: Mapping[str, float] = frozen_map()
    if "book_size" in staff.data and "accounts_per_person" in staff.data:
        raise staff.fail(
            "book_size", "gives the book a second time: keep book_size or accounts_per_person"
        )
    if "book_size" in staff.data and "free_members_per_person" in staff.data:
        raise staff.fail(
            "free_members_per_person", "goes with accounts_per_person, not with book_size"
        )
    if staff.data and "book_size" not in staff.data:
        per = staff.child("accounts_per_person").allow(*MARKETS)
        accounts = frozen_map({m: per.number(m, 1.0) for m in MARKETS})
    scale = cost.child("scale_economy", required=False).allow("from_customers", "exponent")
    small = cost.child("small_plan", required=False).allow("below_customers", "exponent")
    similar = r.child("similar", required=False)
    for other in similar.data:
        if other not in type_ids:
            raise similar.fail(
                str(other),
                f"{yamlfile.shown(other)} is not a relationship type of this base"
                f"{did_you_mean(str(other), type_ids)}",
            )
    return RelationshipType(
        id=r.text("id"),
        name=r.text("name"),
        summary=r.text("summary"),
        human=r.boolean("human"),
        personal_touch=r.number("personal_touch", 0.0, 1.0),
        similar=frozen_map({k: similar.number(k, 0.0, 1.0) for k in similar.data}),
        fallback_share=r.fits("fallback_share", COMPLEXITIES, required=False),
        fit=TypeFit(
            goals=fit.fits("goals", GOALS),
            horizon=fit.fits("horizon", HORIZONS),
            complexity=fit.fits("complexity", COMPLEXITIES),
            market=fit.fits("market", MARKETS),
            channels=fit.texts("channels", CHANNELS),
            scale_min=scale_min,
            scale_max=scale_max,
        ),
        cost=CostModel(
            fixed_per_year=cost.number("fixed_per_year"),
            per_customer_per_year=cost.number("per_customer_per_year", required=False),
            contacts_per_customer_per_year=frozen_map(
                {c: contacts.number(c) for c in COMPLEXITIES} if contacts.data else {}
            ),
            cost_per_contact=cost.number("cost_per_contact", required=False),
            accounts_per_person=accounts,
            cost_per_person=staff.number("cost_per_person") if staff.data else 0.0,
            assumptions=_sourced(cost, "assumptions"),
            counter_cost_per_contact=(
                cost.number("counter_cost_per_contact")
                if "counter_cost_per_contact" in cost.data
                else None
            ),
            book_size=_book_size(staff) if "book_size" in staff.data else None,
            own_delivery=_own_delivery(staff) if "own_delivery" in staff.data else None,
            free_members_per_person=staff.number("free_members_per_person", 1.0, required=False),
            contact_staff_cost_per_person=cost.number(
                "contact_staff_cost_per_person", 1.0, required=False
            ),
            scale_from_customers=scale.number("from_customers", 1.0) if scale.data else 0.0,
            scale_exponent=scale.number("exponent", 0.0, 1.0) if scale.data else 1.0,
            small_plan_below=small.number("below_customers", 1.0) if small.data else 0.0,
            small_plan_exponent=small.number("exponent", 0.0, 1.0) if small.data else 1.0,
        ),
        definition=r.text("definition", required=False),
        characteristics=r.texts("characteristics"),
        benefits=r.texts("benefits"),
        drawbacks=r.texts("drawbacks"),
        fits_when=r.texts("fits_when"),
        avoid_when=r.texts("avoid_when"),
        examples=_sourced(r, "examples"),
        other_industries=tuple(
            IndustryExample(i.allow("industry", "text").text("industry"), i.text("text"))
            for i in r.items("other_industries", required=False)
        ),
        sources=r.texts("sources"),
        retention_effect=r.number("retention_effect", 0.0, 1.0, required=False),
        deflection=r.number("deflection", 0.0, 1.0, required=False),
        job=r.text("job", required=False) or r.text("id"),
    )


def _own_delivery(staff: _Reader) -> OwnDelivery:
    """``cost.staff.own_delivery``: the named person who delivers the service."""
    if "book_size" not in staff.data:
        raise staff.fail(
            "own_delivery", "needs a book_size: it applies to customers one book holds"
        )
    own = staff.child("own_delivery").allow("min_purchases_per_year", "added_share")
    return OwnDelivery(
        min_purchases_per_year=own.number("min_purchases_per_year", 0.0),
        added_share=own.number("added_share", 0.0, 1.0),
    )


def _book_size(staff: _Reader) -> BookSize:
    """``cost.staff.book_size``: accounts per named person, from an account's worth."""
    book = staff.child("book_size").allow(
        "reference_value",
        "reference_accounts",
        "exponent",
        "minimum",
        "maximum",
        "complexity_factor",
    )
    minimum = book.number("minimum", 1.0)
    maxima = book.child("maximum").allow(*MARKETS)
    maximum = frozen_map({m: maxima.number(m, minimum) for m in MARKETS})
    accounts = book.child("reference_accounts").allow(*MARKETS)
    factors = book.child("complexity_factor", required=False).allow(*COMPLEXITIES)
    return BookSize(
        reference_value=book.number("reference_value", 1e-9),
        reference_accounts=frozen_map({m: accounts.number(m, 1e-9) for m in MARKETS}),
        exponent=book.number("exponent", 0.0, 2.0),
        minimum=minimum,
        maximum=maximum,
        complexity_factor=frozen_map(
            {c: factors.number(c, 1e-9) for c in COMPLEXITIES} if factors.data else {}
        ),
    )


def _economics(meta: _Reader) -> EconomicsDefaults | None:
    """The ``economics`` block of meta.yaml, or None when it is left out."""
    block = meta.child("economics", required=False).allow(
        "gross_margin",
        "retention_rate",
        "discount_rate",
        "min_ltv_to_cac",
        "max_payback_months",
    )
    if not block.data:
        return None
    margin = block.child("gross_margin").allow(*MARKETS)
    retention = block.child("retention_rate").allow(*MARKETS)
    return EconomicsDefaults(
        gross_margin=frozen_map({m: margin.number(m, 1e-9, 1.0) for m in MARKETS}),
        retention_rate=frozen_map({m: retention.number(m, 0.0, 0.99) for m in MARKETS}),
        discount_rate=block.number("discount_rate", 0.0, 0.99),
        min_ltv_to_cac=block.number("min_ltv_to_cac"),
        max_payback_months=block.number("max_payback_months"),
    )


def _currencies(meta: _Reader) -> Currencies | None:
    """The ``currencies`` block of meta.yaml, or None when it is left out."""
    block = meta.child("currencies", required=False).allow(
        "cost_currency", "as_of", "source", "rates"
    )
    if not block.data:
        return None
    rates = block.child("rates")
    return Currencies(
        cost_currency=block.text("cost_currency"),
        rates=frozen_map({str(code): rates.number(str(code), 1e-9) for code in rates.data}),
        as_of=block.text("as_of"),
        source=block.text("source"),
    )


def _builtin_block(read: Callable[[_Reader], T | None], key: str) -> T:
    """A block of the built-in meta.yaml, for a custom base that leaves it out."""
    file = _File(builtin_location(), "meta.yaml")
    block = read(_Reader(file, file.data, ()))
    if block is None:
        raise file.fail((key,), "is required in the built-in knowledge base")
    return block


def _tactic(r: _Reader, type_ids: tuple[str, ...]) -> Tactic:
    r.allow(
        "id",
        "kind",
        "title",
        "summary",
        "goals",
        "types",
        "channels",
        "first_step",
        "example",
        "source",
    )
    kind = r.text("kind")
    if kind not in ("tactic", "strategy"):
        raise r.fail("kind", f"{yamlfile.shown(kind)} is not allowed; allowed: tactic, strategy")
    goals = r.texts("goals", GOALS)
    if not goals:
        raise r.fail("goals", "must name at least one of acquire, retain, expand")
    return Tactic(
        id=r.text("id"),
        kind=kind,
        title=r.text("title"),
        summary=r.text("summary"),
        goals=goals,
        types=r.texts("types", type_ids),
        channels=r.texts("channels", CHANNELS),
        first_step=r.text("first_step"),
        example=r.opt_text("example"),
        source=r.opt_text("source"),
    )


def _check_sources(kb: KnowledgeBase, files: dict[str, _File]) -> None:
    """Every source id a knowledge entry cites must be declared in meta.yaml."""
    known = tuple(kb.sources)

    def check(file_name: str, key_path: tuple[str | int, ...], source: str | None) -> None:
        if source is not None and source not in kb.sources:
            problem = files[file_name].fail(
                key_path,
                f"source {yamlfile.shown(source)} is not declared in meta.yaml sources"
                f"{did_you_mean(source, known)}",
            )
            if not _carry_on(problem):
                raise problem

    for i, t in enumerate(kb.types):
        for j, s in enumerate(t.sources):
            check("types.yaml", ("types", i, "sources", j), s)
        for j, ex in enumerate(t.examples):
            check("types.yaml", ("types", i, "examples", j, "source"), ex.source)
        for j, a in enumerate(t.cost.assumptions):
            check("types.yaml", ("types", i, "cost", "assumptions", j, "source"), a.source)
    groups: tuple[tuple[str, str, tuple[Tactic | Element | Challenge | CostTip, ...]], ...] = (
        ("tactics.yaml", "tactics", kb.tactics),
        ("elements.yaml", "elements", kb.elements),
        ("challenges.yaml", "challenges", kb.challenges),
        ("cost_tips.yaml", "cost_tips", kb.cost_tips),
    )
    for name, key, entries in groups:
        for i, entry in enumerate(entries):
            check(name, (key, i, "source"), entry.source)


def _grading(meta: _Reader) -> GradingRules | None:
    """The ``grading`` block of meta.yaml, or None when it is left out."""
    block = meta.child("grading", required=False).allow(
        "weights", "primary_in_mix", "unaffordable_penalty", "min_score"
    )
    if not block.data:
        return None
    weights_reader = block.child("weights").allow(*GRADING_PARTS)
    weights = {part: weights_reader.number(part, 0.0, 1.0) for part in GRADING_PARTS}
    if abs(sum(weights.values()) - 1.0) > 1e-6:
        raise block.fail("weights", f"must add up to 1, they add up to {sum(weights.values()):g}")
    return GradingRules(
        weights=frozen_map(weights),
        primary_in_mix=block.number("primary_in_mix", 0.0, 1.0),
        unaffordable_penalty=block.number("unaffordable_penalty", 0.0, 1.0),
        min_score=block.number("min_score", 0.0, 1.0),
    )


def _sha256() -> Any:
    """A sha256 hash without importing hashlib, which loads OpenSSL (about 4 ms,
    paid by every plan: the fingerprint guards the parsed cache)."""
    import importlib

    for module in ("_sha2", "_sha256"):  # Python 3.12+, 3.11
        try:
            return importlib.import_module(module).sha256()
        except ImportError:
            pass
    import hashlib  # a Python built without its own hashes

    return hashlib.sha256()


def fingerprint(folder: Path) -> str:
    """The sha256 of a knowledge base's files (names and bytes), as a plan records it."""
    digest = _sha256()
    for name in KB_FILES:
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return str(digest.hexdigest())


def _read_cache(location: Path, sha256: str) -> dict[str, object]:
    """The parsed files from the cache, when it matches the files' fingerprint."""
    path = location / CACHE_FILE
    if not path.is_file():
        return {}
    import json

    try:
        cache = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # RecursionError: nested too deeply
        return {}
    if not isinstance(cache, dict) or cache.get("fingerprint") != sha256:
        return {}
    files = cache.get("files")
    return files if isinstance(files, dict) else {}


def write_cache(location: Path, target: Path) -> None:
    """Parse a knowledge base's YAML files once and write them to ``target`` as JSON."""
    import json

    files = {}
    for name in KB_FILES:
        if (location / name).is_file():
            files[name], _ = yamlfile.load(location / name)
    cache = {"fingerprint": fingerprint(location), "files": files}
    target.write_text(json.dumps(cache, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def load_knowledge(folder: Path | None = None) -> KnowledgeBase:
    """Load and check a knowledge base folder (the built-in one when ``folder`` is None)."""
    location = folder if folder is not None else builtin_location()
    if not location.is_dir():
        raise KnowledgeError(
            "is not a folder; a knowledge base is a folder with meta.yaml and types.yaml "
            "(crstrat kb export DIR writes one to start from)",
            source=str(location),
        )
    sha256 = fingerprint(location)
    cached = _read_cache(location, sha256)
    files: dict[str, _File] = {}
    for name in KB_FILES:
        if name in cached:
            files[name] = _File(location, name, cached[name])
        elif (location / name).exists() or name in REQUIRED_FILES:
            try:
                files[name] = _File(location, name)
            except KnowledgeError as problem:
                if not _carry_on(problem):
                    raise
    if not all(name in files for name in REQUIRED_FILES):
        raise _first_problem()

    meta = _Reader(files["meta.yaml"], files["meta.yaml"].data, ())
    meta.allow(
        "name",
        "version",
        "description",
        "sources",
        "canvas_credit",
        "defaults",
        "goals",
        "channels",
        "complexity",
        "markets",
        "horizon",
        "scoring",
        "mix",
        "grading",
        "economics",
        "currencies",
    )
    sources = {}
    for s in _unique(files["meta.yaml"], "sources", meta.items("sources"), lambda r: r):
        s.allow("id", "title", "author", "publisher", "licence", "kind", "note", "year", "url")
        sources[s.text("id")] = Source(
            id=s.text("id"),
            title=s.text("title"),
            author=s.opt_text("author"),
            publisher=s.opt_text("publisher"),
            licence=s.opt_text("licence"),
            note=s.opt_text("note"),
        )

    types_file = files["types.yaml"]
    types_root = _Reader(types_file, types_file.data, ()).allow("types")
    type_readers = types_root.items("types")
    if not type_readers:
        raise types_file.fail(("types",), "must list at least one relationship type")
    type_ids = tuple(r.text("id") for r in type_readers)
    types = tuple(
        _unique(types_file, "types", type_readers, lambda r: _relationship_type(r, type_ids))
    )

    defaults = meta.child("defaults").allow(
        "currency",
        "budget_share",
        "budget_share_by_market",
        "market",
        "complexity",
        "channels",
        "segment",
        "company",
    )
    segment_defaults = defaults.child("segment", required=False).data
    default_market = defaults.text("market")
    default_complexity = defaults.text("complexity")
    if default_market not in MARKETS:
        raise defaults.fail("market", f"must be one of {', '.join(MARKETS)}")
    if default_complexity not in COMPLEXITIES:
        raise defaults.fail("complexity", f"must be one of {', '.join(COMPLEXITIES)}")

    horizon = meta.child("horizon").allow(
        "repeat_purchases_per_year",
        "retention_min_purchases_per_year",
        "lead_goal_min_purchases_per_year",
        "retain_free_users",
        "b2b_repeat_purchases_per_year",
        "transactional_max_retention_rate",
        "titles",
    )
    scoring = meta.child("scoring").allow(
        "weights",
        "economics",
        "scale_penalty_per_decade",
        "goal_order_weights",
        "min_contact_factor",
        "contact_purchase_exponent",
    )
    weights_reader = scoring.child("weights").allow(*CRITERIA)
    weights = {c: weights_reader.number(c, 0.0, 1.0) for c in CRITERIA}
    if abs(sum(weights.values()) - 1.0) > 1e-6:
        raise scoring.fail("weights", f"must add up to 1, they add up to {sum(weights.values()):g}")
    economics = scoring.child("economics").allow("midpoint", "steepness")
    order = scoring.data.get("goal_order_weights")
    if (
        not isinstance(order, list)
        or not order
        or not all(yamlfile.is_finite_number(w) and w >= 0 for w in order)
    ):
        raise scoring.fail("goal_order_weights", "must be a list of numbers 0 or more")
    mix = meta.child("mix").allow(
        "max_support",
        "support_min_score",
        "support_max_gap",
        "support_min_fit",
        "fallback_type",
        "tactics_per_goal",
        "primary_min_complexity_fit",
        "personal_primary_max_cost_share",
        "personal_primary_min_touch",
        "top_tier_max_customers_share",
        "extra_support_min_fit",
        "over_budget_tolerance",
        "over_budget_penalty",
        "break_even_effect_factor",
        "fallback_max_budget_share",
        "self_directed_types",
        "wanted_only_types",
        "hosted_formats",
        "hosted_support_min_fit",
    )
    fallback_type = mix.text("fallback_type")
    if fallback_type not in type_ids:
        raise mix.fail(
            "fallback_type",
            f"{yamlfile.shown(fallback_type)} is not a relationship type of this "
            f"base{did_you_mean(fallback_type, type_ids)}",
        )
    titles = horizon.child("titles").allow(*HORIZONS)

    def criteria_fits(key: str) -> Mapping[str, float]:
        """``mix.<key>``: a minimum fit for any of the criteria it names."""
        named = mix.child(key, False).allow(*CRITERIA).data
        return mix.fits(key, tuple(c for c in CRITERIA if c in named), required=False)

    def entries(name: str, key: str, read: Callable[[_Reader], T]) -> tuple[T, ...]:
        if name not in files:
            return ()
        root = _Reader(files[name], files[name].data, ()).allow(key)
        return tuple(_unique(files[name], key, root.items(key), read))

    kb = KnowledgeBase(
        name=meta.text("name"),
        version=int(meta.number("version", 1)),
        sha256=sha256,
        description=meta.text("description", required=False),
        sources=sources,
        canvas_credit=meta.text("canvas_credit", required=False),
        defaults=Defaults(
            currency=defaults.text("currency"),
            budget_share=defaults.number("budget_share", 1e-9, 1.0),
            market=default_market,
            complexity=default_complexity,
            channels=defaults.texts("channels", CHANNELS),
            segment=MappingProxyType(dict(segment_defaults)),
            company=defaults.text("company", required=False),
            budget_share_by_market=defaults.child("budget_share_by_market", False)
            .allow(*MARKETS)
            .shares(),
        ),
        goals=_terms(meta, "goals", GOALS),
        channels=_terms(meta, "channels", CHANNELS),
        complexity=_terms(meta, "complexity", COMPLEXITIES),
        markets=_terms(meta, "markets", MARKETS),
        horizon=HorizonRule(
            repeat_purchases_per_year=horizon.number("repeat_purchases_per_year"),
            retention_min_purchases_per_year=horizon.number("retention_min_purchases_per_year"),
            titles=MappingProxyType({h: titles.text(h) for h in HORIZONS}),
            lead_goal_min_purchases_per_year=(
                horizon.number("lead_goal_min_purchases_per_year")
                if "lead_goal_min_purchases_per_year" in horizon.data
                else None
            ),
            retain_free_users=(
                horizon.boolean("retain_free_users")
                if "retain_free_users" in horizon.data
                else False
            ),
            b2b_repeat_purchases_per_year=(
                horizon.number("b2b_repeat_purchases_per_year")
                if "b2b_repeat_purchases_per_year" in horizon.data
                else None
            ),
            transactional_max_retention_rate=(
                horizon.number("transactional_max_retention_rate", 0.0, 1.0)
                if "transactional_max_retention_rate" in horizon.data
                else None
            ),
        ),
        scoring=ScoringModel(
            weights=frozen_map(weights),
            economics_midpoint=economics.number("midpoint", 1e-9),
            economics_steepness=economics.number("steepness", 1e-9),
            scale_penalty_per_decade=scoring.number("scale_penalty_per_decade", 0.0, 1.0),
            goal_order_weights=tuple(float(w) for w in order),
            min_contact_factor=scoring.number(
                "min_contact_factor", 0.0, 1.0, required=False, default=1.0
            ),
            contact_purchase_exponent=scoring.number(
                "contact_purchase_exponent", 0.0, 1.0, required=False
            ),
        ),
        mix=MixRules(
            max_support=int(mix.number("max_support", 0, 10)),
            support_min_score=mix.number("support_min_score", 0.0, 1.0),
            support_max_gap=mix.number("support_max_gap", 0.0, 1.0),
            support_min_fit=criteria_fits("support_min_fit"),
            fallback_type=fallback_type,
            tactics_per_goal=int(mix.number("tactics_per_goal", 1, 20)),
            primary_min_complexity_fit=mix.fits(
                "primary_min_complexity_fit", COMPLEXITIES, required=False
            ),
            personal_primary_max_cost_share=mix.number(
                "personal_primary_max_cost_share", 0.0, 1.0, required=False, default=0.0
            ),
            personal_primary_min_touch=mix.number(
                "personal_primary_min_touch", 0.0, 1.0, required=False, default=1.0
            ),
            top_tier_max_customers_share=mix.number(
                "top_tier_max_customers_share", 0.0, 1.0, required=False, default=0.0
            ),
            extra_support_min_fit=criteria_fits("extra_support_min_fit"),
            over_budget_tolerance=mix.number(
                "over_budget_tolerance", 1.0, 10.0, required=False, default=1.0
            ),
            over_budget_penalty=mix.number(
                "over_budget_penalty", 0.0, 100.0, required=False, default=1.0
            ),
            break_even_effect_factor=mix.number("break_even_effect_factor", required=False),
            fallback_max_budget_share=mix.fits(
                "fallback_max_budget_share", COMPLEXITIES, required=False
            ),
            self_directed_types=mix.texts("self_directed_types", type_ids),
            wanted_only_types=mix.texts("wanted_only_types", type_ids),
            hosted_formats=mix.texts("hosted_formats", CHANNELS),
            hosted_support_min_fit=criteria_fits("hosted_support_min_fit"),
        ),
        types=types,
        tactics=entries("tactics.yaml", "tactics", lambda r: _tactic(r, type_ids)),
        elements=entries(
            "elements.yaml",
            "elements",
            lambda r: Element(
                id=r.allow("id", "title", "summary", "check", "example", "source").text("id"),
                title=r.text("title"),
                summary=r.text("summary"),
                check=r.text("check"),
                example=r.opt_text("example"),
                source=r.opt_text("source"),
            ),
        ),
        challenges=entries(
            "challenges.yaml",
            "challenges",
            lambda r: Challenge(
                id=r.allow("id", "title", "summary", "mitigation", "types", "source").text("id"),
                title=r.text("title"),
                summary=r.text("summary"),
                mitigation=r.text("mitigation"),
                types=r.texts("types", type_ids),
                source=r.opt_text("source"),
            ),
        ),
        cost_tips=entries(
            "cost_tips.yaml",
            "cost_tips",
            lambda r: CostTip(
                id=r.allow("id", "title", "summary", "types", "source", "channels").text("id"),
                title=r.text("title"),
                summary=r.text("summary"),
                types=r.texts("types", type_ids),
                source=r.opt_text("source"),
                channels=r.texts("channels", CHANNELS),
            ),
        ),
        location=str(location),
        grading=_grading(meta) or _builtin_block(_grading, "grading"),
        economics=_economics(meta) or _builtin_block(_economics, "economics"),
        currencies=_currencies(meta) or _builtin_block(_currencies, "currencies"),
    )
    if not _PROBLEMS.get():  # entries skipped for a problem would shift the positions
        _check_sources(kb, files)
    if _PROBLEMS.get():
        raise _first_problem()
    if segment_defaults:
        from .answers import validate_field

        for key, value in segment_defaults.items():
            try:
                validate_field(kb, str(key), value)
            except InputError as exc:
                raise defaults.child("segment").fail(str(key), exc.problem) from None
    return kb


def _first_problem() -> KnowledgeError:
    problems = _PROBLEMS.get()
    assert problems, "only called once a problem is recorded"
    return problems[0]


def knowledge_problems(folder: Path) -> tuple[KnowledgeBase | None, list[KnowledgeError]]:
    """Load a knowledge base reporting every problem found, not only the first: each
    file is parsed, and each entry of a list (types, tactics...) read, even after
    another failed. Returns the knowledge base (None when it has problems) and them.
    """
    problems: list[KnowledgeError] = []
    token = _PROBLEMS.set(problems)
    try:
        return load_knowledge(folder), []
    except KnowledgeError as problem:
        if problem not in problems:
            problems.append(problem)
        return None, problems
    finally:
        _PROBLEMS.reset(token)


def examples_folder(kb: KnowledgeBase) -> Path:
    """The folder of example answers files shipped with a knowledge base."""
    return Path(kb.location) / "examples"


def example_names(kb: KnowledgeBase) -> list[str]:
    """Names of the shipped examples (file names without .yaml), sorted."""
    folder = examples_folder(kb)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml"))


def example_path(kb: KnowledgeBase, name: str) -> Path:
    """The answers file of a shipped example; an error lists the known names."""
    names = example_names(kb)
    if name not in names:
        raise KnowledgeError(
            f"no example called '{name}'{did_you_mean(name, names)}; "
            f"known examples: {', '.join(names) or 'none'}",
            path="--example",
        )
    return examples_folder(kb) / f"{name}.yaml"
