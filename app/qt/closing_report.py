"""A closing (day Z, month, year) as HTML: counts, VAT per rate, payments, totals.

Shared by the till (the report after a closing) and the manager (the
closings list): both show a closing record's body the same way. Pure
formatting of the signed body; the record itself is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from app.qt.formatting import format_datetime, format_money, format_percent_bp
from app.qt.i18n import language, tr
from crdt_models.journal import Record

__all__ = ["closing_html", "closing_title"]


def closing_title(body: Mapping[str, object]) -> str:
    """ "Z closing 2026-11-27", "Month closing 2026-11", "Year closing 2026"."""
    label = str(body["label"])
    if body["period"] == "month":
        return tr("Month closing {label}", label=label)
    if body["period"] == "year":
        return tr("Year closing {label}", label=label)
    return tr("Z closing {label}", label=label)


def closing_html(record: Record, till_name: str, method_names: Mapping[str, str]) -> str:
    """The closing ``record`` as HTML for a QTextBrowser or a PDF."""
    lang = language()
    body = record.body
    rows = [
        (tr("Tickets"), str(body["tickets"])),
        (tr("Refunds"), str(body["refunds"])),
        (tr("Duplicates"), str(body["duplicates"])),
    ]
    rows += [
        (
            tr(
                "VAT {rate} on {gross}",
                rate=format_percent_bp(v["rate_bp"], lang),
                gross=format_money(v["gross"], lang),
            ),
            format_money(v["vat"], lang),
        )
        for v in body["vat"]
    ]
    rows += [
        (method_names.get(p["method"], p["method"]), format_money(p["amount"], lang))
        for p in body["payments"]
    ]
    rows += [
        (tr("TOTAL"), format_money(body["total"], lang)),
        (tr("Grand total"), format_money(body["grand_total"], lang)),
        (tr("Perpetual grand total"), format_money(body["grand_total_abs"], lang)),
    ]
    parts = [
        '<div style="font-family: monospace;">',
        f'<p align="center"><b>{escape(closing_title(body))}</b></p>',
        f'<p align="center">{escape(till_name)} · {escape(format_datetime(record.ts, lang))}</p>',
        '<table width="100%" cellspacing="0" cellpadding="1">',
    ]
    parts += [
        f'<tr><td>{escape(left)}</td><td align="right">{escape(right)}</td></tr>'
        for left, right in rows
    ]
    parts.append("</table></div>")
    return "\n".join(parts)
