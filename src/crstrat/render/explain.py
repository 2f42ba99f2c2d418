"""One relationship type explained for the terminal (``crstrat explain TYPE``)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..figures import money, printable
from ..model import KnowledgeBase, RelationshipType


def _bullets(title: str, items: tuple[str, ...]) -> list[RenderableType]:
    """A titled list whose items wrap under their own text, not under the bullet."""
    if not items:
        return []
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for item in items:
        grid.add_row("  •", Text(printable(item)))
    return [Text(title, style="bold"), grid, Text()]


def render_types(kb: KnowledgeBase) -> RenderableType:
    """Every type as its id (what a user types, never cut), its name and a summary
    that wraps under it."""
    parts: list[RenderableType] = [
        Text.assemble(("Relationship types", "bold"), f" ({printable(kb.name)})"),
        Text(),
    ]
    for rel_type in kb.types:
        parts += [
            Text.assemble((printable(rel_type.id), "bold"), "  ", printable(rel_type.name)),
            Padding(Text(printable(rel_type.summary)), (0, 0, 0, 4), expand=False),
        ]
    parts += [Text(), Text("More on one: crstrat explain TYPE")]
    return Group(*parts)


def _source_title(kb: KnowledgeBase, source: str | None) -> str:
    if source is None:
        return "no source"
    return kb.sources[source].title if source in kb.sources else source


def render_type(kb: KnowledgeBase, rel_type: RelationshipType) -> RenderableType:
    """A type's definition, fit, examples and cost model with its assumptions."""
    currency = kb.defaults.currency
    parts: list[RenderableType] = [
        Text.from_markup(f"[bold]{escape(rel_type.name)}[/] ({escape(rel_type.id)})"),
        Text(rel_type.summary),
        Text(),
    ]
    if rel_type.definition:
        parts += [Text(rel_type.definition), Text()]
    parts += _bullets("Characteristics", rel_type.characteristics)
    parts += _bullets("Benefits", rel_type.benefits)
    parts += _bullets("Drawbacks", rel_type.drawbacks)
    parts += _bullets("Fits when", rel_type.fits_when)
    parts += _bullets("Avoid when", rel_type.avoid_when)
    parts += _bullets("Examples", tuple(e.text for e in rel_type.examples))
    parts += _bullets(
        "In other industries", tuple(f"{e.industry}: {e.text}" for e in rel_type.other_industries)
    )

    cost = rel_type.cost
    table = Table(title="Cost model (yearly)", title_justify="left", show_header=False)
    table.add_column("Item")
    table.add_column("Value", justify="right")
    table.add_row("Fixed cost", Text(money(cost.fixed_per_year, currency)))
    if cost.per_customer_per_year:
        table.add_row("Per customer", Text(money(cost.per_customer_per_year, currency)))
    if cost.cost_per_contact:
        table.add_row("Per contact", Text(money(cost.cost_per_contact, currency)))
        contacts = ", ".join(
            f"{level} {n:g}" for level, n in cost.contacts_per_customer_per_year.items()
        )
        table.add_row("Contacts per customer a year", contacts)
    if cost.accounts_per_person:
        table.add_row("Staff cost per person", Text(money(cost.cost_per_person, currency)))
        table.add_row(
            "Customers per person",
            ", ".join(f"{market} {n:,.0f}" for market, n in cost.accounts_per_person.items()),
        )
    if cost.free_members_per_person:
        table.add_row("Free members per person", f"{cost.free_members_per_person:,.0f}")
    if rel_type.fallback_share:
        table.add_row(
            "Customers still needing a person",
            ", ".join(f"{level} {n:.0%}" for level, n in rel_type.fallback_share.items()),
        )
    parts.append(table)
    parts += _bullets(
        "Assumptions", tuple(f"{a.text} [{_source_title(kb, a.source)}]" for a in cost.assumptions)
    )
    if rel_type.sources:
        parts += _bullets("Sources", tuple(_source_title(kb, s) for s in rel_type.sources))
    return Group(*parts)
