"""The Z closings tab: every closing (day, month, year) of every till, and the chosen one.

One row per closing record held on this computer (the journal tab's Refresh
copies the tills' records from the relay): its till, period and label, when
it was made, its ticket count and totals (incl. VAT, VAT, per VAT rate, per
payment method) and the till's grand total, in a sortable table whose columns
fit their contents: till, closing, tickets, total and grand total first, as
the table scrolls sideways for the rest beside the detail pane. Selecting a
row shows the closing as the till shows it, every figure
(:func:`app.qt.closing_report.closing_html`).
The figures are the signed record's own: nothing is recomputed here (the
integrity check does that, from the chain).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.payments import journal_method_names
from app.manager.context import ManagerContext
from app.manager.table import Column, EntryTableModel
from app.qt.closing_report import closing_html, closing_title
from app.qt.formatting import format_datetime, format_money, format_percent_bp
from app.qt.i18n import language, tr, translator
from app.qt.widgets import refill_combo
from crdt_models.journal import PERIODS, SALES, Record

__all__ = ["ClosingsView", "closing_vat", "period_name"]

#: The column of the closing's time (the table's first order: newest first).
CLOSED_AT = 5

#: Far enough in the future to mean "every record" (the journal's ts limit).
_END_OF_TIME = 2**53


def period_name(period: str) -> str:
    names = {
        "day": lambda: tr("Day (Z)"),
        "month": lambda: tr("Month"),
        "year": lambda: tr("Year"),
    }
    name = names.get(period)
    return name() if name is not None else period


def closing_vat(body: Mapping[str, Any]) -> int:
    """The VAT a closing collected, over every rate (cents)."""
    return sum(int(row["vat"]) for row in body["vat"])


class ClosingsView(QWidget):
    """Closings of every till, filterable by till and period; the chosen one in full."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.records: list[Record] = []
        self.shown: Record | None = None
        self.till = QComboBox()
        self.period = QComboBox()
        lang = language

        def money(key: str) -> Column:
            return Column(
                {
                    "total": lambda: tr("Total incl. VAT"),
                    "grand_total": lambda: tr("Grand total"),
                }[key],
                lambda r: format_money(r.body[key], lang()),
                lambda r: r.body[key],
                numeric=True,
                width=None,
            )

        self.model = EntryTableModel(
            [
                Column(
                    lambda: tr("Till"),
                    lambda r: context.till_name(r.till_id),
                    lambda r: context.till_name(r.till_id),
                    width=None,
                ),
                Column(
                    lambda: tr("Closing"),
                    lambda r: closing_title(r.body),
                    lambda r: (r.body["label"], PERIODS.index(r.body["period"])),
                    width=None,
                ),
                Column(
                    lambda: tr("Tickets"),
                    lambda r: str(r.body["tickets"]),
                    lambda r: r.body["tickets"],
                    numeric=True,
                    width=None,
                ),
                money("total"),
                money("grand_total"),
                Column(
                    lambda: tr("Closed at"),
                    lambda r: format_datetime(r.ts, lang()),
                    lambda r: r.ts,
                    width=None,
                ),
                Column(
                    lambda: tr("VAT"),
                    lambda r: format_money(closing_vat(r.body), lang()),
                    lambda r: closing_vat(r.body),
                    numeric=True,
                    width=None,
                ),
                Column(lambda: tr("Per VAT rate"), self.vat_text, self.vat_text, width=None),
                Column(
                    lambda: tr("Per payment method"),
                    self.payments_text,
                    self.payments_text,
                    width=None,
                ),
            ],
            entry_id=lambda r: r.hash,
            search_text=lambda r: str(r.body["label"]),
            parent=self,
        )
        self.model.sort(CLOSED_AT, Qt.SortOrder.DescendingOrder)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSortIndicator(CLOSED_AT, Qt.SortOrder.DescendingOrder)
        self.model.configure_view(self.table, stretch=None)
        self.detail = QTextBrowser()
        self.detail.setMinimumWidth(320)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.till)
        filters.addWidget(self.period)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.till.currentIndexChanged.connect(lambda _i: self._show())
        self.period.currentIndexChanged.connect(lambda _i: self._show())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        translator().changed.connect(self._on_language)
        self._retranslate()

    # -- cells -------------------------------------------------------------

    def method_names(self) -> dict[str, str]:
        return journal_method_names(self.context.settings)

    def vat_text(self, record: Record) -> str:
        """ "5.5 %: €1.20 · 10 %: €1.50" (VAT collected per rate)."""
        lang = language()
        return " · ".join(
            f"{format_percent_bp(v['rate_bp'], lang)}: {format_money(v['vat'], lang)}"
            for v in record.body["vat"]
        )

    def payments_text(self, record: Record) -> str:
        """ "Cash €21.60 · Card €3.90"."""
        names = self.method_names()
        lang = language()
        return " · ".join(
            f"{names.get(p['method'], p['method'])} {format_money(p['amount'], lang)}"
            for p in record.body["payments"]
        )

    # -- contents ----------------------------------------------------------

    def refresh(self) -> None:
        """Re-read every closing record held on this computer."""
        records = self.context.store.records_between(0, _END_OF_TIME, kind="closing")
        self.records = [r for r in records if r.chain == SALES]
        till_ids = sorted({r.till_id for r in self.records}, key=self.context.till_name)
        refill_combo(
            self.till, [(tr("All tills"), ""), *((self.context.till_name(t), t) for t in till_ids)]
        )
        self._show()

    def shown_records(self) -> list[Record]:
        till = str(self.till.currentData() or "")
        period = str(self.period.currentData() or "")
        return [
            r
            for r in self.records
            if (not till or r.till_id == till) and (not period or r.body["period"] == period)
        ]

    def _show(self) -> None:
        self.model.reset(self.shown_records())
        self.show_closing(None)

    def select(self, record: Record) -> None:
        """Select ``record``'s row (and show it)."""
        row = self.model.row_of(record.hash)
        if row is not None:
            self.table.selectRow(row)

    def show_closing(self, record: Record | None) -> None:
        """Show ``record`` in full beside the table (None: a hint)."""
        self.shown = record
        if record is None:
            self.detail.setHtml(f"<p>{tr('Select a closing to see it in full.')}</p>")
            return
        till = self.context.till_name(record.till_id)
        self.detail.setHtml(closing_html(record, till, self.method_names()))

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.show_closing(self.model.entry(rows[0].row()) if rows else None)

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        periods = [(period_name(p), p) for p in PERIODS]
        refill_combo(self.period, [(tr("Every period"), ""), *periods])
        if self.till.count():
            self.till.setItemText(0, tr("All tills"))
        self.model.refresh_all()
        self.show_closing(self.shown)
