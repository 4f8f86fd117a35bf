"""A searchable, sortable list of entries beside the editor of the selected one.

The layout every manager list shares: a search box (filters as you type), a
"show archived" switch, action buttons, a count, then the table on the left
and an editor panel on the right. The table is a ``QTableView`` over a
:class:`~app.manager.table.EntryTableModel` that filters and sorts itself,
so that typing in the search box stays quick with 100,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.manager.table import EntryTableModel
from app.qt.formatting import format_number
from app.qt.i18n import language, tr, translator

__all__ = ["EntryList", "count_text"]

#: How long typing may pause before the filter runs (a burst of keys filters once).
SEARCH_DELAY_MS = 120


class EntryList(QWidget):
    """Search box + table + editor panel. ``selected`` gives the chosen entry's id."""

    selected = Signal(str)

    def __init__(
        self,
        model: EntryTableModel,
        editor: QWidget,
        *,
        search_hint: Callable[[], str],
        is_archived: Callable[[Any], bool],
        stretch: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._search_hint = search_hint
        self._is_archived = is_archived
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox()
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        self.buttons = QHBoxLayout()
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        model.configure_view(self.table, stretch=stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.show_archived.toggled.connect(self._apply_archived)
        self._apply_archived(False)

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.show_archived)
        top.addStretch(1)
        top.addLayout(self.buttons)
        scroll = QScrollArea()
        scroll.setWidget(editor)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(340)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)

        for signal in (
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
            model.layoutChanged,
        ):
            signal.connect(self._update_count)
        translator().changed.connect(self._retranslate)
        self._retranslate()

    def add_button(self, button: QPushButton) -> QPushButton:
        """Put an action button at the right of the search row."""
        self.buttons.addWidget(button)
        return button

    def apply_search(self) -> None:
        """Filter now by the search box's text (typing does it after a short pause)."""
        self._timer.stop()
        self.model.set_search(self.search.text())
        self._update_count()

    def select(self, entry_id: str) -> None:
        """Select and show the row of ``entry_id`` (if the filter shows it)."""
        row = self.model.row_of(entry_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    def visible_ids(self) -> list[str]:
        """Ids of the rows the filter shows, in display order."""
        return [entry.id for entry in self.model.entries()]

    def _apply_archived(self, show: bool) -> None:
        self.model.set_predicate(None if show else (lambda e: not self._is_archived(e)))
        self._update_count()

    def _on_current(self, current: object, _previous: object) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.selected.emit(self.model.entry(index.row()).id)

    def _update_count(self, *_args: object) -> None:
        self.count.setText(count_text(self.model.rowCount(), self.model.total()))

    def _retranslate(self, _lang: str = "") -> None:
        self.search.setPlaceholderText(self._search_hint())
        self.show_archived.setText(tr("Show archived"))
        self._update_count()


def count_text(shown: int, total: int) -> str:
    """``"12 shown of 40"`` with the locale's digits."""
    lang = language()
    return tr(
        "{shown} shown of {total}",
        shown=format_number(shown, lang),
        total=format_number(total, lang),
    )
