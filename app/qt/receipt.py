"""Receipts: what a ticket shows, as a :class:`~app.core.ticket_layout.TicketLayout`
(text, HTML for the screen and PDF, ESC/POS bytes for a receipt printer).

A receipt is made from the journal record, never from the basket, so a
reprint shows exactly what was validated. A reprint on the till is marked
DUPLICATE with its reprint number (the journal's duplicate record); a copy
from the manager, which has no journal to record it in, is marked DUPLICATE
without a number (``copy=True``). Shared by the till and the manager.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app import __version__
from app.core.ticket_layout import RULE, Row, TicketLayout
from app.qt.formatting import format_datetime, format_money, format_percent_bp
from app.qt.i18n import language, tr
from crdt_models.documents.settings import ShopInfo
from crdt_models.journal import QTY_ONE, Record

__all__ = ["Receipt", "line_rows", "print_pdf", "shop_footer", "shop_header"]

WIDTH = 42  # characters on an 80 mm ticket


@dataclass(frozen=True, slots=True)
class Receipt:
    """One ticket, ready to render. ``reprint`` is 0 for the original; ``copy`` marks a
    duplicate that no journal records (the manager's)."""

    shop: ShopInfo
    record: Record
    till_name: str
    cashier_name: str
    method_names: Mapping[str, str]
    reprint: int = 0
    customer_name: str = ""
    copy: bool = False

    @property
    def is_duplicate(self) -> bool:
        return self.reprint > 0 or self.copy

    @property
    def body(self) -> Mapping[str, Any]:
        return self.record.body

    @property
    def ticket(self) -> str:
        return str(self.body["ticket"])

    def rows(self) -> list[Row]:
        """The rows of the ticket, top to bottom (the total and the duplicate mark strong)."""
        lang = language()
        body = self.body

        def money(cents: int) -> str:
            return format_money(cents, lang)

        out: list[Row] = []
        if self.is_duplicate:
            out.append(Row(self.duplicate_mark(), strong=True))
        if self.record.kind == "refund":
            out.append(Row(tr("REFUND")))
            original = body["original"]["ticket"]
            out.append(Row(tr("of ticket {ticket}", ticket=original)))
            out.append(Row(tr("Reason: {reason}", reason=body["reason"])))
        out.append(RULE)
        for line in body["lines"]:
            qty = line["qty"]
            units = qty // QTY_ONE if qty % QTY_ONE == 0 else qty / QTY_ONE
            if "unit_price" in line:
                out += line_rows(
                    line["label"], line["total"], units, line["unit_price"], line.get("discount", 0)
                )
            else:  # a refund line: what was taken back
                out.append(Row(line["label"], money(line["total"])))
                out.append(Row("  " + tr("{n} returned", n=units)))
        out.append(RULE)
        if body.get("basket_discount"):
            out.append(Row(tr("Basket discount"), money(-body["basket_discount"])))
        out.append(Row(tr("TOTAL"), money(body["total"]), strong=True))
        for row in body["vat"]:
            rate = format_percent_bp(row["rate_bp"], lang)
            out.append(
                Row(
                    tr("VAT {rate} on {gross}", rate=rate, gross=money(row["gross"])),
                    money(row["vat"]),
                )
            )
        out.append(RULE)
        for payment in body["payments"]:
            name = self.method_names.get(payment["method"], payment["method"])
            out.append(Row(name, money(payment["amount"])))
        if body.get("change"):
            out.append(Row(tr("Change"), money(body["change"])))
        out.append(RULE)
        out.append(Row(tr("Ticket {ticket}", ticket=self.ticket)))
        out.append(Row(tr("Till: {till}", till=self.till_name)))
        out.append(Row(tr("Cashier: {name}", name=self.cashier_name)))
        if self.customer_name:
            out.append(Row(tr("Customer: {name}", name=self.customer_name)))
        out.append(Row(format_datetime(self.record.ts, lang)))
        out.append(Row(f"Skytill {__version__}"))
        return out

    def duplicate_mark(self) -> str:
        return tr("DUPLICATE no. {n}", n=self.reprint) if self.reprint else tr("DUPLICATE")

    def header_lines(self) -> list[str]:
        return shop_header(self.shop)

    def footer_lines(self) -> list[str]:
        return shop_footer(self.shop)

    def layout(self) -> TicketLayout:
        """The ticket, worded and ready for any printer (or the screen)."""
        suffix = f"-dup{self.reprint}" if self.reprint else "-copy" if self.copy else ""
        return TicketLayout(
            title=self.ticket + suffix,
            header=tuple(self.header_lines()),
            rows=tuple(self.rows()),
            footer=tuple(self.footer_lines()),
        )

    def to_text(self, width: int = WIDTH) -> str:
        """The ticket as fixed-width text (what an ESC/POS printer prints)."""
        return self.layout().to_text(width)

    def to_html(self) -> str:
        """The ticket as simple HTML for a QTextBrowser or a PDF."""
        return self.layout().to_html()


def shop_header(shop: ShopInfo) -> list[str]:
    """The shop's lines at the top of every ticket: name, address, legal ids, header text."""
    lines = [shop.name, shop.address, shop.phone]
    if shop.legal_id:
        lines.append(tr("SIRET {id}", id=shop.legal_id))
    if shop.vat_number:
        lines.append(tr("VAT no. {id}", id=shop.vat_number))
    lines.append(shop.receipt_header)
    return [x for part in lines for x in part.splitlines() if x.strip()]


def shop_footer(shop: ShopInfo) -> list[str]:
    """The shop's footer text, one line per line."""
    return [x for x in shop.receipt_footer.splitlines() if x.strip()]


def line_rows(
    label: str, total: int, units: int | float, unit_price: int, discount: int = 0
) -> list[Row]:
    """A sold line: its label and total, then quantity × unit price and its discount."""
    lang = language()
    detail = f"  {units} × {format_money(unit_price, lang)}"
    if discount:
        detail += "  " + tr("discount {amount}", amount=format_money(-discount, lang))
    return [Row(label, format_money(total, lang)), Row(detail)]


def print_pdf(layout: TicketLayout, path: Path) -> Path:
    """Write the ticket to a PDF (80 mm wide roll) at ``path`` and return it."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QSizeF(80, 200), QPageSize.Unit.Millimeter, "receipt"))
    writer.setPageMargins(QMarginsF(4, 4, 4, 4), QPageLayout.Unit.Millimeter)
    writer.setResolution(203)  # a thermal printer's dots per inch
    writer.setTitle(layout.title)
    document = QTextDocument()
    document.setHtml(layout.to_html())
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.print_(writer)
    return path
