"""Plain formatting of the figures crstrat shows: money, counts, shares."""

from __future__ import annotations


def amount(value: float) -> str:
    """``1234567.8`` -> ``1,234,568``; small amounts keep their cents (``12.50``)."""
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def money(value: float, currency: str) -> str:
    """``1234567.8`` -> ``1,234,568 USD``; small amounts keep their cents."""
    return f"{amount(value)} {currency}"


def count(number: float) -> str:
    """``2000000`` -> ``2,000,000``."""
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


def counted(number: int, noun: str) -> str:
    """``1, "answer"`` -> ``1 answer``; ``6, "answer"`` -> ``6 answers`` (nouns that take an s)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def share(fraction: float) -> str:
    """``0.05`` -> ``5%``; ``0.125`` -> ``12.5%``."""
    percent = fraction * 100
    return f"{percent:,.0f}%" if round(percent, 1).is_integer() else f"{percent:,.1f}%"


def share_or_times(fraction: float) -> str:
    """``0.057`` -> ``5.7%`` up to twice the whole, ``76.2`` -> ``76 times`` beyond
    (nobody reads "7,616.7%")."""
    return share(fraction) if fraction < 2 else f"{fraction:,.0f} times"


def of_budget(cost: float, budget: float) -> str:
    """A cost against a budget in words: ``5.7% of the budget``, ``77 times the budget``."""
    if budget <= 0:
        return "with no budget to compare"
    fraction = cost / budget
    words = share_or_times(fraction)
    return f"{words} of the budget" if fraction < 2 else f"{words} the budget"


def horizon_words(horizon: str) -> str:
    """``long_term`` -> ``long-term``; ``transactional`` stays as it is."""
    return horizon.replace("_", "-")


def listing(words: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``a, b and c``."""
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def printable(text: object) -> str:
    """User text made safe to show: what would act on a terminal (escape sequences,
    bells, carriage returns, line separators, bidirectional overrides) becomes a
    visible ``\\x1b``-style escape; text, joiners and marks of every script included
    (a zero-width joiner in an emoji, Persian's zero-width non-joiner), is shown
    as it is."""
    out = []
    for ch in str(text):
        if ch.isprintable() or not _acts_on_terminal(ch):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


#: Bidirectional embeddings, overrides and isolates: they reorder what follows
#: them on the line ("Trojan Source"); the marks (U+200E, U+200F, U+061C) do not.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def first_control_character(text: str) -> str | None:
    """The first character of ``text`` that :func:`printable` would escape, other
    than a line break or a tab; None when there is none."""
    if text.isprintable():
        return None
    return next((ch for ch in text if ch not in "\n\t" and _acts_on_terminal(ch)), None)


def _acts_on_terminal(ch: str) -> bool:
    """True for a character that is not text to a terminal: a control character
    (C0, C1, DEL), a line or paragraph separator, half a surrogate pair, a
    bidirectional control."""
    if ch.isprintable():
        return False
    import unicodedata

    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs") or ch in _BIDI_CONTROLS


def points(gain: float) -> str:
    """A rise of a rate (0..1) as customers in 100: ``0.042`` -> ``4.2``; under 0.1 said so."""
    return "under 0.1" if gain * 100 < 0.05 else f"{gain * 100:.1f}"


def staff(people: float, what: str, customers_per_person: float) -> str:
    """``0.1 people for personal assistance (one person looks after about 10,000
    customers)``: people in fractions, and how many customers a full-time person
    would look after (which may be more than the segment has); a share below
    0.01 is said so (``under 0.01 of a person``), not 0."""
    shown = round(people, 2)
    noun = "person" if shown == 1 else "people"
    who = f"{count(shown)} {noun}" if shown > 0 or people <= 0 else "under 0.01 of a person"
    per_person = count(round(customers_per_person))
    return f"{who} for {what} (one person looks after about {per_person} customers)"
