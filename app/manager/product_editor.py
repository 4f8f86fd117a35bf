"""The side panel that creates and edits one product.

Nothing is written until Save; a value the documents refuse shows its
message under the field it is about and the owner fixes it in place.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.manager.colour_field import ColourField
from app.manager.forms import Form
from app.qt.formatting import format_percent_bp
from app.qt.i18n import language, tr, translator
from crdt_models.documents.catalogue import CatalogueDocument
from crdt_models.errors import ValidationError
from crdt_models.money import parse_money

__all__ = ["ProductEditor", "price_text"]


def price_text(cents: int) -> str:
    """A price as the owner types it: ``12,50`` in French, ``12.50`` in English."""
    units, rest = divmod(cents, 100)
    return f"{units}{',' if language() == 'fr' else '.'}{rest:02d}"


class ProductEditor(QWidget):
    """Edit a product (:meth:`edit`) or create one (:meth:`new`); ``saved`` gives its id."""

    saved = Signal(str)

    def __init__(self, catalogue: CatalogueDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.product_id: str | None = None
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.form = Form()
        self.name = self.form.add("name", lambda: tr("Name"), QLineEdit())
        self.price = self.form.add("price", lambda: tr("Price (tax included)"), QLineEdit())
        self.vat = self.form.add("vat", lambda: tr("VAT rate"), QComboBox())
        self.barcode = self.form.add("barcode", lambda: tr("Barcode"), QLineEdit())
        self.category = self.form.add("category", lambda: tr("Category"), QComboBox())
        self.colour = self.form.add("color", lambda: tr("Colour"), ColourField())
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton()
        self.archive_button.clicked.connect(self.toggle_archived)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.price.returnPressed.connect(self.save)
        self.name.returnPressed.connect(self.save)
        translator().changed.connect(self._retranslate)
        self.new()

    # -- loading -----------------------------------------------------------

    def new(self) -> None:
        """Empty the form to create a product."""
        self.product_id = None
        self._fill_choices(vat=None, category=None)
        self.name.clear()
        self.price.clear()
        self.barcode.clear()
        self.colour.set_text("")
        self.form.clear_errors()
        self._retranslate()
        self.name.setFocus()

    def edit(self, product_id: str) -> None:
        """Load product ``product_id`` into the form."""
        product = self.catalogue.product(product_id)
        self.product_id = product_id
        self._fill_choices(vat=product.vat, category=product.category)
        self.name.setText(product.name)
        self.price.setText(price_text(product.price))
        self.barcode.setText(product.barcode)
        self.colour.set_text(product.color)
        self.form.clear_errors()
        self._retranslate()

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

    def save(self) -> bool:
        """Validate and write; on a refused value show it next to its field and return False."""
        self.form.clear_errors()
        try:
            name = self.name.text()
            price = parse_money(self.price.text(), "price")
            vat = str(self.vat.currentData() or "")
            barcode = self.barcode.text()
            category = str(self.category.currentData() or "") or None
            color = self.colour.text()
            if self.product_id is None:
                self.product_id = self.catalogue.create_product(
                    name=name, price=price, vat=vat, barcode=barcode, category=category, color=color
                ).entry_id
            else:
                self.catalogue.update_product(
                    self.product_id,
                    name=name,
                    price=price,
                    vat=vat,
                    barcode=barcode,
                    category=category,
                    color=color,
                )
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        self._retranslate()
        self.saved.emit(self.product_id)
        return True

    def toggle_archived(self) -> None:
        """Archive the product shown, or restore it if it is archived."""
        if self.product_id is None:
            return
        self.form.clear_errors()
        try:
            if self.catalogue.product(self.product_id).archived:
                self.catalogue.restore_product(self.product_id)
            else:
                self.catalogue.archive_product(self.product_id)
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        self._retranslate()
        self.saved.emit(self.product_id)

    def _retranslate(self, _lang: str = "") -> None:
        self.save_button.setText(tr("Save"))
        if self.product_id is None:
            self.title.setText(tr("New product"))
            self.archive_button.hide()
            return
        archived = self.catalogue.product(self.product_id).archived
        self.title.setText(tr("Archived product") if archived else tr("Product"))
        self.archive_button.setText(tr("Restore") if archived else tr("Archive"))
        self.archive_button.show()
