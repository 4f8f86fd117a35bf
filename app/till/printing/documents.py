"""Tickets that are not receipts: the provisional ticket and the printer's test page.

A provisional ticket is printed before payment (a customer wants to see the
bill): the basket's lines and total under a banner that says it is not a
receipt, with no ticket number. It records nothing in the journal (the
events chain's kinds are login, closing, sync failure...: not this).
"""

from __future__ import annotations

import time

from app import __version__
from app.core.basket import BasketTotals
from app.core.ticket_layout import RULE, Row, TicketLayout
from app.qt.formatting import format_datetime, format_money
from app.qt.i18n import language, tr
from app.qt.receipt import line_rows, shop_footer, shop_header
from app.till.printing.transport import PrinterConfig
from crdt_models.documents.settings import ShopInfo

__all__ = ["printer_test_layout", "provisional_layout"]


def provisional_layout(
    totals: BasketTotals, shop: ShopInfo, till_name: str, cashier_name: str, now: int | None = None
) -> TicketLayout:
    """The basket in progress as a provisional ticket (clearly not a receipt)."""
    lang = language()
    ts = int(time.time()) if now is None else now
    banner = tr("PROVISIONAL TICKET — NOT A RECEIPT")
    rows = [Row(banner, strong=True), RULE]
    for line_total in totals.lines:
        line = line_total.line
        rows += line_rows(
            line.label, line_total.total, line.quantity, line.unit_price, line_total.line_discount
        )
        if line.note:
            rows.append(Row("  " + line.note))
    rows.append(RULE)
    if totals.basket_discount:
        rows.append(Row(tr("Basket discount"), format_money(-totals.basket_discount, lang)))
    rows.append(Row(tr("TOTAL"), format_money(totals.total, lang), strong=True))
    rows.append(RULE)
    rows.append(Row(tr("Till: {till}", till=till_name)))
    if cashier_name:
        rows.append(Row(tr("Cashier: {name}", name=cashier_name)))
    rows.append(Row(format_datetime(ts, lang)))
    rows.append(Row(banner))
    return TicketLayout(
        title=f"provisional-{ts}",
        header=tuple(shop_header(shop)),
        rows=tuple(rows),
        footer=tuple(shop_footer(shop)),
    )


def printer_test_layout(config: PrinterConfig, shop: ShopInfo, till_name: str) -> TicketLayout:
    """A page that shows the printer works: where it is, the paper width (a ruler
    of digits as wide as the paper), accents and the euro sign, the size of a total."""
    lang = language()
    ruler = "".join(str(i % 10) for i in range(1, config.columns + 1))
    rows = (
        Row(tr("TEST PAGE"), strong=True),
        RULE,
        Row(tr("Printer: {place}", place=config.place)),
        Row(tr("Paper: {n} characters per line", n=config.columns)),
        Row(ruler),
        Row("àâçéèêëîïôùûü ÀÇÉÈ œ € ×"),
        Row(tr("TOTAL"), format_money(123456, lang), strong=True),
        RULE,
        Row(tr("Till: {till}", till=till_name)),
        Row(format_datetime(int(time.time()), lang)),
        Row(f"Skytill {__version__}"),
    )
    return TicketLayout(title="test-page", header=tuple(shop_header(shop)), rows=rows)
