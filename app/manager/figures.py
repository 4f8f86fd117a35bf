"""The dashboard's figures, computed from journal records (no Qt).

Call :func:`compute_figures` with the records of a period (the device store's
``records_between``): sales add their totals, refunds (negative totals)
subtract theirs, every other kind (closings, duplicates, events) is ignored.
All amounts are integer cents and every breakdown adds up to ``revenue``
exactly: per hour, per till, per payment method (what was kept: tendered less
change) and per VAT rate all partition the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
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
    """The figures of one period; ``per_hour`` is keyed by local hour 0..23."""

    revenue: int = 0
    tickets: int = 0
    refunds: int = 0
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
    """Sum the sales and refunds among ``records`` (hours in ``tz``, default local time)."""
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
        hour = datetime.fromtimestamp(record.ts, tz).hour
        _add(figures.per_hour, hour, total)
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


def figures_from_stats(stats: Mapping[str, Any], utc_offset_hours: int = 0) -> Figures:
    """The figures of a relay ``stats`` answer (its SQL aggregates over every till).

    The relay counts days and hours in UTC: ``utc_offset_hours`` moves its
    hours to the shop's clock. Its ``count`` is the number of sales and
    refunds (shown as tickets). Per payment method it sums what was tendered,
    change included, so cash there may exceed the cash kept.
    """
    figures = Figures(revenue=int(stats["total"]), tickets=int(stats["count"]))
    for hour, cents in stats["by_hour"].items():
        _add(figures.per_hour, (int(hour) + utc_offset_hours) % 24, int(cents))
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
