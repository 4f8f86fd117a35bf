"""What "a table shows its columns fully" means, for the layout tests of the manager."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QTableView


def unfit_cells(view: QTableView) -> list[str]:
    """The headers and cells whose text is wider than their column (empty: all fit).

    A header needs its text's width (the sorted one also its sort arrow, as Qt sizes
    it), in bold if a selected row makes it bold; a cell its text's width in its own font
    plus the item margins.
    """
    header = view.horizontalHeader()
    model = view.model()
    font = QFont(header.font())
    font.setBold(font.bold() or header.highlightSections())
    heading = QFontMetrics(font)
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    problems = []
    for column in range(model.columnCount()):
        width = header.sectionSize(column)
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        needed = heading.horizontalAdvance(title)
        if column == header.sortIndicatorSection():
            needed = max(needed, header.sectionSizeFromContents(column).width())
        if needed > width:
            problems.append(f"header {title!r}: {needed} px in {width}")
        for row in range(model.rowCount()):
            index = model.index(row, column)
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
            text = str(index.data() or "")
            if metrics.horizontalAdvance(text) + 2 * margin > width:
                problems.append(f"{title!r} row {row} {text!r}: {width} px")
    return problems


def columns_beyond(view: QTableView, count: int) -> list[str]:
    """The first ``count`` columns' headers that end past the visible width (empty: none)."""
    header = view.horizontalHeader()
    right = view.viewport().width()
    return [
        str(view.model().headerData(c, Qt.Orientation.Horizontal))
        for c in range(count)
        if header.sectionViewportPosition(c) + header.sectionSize(c) > right
    ]
