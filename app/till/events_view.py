"""The technical events journal (JET) viewer: this till's events chain, read-only.

One row per event, newest first: date and time, what happened, its details
(the cashier's name rather than their id). A kind filter narrows the list.
The events come from :meth:`app.till.session.TillSession.technical_events`;
nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.qt.formatting import format_datetime
from app.qt.i18n import language, tr
from crdt_models.journal import Record

__all__ = ["EventsDialog", "EventsModel", "event_kind_name"]

_Index = QModelIndex | QPersistentModelIndex

_KIND_NAMES: dict[str, Callable[[], str]] = {
    "start": lambda: tr("Till started"),
    "login": lambda: tr("Cashier signed in"),
    "logout": lambda: tr("Cashier signed out"),
    "closing": lambda: tr("Closing"),
    "sync_failure": lambda: tr("Sync failure"),
    "verify_failure": lambda: tr("Verification failure"),
    "archive": lambda: tr("Archive"),
    "purge": lambda: tr("Purge of old records"),
}


def event_kind_name(kind: str) -> str:
    """What the cashier reads for an event kind."""
    name = _KIND_NAMES.get(kind)
    return name() if name else kind


def _details(record: Record, cashiers: Mapping[str, str]) -> str:
    body = record.body
    if record.kind in ("login", "logout"):
        return cashiers.get(body["cashier"], body["cashier"])
    if record.kind == "closing":
        period = {"day": tr("Day"), "month": tr("Month"), "year": tr("Year")}
        name = period.get(body["period"], body["period"])
        return f"{name} {body['label']} · " + tr("record {seq}", seq=body["seq"])
    if record.kind == "purge":
        return tr(
            "{n} records older than {date}",
            n=body["records"],
            date=format_datetime(body["before"], language()),
        )
    return " · ".join(f"{key}: {value}" for key, value in sorted(body.items()))


class EventsModel(QAbstractTableModel):
    """The events shown (newest first), filtered by kind ("" for every kind)."""

    COLUMNS = ("Date and time", "Event", "Details")

    def __init__(
        self, events: Sequence[Record], cashiers: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._all = list(events)
        self._cashiers = dict(cashiers)
        self._shown = self._all

    def set_kind(self, kind: str) -> None:
        self.beginResetModel()
        self._shown = [r for r in self._all if not kind or r.kind == kind]
        self.endResetModel()

    def kinds(self) -> list[str]:
        """The kinds present, in the order of their names."""
        return sorted({r.kind for r in self._all}, key=event_kind_name)

    def record_at(self, row: int) -> Record:
        return self._shown[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        record = self._shown[index.row()]
        col = index.column()
        if col == 0:
            return format_datetime(record.ts, language())
        if col == 1:
            return event_kind_name(record.kind)
        return _details(record, self._cashiers)


class EventsDialog(QDialog):
    """The JET viewer: a table of events and a kind filter; it only reads."""

    def __init__(
        self, events: Sequence[Record], cashiers: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Technical events journal"))
        self.setModal(True)
        self.model = EventsModel(events, cashiers, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(48)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.kind = QComboBox()
        self.kind.setMinimumHeight(48)
        self.kind.addItem(tr("Every event"), "")
        for kind in self.model.kinds():
            self.kind.addItem(event_kind_name(kind), kind)
        self.kind.currentIndexChanged.connect(
            lambda _i: self.model.set_kind(str(self.kind.currentData()))
        )
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        title = QLabel(tr("Technical events journal"))
        title.setObjectName("screenTitle")
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(QLabel(tr("Show")))
        top.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        if not events:
            layout.addWidget(QLabel(tr("No technical event recorded yet.")))
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.resize(1000, 640)

    def show_kind(self, kind: str) -> None:
        """Show only ``kind`` ("" for every kind)."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
