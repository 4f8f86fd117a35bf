"""The selling screen: products on the left, the basket, total and Pay on the right.

Every common action is one tap: a product button, a line's − / +, Pay. Line
discount, note, basket discount, park and recall are one tap more. The
screen talks to the :class:`~app.till.session.TillSession` through the
:class:`~app.till.basket_model.BasketModel`; errors go to the message bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.basket import Basket
from app.qt.formatting import format_money
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar
from app.till.basket_model import BasketModel, describe_discount
from app.till.catalogue import ProductTile
from app.till.dialogs import CustomerDialog, DiscountDialog, NoteDialog, QuantityDialog
from app.till.loyalty_star import LoyaltyStar
from app.till.printing.documents import provisional_layout
from app.till.printing.service import TicketPrinter
from app.till.product_grid import ProductGrid
from app.till.product_info import ProductInfoDialog, product_info
from app.till.session import TillSession
from crdt_models.errors import DomainError

__all__ = ["SellingScreen"]


class SellingScreen(QWidget):
    """``pay_requested`` fires on Pay with a non-empty basket."""

    pay_requested = Signal()

    def __init__(
        self,
        session: TillSession,
        messages: MessageBar,
        printer: TicketPrinter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.messages = messages
        self.printer = printer
        self.model = BasketModel(session.basket)
        self.grid = ProductGrid(session.catalogue)
        self.grid.product_chosen.connect(self.add_tile)
        self.grid.search_barcode.connect(self.scan)

        self.table = QTableView()
        self.table.setObjectName("basketTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.minus = self._action("−", self.decrement)
        self.plus = self._action("+", self.increment)
        self.line_discount_button = self._action("", self.ask_line_discount, "lineText")
        self.note_button = self._action("", self.ask_line_note, "lineText")
        self.remove_button = self._action("✕", self.remove_line)
        self.info_button = self._action("", self.show_product_info, "lineText")
        line_row = QHBoxLayout()
        for b in (self.minus, self.plus, self.info_button, self.remove_button):
            b.setFixedWidth(56)
        line_row.addWidget(self.minus)
        line_row.addWidget(self.plus)
        line_row.addWidget(self.line_discount_button, 1)
        line_row.addWidget(self.note_button, 1)
        line_row.addWidget(self.info_button)
        line_row.addWidget(self.remove_button)

        self.basket_discount_button = QPushButton()
        self.basket_discount_button.clicked.connect(self.ask_basket_discount)
        self.discount_label = QLabel()
        self.discount_label.setObjectName("caption")
        self.customer_button = QPushButton()
        self.customer_button.clicked.connect(self.ask_customer)
        self.customer_button.setMaximumWidth(200)  # a long name is cut, not the panel widened
        discount_row = QHBoxLayout()
        discount_row.addWidget(self.basket_discount_button)
        discount_row.addWidget(self.customer_button)
        self.star = LoyaltyStar(session.shop, messages)
        discount_row.addWidget(self.star)
        discount_row.addWidget(self.discount_label, 1)

        self.total_caption = QLabel()
        self.total_caption.setObjectName("totalCaption")
        self.total_label = QLabel()
        self.total_label.setObjectName("totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        total_row = QHBoxLayout()
        total_row.addWidget(self.total_caption, 0, Qt.AlignmentFlag.AlignBottom)
        total_row.addWidget(self.total_label, 1)
        self.pay_button = QPushButton()
        self.pay_button.setObjectName("payButton")
        self.pay_button.clicked.connect(self.request_pay)
        self.provisional_button = QPushButton()
        self.provisional_button.setObjectName("lineText")
        self.provisional_button.setMinimumHeight(80)
        self.provisional_button.clicked.connect(self.print_provisional)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.provisional_button)
        pay_row.addWidget(self.pay_button, 1)

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.table, 1)
        right.addLayout(line_row)
        right.addLayout(discount_row)
        right.addLayout(total_row)
        right.addLayout(pay_row)
        right_host = QWidget()
        right_host.setLayout(right)
        right_host.setFixedWidth(480)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(self.grid, 1)
        layout.addWidget(right_host)

        self.table.clicked.connect(self._cell_tapped)
        self.model.totals_changed.connect(self._refresh)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._refresh_actions())
        translator().changed.connect(self.retranslate)
        self.retranslate()

    def _action(self, text: str, slot: object, name: str = "lineAction") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def retranslate(self, _lang: str = "") -> None:
        self.line_discount_button.setText(tr("Discount"))
        self.note_button.setText(tr("Note"))
        self.remove_button.setToolTip(tr("Remove the line"))
        self.info_button.setText(tr("Info"))
        self.info_button.setToolTip(tr("Product info"))
        self.basket_discount_button.setText(tr("Discount on the sale"))
        self.total_caption.setText(tr("Total"))
        self.pay_button.setText(tr("Pay") + "  (F12)")
        self.provisional_button.setText(tr("Provisional\nticket"))
        self.provisional_button.setToolTip(tr("Print the basket before payment (not a receipt)"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        self._refresh()

    # -- basket commands ----------------------------------------------------------

    def set_basket(self, basket: Basket) -> None:
        self.session.basket = basket
        self.model.set_basket(basket)

    def add_tile(self, tile: ProductTile) -> None:
        line_id = self._run(lambda b: b.add_product(tile.id, tile.name, tile.price, tile.vat_bp))
        if isinstance(line_id, str):
            self._select(line_id)

    def scan(self, code: str) -> None:
        """A barcode arrived (scanner, or digits + Enter in the search field)."""
        tile = self.session.catalogue.by_barcode(code)
        if tile is None:
            self.messages.show_message(
                tr("Unknown barcode {code}: search the product by name.", code=code),
                "warning",
                action=tr("Search"),
            )
            return
        self.add_tile(tile)

    def selected_line(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.line_id_at(rows[0].row())
        return None

    def increment(self) -> None:
        line = self.selected_line()
        if line:
            self._on_line(line, lambda b: b.change_quantity(line, +1))

    def decrement(self) -> None:
        line = self.selected_line()
        if line:
            self._on_line(line, lambda b: b.change_quantity(line, -1))

    def remove_line(self) -> None:
        line = self.selected_line()
        if line:
            self._run(lambda b: b.remove_line(line))

    def ask_line_discount(self) -> DiscountDialog | None:
        line = self.selected_line()
        if not line:
            return None
        dialog = DiscountDialog(
            tr("Discount on the line"), self.model.basket.line(line).discount, self
        )
        dialog.chosen.connect(lambda d: self._on_line(line, lambda b: b.set_line_discount(line, d)))
        dialog.open()
        return dialog

    def ask_line_note(self) -> NoteDialog | None:
        line = self.selected_line()
        if not line:
            return None
        dialog = NoteDialog(tr("Note on the line"), self.model.basket.line(line).note, self)
        dialog.chosen.connect(
            lambda text: self._on_line(line, lambda b: b.set_line_note(line, text))
        )
        dialog.open()
        return dialog

    def show_product_info(self) -> ProductInfoDialog | None:
        """The selected line's product: price, VAT, barcode, category, stock, sold today."""
        line = self.selected_line()
        if not line:
            return None
        dialog = ProductInfoDialog(product_info(self.session, self.model.basket.line(line)), self)
        dialog.open()
        return dialog

    def ask_quantity(self) -> QuantityDialog | None:
        """Type the selected line's quantity on a keypad (tap its quantity)."""
        line = self.selected_line()
        if not line:
            return None
        current = self.model.basket.line(line).quantity
        dialog = QuantityDialog(tr("Quantity"), current, self)
        dialog.chosen.connect(lambda n: self._on_line(line, lambda b: b.set_quantity(line, n)))
        dialog.open()
        return dialog

    def _cell_tapped(self, index: QModelIndex) -> None:
        if index.column() == 1:
            self.ask_quantity()

    def ask_customer(self) -> CustomerDialog:
        dialog = CustomerDialog(self.session.shop.customers, self)
        dialog.picked.connect(self.attach_customer)
        dialog.open()
        return dialog

    def attach_customer(self, customer_id: str) -> None:
        """Attach a customer to the sale (``""`` detaches)."""
        self.model.basket.customer_id = customer_id or None
        self._refresh()

    def ask_basket_discount(self) -> DiscountDialog:
        dialog = DiscountDialog(tr("Discount on the sale"), self.model.basket.discount, self)
        dialog.chosen.connect(lambda d: self._run(lambda b: b.set_discount(d)))
        dialog.open()
        return dialog

    def request_pay(self) -> None:
        if self.model.basket.is_empty:
            self.messages.show_message(tr("The basket is empty: add a product first."))
            return
        self.pay_requested.emit()

    def print_provisional(self) -> None:
        """Print the basket as a provisional ticket (not a receipt; nothing is recorded)."""
        if self.model.basket.is_empty:
            self.messages.show_message(tr("The basket is empty: add a product first."))
            return
        cashier = self.session.cashier
        layout = provisional_layout(
            self.model.totals,
            self.session.shop.settings.shop(),
            self.session.till_name(),
            cashier.name if cashier else "",
        )
        self.printer.print_layout(layout)

    # -- internals ----------------------------------------------------------------

    def _run(self, command: Callable[[Basket], object]) -> object:
        try:
            return self.model.apply(command)
        except DomainError as exc:
            self.messages.show_message(_explain(exc), "warning")
            return None

    def _on_line(self, line_id: str, command: Callable[[Basket], object]) -> None:
        """Run a command on one line and keep that line selected (if it remains)."""
        self._run(command)
        self._select(line_id)

    def _select(self, line_id: str) -> None:
        row = self.model.row_of(line_id)
        if row < 0:
            return
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(index, flags)
        self.table.scrollTo(index)

    def _refresh(self) -> None:
        lang = language()
        totals = self.model.totals
        self.total_label.setText(format_money(totals.total, lang))
        discount = self.model.basket.discount
        if totals.discount_total:
            text = tr("Discounts: {amount}", amount=format_money(-totals.discount_total, lang))
            if discount:
                text += "  (" + describe_discount(discount, lang) + ")"
            self.discount_label.setText(text)
        else:
            self.discount_label.setText("")
        self.pay_button.setEnabled(not self.model.basket.is_empty)
        self.provisional_button.setEnabled(not self.model.basket.is_empty)
        self.customer_button.setText(self._customer_text())
        self.star.show_for(self.model.basket.customer_id)
        if self.model.rowCount():
            self.table.scrollToBottom()
        self._refresh_actions()

    def _customer_text(self) -> str:
        customer_id = self.model.basket.customer_id
        if not customer_id:
            return tr("Customer")
        try:
            name = self.session.shop.customers.customer(customer_id).display_name
        except DomainError:
            name = "?"
        return "✓ " + name

    def _refresh_actions(self) -> None:
        has_line = self.selected_line() is not None
        for b in (
            self.minus,
            self.plus,
            self.line_discount_button,
            self.note_button,
            self.info_button,
            self.remove_button,
        ):
            b.setEnabled(has_line)


def _explain(exc: DomainError) -> str:
    """The cashier's words for an error the basket raised."""
    code = getattr(exc, "code", "")
    return {
        "discount.range": tr("This discount is not possible."),
        "quantity.range": tr("This quantity is not possible."),
        "line.absurd": tr("This amount is too large."),
        "basket.paying": tr("Cancel the payments before changing the sale."),
    }.get(code, tr("This is not possible: {reason}", reason=str(exc)))
