"""The side panel that creates and edits one product.

Nothing is written until Save; a value the documents refuse shows its
message under the field it is about and the owner fixes it in place.
"""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.manager.colour_field import ColourField
from app.manager.entry_editor import EditorPanel
from app.qt.formatting import format_percent_bp
from app.qt.i18n import language, tr
from crdt_models.documents.catalogue import CatalogueDocument, ProductSpec
from crdt_models.money import parse_money

__all__ = ["ProductEditor", "price_text"]


def price_text(cents: int) -> str:
    """A price as the owner types it: ``12,50`` in French, ``12.50`` in English."""
    units, rest = divmod(cents, 100)
    return f"{units}{',' if language() == 'fr' else '.'}{rest:02d}"


class ProductEditor(EditorPanel):
    """Edit a product (:meth:`edit`) or create one (:meth:`new`); ``saved`` gives its id."""

    def __init__(self, catalogue: CatalogueDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.name = self.form.add("name", lambda: tr("Name"), QLineEdit())
        self.price = self.form.add("price", lambda: tr("Price (tax included)"), QLineEdit())
        self.vat = self.form.add("vat", lambda: tr("VAT rate"), QComboBox())
        self.barcode = self.form.add("barcode", lambda: tr("Barcode"), QLineEdit())
        self.category = self.form.add("category", lambda: tr("Category"), QComboBox())
        self.colour = self.form.add("color", lambda: tr("Colour"), ColourField())
        self.description = self.form.add("description", lambda: tr("Description"), QPlainTextEdit())
        self.description.setMaximumHeight(90)
        self.description.setTabChangesFocus(True)
        self.price.returnPressed.connect(self.save)
        self.name.returnPressed.connect(self.save)
        self.new()

    # -- loading -----------------------------------------------------------

    def new(self) -> None:
        """Empty the form to create a product."""
        self.entry_id = None
        self._fill_choices(vat=None, category=None)
        self.name.clear()
        self.price.clear()
        self.barcode.clear()
        self.colour.set_text("")
        self.description.clear()
        self.form.clear_errors()
        self.retranslate()
        self.name.setFocus()

    def edit(self, entry_id: str) -> None:
        """Load product ``entry_id`` into the form."""
        product = self.catalogue.product(entry_id)
        self.entry_id = entry_id
        self._fill_choices(vat=product.vat, category=product.category)
        self.name.setText(product.name)
        self.price.setText(price_text(product.price))
        self.barcode.setText(product.barcode)
        self.colour.set_text(product.color)
        self.description.setPlainText(product.description)
        self.form.clear_errors()
        self.retranslate()

    def _fill_choices(self, *, vat: str | None, category: str | None) -> None:
        self.vat.clear()
        for rate in self.catalogue.settings.vat_rates():
            self.vat.addItem(
                f"{rate.name} ({format_percent_bp(rate.rate_bp, language())})", rate.id
            )
        if vat is not None and self.vat.findData(vat) < 0:
            self.vat.addItem(tr("(archived rate)"), vat)
        if vat is not None:
            self.vat.setCurrentIndex(self.vat.findData(vat))
        self.category.clear()
        self.category.addItem(tr("No category"), "")
        for cat in self.catalogue.categories():
            self.category.addItem(cat.name, cat.id)
        if category and self.category.findData(category) < 0:
            self.category.addItem(tr("(archived category)"), category)
        self.category.setCurrentIndex(max(0, self.category.findData(category or "")))

    # -- saving ------------------------------------------------------------

    def write(self) -> str:
        fields = asdict(
            ProductSpec(
                name=self.name.text(),
                price=parse_money(self.price.text(), "price"),
                vat=str(self.vat.currentData() or ""),
                barcode=self.barcode.text(),
                category=str(self.category.currentData() or "") or None,
                color=self.colour.text(),
                description=self.description.toPlainText(),
            )
        )
        if self.entry_id is None:
            return self.catalogue.create_product(**fields).entry_id
        self.catalogue.update_product(self.entry_id, **fields)
        return self.entry_id

    def archived(self) -> bool:
        return self.entry_id is not None and self.catalogue.product(self.entry_id).archived

    def set_archived(self, archived: bool) -> None:
        assert self.entry_id is not None
        if archived:
            self.catalogue.archive_product(self.entry_id)
        else:
            self.catalogue.restore_product(self.entry_id)

    def titles(self) -> tuple[str, str]:
        current = tr("Archived product") if self.archived() else tr("Product")
        return tr("New product"), current
