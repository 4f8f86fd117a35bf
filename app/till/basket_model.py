"""The basket as a Qt table: one row per line, newest at the bottom.

The model owns no data: it reads the :class:`~app.core.basket.Basket` it is
given. Commands go through :meth:`BasketModel.apply`, which runs the basket
command and tells the views what changed (Qt needs to know).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.core.basket import Basket, BasketTotals, Discount
from app.qt.formatting import format_money, format_percent_bp
from app.qt.i18n import language, tr

__all__ = ["BasketModel"]

_Index = QModelIndex | QPersistentModelIndex


def describe_discount(discount: Discount, lang: str) -> str:
    if discount.kind == "percent":
        return "-" + format_percent_bp(discount.value, lang)
    return "-" + format_money(discount.value, lang)


class BasketModel(QAbstractTableModel):
    """Columns: product (with its note and discount), quantity, line total."""

    COLUMNS = ("Product", "Qty", "Total")
    totals_changed = Signal()

    def __init__(self, basket: Basket) -> None:
        super().__init__()
        self._basket = basket
        self._totals = basket.totals()

    @property
    def basket(self) -> Basket:
        return self._basket

    @property
    def totals(self) -> BasketTotals:
        return self._totals

    def set_basket(self, basket: Basket) -> None:
        """Show another basket (a recalled one, or a fresh one after a sale)."""
        self.beginResetModel()
        self._basket = basket
        self._totals = basket.totals()
        self.endResetModel()
        self.totals_changed.emit()

    def apply(self, command: Callable[[Basket], object]) -> object:
        """Run a basket command and refresh the views; errors propagate unchanged."""
        self.beginResetModel()
        try:
            return command(self._basket)
        finally:
            self._totals = self._basket.totals()
            self.endResetModel()
            self.totals_changed.emit()

    def line_id_at(self, row: int) -> str:
        return self._basket.lines[row].line_id

    def row_of(self, line_id: str) -> int:
        for row, line in enumerate(self._basket.lines):
            if line.line_id == line_id:
                return row
        return -1

    # -- QAbstractTableModel ---------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._basket.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._totals.lines):
            return None
        lt = self._totals.lines[index.row()]
        line = lt.line
        lang = language()
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                parts = [line.label]
                detail = format_money(line.unit_price, lang)
                if line.discount:
                    detail += "  " + describe_discount(line.discount, lang)
                parts.append(detail)
                if line.note:
                    parts.append("✎ " + line.note)
                return "\n".join(parts)
            if col == 1:
                return f"× {line.quantity}"
            return format_money(lt.gross - lt.line_discount, lang)
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{line.label}, {line.quantity}, {format_money(lt.total, lang)}"
        return None
