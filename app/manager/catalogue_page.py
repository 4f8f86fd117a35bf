"""The Catalogue section: products, categories and conflicts, each in its own tab.

Products and categories are searchable, sortable tables with an editor panel
beside them (see :class:`~app.manager.entry_list.EntryList`); the product tab
also changes prices in bulk and imports and exports CSV. The conflicts tab
counts what needs the owner's decision in its title.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.manager.bulk_price import BulkPriceDialog
from app.manager.catalogue_csv import NEW, UPDATE, export_csv
from app.manager.catalogue_models import CatalogueModels
from app.manager.category_editor import CategoryEditor
from app.manager.conflicts_view import ConflictsView
from app.manager.context import ManagerContext
from app.manager.csv_import_dialog import CsvImportDialog
from app.manager.entry_list import EntryList
from app.manager.product_editor import ProductEditor
from app.qt.formatting import format_number
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar
from crdt_models.documents import ChangeSummary, EntryKind

__all__ = ["CataloguePage"]

#: Conflicts are recomputed at most this often while changes stream in.
CONFLICT_REFRESH_MS = 300


class CataloguePage(QWidget):
    """Products, categories and conflicts of the shop's catalogue."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        catalogue = context.catalogue
        self.models = CatalogueModels(
            catalogue, context.catalogue_feed, context.settings_feed, self
        )
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.message = MessageBar(self)

        self.product_editor = ProductEditor(catalogue)
        self.products = EntryList(
            self.models.products,
            self.product_editor,
            search_hint=lambda: tr("Search by name, barcode or category"),
            is_archived=lambda p: p.archived,
        )
        self.new_product_button = self.products.add_button(QPushButton())
        self.bulk_button = self.products.add_button(QPushButton())
        self.import_button = self.products.add_button(QPushButton())
        self.export_button = self.products.add_button(QPushButton())
        self.new_product_button.clicked.connect(self.product_editor.new)
        self.bulk_button.clicked.connect(self.change_prices)
        self.import_button.clicked.connect(lambda: self.import_csv())
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.products.selected.connect(self.product_editor.edit)
        self.product_editor.saved.connect(self.products.select)

        self.category_editor = CategoryEditor(catalogue)
        self.categories = EntryList(
            self.models.categories,
            self.category_editor,
            search_hint=lambda: tr("Search categories"),
            is_archived=lambda c: c.archived,
        )
        self.new_category_button = self.categories.add_button(QPushButton())
        self.new_category_button.clicked.connect(self.category_editor.new)
        self.categories.selected.connect(self.category_editor.edit)
        self.category_editor.saved.connect(self.categories.select)

        self.conflicts = ConflictsView(context.shop, check_now=False)
        self.conflicts.open_product.connect(self.open_product)
        self.conflicts.count_changed.connect(self._on_conflict_count)
        self._conflict_timer = QTimer(self)
        self._conflict_timer.setSingleShot(True)
        self._conflict_timer.setInterval(CONFLICT_REFRESH_MS)
        self._conflict_timer.timeout.connect(self.check_conflicts_now)
        context.catalogue_feed.changed.connect(self._on_catalogue_change)
        context.settings_feed.changed.connect(self._on_settings_change)

        self._conflict_timer.start()  # the first check waits until the page is shown
        self.tabs = QTabWidget()
        self.tabs.addTab(self.products, "")
        self.tabs.addTab(self.categories, "")
        self.tabs.addTab(self.conflicts, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        translator().changed.connect(self._retranslate)
        self._retranslate()

    def open_product(self, product_id: str) -> None:
        """Show product ``product_id`` in the products tab and its editor."""
        self.tabs.setCurrentWidget(self.products)
        self.products.show_archived.setChecked(True)
        self.products.search.clear()
        self.products.apply_search()
        self.products.select(product_id)
        self.product_editor.edit(product_id)

    def change_prices(self) -> None:
        dialog = BulkPriceDialog(self.context.catalogue, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.message.show_message(
                tr("{n} prices changed.", n=format_number(dialog.changed_count, language()))
            )

    def import_csv(self, path: Path | None = None) -> CsvImportDialog | None:
        """Ask for a CSV file (unless ``path`` is given) and open the import preview."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, tr("Import products"), "", tr("CSV files (*.csv)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        dialog = CsvImportDialog(self.context.catalogue, path, self)
        dialog.accepted.connect(
            lambda: self.message.show_message(
                tr(
                    "{new} products added, {updated} updated.",
                    new=format_number(dialog.plan.count(NEW), language()),
                    updated=format_number(dialog.plan.count(UPDATE), language()),
                )
            )
        )
        dialog.open()
        return dialog

    def export_csv(self, path: Path | None = None) -> Path | None:
        """Write every product (archived included) to a CSV file; returns its path."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Export products"), "catalogue.csv", tr("CSV files (*.csv)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        catalogue = self.context.catalogue
        text = export_csv(catalogue.products(include_archived=True), catalogue)
        path.write_text(text, encoding="utf-8-sig")
        self.message.show_message(tr("Catalogue exported to {path}.", path=str(path)))
        return path

    def check_conflicts_now(self) -> None:
        """Recheck the conflicts at once (instead of after the short pause)."""
        self._conflict_timer.stop()
        self.conflicts.refresh()

    def _on_settings_change(self, summary: ChangeSummary) -> None:
        if summary.touches(EntryKind.VAT_RATE):
            self._conflict_timer.start()

    def _on_catalogue_change(self, summary: ChangeSummary) -> None:
        """Recheck conflicts after a change that may make or fix one.

        The owner's own edits are validated (no duplicate barcode, no archived
        category), so a local product edit only matters when it touches a
        product already in conflict; remote changes and category or settings
        changes always may. The check reads the whole catalogue.
        """
        local = summary.origin is not None and summary.origin.is_local
        if (
            local
            and not summary.touches(EntryKind.CATEGORY)
            and not (summary.ids(EntryKind.PRODUCT) & self.conflicts.product_ids())
        ):
            return
        self._conflict_timer.start()

    def _on_conflict_count(self, _count: int) -> None:
        self._retranslate()

    def _retranslate(self, _lang: str = "") -> None:
        self.title.setText(tr("Catalogue"))
        self.new_product_button.setText(tr("New product"))
        self.bulk_button.setText(tr("Change prices…"))
        self.import_button.setText(tr("Import CSV…"))
        self.export_button.setText(tr("Export CSV…"))
        self.new_category_button.setText(tr("New category"))
        self.tabs.setTabText(0, tr("Products"))
        self.tabs.setTabText(1, tr("Categories"))
        count = len(self.conflicts.conflicts)
        self.tabs.setTabText(2, tr("Conflicts ({n})", n=count) if count else tr("Conflicts"))
