"""The Closings & journal section: the tills' journals, their closings and their integrity.

The manager keeps no journal of its own: it copies the tills' signed records
from the relay (:func:`app.manager.relay_journal.pull_journals`, each record
checked against the chain held here) when it signs in and on Refresh, and
shows what this computer holds, so the tabs work offline too:

- **Journal**: one day's records (sales, refunds, duplicates, closings) of
  every till or one till; a sale or refund reprinted as a DUPLICATE
  (:mod:`app.manager.reprint_dialog`, recorded nowhere); a till's whole
  journal exported as JSON Lines (the file ``skytill journal verify``
  checks) and the day as an accounting CSV (one row per ticket and VAT rate);
- **Z closings**: :class:`~app.manager.closings_page.ClosingsView`;
- **Integrity**: :class:`~app.manager.integrity_view.IntegrityView`.
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.periods import Period, shop_today
from app.manager.closings_page import ClosingsView
from app.manager.context import ManagerContext
from app.manager.integrity_view import IntegrityView
from app.manager.relay_connection import RelayConnection, relay_error_text
from app.manager.relay_journal import PullResult, pull_journals, relay_asker
from app.manager.reprint_dialog import ReprintDialog
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_datetime, format_money
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar, refill_combo
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


def _ticket_of(record: Record) -> str:
    """A sale's or refund's ticket number; a duplicate's is the reprinted ticket's."""
    if "ticket" in record.body:
        return str(record.body["ticket"])
    original = record.body.get("original")
    if isinstance(original, dict) and "ticket" in original:
        return str(original["ticket"])
    return str(record.seq)


class JournalPage(QWidget):
    """The journal, closings and integrity tabs; ``relay`` (signed in) feeds them the tills'
    records."""

    def __init__(
        self,
        context: ManagerContext,
        relay: RelayConnection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.relay = relay
        self.fetching = False
        self.records: list[Record] = []
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.message = MessageBar(self)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        today = shop_today(context.clock(), context.settings.zone())
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.till = QComboBox()
        self.kind = QComboBox()
        self.refresh_button = QPushButton()
        self.reprint_button = QPushButton()
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
                    _ticket_of,
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
            search_text=lambda r: f"{_ticket_of(r)} {r.kind}",
            parent=self,
        )
        self.model.sort(0, Qt.SortOrder.AscendingOrder)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.model.configure_view(self.table, stretch=1)
        journal = QWidget()
        filters = QHBoxLayout()
        for choice in (self.day, self.till, self.kind):
            filters.addWidget(choice)
        filters.addStretch(1)
        for button in (self.reprint_button, self.export_journal_button, self.export_csv_button):
            filters.addWidget(button)
        journal_layout = QVBoxLayout(journal)
        journal_layout.setContentsMargins(0, 0, 0, 0)
        journal_layout.addLayout(filters)
        journal_layout.addWidget(self.table, 1)
        self.closings = ClosingsView(context)
        self.integrity = IntegrityView(context, relay)
        self.tabs = QTabWidget()
        self.tabs.addTab(journal, "")
        self.tabs.addTab(self.closings, "")
        self.tabs.addTab(self.integrity, "")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.till.currentIndexChanged.connect(lambda _i: self._show())
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable_reprint())
        self.table.doubleClicked.connect(lambda _i: self.reprint())
        self.refresh_button.clicked.connect(self.fetch)
        self.reprint_button.clicked.connect(lambda: self.reprint())
        self.export_journal_button.clicked.connect(lambda: self.export_journal())
        self.export_csv_button.clicked.connect(lambda: self.export_accounting())
        self.integrity.finished.connect(self.refresh)  # it kept the verified records here
        if relay is not None:
            relay.state_changed.connect(self._on_relay_state)
        translator().changed.connect(self._on_language)
        self._retranslate()
        self.refresh()
        if relay is not None and relay.signed_in:
            self.fetch()

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def fetch(self) -> None:
        """Copy the tills' new records from the relay (when signed in), then show them."""
        relay = self.relay
        if relay is None or not relay.signed_in or self.fetching:
            self.refresh()
            return
        self.fetching = True
        self.refresh_button.setEnabled(False)
        relay.bridge.submit(
            pull_journals(relay_asker(relay), self.context.store),
            on_result=self._fetched,
            on_error=self._fetch_failed,
        )

    def _fetched(self, result: PullResult) -> None:
        self.fetching = False
        self.refresh_button.setEnabled(True)
        if result.problems:
            names = ", ".join(self.context.till_name(t) for t in sorted(result.problems))
            self.message.show_message(
                tr(
                    "Some records of {tills} do not continue the journal held here: "
                    "run the integrity check.",
                    tills=names,
                ),
                level="warning",
            )
        elif result.stored:
            self.message.show_message(tr("{n} new records from the relay.", n=result.stored))
        self.refresh()

    def _fetch_failed(self, error: BaseException) -> None:
        self.fetching = False
        self.refresh_button.setEnabled(True)
        self.message.show_message(relay_error_text(error), level="warning")
        self.refresh()

    def _on_relay_state(self, online: bool) -> None:
        if online:
            self.fetch()

    def refresh(self) -> None:
        """Re-read the chosen day's records and the closings from this computer's store."""
        day = self.chosen_day()
        self.records = self.context.journal_records(
            *Period(day, day).bounds(self.context.settings.zone())
        )
        till_ids = sorted({r.till_id for r in self.records})
        refill_combo(
            self.till, [(tr("All tills"), ""), *((self.context.till_name(t), t) for t in till_ids)]
        )
        self._show()
        self.closings.refresh()

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
        self._enable_reprint()

    def selected_record(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _enable_reprint(self) -> None:
        record = self.selected_record()
        self.reprint_button.setEnabled(record is not None and record.kind in ("sale", "refund"))

    def reprint(self, record: Record | None = None) -> ReprintDialog | None:
        """Show the selected sale or refund (or ``record``) as a duplicate, to print or save."""
        record = record or self.selected_record()
        if record is None or record.kind not in ("sale", "refund"):
            return None
        dialog = ReprintDialog(self.context, record, self)
        dialog.open()
        return dialog

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
        self.refresh_button.setToolTip(
            tr("Copies the tills' new records from the relay (when signed in) and shows them.")
        )
        self.reprint_button.setText(tr("Reprint…"))
        self.reprint_button.setToolTip(ReprintDialog.explanation())
        for index, title in enumerate((tr("Journal"), tr("Z closings"), tr("Integrity"))):
            self.tabs.setTabText(index, title)
        self.export_journal_button.setText(tr("Export the journal…"))
        self.export_csv_button.setText(tr("Export for the accountant…"))
        self.notice.setText(
            "ℹ "
            + tr(
                "These are the records this computer holds. While you are signed in, "
                "Refresh copies the tills' new records from the relay."
            )
        )
        refill_combo(self.kind, [(tr("All records"), ""), *((_kind_name(k), k) for k in _KINDS)])
        if self.till.count():
            self.till.setItemText(0, tr("All tills"))
        self.model.refresh_all()
