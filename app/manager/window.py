"""The manager's main window: a sidebar of sections and the page of the chosen one.

The window only arranges pages; each page gets the :class:`ManagerContext`
it needs and refreshes itself from the documents' change summaries.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.manager.catalogue_page import CataloguePage
from app.manager.context import ManagerContext
from app.manager.customers_page import CustomersPage
from app.manager.dashboard_page import DashboardPage
from app.manager.journal_page import JournalPage
from app.manager.relay_connection import RelayConnection
from app.manager.settings_page import SettingsPage
from app.manager.strings_fr import install_french
from app.manager.tills_page import TillsPage
from app.qt.i18n import language, set_language, tr, translator

__all__ = ["SECTIONS", "ManagerWindow"]

install_french()

#: The sidebar, in order: (key, English title).
SECTIONS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("dashboard", lambda: tr("Dashboard")),
    ("catalogue", lambda: tr("Catalogue")),
    ("customers", lambda: tr("Customers")),
    ("tills", lambda: tr("Tills")),
    ("journal", lambda: tr("Closings & journal")),
    ("settings", lambda: tr("Settings")),
)

_STYLE = """
QListWidget#sidebar { background: #1f2a37; color: #f3f4f6; border: none; font-size: 15px; }
QListWidget#sidebar::item { padding: 12px 16px; }
QListWidget#sidebar::item:selected { background: #2563eb; color: white; }
QLabel#shopName { color: #f3f4f6; font-size: 17px; font-weight: bold; padding: 16px; }
QWidget#sidebarPanel { background: #1f2a37; }
QLabel.fieldError, QLabel[role="fieldError"] { color: #b91c1c; }
QLabel[role="pageTitle"] { font-size: 22px; font-weight: bold; }
QLabel[role="figure"] { font-size: 26px; font-weight: bold; }
QLabel[role="figureCaption"] { color: #4b5563; }
QLabel[role="hint"] { color: #4b5563; }
"""


class ManagerWindow(QMainWindow):
    """Sidebar + stacked pages. ``show_section(key)`` selects a page."""

    def __init__(
        self,
        context: ManagerContext,
        relay: RelayConnection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.relay = relay
        self.setStyleSheet(_STYLE)
        self.resize(1440, 900)
        self.pages: dict[str, QWidget] = {
            "dashboard": DashboardPage(context, relay),
            "catalogue": CataloguePage(context),
            "customers": CustomersPage(context),
            "tills": TillsPage(context, relay),
            "journal": JournalPage(context, relay),
            "settings": SettingsPage(context),
        }
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(0, 0))
        self.stack = QStackedWidget()
        for key, _title in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
            self.stack.addWidget(self.pages[key])
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        self._shop_name = QLabel()
        self._shop_name.setObjectName("shopName")
        self._shop_name.setWordWrap(True)
        self.language_box = QComboBox()
        self.language_box.addItem("Français", "fr")
        self.language_box.addItem("English", "en")
        self.language_box.setCurrentIndex(0 if language() == "fr" else 1)
        self.language_box.currentIndexChanged.connect(
            lambda i: set_language(str(self.language_box.itemData(i)))
        )
        panel = QWidget()
        panel.setObjectName("sidebarPanel")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel.setFixedWidth(230)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 12)
        side.addWidget(self._shop_name)
        side.addWidget(self.sidebar, 1)
        lang_row = QHBoxLayout()
        lang_row.setContentsMargins(12, 0, 12, 0)
        lang_row.addWidget(self.language_box)
        side.addLayout(lang_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(panel)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        translator().changed.connect(self._retranslate)
        context.settings_feed.changed.connect(self._on_settings)
        self._retranslate()
        self.show_section("catalogue")

    def show_section(self, key: str) -> None:
        """Select the sidebar entry ``key`` (one of :data:`SECTIONS`)."""
        keys = [k for k, _ in SECTIONS]
        self.sidebar.setCurrentRow(keys.index(key))

    def current_section(self) -> str:
        return SECTIONS[self.sidebar.currentRow()][0]

    def _on_settings(self, _summary: object) -> None:
        self._show_shop_name()

    def _show_shop_name(self) -> None:
        name = self.context.settings.shop().name
        self._shop_name.setText(name or tr("Skytill manager"))

    def _retranslate(self, _lang: str = "") -> None:
        self.setWindowTitle(tr("Skytill manager"))
        for row, (_key, title) in enumerate(SECTIONS):
            item = self.sidebar.item(row)
            item.setText(title())
        self.language_box.blockSignals(True)
        self.language_box.setCurrentIndex(0 if language() == "fr" else 1)
        self.language_box.blockSignals(False)
        self._show_shop_name()
