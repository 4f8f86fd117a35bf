"""The dashboard's figures, computed from journal records (no Qt).

Call :func:`compute_figures` with the records of a period (the device store's
``records_between``) and the shop's time zone: sales add their totals, refunds
(negative totals) subtract theirs, every other kind (closings, duplicates,
events) is ignored. All amounts are integer cents and every breakdown adds up
to ``revenue`` exactly: per day, per hour, per till, per payment method (what
was kept: tendered less change) and per VAT rate all partition the same
records. :func:`figures_from_stats` reads the same figures from the relay's
statistics (its summaries, counted in the shop's days too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from crdt_models.journal.record import Record
from crdt_models.journal.sale import net_payments
from crdt_models.money import round_half_up_div

__all__ = ["Figures", "ProductFigure", "compute_figures", "figures_from_stats"]

K = TypeVar("K")

#: Record kinds that move the revenue.
SALE = "sale"
REFUND = "refund"


@dataclass(frozen=True, slots=True)
class ProductFigure:
    """What one product sold in the period: quantity in milli-units and revenue in cents."""

    product: str
    label: str
    qty: int
    revenue: int


@dataclass(slots=True)
class Figures:
    """The figures of one period; ``per_day`` by the shop's date, ``per_hour`` by its
    hour 0..23 (summed over the period's days)."""

    revenue: int = 0
    tickets: int = 0
    refunds: int = 0
    per_day: dict[date, int] = field(default_factory=dict)
    per_hour: dict[int, int] = field(default_factory=dict)
    per_till: dict[str, int] = field(default_factory=dict)
    per_method: dict[str, int] = field(default_factory=dict)
    per_vat: dict[int, int] = field(default_factory=dict)
    products: dict[str, ProductFigure] = field(default_factory=dict)
    till_names: dict[str, str] = field(default_factory=dict)  # when the source names tills

    @property
    def average_basket(self) -> int:
        """Revenue per sale ticket, rounded half up to the cent (0 with no ticket)."""
        return round_half_up_div(self.revenue, self.tickets) if self.tickets else 0

    def top_products(self, count: int = 10) -> list[ProductFigure]:
        """The ``count`` products with the highest revenue (ties: by label)."""
        ranked = sorted(self.products.values(), key=lambda p: (-p.revenue, p.label, p.product))
        return ranked[:count]


def _add(table: dict[K, int], key: K, cents: int) -> None:
    table[key] = table.get(key, 0) + cents


def compute_figures(records: Iterable[Record], tz: tzinfo | None = None) -> Figures:
    """Sum the sales and refunds among ``records``; days and hours in ``tz`` (the
    dashboard passes the shop's time zone; None is this computer's)."""
    figures = Figures()
    for record in records:
        if record.kind not in (SALE, REFUND):
            continue
        body = record.body
        total: int = body["total"]
        figures.revenue += total
        if record.kind == SALE:
            figures.tickets += 1
        else:
            figures.refunds += 1
        when = datetime.fromtimestamp(record.ts, tz)
        _add(figures.per_day, when.date(), total)
        _add(figures.per_hour, when.hour, total)
        _add(figures.per_till, record.till_id, total)
        for method, cents in net_payments(body).items():
            _add(figures.per_method, method, cents)
        for row in body["vat"]:
            _add(figures.per_vat, row["rate_bp"], row["gross"])
        for line in body["lines"]:
            product = line["product"]
            qty = line["qty"] if record.kind == SALE else -line["qty"]
            seen = figures.products.get(product)
            figures.products[product] = ProductFigure(
                product=product,
                label=seen.label if seen is not None else line["label"],
                qty=(seen.qty if seen is not None else 0) + qty,
                revenue=(seen.revenue if seen is not None else 0) + line["total"],
            )
    return figures


def figures_from_stats(stats: Mapping[str, Any]) -> Figures:
    """The figures of a relay ``stats`` answer (its daily summaries over every till).

    Its days and hours are the shop's (each sale counted in the time zone the
    shop had when the relay stored it); its ``count`` holds sales and refunds,
    ``refunds`` the refunds among them.
    """
    refunds = int(stats.get("refunds", 0))
    figures = Figures(
        revenue=int(stats["total"]), tickets=int(stats["count"]) - refunds, refunds=refunds
    )
    for day, cents in stats["by_day"].items():
        _add(figures.per_day, date.fromisoformat(day), int(cents))
    for hour, cents in stats["by_hour"].items():
        _add(figures.per_hour, int(hour), int(cents))
    for till, row in stats["by_till"].items():
        _add(figures.per_till, str(till), int(row["total"]))
        figures.till_names[str(till)] = str(row["name"])
    for method, cents in stats["by_method"].items():
        _add(figures.per_method, str(method), int(cents))
    for rate, row in stats["by_vat"].items():
        _add(figures.per_vat, int(rate), int(row["gross"]))
    for product, row in stats["by_product"].items():
        figures.products[str(product)] = ProductFigure(
            product=str(product),
            label=str(row["name"]),
            qty=int(row["quantity"]),
            revenue=int(row["total"]),
        )
    return figures
