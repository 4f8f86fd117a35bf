"""The payment screen: what is due, how it is paid, the change.

The cashier types or picks the amount handed over (Exact, 5, 10, 20, 50 €),
then taps a payment method; each tap adds a payment row until nothing
remains due. Cash may exceed what is due: the change is shown huge. When the
remaining amount reaches zero, ``paid`` fires and the window validates the
sale. Back (Esc) cancels the payments and returns to the basket.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.basket import Basket
from app.core.payments import journal_method
from app.qt.formatting import format_money
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar, NumericKeypad, clear_layout
from app.till.session import TillSession
from crdt_models.documents.settings import PaymentKind, PaymentMethod
from crdt_models.errors import ValidationError
from crdt_models.money import parse_money

__all__ = ["PaymentScreen"]

QUICK_NOTES = (500, 1000, 2000, 5000)


class PaymentScreen(QWidget):
    paid = Signal()
    cancelled = Signal()

    def __init__(
        self, session: TillSession, messages: MessageBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.messages = messages
        self.title = QLabel()
        self.title.setObjectName("screenTitle")
        self.total_label = QLabel()
        self.total_label.setObjectName("caption")
        self.remaining_caption = QLabel()
        self.remaining_caption.setObjectName("totalCaption")
        self.remaining_label = QLabel()
        self.remaining_label.setObjectName("remainingLabel")
        self.payments = QListWidget()
        self.payments.setStyleSheet("QListWidget::item { min-height: 44px; font-size: 18px; }")
        self.remove_payment = QPushButton()
        self.remove_payment.clicked.connect(self._remove_selected)
        self.back = QPushButton()
        self.back.clicked.connect(self.cancel)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.total_label)
        left.addWidget(self.remaining_caption)
        left.addWidget(self.remaining_label)
        left.addWidget(self.payments, 1)
        left.addWidget(self.remove_payment)
        left.addWidget(self.back)

        self.tendered_caption = QLabel()
        self.tendered_caption.setObjectName("totalCaption")
        self.tendered_label = QLabel()
        self.tendered_label.setObjectName("tenderedLabel")
        self.tendered_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.tendered_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.keypad = NumericKeypad()
        self.keypad.changed.connect(lambda _v: self._refresh())
        self.exact = QPushButton()
        self.exact.setObjectName("quickAmount")
        self.exact.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.exact.clicked.connect(lambda: self.keypad.set_value(""))
        quick = QHBoxLayout()
        quick.setSpacing(8)
        quick.addWidget(self.exact, 2)
        self.quick_buttons: dict[int, QPushButton] = {}
        for cents in QUICK_NOTES:
            b = QPushButton()
            b.setObjectName("quickAmount")
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, c=cents: self.set_tendered(c))
            quick.addWidget(b, 1)
            self.quick_buttons[cents] = b
        middle = QVBoxLayout()
        middle.addWidget(self.tendered_caption)
        middle.addWidget(self.tendered_label)
        middle.addLayout(quick)
        middle.addWidget(self.keypad, 1)

        self.methods_box = QGridLayout()
        self.methods_box.setSpacing(8)
        self.method_buttons: dict[str, QPushButton] = {}
        right = QVBoxLayout()
        right.addLayout(self.methods_box)
        right.addStretch(1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 16)
        layout.setSpacing(24)
        left_host = QWidget()
        left_host.setLayout(left)
        left_host.setFixedWidth(360)
        layout.addWidget(left_host)
        layout.addLayout(middle, 1)
        right_host = QWidget()
        right_host.setLayout(right)
        right_host.setFixedWidth(280)
        layout.addWidget(right_host)
        translator().changed.connect(self.retranslate)
        self.retranslate()

    @property
    def basket(self) -> Basket:
        return self.session.basket

    def retranslate(self, _lang: str = "") -> None:
        lang = language()
        self.title.setText(tr("Payment"))
        self.remaining_caption.setText(tr("Remaining to pay"))
        self.remove_payment.setText(tr("Remove the payment"))
        self.back.setText(tr("Back to the sale") + "  (Esc)")
        self.exact.setText(tr("Exact"))
        for cents, b in self.quick_buttons.items():
            b.setText(format_money(cents, lang).replace(",00", "").replace(".00", ""))
        self._build_methods()
        self._refresh()

    def _build_methods(self) -> None:
        clear_layout(self.methods_box)
        self.method_buttons = {}
        for i, method in enumerate(self.session.payment_methods()):
            b = QPushButton(method.name)
            b.setObjectName("methodButton")
            b.clicked.connect(lambda _=False, m=method: self.pay_with(m))
            self.methods_box.addWidget(b, i, 0)
            self.method_buttons[method.id] = b

    def start(self) -> None:
        """Show the basket's amount due (called when the screen opens)."""
        self.keypad.set_value("")
        self._refresh()

    def set_tendered(self, cents: int) -> None:
        units, rest = divmod(cents, 100)
        self.keypad.set_value(f"{units},{rest:02d}" if rest else str(units))

    def tendered(self) -> int:
        """What the keypad says was handed over; empty means exactly what remains."""
        if not self.keypad.value:
            return self.basket.totals().remaining
        return parse_money(self.keypad.value, "tendered")

    def method(self, kind: PaymentKind) -> PaymentMethod:
        """The first payment method of ``kind`` (for shortcuts and tests)."""
        return next(m for m in self.session.payment_methods() if m.kind is kind)

    def pay_with(self, method: PaymentMethod) -> None:
        """Add a payment of the tendered amount by ``method``."""
        try:
            amount = self.tendered()
            self.basket.pay(
                journal_method(method), amount, gives_change=method.kind is PaymentKind.CASH
            )
        except ValidationError as exc:
            self.messages.show_message(self._explain(exc.code, method), "warning")
            return
        self.keypad.set_value("")
        self._refresh()
        if self.basket.is_paid:
            self.paid.emit()

    def cancel(self) -> None:
        self.basket.clear_payments()
        self._refresh()
        self.cancelled.emit()

    def _remove_selected(self) -> None:
        item = self.payments.currentItem()
        if item is not None:
            self.basket.remove_payment(str(item.data(Qt.ItemDataRole.UserRole)))
            self._refresh()

    def _explain(self, code: str, method: PaymentMethod) -> str:
        return {
            "payment.overpay": tr(
                "{method} cannot pay more than what remains: type the exact amount.",
                method=method.name,
            ),
            "money.format": tr("Type an amount such as 12,50."),
            "money.range": tr("Type an amount such as 12,50."),
            "payment.zero": tr("Type an amount above zero."),
            "payment.nothing_due": tr("Nothing remains to be paid."),
        }.get(code, tr("This payment is not possible."))

    def _refresh(self) -> None:
        lang = language()
        totals = self.basket.totals()
        self.total_label.setText(
            tr("Total of the sale: {amount}", amount=format_money(totals.total, lang))
        )
        self.remaining_label.setText(format_money(max(0, totals.remaining), lang))
        names = self.session.method_names()
        self.payments.clear()
        for p in self.basket.payments:
            text = f"{names.get(p.method, p.method)}   {format_money(p.tendered, lang)}"
            if p.change:
                text += "   " + tr("change {amount}", amount=format_money(p.change, lang))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.payment_id)
            self.payments.addItem(item)
        self.remove_payment.setEnabled(bool(self.basket.payments))
        caption = tr("Amount handed over")
        if self.keypad.value:
            try:
                shown = format_money(parse_money(self.keypad.value), lang)
            except ValidationError:
                shown = self.keypad.value
        else:
            shown = format_money(max(0, totals.remaining), lang)
            caption += " (" + tr("exact") + ")"
        self.tendered_caption.setText(caption)
        self.tendered_label.setText(shown)
