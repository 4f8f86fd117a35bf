"""The Closings & journal section: the journal records this computer holds, by day and till.

Shows one day's records (sales, refunds, duplicates, closings) of every till
or one till; exports a till's whole journal as JSON Lines (the file
``skytill journal verify`` checks) and the day as an accounting CSV (one row
per ticket and VAT rate).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.manager.context import ManagerContext
from app.manager.dashboard_page import day_bounds
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_datetime, format_money
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar
from crdt_models.journal import Record

__all__ = ["JournalPage", "accounting_csv"]

_KINDS = ("sale", "refund", "duplicate", "closing")


def accounting_csv(records: list[Record], till_names: dict[str, str]) -> str:
    """One row per sale or refund and VAT rate: date, till, ticket, rate, gross, net, VAT (cents
    as ``12.34``), so that the rows of a day add up to its revenue."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "till", "ticket", "kind", "vat_rate", "gross", "net", "vat"])

    def amount(cents: int) -> str:
        sign = "-" if cents < 0 else ""
        return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"

    for record in records:
        if record.kind not in ("sale", "refund"):
            continue
        when = datetime.fromtimestamp(record.ts).isoformat(timespec="seconds")
        for row in record.body["vat"]:
            writer.writerow(
                [
                    when,
                    till_names.get(record.till_id, record.till_id),
                    record.body["ticket"],
                    record.kind,
                    f"{row['rate_bp'] / 100:g}",
                    amount(row["gross"]),
                    amount(row["net"]),
                    amount(row["vat"]),
                ]
            )
    return out.getvalue()


def _kind_name(kind: str) -> str:
    names = {
        "sale": lambda: tr("Sale"),
        "refund": lambda: tr("Refund"),
        "duplicate": lambda: tr("Duplicate"),
        "closing": lambda: tr("Closing"),
    }
    name = names.get(kind)
    return name() if name is not None else kind


class JournalPage(QWidget):
    """One day of the journal, filterable by till and kind."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.records: list[Record] = []
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.message = MessageBar(self)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        today = datetime.fromtimestamp(context.clock()).date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.till = QComboBox()
        self.kind = QComboBox()
        self.refresh_button = QPushButton()
        self.export_journal_button = QPushButton()
        self.export_csv_button = QPushButton()
        self.notice = QLabel()
        self.notice.setProperty("role", "hint")
        self.notice.setWordWrap(True)
        self.model = EntryTableModel(
            [
                Column(
                    lambda: tr("Time"),
                    lambda r: format_datetime(r.ts, language()),
                    lambda r: r.ts,
                    width=170,
                ),
                Column(
                    lambda: tr("Till"),
                    lambda r: self.context.till_name(r.till_id),
                    lambda r: self.context.till_name(r.till_id),
                    width=200,
                ),
                Column(
                    lambda: tr("Ticket"),
                    lambda r: str(r.body.get("ticket", r.seq)),
                    lambda r: (r.till_id, r.seq),
                    width=160,
                ),
                Column(lambda: tr("Kind"), lambda r: _kind_name(r.kind), lambda r: r.kind),
                Column(
                    lambda: tr("Total"),
                    lambda r: (
                        format_money(r.body["total"], language())
                        if isinstance(r.body.get("total"), int)
                        else ""
                    ),
                    lambda r: r.body.get("total", 0) if isinstance(r.body.get("total"), int) else 0,
                    numeric=True,
                ),
            ],
            entry_id=lambda r: r.hash,
            search_text=lambda r: f"{r.body.get('ticket', '')} {r.kind}",
            parent=self,
        )
        self.model.sort(0, Qt.SortOrder.AscendingOrder)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.model.configure_view(self.table, stretch=1)
        top = QHBoxLayout()
        for widget in (self.day, self.till, self.kind, self.refresh_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.export_journal_button)
        top.addWidget(self.export_csv_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.till.currentIndexChanged.connect(lambda _i: self._show())
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        self.refresh_button.clicked.connect(self.refresh)
        self.export_journal_button.clicked.connect(lambda: self.export_journal())
        self.export_csv_button.clicked.connect(lambda: self.export_accounting())
        translator().changed.connect(self._on_language)
        self._retranslate()
        self.refresh()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        """Re-read the chosen day's records from the local journal."""
        self.records = self.context.journal_records(*day_bounds(self.chosen_day()))
        chosen = self.till.currentData()
        self.till.blockSignals(True)
        self.till.clear()
        self.till.addItem(tr("All tills"), "")
        for till_id in sorted({r.till_id for r in self.records}):
            self.till.addItem(self.context.till_name(till_id), till_id)
        self.till.setCurrentIndex(max(0, self.till.findData(chosen)))
        self.till.blockSignals(False)
        self._show()

    def shown_records(self) -> list[Record]:
        till = str(self.till.currentData() or "")
        kind = str(self.kind.currentData() or "")
        return [
            r
            for r in self.records
            if r.chain == "sales"
            and (not till or r.till_id == till)
            and (not kind or r.kind == kind)
        ]

    def _show(self) -> None:
        self.model.reset(self.shown_records())

    def export_journal(self, path: Path | None = None) -> int | None:
        """Write the chosen till's whole journal (sales chain) as JSON Lines."""
        till = str(self.till.currentData() or "") or self.context.store.identity.till_id
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Export the journal"), f"journal-{till[:8]}.jsonl"
            )
            if not chosen:
                return None
            path = Path(chosen)
        count = self.context.store.export_journal(path, till_id=till, chain="sales")
        self.message.show_message(tr("{n} records exported to {path}.", n=count, path=str(path)))
        return count

    def export_accounting(self, path: Path | None = None) -> Path | None:
        """Write the chosen day's sales and refunds as an accounting CSV."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Export for the accountant"), f"sales-{self.chosen_day()}.csv"
            )
            if not chosen:
                return None
            path = Path(chosen)
        names = {t.id: t.name for t in self.context.settings.tills(include_archived=True)}
        path.write_text(accounting_csv(self.shown_records(), names), encoding="utf-8")
        self.message.show_message(tr("Accounting file written to {path}.", path=str(path)))
        return path

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(tr("Closings & journal"))
        self.day.setDisplayFormat("dd/MM/yyyy" if language() == "fr" else "d MMM yyyy")
        self.refresh_button.setText(tr("Refresh"))
        self.export_journal_button.setText(tr("Export the journal…"))
        self.export_csv_button.setText(tr("Export for the accountant…"))
        self.notice.setText(
            "ℹ "
            + tr(
                "These are the records this computer has received. Checking every till's "
                "signatures needs the tills' public keys, which the relay holds."
            )
        )
        chosen = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(tr("All records"), "")
        for kind in _KINDS:
            self.kind.addItem(_kind_name(kind), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(chosen)))
        self.kind.blockSignals(False)
        if self.till.count():
            self.till.setItemText(0, tr("All tills"))
        self.model.refresh_all()
