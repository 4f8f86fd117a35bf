"""Table models for long lists: one Python object per row, no widget per row.

:class:`EntryTableModel` holds the entries of one kind (products, customers...)
in a list, plus a lowercase search text per row computed once when the entry
arrives. A change summary names the ids that changed; :meth:`upsert` and
:meth:`remove` touch only those rows (``dataChanged`` for one row, an insert
at the end, or a removal), so a price change among 100,000 products redraws
one row.

:class:`SearchProxyModel` filters as you type by plain substring search over
those precomputed texts, plus an optional predicate ("hide archived").
Sorting is done by the source model on Python sort keys (one ``sorted`` call),
not by the proxy comparing ``data()`` pairs, which would cost millions of
Python calls at 100,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

__all__ = ["ENTRY_ROLE", "Column", "EntryTableModel", "SearchProxyModel"]

#: ``data(index, ENTRY_ROLE)`` returns the row's entry object itself.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

_ANY_PARENT = QModelIndex()


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, how a cell reads, how it sorts.

    ``header`` is called each time the header is drawn, so a language switch
    shows at once. ``color`` (optional) gives a swatch drawn before the text;
    ``width`` is the column's starting width in pixels.
    """

    header: Callable[[], str]
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any]
    numeric: bool = False
    color: Callable[[Any], str | None] | None = None
    width: int = 120


class EntryTableModel(QAbstractTableModel):
    """Rows of entries with stable ids; refreshed by id, sorted by key.

    ``entry_id`` gives an entry's id, ``search_text`` the text the search box
    matches against (lowercased here), ``is_dimmed`` which rows are drawn
    greyed out (archived entries).
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        entry_id: Callable[[Any], str],
        search_text: Callable[[Any], str],
        is_dimmed: Callable[[Any], bool] = lambda _entry: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._entry_id = entry_id
        self._search_text = search_text
        self._is_dimmed = is_dimmed
        self._entries: list[Any] = []
        self._keys: list[str] = []
        self._row_of: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- reading ---------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ANY_PARENT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ANY_PARENT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(entry)
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column.color is not None:
            color = column.color(entry)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.ForegroundRole and self._is_dimmed(entry):
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and self._is_dimmed(entry):
            font = QApplication.font()
            font.setItalic(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header()
        return None

    def configure_view(self, view: QTableView, *, stretch: int | None = 0) -> None:
        """Give ``view`` this model's column widths, one-line rows, column ``stretch`` stretched."""
        header = view.horizontalHeader()
        for section, column in enumerate(self._columns):
            header.resizeSection(section, column.width)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(28)

    def entry(self, row: int) -> Any:
        """The entry shown on source row ``row``."""
        return self._entries[row]

    def entries(self) -> list[Any]:
        """Every entry, in the current order (a copy)."""
        return list(self._entries)

    def row_of(self, entry_id: str) -> int | None:
        """The source row showing ``entry_id``, or None."""
        return self._row_of.get(entry_id)

    def search_key(self, row: int) -> str:
        """The lowercase text the search box matches on ``row``."""
        return self._keys[row]

    # -- changing --------------------------------------------------------

    def reset(self, entries: Iterable[Any]) -> None:
        """Replace every row (first load, or a change too large to apply by id)."""
        self.beginResetModel()
        self._entries = list(entries)
        if self._sort is not None:
            self._entries.sort(key=self._sort_key(self._sort[0]), reverse=self._reverse())
        self._reindex()
        self.endResetModel()

    def upsert(self, entries: Iterable[Any]) -> None:
        """Refresh the rows of these entries; entries not shown yet are appended.

        Only the named rows are touched: a changed entry emits ``dataChanged``
        for its own row. New rows go at the end, even when the table is sorted,
        so that a row does not jump away from the owner who just created it.
        """
        new: list[Any] = []
        last_column = len(self._columns) - 1
        for entry in entries:
            row = self._row_of.get(self._entry_id(entry))
            if row is None:
                new.append(entry)
                continue
            self._entries[row] = entry
            self._keys[row] = self._search_text(entry).casefold()
            self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
        if new:
            first = len(self._entries)
            self.beginInsertRows(_ANY_PARENT, first, first + len(new) - 1)
            for offset, entry in enumerate(new):
                self._entries.append(entry)
                self._keys.append(self._search_text(entry).casefold())
                self._row_of[self._entry_id(entry)] = first + offset
            self.endInsertRows()

    def refresh_all(self) -> None:
        """Recompute the search texts and redraw every cell (a lookup table changed:
        a category was renamed, a VAT rate, the language)."""
        self._keys = [self._search_text(e).casefold() for e in self._entries]
        if self._entries:
            last = self.index(len(self._entries) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def remove(self, entry_ids: Iterable[str]) -> None:
        """Drop the rows of these ids (ids not shown are ignored)."""
        rows = sorted(
            (r for r in (self._row_of.get(i) for i in entry_ids) if r is not None), reverse=True
        )
        for row in rows:
            self.beginRemoveRows(_ANY_PARENT, row, row)
            del self._entries[row]
            del self._keys[row]
            self.endRemoveRows()
        if rows:
            self._row_of = {self._entry_id(e): r for r, e in enumerate(self._entries)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` with one Python sort; persistent indexes follow their rows."""
        if not 0 <= column < len(self._columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_ids = [self._entry_id(self._entries[i.row()]) for i in before]
        self._entries.sort(key=self._sort_key(column), reverse=self._reverse())
        self._reindex()
        after = [
            self.index(self._row_of[entry_id], i.column())
            for entry_id, i in zip(old_ids, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sort_key(self, column: int) -> Callable[[Any], Any]:
        return self._columns[column].sort_key

    def _reverse(self) -> bool:
        return self._sort is not None and self._sort[1] == Qt.SortOrder.DescendingOrder

    def _reindex(self) -> None:
        self._keys = [self._search_text(e).casefold() for e in self._entries]
        self._row_of = {self._entry_id(e): r for r, e in enumerate(self._entries)}


class SearchProxyModel(QSortFilterProxyModel):
    """Filter an :class:`EntryTableModel` by search text and an optional predicate.

    Sorting requests are passed to the source model (see the module docstring);
    the proxy keeps the source order.
    """

    def __init__(self, source: EntryTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._needles: list[str] = []
        self._predicate: Callable[[Any], bool] | None = None
        self.setSourceModel(source)

    def set_search(self, text: str) -> None:
        """Show only rows whose search text holds every word of ``text``."""
        needles = text.casefold().split()
        if needles == self._needles:
            return
        self.beginFilterChange()
        self._needles = needles
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        """Show only entries for which ``predicate`` is true (None: all)."""
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._predicate is not None and not self._predicate(self._source.entry(source_row)):
            return False
        key = self._source.search_key(source_row)
        return all(needle in key for needle in self._needles)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def entry_at(self, proxy_row: int) -> Any:
        """The entry on visible row ``proxy_row``."""
        return self._source.entry(self.mapToSource(self.index(proxy_row, 0)).row())
