"""Table models for long lists: one Python object per row, no widget per row.

:class:`EntryTableModel` holds the entries of one kind (products, customers...)
in a list, with a lowercase search text per entry computed once when the entry
arrives, and shows the *visible* ones: those that pass the search words and
the optional predicate ("hide archived").

Filtering and sorting are done here, in plain Python over that list (a list
comprehension, one ``sorted`` call), and the view is told once. A
``QSortFilterProxyModel`` was measured first: it calls a Python
``filterAcceptsRow`` (or ``data()``) once per row and per comparison, which is
0.75 s per keystroke and over a second per sort at 100,000 rows on this
machine; here a keystroke costs a few tens of milliseconds
(``benchmarks/manager_catalogue.py``).

A column without a width is *fitted*: sized to its widest cell and its
header's text, whenever the rows or the language change (:class:`_ColumnFitter`).
Qt's own ``ResizeToContents`` leaves room for the sort arrow in every header,
about 25 px a column (250 px of the Tills page at 1440 px); here only the
sorted column's header has it.

A change summary names the ids that changed; :meth:`EntryTableModel.upsert`
touches only those rows (``dataChanged`` for one row, one insert or one
removal when the change moves an entry in or out of the filter), so a price
change among 100,000 products redraws one row.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QTableView

__all__ = ["EMPHASIS_COLOUR", "ENTRY_ROLE", "Column", "EntryTableModel"]

#: The text colour of an emphasized cell (dark amber: 5.9:1 on white).
EMPHASIS_COLOUR = "#b45309"

#: ``data(index, ENTRY_ROLE)`` returns the row's entry object itself.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

_ANY_PARENT = QModelIndex()

#: Pixels a fitted column has beyond its widest text, so that texts do not touch the grid.
_PADDING = 6


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, how a cell reads, how it sorts.

    ``header`` is called each time the header is drawn, so a language switch
    shows at once. ``color`` (optional) gives a swatch drawn before the text;
    ``emphasis`` (optional) says which cells need the owner's attention (drawn
    bold, in :data:`EMPHASIS_COLOUR`); ``width`` is the column's starting width in pixels,
    or None to fit the column to its contents (for short lists: every row is measured).
    ``tooltip`` (optional) explains a short header.
    """

    header: Callable[[], str]
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any]
    numeric: bool = False
    color: Callable[[Any], str | None] | None = None
    emphasis: Callable[[Any], bool] | None = None
    width: int | None = 120
    tooltip: Callable[[], str] | None = None

    def emphasized(self, entry: Any) -> bool:
        return self.emphasis is not None and self.emphasis(entry)


class EntryTableModel(QAbstractTableModel):
    """Entries with stable ids, filtered and sorted in Python, refreshed by id.

    ``entry_id`` gives an entry's id, ``search_text`` the text the search
    words are matched against (lowercased here), ``is_dimmed`` which rows are
    drawn greyed out (archived entries). Rows are the visible entries, in the
    current sort order.
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
        self._entries: list[Any] = []  # every entry, in sort order
        self._keys: list[str] = []  # search text of each entry
        self._index_of: dict[str, int] = {}  # id -> position in _entries
        self._visible: list[int] = []  # positions in _entries of the rows shown
        self._needles: list[str] = []
        self._predicate: Callable[[Any], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- reading ---------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ANY_PARENT) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ANY_PARENT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[self._visible[index.row()]]
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
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._is_dimmed(entry):
                return QApplication.palette().color(
                    QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
                )
            return QColor(EMPHASIS_COLOUR) if column.emphasized(entry) else None
        if role == Qt.ItemDataRole.FontRole:
            dimmed, emphasized = self._is_dimmed(entry), column.emphasized(entry)
            if not dimmed and not emphasized:
                return None
            font = QApplication.font()
            font.setItalic(dimmed)
            font.setBold(emphasized and not dimmed)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header()
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip()
        return None

    def entry(self, row: int) -> Any:
        """The entry shown on row ``row``."""
        return self._entries[self._visible[row]]

    def entries(self) -> list[Any]:
        """The entries shown, in display order."""
        return [self._entries[i] for i in self._visible]

    def total(self) -> int:
        """How many entries the model holds, shown or not."""
        return len(self._entries)

    def row_of(self, entry_id: str) -> int | None:
        """The row showing ``entry_id``, or None (unknown, or filtered out)."""
        position = self._index_of.get(entry_id)
        if position is None:
            return None
        row = bisect.bisect_left(self._visible, position)
        return row if row < len(self._visible) and self._visible[row] == position else None

    def configure_view(self, view: QTableView, *, stretch: int | None = 0) -> None:
        """Give ``view`` this model's column widths (fitted ones kept fitted), one-line rows,
        column ``stretch`` stretched, and headers that stay regular when a row is selected
        (Qt turns every header bold for a selected whole row: wider, and it tells nothing)."""
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        fitted = []
        for section, column in enumerate(self._columns):
            if section == stretch:
                header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch)
            elif column.width is None:
                fitted.append(section)
            else:
                header.resizeSection(section, column.width)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(28)
        if fitted:
            _ColumnFitter(view, fitted).fit()

    # -- filtering and sorting -------------------------------------------

    def set_search(self, text: str) -> None:
        """Show only entries whose search text holds every word of ``text``."""
        needles = text.casefold().split()
        if needles != self._needles:
            self._needles = needles
            self._relayout(resort=False)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        """Show only entries for which ``predicate`` is true (None: all)."""
        self._predicate = predicate
        self._relayout(resort=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` with one Python sort; selected rows follow their entries."""
        if 0 <= column < len(self._columns):
            self._sort = (column, order)
            self._relayout(resort=True)

    def _accepts(self, position: int) -> bool:
        key = self._keys[position]
        if not all(needle in key for needle in self._needles):
            return False
        return self._predicate is None or self._predicate(self._entries[position])

    def _filtered(self) -> list[int]:
        keys, predicate, entries = self._keys, self._predicate, self._entries
        positions: Iterable[int] = range(len(keys))
        for needle in self._needles:
            positions = [i for i in positions if needle in keys[i]]
        if predicate is not None:
            positions = [i for i in positions if predicate(entries[i])]
        return list(positions)

    def _sort_entries(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        values = list(map(self._columns[column].sort_key, self._entries))
        positions = sorted(
            range(len(values)),
            key=values.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._entries = [self._entries[i] for i in positions]
        self._keys = [self._keys[i] for i in positions]
        self._index_of = {self._entry_id(e): i for i, e in enumerate(self._entries)}

    def _relayout(self, *, resort: bool) -> None:
        """Recompute the visible rows (and the order); persistent indexes follow their ids."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [
            self._entry_id(self._entries[self._visible[i.row()]]) if i.isValid() else None
            for i in before
        ]
        if resort:
            self._sort_entries()
        self._visible = self._filtered()
        after = []
        for entry_id, old in zip(ids, before, strict=True):
            row = None if entry_id is None else self.row_of(entry_id)
            after.append(QModelIndex() if row is None else self.index(row, old.column()))
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # -- changing --------------------------------------------------------

    def reset(self, entries: Iterable[Any]) -> None:
        """Replace every entry (first load, or a change too large to apply by id)."""
        self.beginResetModel()
        self._entries = list(entries)
        self._keys = [self._search_text(e).casefold() for e in self._entries]
        self._index_of = {self._entry_id(e): i for i, e in enumerate(self._entries)}
        self._sort_entries()
        self._visible = self._filtered()
        self.endResetModel()

    def upsert(self, entries: Iterable[Any]) -> None:
        """Refresh the rows of these entries; entries not held yet are added at the end.

        Only the named rows are touched: a changed entry emits ``dataChanged``
        for its own row, or is inserted or removed if the change moves it in or
        out of the filter. A single new entry goes at the end, even when the
        table is sorted, so that a row does not jump away from the owner who
        just made it; several at once (a sync, an import) take the table's order.
        """
        entries = list(entries)
        new = sum(1 for e in entries if self._entry_id(e) not in self._index_of)
        last_column = len(self._columns) - 1
        for entry in entries:
            entry_id = self._entry_id(entry)
            position = self._index_of.get(entry_id)
            if position is None:
                position = len(self._entries)
                self._entries.append(entry)
                self._keys.append(self._search_text(entry).casefold())
                self._index_of[entry_id] = position
                if self._accepts(position):
                    end = len(self._visible)
                    self.beginInsertRows(_ANY_PARENT, end, end)
                    self._visible.append(position)
                    self.endInsertRows()
                continue
            row = self.row_of(entry_id)
            self._entries[position] = entry
            self._keys[position] = self._search_text(entry).casefold()
            shown = self._accepts(position)
            if row is not None and shown:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
            elif row is not None:
                self.beginRemoveRows(_ANY_PARENT, row, row)
                del self._visible[row]
                self.endRemoveRows()
            elif shown:
                at = bisect.bisect_left(self._visible, position)
                self.beginInsertRows(_ANY_PARENT, at, at)
                self._visible.insert(at, position)
                self.endInsertRows()
        if new > 1 and self._sort is not None:
            self._relayout(resort=True)

    def remove(self, entry_ids: Iterable[str]) -> None:
        """Drop these entries (the documents never delete; this is for unreadable ones)."""
        gone = {i for i in entry_ids if i in self._index_of}
        if gone:
            self.reset(e for e in self._entries if self._entry_id(e) not in gone)

    def refresh_all(self) -> None:
        """Recompute the search texts and redraw every cell (a lookup table changed:
        a category was renamed, a VAT rate, the language)."""
        self._keys = [self._search_text(e).casefold() for e in self._entries]
        if self._needles:
            self._relayout(resort=False)
        if self._visible:
            last = self.index(len(self._visible) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)


class _ColumnFitter(QObject):
    """Keeps ``sections`` of ``view`` as wide as their widest cell and their header's text
    (the sorted column's header with its sort arrow), as rows, sort and language change.

    A fitted column cannot be resized by hand: the next change would undo it.
    """

    def __init__(self, view: QTableView, sections: list[int]) -> None:
        super().__init__(view)
        self.view = view
        self.sections = sections
        header = view.horizontalHeader()
        for section in sections:
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Fixed)
        model = view.model()
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
            model.headerDataChanged,
            header.sortIndicatorChanged,
        ):
            signal.connect(self.fit)

    def fit(self, *_args: object) -> None:
        view = self.view
        header = view.horizontalHeader()
        metrics = QFontMetrics(header.font())
        margin = view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        sorted_section = header.sortIndicatorSection() if header.isSortIndicatorShown() else -1
        model = view.model()
        for section in self.sections:
            text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            title = metrics.size(0, text).width() + 4 * margin + _PADDING
            if section == sorted_section:
                title = max(title, header.sectionSizeFromContents(section).width())
            cells = view.sizeHintForColumn(section) + _PADDING
            header.resizeSection(section, max(title, cells))
