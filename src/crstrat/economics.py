"""Unit economics of a segment: margin, lifetime value, acquisition, currency.

Pure functions over the answers and the knowledge base; every formula is the one
the answers contract fixes (docs/answers-v1.md, "Additions of 2026-11-29"):

- yearly margin per customer  m = gross_margin x purchases_per_year x spend_per_purchase
- customer lifetime value     CLV = m x (1 + d) / (1 + d - r)
  (r the retention rate, d the discount rate; margin counted from this year on;
  Gupta and Lehmann, *Managing Customers as Investments*, 2005)
- LTV:CAC = CLV / acquisition_cost; payback in months = acquisition_cost / (m / 12)
- break-even retention gain of a type costing c per customer a year:
  (1 + d - r) x c / m, the rise of r at which the CLV net of c equals the CLV
  before it: (m - c)(1 + d) / (1 + d - r - g) = m (1 + d) / (1 + d - r).

Money is in the answers' currency, per customer and per year.
"""

from __future__ import annotations

from .errors import InputError
from .model import Answers, Economics, ExchangeRate, KnowledgeBase, Segment


def exchange_rate(kb: KnowledgeBase, answers: Answers) -> ExchangeRate:
    """The rate that converts the base's costs into the answers' currency.

    The answers' ``exchange_rate`` wins; then the base's dated table; the base's
    own currency needs none. Raises InputError (path ``exchange_rate``) for a
    currency in neither.
    """
    assert kb.currencies is not None  # load_knowledge always sets it
    table = kb.currencies
    base = table.cost_currency
    currency = (answers.currency or kb.defaults.currency).upper()
    if answers.exchange_rate is not None:
        return ExchangeRate(answers.exchange_rate, base, "exchange_rate in the answers")
    if currency == base.upper():
        return ExchangeRate(1.0, base, "no conversion needed")
    if currency in table.rates:
        source = kb.sources.get(table.source)
        return ExchangeRate(
            table.rates[currency],
            base,
            f"the knowledge base's table of {table.as_of}"
            + (f" ({source.title})" if source is not None else ""),
        )
    known = ", ".join(sorted(table.rates))
    raise InputError(
        f"is required for the currency {currency!r}, which the knowledge base's table of "
        f"rates does not hold (it has {known}): give how many {currency} one {base} buys, "
        f"e.g. 'exchange_rate: 150'",
        path="exchange_rate",
    )


def segment_economics(
    kb: KnowledgeBase, segment: Segment, market: str, discount_rate: float | None
) -> Economics:
    """A segment's margin, lifetime value and acquisition figures (see the module).

    Rates not in the answers come from the knowledge base's defaults for the
    segment's ``market``; ``defaulted`` names them.
    """
    assert kb.economics is not None  # load_knowledge always sets it
    rules = kb.economics
    defaulted = []
    gross_margin = segment.gross_margin
    if gross_margin is None:
        gross_margin = rules.gross_margin[market]
        defaulted.append("gross_margin")
    retention = segment.retention_rate
    if retention is None:
        retention = rules.retention_rate[market]
        defaulted.append("retention_rate")
    discount = discount_rate
    if discount is None:
        discount = rules.discount_rate
        defaulted.append("discount_rate")
    margin = gross_margin * segment.purchases_per_year * segment.spend_per_purchase
    clv = lifetime_value(margin, retention, discount)
    cac = segment.acquisition_cost
    return Economics(
        gross_margin=gross_margin,
        retention_rate=retention,
        discount_rate=discount,
        margin_per_customer=margin,
        customer_lifetime_value=clv,
        acquisition_cost=cac,
        ltv_to_cac=clv / cac if cac else None,
        payback_months=cac / (margin / 12) if cac is not None and margin > 0 else None,
        new_customers_per_year=segment.new_customers_per_year,
        defaulted=tuple(defaulted),
    )


def lifetime_value(margin: float, retention: float, discount: float) -> float:
    """CLV = m x (1 + d) / (1 + d - r): margin per year, retention and discount in 0..1."""
    return margin * (1 + discount) / (1 + discount - retention)


def break_even_retention_gain(economics: Economics, cost_per_customer: float) -> float | None:
    """The rise of the retention rate (0..1) that pays for ``cost_per_customer`` a year.

    (1 + d - r) x c / m; None when the margin is 0 or the rise would take the
    retention rate to 1 or beyond (no rise can pay for it).
    """
    m = economics.margin_per_customer
    r = economics.retention_rate
    if m <= 0:
        return None
    gain = (1 + economics.discount_rate - r) * cost_per_customer / m
    return gain if gain < 1 - r else None
