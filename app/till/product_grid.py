"""Product buttons by category: the left and centre of the selling screen.

The search field looks, within the chosen category tab, in what the toggle
buttons next to it say: the name (and the start of a barcode, the default),
the barcode only, or the description.

Buttons are at least 64 px (larger when there is room), 8 px apart, tinted
with the category colour and marked by a solid stripe of it; the name takes
two lines at most, the price sits under it, the stock (where tracked) in a
corner. Only one category's buttons exist at a time, capped at
:data:`MAX_TILES`: a catalogue of 100,000 products is reached by search.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.qt.formatting import format_money, format_number
from app.qt.i18n import language, tr, translator
from app.qt.widgets import clear_layout
from app.till.catalogue import ALL_CATEGORY, ProductTile, SearchField, TillCatalogue
from app.till.theme import readable_tint

__all__ = ["MAX_TILES", "ProductButton", "ProductGrid"]

MAX_TILES = 120
COLUMNS = 5
CATEGORY_COLUMNS = 4
TILE_HEIGHT = 112


def two_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Wrap ``text`` into at most two lines of ``width`` px, eliding the second."""
    words = text.split()
    first = ""
    rest = list(words)
    while rest:
        candidate = f"{first} {rest[0]}".strip()
        if metrics.horizontalAdvance(candidate) > width and first:
            break
        first = candidate
        rest.pop(0)
    if metrics.horizontalAdvance(first) > width:
        first = metrics.elidedText(first, Qt.TextElideMode.ElideRight, width)
    lines = [first]
    if rest:
        lines.append(metrics.elidedText(" ".join(rest), Qt.TextElideMode.ElideRight, width))
    return lines


class ProductButton(QAbstractButton):
    """One product: tap to add it to the basket."""

    def __init__(
        self,
        tile: ProductTile,
        stock_of: Callable[[str], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._stock_of = stock_of
        self.setMinimumSize(QSize(112, TILE_HEIGHT))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.tile = tile
        self.set_tile(tile)

    def set_tile(self, tile: ProductTile) -> None:
        """Show ``tile``: the same product with a new price or colour, or another
        product when the grid is refilled (a press in progress is then dropped: its
        release must not sell the product that took the button)."""
        if self.tile.id != tile.id:
            self.setDown(False)
        self.tile = tile
        self.setAccessibleName(f"{tile.name}, {format_money(tile.price, language())}")
        self.setToolTip(tile.name)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(140, TILE_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        tile = self.tile
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(1, 1, -1, -1)
        base = QColor(tile.color) if QColor.isValidColorName(tile.color) else QColor("#9aa5b1")
        p.setBrush(readable_tint(tile.color, 0.5 if self.isDown() else 0.22))
        p.setPen(QPen(base.darker(130), 2))
        p.drawRoundedRect(r, 8, 8)
        p.fillRect(QRect(r.left() + 1, r.top() + 1, 10, r.height() - 1), base)
        text_rect = r.adjusted(18, 6, -8, -6)
        name_font = QFont(self.font())
        name_font.setPixelSize(17)
        name_font.setWeight(QFont.Weight.DemiBold)
        p.setFont(name_font)
        p.setPen(QColor("#111111"))
        metrics = QFontMetrics(name_font)
        y = text_rect.top() + metrics.ascent()
        for line in two_lines(tile.name, metrics, text_rect.width()):
            p.drawText(text_rect.left(), y, line)
            y += metrics.height()
        price_font = QFont(self.font())
        price_font.setPixelSize(20)
        price_font.setWeight(QFont.Weight.Bold)
        p.setFont(price_font)
        lang = language()
        p.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
            format_money(tile.price, lang),
        )
        stock = self._stock_of(tile.id)
        if stock is not None:
            stock_font = QFont(self.font())
            stock_font.setPixelSize(14)
            p.setFont(stock_font)
            p.setPen(QColor("#8a1010") if stock <= 0 else QColor("#333333"))
            stock_rect = text_rect.adjusted(0, 0, 0, -QFontMetrics(price_font).height())
            p.drawText(
                stock_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                tr("stock {n}", n=format_number(stock, lang)),
            )
        p.end()


class ProductGrid(QWidget):
    """Search field, category tabs and the buttons of the chosen category.

    ``product_chosen(tile)`` fires on a tap; ``search_barcode(code)`` when the
    cashier types digits in the search field and presses Enter (a scan into
    the field).
    """

    product_chosen = Signal(object)
    search_barcode = Signal(str)

    def __init__(self, catalogue: TillCatalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self.search = QLineEdit()
        self.search.setObjectName("productSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.refill())
        self.search.returnPressed.connect(self._search_enter)
        self.field_group = QButtonGroup(self)
        self.field_group.setExclusive(True)
        self.field_buttons: dict[SearchField, QPushButton] = {}
        search_row = QHBoxLayout()
        search_row.setSpacing(8)
        search_row.addWidget(self.search, 1)
        for field in SearchField:
            button = QPushButton()
            button.setObjectName("searchFilter")
            button.setCheckable(True)
            button.setChecked(field is SearchField.NAME)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search field keeps the keys
            button.toggled.connect(self._field_toggled)
            self.field_group.addButton(button)
            search_row.addWidget(button)
            self.field_buttons[field] = button
        self._category_host = QWidget()
        self._categories = QGridLayout(self._category_host)
        self._categories.setContentsMargins(0, 0, 0, 0)
        self._categories.setSpacing(8)
        self.category_group = QButtonGroup(self)
        self.category_group.setExclusive(True)
        self.category_group.idToggled.connect(self._category_toggled)
        self.category_buttons: dict[str, QPushButton] = {}
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(8)
        self._grid.setContentsMargins(0, 8, 8, 8)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.more = QLabel()
        self.more.setObjectName("caption")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(search_row)
        layout.addWidget(self._category_host)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.more)
        self.buttons: list[ProductButton] = []
        translator().changed.connect(self.retranslate)
        self.reload()

    def retranslate(self, _lang: str = "") -> None:
        placeholders = {
            SearchField.NAME: tr("Search a product or a barcode"),
            SearchField.BARCODE: tr("Search a barcode"),
            SearchField.DESCRIPTION: tr("Search in the descriptions"),
        }
        self.search.setPlaceholderText(placeholders[self.search_field()] + "  (F2)")
        self.field_buttons[SearchField.NAME].setText(tr("Name"))
        self.field_buttons[SearchField.BARCODE].setText(tr("Barcode"))
        self.field_buttons[SearchField.DESCRIPTION].setText(tr("Description"))
        if ALL_CATEGORY in self.category_buttons:
            self.category_buttons[ALL_CATEGORY].setText(tr("All"))
        self.refill()

    def refresh_stock(self) -> None:
        """Repaint the buttons after a stock move (cheap: nothing is rebuilt)."""
        for button in self.buttons:
            button.update()

    def update_tiles(self, product_ids: Collection[str]) -> None:
        """Repaint the buttons of these products with their new tiles (a price, a
        colour changed; the catalogue updated them in place: nothing moved)."""
        for button in self.buttons:
            if button.tile.id in product_ids:
                tile = self._catalogue.tile(button.tile.id)
                if tile is not None:
                    button.set_tile(tile)

    def reload(self) -> None:
        """Rebuild category buttons and product buttons from the catalogue."""
        current = self.current_category() if self.category_buttons else None
        for button in self.category_buttons.values():
            self.category_group.removeButton(button)
        clear_layout(self._categories)
        self.category_buttons = {}
        tabs = [(ALL_CATEGORY, tr("All"), "#5f6b76")]
        tabs += [(c.id, c.name, c.color) for c in self._catalogue.categories]
        for i, (cat_id, name, color) in enumerate(tabs):
            b = QPushButton(name)
            b.setObjectName("categoryButton")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(name)
            # a long name must not widen the screen: the button takes its column's width
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            b.setStyleSheet(
                f"QPushButton {{ border-left: 12px solid {color}; background: "
                f"{readable_tint(color, 0.15).name()}; }}"
            )
            self.category_group.addButton(b)
            self._categories.addWidget(b, i // CATEGORY_COLUMNS, i % CATEGORY_COLUMNS)
            self.category_buttons[cat_id] = b
        if current is None or current not in self.category_buttons:
            current = tabs[1][0] if len(tabs) > 1 else ALL_CATEGORY
        self.category_group.blockSignals(True)
        self.category_buttons[current].setChecked(True)
        self.category_group.blockSignals(False)
        self.retranslate()

    def search_field(self) -> SearchField:
        """Where the search text is looked for (the checked toggle)."""
        return next(f for f, b in self.field_buttons.items() if b.isChecked())

    def set_search_field(self, field: SearchField) -> None:
        self.field_buttons[field].setChecked(True)

    def _field_toggled(self, checked: bool) -> None:
        if checked:
            self.retranslate()  # the placeholder says where the search looks; refills

    def current_category(self) -> str:
        for cat_id, button in self.category_buttons.items():
            if button.isChecked():
                return cat_id
        return ALL_CATEGORY

    def select_category(self, category_id: str) -> None:
        button = self.category_buttons.get(category_id)
        if button is not None:
            button.setChecked(True)

    def button_for(self, product_id: str) -> ProductButton | None:
        return next((b for b in self.buttons if b.tile.id == product_id), None)

    def _search_enter(self) -> None:
        text = self.search.text().strip()
        if text.isdigit() and len(text) >= 4:
            self.search.clear()
            self.search_barcode.emit(text)
        elif len(self.buttons) == 1:
            self.product_chosen.emit(self.buttons[0].tile)
            self.search.clear()

    def _category_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.refill()

    def refill(self) -> None:
        """Show what the search finds in the chosen category: the buttons already
        there are given the new tiles (the scroll position stays), only the missing
        ones are made, the extra ones deleted."""
        found = self._catalogue.search(
            self.search.text(), self.current_category(), MAX_TILES + 1, self.search_field()
        )
        shown = found[:MAX_TILES]
        for button, tile in zip(self.buttons, shown, strict=False):
            button.set_tile(tile)  # repainted: the language may have changed too
        for button in self.buttons[len(shown) :]:
            self._grid.removeWidget(button)
            button.hide()  # deleteLater alone leaves it painted until the event loop runs
            button.deleteLater()
        del self.buttons[len(shown) :]
        for i in range(len(self.buttons), len(shown)):
            button = ProductButton(shown[i], self._catalogue.stock, self._grid_host)
            button.clicked.connect(lambda _=False, b=button: self.product_chosen.emit(b.tile))
            self._grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.buttons.append(button)
        if len(found) > MAX_TILES:
            self.more.setText(tr("More products: type in the search field to find them."))
        elif not found:
            self.more.setText(tr("No product found."))
        else:
            self.more.setText("")
        self.more.setVisible(bool(self.more.text()))
