"""PySide6 6.12.0 drops a reference to None each time a Python ``data()`` that
returns None is called from C++ (DESIGN.md section 9): a long-running table
eventually frees None and the interpreter crashes. We pin 6.11.3; this test
fails on any release with that bug, whatever the pin says."""

from __future__ import annotations

import sys

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

# Few enough that a buggy binding fails the assertion instead of freeing None
# and aborting the interpreter (verified against 6.12.0: 1,000 references lost).
CALLS = 1_000


class _NoneModel(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 50

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 4

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        return None


def test_data_returning_none_keeps_none_refcount(qtbot: QtBot) -> None:
    assert QApplication.instance() is not None
    model = _NoneModel()
    proxy = QSortFilterProxyModel()  # a C++ caller of the Python data()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    index = proxy.index(3, 2)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        proxy.data(index, Qt.ItemDataRole.DisplayRole)
    after = sys.getrefcount(None)
    # A healthy binding leaves the count where it was (give or take a few
    # references taken elsewhere meanwhile); the 6.12.0 bug loses one per call.
    assert after > before - CALLS // 10, (before, after)
