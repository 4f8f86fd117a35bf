"""Changing many prices at once: by a percentage or an amount, for a category or all.

:func:`plan_price_change` computes every new price first (rounded half up to
the cent) and refuses the whole change if one price would be out of range,
so the owner never ends up with half a price list changed.
:func:`apply_price_change` then writes the new prices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.manager.forms import Form
from app.qt.formatting import format_money, format_number
from app.qt.i18n import language, tr
from crdt_models.documents.catalogue import CatalogueDocument, Product
from crdt_models.documents.validation import check_price
from crdt_models.errors import ValidationError
from crdt_models.money import parse_money, percent_of

__all__ = ["BulkPriceDialog", "PriceChange", "apply_price_change", "plan_price_change"]


@dataclass(frozen=True, slots=True)
class PriceChange:
    product_id: str
    old: int
    new: int


def plan_price_change(
    products: Iterable[Product], *, percent_bp: int = 0, delta_cents: int = 0
) -> list[PriceChange]:
    """New prices of ``products``: ``+percent_bp`` (1000 = +10 %) then ``+delta_cents``.

    Raises ValidationError (field ``price``) if any new price is negative or too high.
    """
    changes = []
    for product in products:
        new = product.price + percent_of(product.price, percent_bp) + delta_cents
        check_price(new)
        if new != product.price:
            changes.append(PriceChange(product.id, product.price, new))
    return changes


def apply_price_change(catalogue: CatalogueDocument, changes: Iterable[PriceChange]) -> int:
    """Write the planned prices; returns how many products changed."""
    count = 0
    for change in changes:
        catalogue.update_product(change.product_id, price=change.new)
        count += 1
    return count


class BulkPriceDialog(QDialog):
    """Choose the products (a category or all) and the change, see how many, apply."""

    def __init__(self, catalogue: CatalogueDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.setWindowTitle(tr("Change prices"))
        self.form = Form()
        self.scope = QComboBox()
        self.scope.addItem(tr("All products on sale"), "")
        for category in catalogue.categories():
            self.scope.addItem(category.name, category.id)
        self.percent = QDoubleSpinBox()
        self.percent.setRange(-90.0, 500.0)
        self.percent.setDecimals(2)
        self.percent.setSuffix(" %")
        self.amount = QComboBox()
        self.amount.setEditable(True)
        self.amount.addItems(["0", "0.10", "0.20", "0.50", "1.00", "-0.10"])
        self.form.add("scope", lambda: tr("Products"), self.scope)
        self.form.add("percent", lambda: tr("Change by a percentage"), self.percent)
        self.form.add("price", lambda: tr("Then add an amount"), self.amount)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Change prices"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        for signal in (
            self.scope.currentIndexChanged,
            self.percent.valueChanged,
            self.amount.currentTextChanged,
        ):
            signal.connect(self.preview)
        self.changed_count = 0
        self.preview()

    def chosen_products(self) -> list[Product]:
        category = str(self.scope.currentData() or "")
        products = sorted(self.catalogue.products(), key=lambda p: (p.name.casefold(), p.id))
        return [p for p in products if not category or p.category == category]

    def plan(self) -> list[PriceChange]:
        """The planned change; raises ValidationError for a bad amount or price."""
        percent_bp = round(self.percent.value() * 100)
        delta = parse_money(self.amount.currentText() or "0", "price")
        return plan_price_change(self.chosen_products(), percent_bp=percent_bp, delta_cents=delta)

    def preview(self) -> None:
        """Say how many prices will change, with an example, or what is wrong."""
        self.form.clear_errors()
        try:
            changes = self.plan()
        except ValidationError as exc:
            self.form.show_error(exc)
            self.summary.clear()
            return
        lang = language()
        if not changes:
            self.summary.setText(tr("No price changes."))
            return
        first = changes[0]
        self.summary.setText(
            tr(
                "{n} prices will change, for example {old} → {new}.",
                n=format_number(len(changes), lang),
                old=format_money(first.old, lang),
                new=format_money(first.new, lang),
            )
        )

    def apply(self) -> None:
        """Write the change if it is valid, then close."""
        self.form.clear_errors()
        try:
            changes = self.plan()
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        self.changed_count = apply_price_change(self.catalogue, changes)
        self.accept()
