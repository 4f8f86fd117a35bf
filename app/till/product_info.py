"""Product info: what the cashier sees with Info on a basket line.

Name, price, VAT rate, barcode, category, stock (from the inventory counters,
or "not tracked"), how many this till sold today and the description the
owner wrote (ingredients, allergens) (sales less refunds, in
the shop's time zone). :func:`product_info` gathers it; :class:`ProductInfoDialog`
shows it in large type and closes with one tap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.basket import BasketLine
from app.core.periods import Period, shop_today
from app.qt.formatting import format_money, format_number, format_percent_bp
from app.qt.i18n import language, tr
from app.till.session import TillSession
from crdt_models.errors import DomainError
from crdt_models.journal import QTY_ONE

__all__ = ["ProductInfo", "ProductInfoDialog", "product_info"]


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """One product as the till knows it; ``stock`` None when not tracked,
    ``sold_today`` in milli-units (:data:`~crdt_models.journal.QTY_ONE`)."""

    name: str
    price: int
    vat_bp: int
    barcode: str
    category: str
    stock: int | None
    sold_today: int
    description: str = ""


def product_info(session: TillSession, line: BasketLine) -> ProductInfo:
    """What the catalogue, the stock counters and today's journal of this till say
    of ``line``'s product (the line's own label and price if it left the catalogue)."""
    product = line.product_id
    tile = session.catalogue.tile(product)
    category = description = ""
    if tile is not None:
        try:
            category = session.shop.catalogue.category(tile.category).name
        except DomainError:
            category = ""
        try:
            description = session.shop.catalogue.product(product).description
        except DomainError:
            description = ""
    zone = session.shop.settings.zone()
    today = shop_today(time.time(), zone)
    start, end = Period(today, today).bounds(zone)
    sold = 0
    records = session.store.records_between(start, end, till_id=session.store.identity.till_id)
    for record in records:
        if record.kind in ("sale", "refund"):
            sign = 1 if record.kind == "sale" else -1
            sold += sign * sum(ln["qty"] for ln in record.body["lines"] if ln["product"] == product)
    return ProductInfo(
        name=tile.name if tile else line.label,
        price=tile.price if tile else line.unit_price,
        vat_bp=tile.vat_bp if tile else line.vat_bp,
        barcode=tile.barcode if tile else "",
        category=category,
        stock=session.catalogue.stock(product),
        sold_today=sold,
        description=description,
    )


def _quantity(milli: int, lang: str) -> str:
    whole, rest = divmod(abs(milli), QTY_ONE)
    sign = "-" if milli < 0 else ""
    if not rest:
        return sign + format_number(whole, lang)
    decimal = "," if lang == "fr" else "."
    return f"{sign}{format_number(whole, lang)}{decimal}{rest:03d}".rstrip("0")


class ProductInfoDialog(QDialog):
    """The product's facts, one per row; the big Close button closes it."""

    def __init__(self, info: ProductInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Product info"))
        self.setModal(True)
        lang = language()
        title = QLabel(info.name)
        title.setObjectName("screenTitle")
        title.setWordWrap(True)
        stock = tr("Not tracked") if info.stock is None else format_number(info.stock, lang)
        self.values: dict[str, str] = {
            tr("Price"): format_money(info.price, lang),
            tr("VAT"): format_percent_bp(info.vat_bp, lang),
            tr("Barcode"): info.barcode or "—",
            tr("Category"): info.category or "—",
            tr("Stock"): stock,
            tr("Sold today on this till"): _quantity(info.sold_today, lang),
        }
        grid = QGridLayout()
        grid.setVerticalSpacing(10)
        for row, (caption, value) in enumerate(self.values.items()):
            name = QLabel(caption)
            name.setObjectName("caption")
            shown = QLabel(value)
            shown.setObjectName("infoValue")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            grid.addWidget(name, row, 0)
            grid.addWidget(shown, row, 1)
        description_caption = QLabel(tr("Description"))
        description_caption.setObjectName("caption")
        self.description = QLabel(info.description)
        self.description.setObjectName("productDescription")
        self.description.setWordWrap(True)
        for label in (description_caption, self.description):
            label.setVisible(bool(info.description))
        self.close_button = QPushButton(tr("Close"))
        self.close_button.setObjectName("validateButton")
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(description_caption)
        layout.addWidget(self.description)
        layout.addWidget(self.close_button)
        self.setStyleSheet(
            "QLabel#infoValue { font-size: 24px; font-weight: 700; }"
            " QLabel#productDescription { font-size: 20px; }"
        )
        self.resize(520, 520)
