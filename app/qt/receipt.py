"""Receipts: what a ticket shows, as text (tests, ESC/POS) or HTML (screen, PDF).

A receipt is made from the journal record, never from the basket, so a
reprint shows exactly what was validated. A reprint on the till is marked
DUPLICATE with its reprint number (the journal's duplicate record); a copy
from the manager, which has no journal to record it in, is marked DUPLICATE
without a number (``copy=True``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app import __version__
from app.qt.formatting import format_datetime, format_money, format_percent_bp
from app.qt.i18n import language, tr
from crdt_models.documents.settings import ShopInfo
from crdt_models.journal import QTY_ONE, Record

__all__ = ["Receipt", "print_pdf"]

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

    def rows(self) -> list[tuple[str, str]]:
        """(left, right) rows of the ticket, top to bottom; ("", "") is a rule."""
        lang = language()
        body = self.body

        def money(cents: int) -> str:
            return format_money(cents, lang)

        out: list[tuple[str, str]] = []
        if self.is_duplicate:
            out.append((self.duplicate_mark(), ""))
        if self.record.kind == "refund":
            out.append((tr("REFUND"), ""))
            original = body["original"]["ticket"]
            out.append((tr("of ticket {ticket}", ticket=original), ""))
            out.append((tr("Reason: {reason}", reason=body["reason"]), ""))
        out.append(("", ""))
        for line in body["lines"]:
            qty = line["qty"]
            units = qty // QTY_ONE if qty % QTY_ONE == 0 else qty / QTY_ONE
            out.append((line["label"], money(line["total"])))
            if "unit_price" in line:
                detail = f"  {units} × {money(line['unit_price'])}"
            else:  # a refund line: what was taken back
                detail = "  " + tr("{n} returned", n=units)
            if line.get("discount"):
                detail += "  " + tr("discount {amount}", amount=money(-line["discount"]))
            out.append((detail, ""))
        out.append(("", ""))
        if body.get("basket_discount"):
            out.append((tr("Basket discount"), money(-body["basket_discount"])))
        out.append((tr("TOTAL"), money(body["total"])))
        for row in body["vat"]:
            rate = format_percent_bp(row["rate_bp"], lang)
            out.append(
                (
                    tr("VAT {rate} on {gross}", rate=rate, gross=money(row["gross"])),
                    money(row["vat"]),
                )
            )
        out.append(("", ""))
        for payment in body["payments"]:
            name = self.method_names.get(payment["method"], payment["method"])
            out.append((name, money(payment["amount"])))
        if body.get("change"):
            out.append((tr("Change"), money(body["change"])))
        out.append(("", ""))
        out.append((tr("Ticket {ticket}", ticket=self.ticket), ""))
        out.append((tr("Till: {till}", till=self.till_name), ""))
        out.append((tr("Cashier: {name}", name=self.cashier_name), ""))
        if self.customer_name:
            out.append((tr("Customer: {name}", name=self.customer_name), ""))
        out.append((format_datetime(self.record.ts, lang), ""))
        out.append((f"Skytill {__version__}", ""))
        return out

    def duplicate_mark(self) -> str:
        return tr("DUPLICATE no. {n}", n=self.reprint) if self.reprint else tr("DUPLICATE")

    def header_lines(self) -> list[str]:
        shop = self.shop
        lines = [shop.name, shop.address, shop.phone]
        if shop.legal_id:
            lines.append(tr("SIRET {id}", id=shop.legal_id))
        if shop.vat_number:
            lines.append(tr("VAT no. {id}", id=shop.vat_number))
        lines.append(shop.receipt_header)
        return [x for part in lines for x in part.splitlines() if x.strip()]

    def footer_lines(self) -> list[str]:
        return [x for x in self.shop.receipt_footer.splitlines() if x.strip()]

    def to_text(self, width: int = WIDTH) -> str:
        """The ticket as fixed-width text (what an ESC/POS printer prints)."""
        out = [line.center(width).rstrip() for line in self.header_lines()]
        for left, right in self.rows():
            if not left and not right:
                out.append("-" * width)
            elif not right:
                out.append(left)
            else:
                room = width - len(right) - 1
                out.append(f"{left[:room]:<{room}} {right}")
        out.extend(line.center(width).rstrip() for line in self.footer_lines())
        return "\n".join(out).replace("\u202f", " ").replace("\u00a0", " ")

    def to_html(self) -> str:
        """The ticket as simple HTML for a QTextBrowser or a PDF."""
        parts = ['<div style="font-family: monospace;">']
        for line in self.header_lines():
            parts.append(f'<p align="center" style="margin:0">{escape(line)}</p>')
        parts.append('<table width="100%" cellspacing="0" cellpadding="1">')
        for left, right in self.rows():
            if not left and not right:
                parts.append('<tr><td colspan="2"><hr/></td></tr>')
                continue
            strong = left == tr("TOTAL") or (self.is_duplicate and left == self.duplicate_mark())
            style = ' style="font-weight:bold; font-size:large"' if strong else ""
            pad = ' style="padding-left:18px"' if left.startswith(" ") else ""
            parts.append(
                f"<tr{style}><td{pad}>{escape(left.strip())}</td>"
                f'<td align="right">{escape(right)}</td></tr>'
            )
        parts.append("</table>")
        for line in self.footer_lines():
            parts.append(f'<p align="center" style="margin:0">{escape(line)}</p>')
        parts.append("</div>")
        return "\n".join(parts)


def print_pdf(receipt: Receipt, path: Path) -> Path:
    """Write the ticket to a PDF (80 mm wide roll) at ``path`` and return it."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QSizeF(80, 200), QPageSize.Unit.Millimeter, "receipt"))
    writer.setPageMargins(QMarginsF(4, 4, 4, 4), QPageLayout.Unit.Millimeter)
    writer.setResolution(203)  # a thermal printer's dots per inch
    writer.setTitle(receipt.ticket)
    document = QTextDocument()
    document.setHtml(receipt.to_html())
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.print_(writer)
    return path
