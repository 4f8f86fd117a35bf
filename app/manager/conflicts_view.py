"""The conflicts tab: what merging two devices' edits left for the owner to judge.

Each conflict found by :func:`crdt_models.documents.find_conflicts` is shown
as a card that says what is wrong in the owner's words, with buttons that fix
it (keep the barcode on one product, restore a category) or open the product
in the editor for a fix by hand. The list is recomputed when the catalogue or
the settings change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.qt.i18n import tr, translator
from crdt_models.documents import (
    Conflict,
    DuplicateBarcode,
    MalformedEntry,
    ProductInArchivedCategory,
    ProductWithInvalidVat,
    ShopDocuments,
    VatProblem,
    resolve_duplicate_barcode,
)
from crdt_models.errors import DomainError

__all__ = ["ConflictsView"]

logger = logging.getLogger(__name__)

#: The most conflict cards drawn at once (the count still says how many there are).
MAX_CARDS = 200


class ConflictsView(QWidget):
    """A card per conflict; ``open_product`` asks the page to edit a product."""

    open_product = Signal(str)
    count_changed = Signal(int)

    def __init__(
        self, shop: ShopDocuments, *, check_now: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.shop = shop
        self.conflicts: list[Conflict] = []
        self.header = QLabel()
        self.header.setWordWrap(True)
        self._cards = QWidget()
        self._cards_layout = QVBoxLayout(self._cards)
        self._cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(self._cards)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)
        translator().changed.connect(self._on_language)
        if check_now:
            self.refresh()

    def _on_language(self, _lang: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the conflicts and redraw the cards."""
        self.conflicts = self.shop.conflicts()
        while self._cards_layout.count() > 1:
            item = self._cards_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for position, conflict in enumerate(self.conflicts[:MAX_CARDS]):
            self._cards_layout.insertWidget(position, self._card(conflict))
        if self.conflicts:
            self.header.setText(
                tr(
                    "{n} problems need your decision. They come from edits made on two "
                    "devices at the same time.",
                    n=len(self.conflicts),
                )
            )
        else:
            self.header.setText("✔ " + tr("No conflicts: the catalogue is consistent."))
        self.count_changed.emit(len(self.conflicts))

    def product_ids(self) -> set[str]:
        """The products named by the conflicts shown."""
        ids: set[str] = set()
        for conflict in self.conflicts:
            if isinstance(conflict, DuplicateBarcode):
                ids.update(conflict.product_ids)
            elif isinstance(conflict, ProductInArchivedCategory | ProductWithInvalidVat):
                ids.add(conflict.product_id)
        return ids

    def card_texts(self) -> list[str]:
        """The description of each conflict as shown (for tests and screen readers)."""
        return [self._describe(c) for c in self.conflicts]

    # -- cards -------------------------------------------------------------

    def _product_name(self, product_id: str) -> str:
        product = self.shop.catalogue.products_by_id().get(product_id)
        return product.name if product is not None else product_id

    def _describe(self, conflict: Conflict) -> str:
        if isinstance(conflict, DuplicateBarcode):
            names = ", ".join(self._product_name(i) for i in conflict.product_ids)
            return tr(
                "Barcode {code} is on several products: {names}. "
                "The till cannot tell which one was scanned.",
                code=conflict.barcode,
                names=names,
            )
        if isinstance(conflict, ProductInArchivedCategory):
            return tr(
                "{product} is on sale in a category that is archived.",
                product=self._product_name(conflict.product_id),
            )
        if isinstance(conflict, ProductWithInvalidVat):
            if conflict.problem is VatProblem.ARCHIVED:
                return tr(
                    "{product} uses an archived VAT rate: it cannot be sold.",
                    product=self._product_name(conflict.product_id),
                )
            return tr(
                "{product} uses an unknown VAT rate: it cannot be sold.",
                product=self._product_name(conflict.product_id),
            )
        assert isinstance(conflict, MalformedEntry)
        return tr(
            "An entry written by another program cannot be read ({kind}, field {field}).",
            kind=conflict.kind.value,
            field=conflict.field,
        )

    def _card(self, conflict: Conflict) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel("⚠ " + self._describe(conflict))
        text.setWordWrap(True)
        actions = QHBoxLayout()
        layout = QVBoxLayout(card)
        layout.addWidget(text)
        layout.addLayout(actions)
        if isinstance(conflict, DuplicateBarcode):
            for product_id in conflict.product_ids:
                actions.addWidget(
                    self._button(
                        tr("Keep it on {product}", product=self._product_name(product_id)),
                        partial(
                            resolve_duplicate_barcode, self.shop.catalogue, conflict, product_id
                        ),
                    )
                )
        if isinstance(conflict, ProductInArchivedCategory):
            actions.addWidget(
                self._button(
                    tr("Restore the category"),
                    partial(self.shop.catalogue.restore_category, conflict.category_id),
                )
            )
        if isinstance(
            conflict, DuplicateBarcode | ProductInArchivedCategory | ProductWithInvalidVat
        ):
            first = (
                conflict.product_ids[0]
                if isinstance(conflict, DuplicateBarcode)
                else conflict.product_id
            )
            button = QPushButton(tr("Open the product"))
            button.clicked.connect(lambda _=False, p=first: self.open_product.emit(p))
            actions.addWidget(button)
        actions.addStretch(1)
        return card

    def _button(self, text: str, fix: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)

        def run(_checked: bool = False) -> None:
            try:
                fix()
            except DomainError as exc:  # someone changed it meanwhile: show what is left
                logger.info("conflict fix refused: %s", exc)
            self.refresh()

        button.clicked.connect(run)
        return button
