"""The catalogue's table models: products and categories, fed by change summaries.

:class:`CatalogueModels` owns one :class:`~app.manager.table.EntryTableModel`
for products and one for categories, fills them once from the catalogue
document and then applies each transaction's
:class:`~crdt_models.documents.changes.ChangeSummary`: only the products it
names are re-read and redrawn. A category rename redraws the category column
of the product table (one signal) and refreshes the search texts.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QObject, Qt

from app.manager.change_feed import ChangeFeed
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_money, format_percent_bp
from app.qt.i18n import language, tr, translator
from crdt_models.documents.catalogue import CatalogueDocument, Category, Product
from crdt_models.documents.changes import ChangeSummary
from crdt_models.documents.schema import EntryKind
from crdt_models.documents.settings import VatRate

__all__ = ["CatalogueModels"]


class CatalogueModels(QObject):
    """Products and categories tables over one :class:`CatalogueDocument`."""

    def __init__(
        self,
        catalogue: CatalogueDocument,
        catalogue_feed: ChangeFeed,
        settings_feed: ChangeFeed,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self._counts: Counter[str | None] | None = None
        # Lookups the product cells use, refreshed when a category or a rate changes.
        self._category_by_id: dict[str, Category] = {}
        self._rate_by_id: dict[str, VatRate] = {}
        self.products = EntryTableModel(
            self._product_columns(),
            entry_id=lambda p: p.id,
            search_text=self._product_search_text,
            is_dimmed=lambda p: p.archived,
            parent=self,
        )
        self.categories = EntryTableModel(
            self._category_columns(),
            entry_id=lambda c: c.id,
            search_text=lambda c: c.name,
            is_dimmed=lambda c: c.archived,
            parent=self,
        )
        self.products.sort(0, Qt.SortOrder.AscendingOrder)
        self.categories.sort(0, Qt.SortOrder.AscendingOrder)
        self.reload()
        catalogue_feed.changed.connect(self.apply)
        settings_feed.changed.connect(self._on_settings)
        translator().changed.connect(self._on_language)

    def reload(self) -> None:
        """Refill both tables from the document (start-up)."""
        self._counts = None
        self._category_by_id = dict(self.catalogue.categories_by_id())
        self._rate_by_id = dict(self.catalogue.settings.vat_rates_by_id())
        self.products.reset(self.catalogue.products_by_id().values())
        self.categories.reset(self.catalogue.categories_by_id().values())

    def apply(self, summary: ChangeSummary) -> None:
        """Refresh the rows ``summary`` names (call for every catalogue transaction)."""
        product_ids = summary.ids(EntryKind.PRODUCT)
        if product_ids:
            by_id = self.catalogue.products_by_id()
            self.products.upsert(by_id[i] for i in product_ids if i in by_id)
            self.products.remove(i for i in product_ids if i not in by_id)
            self._counts = None
            self.categories.refresh_all()
        category_ids = summary.ids(EntryKind.CATEGORY)
        if category_ids:
            by_id_c = self.catalogue.categories_by_id()
            self._category_by_id = dict(by_id_c)
            self.categories.upsert(by_id_c[i] for i in category_ids if i in by_id_c)
            self.categories.remove(i for i in category_ids if i not in by_id_c)
            self.products.refresh_all()

    def _on_settings(self, summary: ChangeSummary) -> None:
        if summary.touches(EntryKind.VAT_RATE):
            self._rate_by_id = dict(self.catalogue.settings.vat_rates_by_id())
            self.products.refresh_all()

    def _on_language(self, _lang: str) -> None:
        self.products.refresh_all()
        self.categories.refresh_all()

    # -- products ----------------------------------------------------------

    def category_name(self, category_id: str | None) -> str:
        if category_id is None:
            return ""
        category = self._category_by_id.get(category_id)
        return category.name if category is not None else "?"

    def category_color(self, product: Product) -> str | None:
        if product.category is None:
            return None
        category = self._category_by_id.get(product.category)
        return category.color or None if category is not None else None

    def vat_text(self, vat_id: str) -> str:
        rate = self._rate_by_id.get(vat_id)
        return format_percent_bp(rate.rate_bp, language()) if rate is not None else "?"

    def _vat_bp(self, vat_id: str) -> int:
        rate = self._rate_by_id.get(vat_id)
        return rate.rate_bp if rate is not None else -1

    def _product_search_text(self, product: Product) -> str:
        return f"{product.name} {product.barcode} {self.category_name(product.category)}"

    def _product_columns(self) -> list[Column]:
        return [
            Column(  # the chip: the button's colour on the tills (its own, or its category's)
                lambda: tr("Name"),
                lambda p: p.name,
                lambda p: p.name.casefold(),
                color=lambda p: p.color or self.category_color(p),
            ),
            Column(
                lambda: tr("Price"),
                lambda p: format_money(p.price, language()),
                lambda p: p.price,
                numeric=True,
                width=80,
            ),
            Column(
                lambda: tr("VAT"),
                lambda p: self.vat_text(p.vat),
                lambda p: self._vat_bp(p.vat),
                numeric=True,
                width=64,
            ),
            Column(lambda: tr("Barcode"), lambda p: p.barcode, lambda p: p.barcode, width=120),
            Column(
                lambda: tr("Category"),
                lambda p: self.category_name(p.category),
                lambda p: self.category_name(p.category).casefold(),
                width=150,
            ),
            Column(
                lambda: tr("Status"),
                lambda p: tr("Archived") if p.archived else tr("On sale"),
                lambda p: p.archived,
                width=80,
            ),
            Column(  # one line per cell: only the rows on screen are joined
                lambda: tr("Description"),
                lambda p: " ".join(p.description.split()),
                lambda p: p.description.casefold(),
                width=140,
            ),
        ]

    # -- categories --------------------------------------------------------

    def _category_columns(self) -> list[Column]:
        return [
            Column(lambda: tr("Name"), lambda c: c.name, lambda c: c.name.casefold()),
            Column(
                lambda: tr("Colour"),
                lambda c: c.color,
                lambda c: c.color,
                color=lambda c: c.color or None,
            ),
            Column(
                lambda: tr("Position"),
                lambda c: str(c.position),
                lambda c: c.position,
                numeric=True,
            ),
            Column(
                lambda: tr("Products"),
                lambda c: str(self._count(c)),
                self._count,
                numeric=True,
            ),
            Column(
                lambda: tr("Status"),
                lambda c: tr("Archived") if c.archived else tr("Active"),
                lambda c: c.archived,
            ),
        ]

    def _count(self, category: Category) -> int:
        if self._counts is None:
            self._counts = Counter(
                p.category for p in self.catalogue.products_by_id().values() if not p.archived
            )
        return self._counts.get(category.id, 0)
