"""Who is selling: a big button per cashier, then a PIN keypad if they have a PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.qt.i18n import tr, translator
from app.qt.widgets import NumericKeypad, clear_layout
from app.till.session import TillSession, has_pin
from crdt_models.documents.settings import Cashier
from crdt_models.errors import ValidationError

__all__ = ["CashierScreen"]


class CashierScreen(QWidget):
    """``signed_in`` fires once the session has a cashier."""

    signed_in = Signal()

    def __init__(self, session: TillSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chosen: Cashier | None = None
        self.title = QLabel()
        self.title.setObjectName("screenTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice = QLabel()  # why a cashier cannot sell now
        self.notice.setObjectName("caption")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons_host = QWidget()
        self.buttons = QGridLayout(self.buttons_host)
        self.buttons.setSpacing(16)
        self.pin_label = QLabel()
        self.pin_label.setObjectName("tenderedLabel")
        self.pin_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_error = QLabel()
        self.pin_error.setObjectName("caption")
        self.keypad = NumericKeypad(decimal=False)
        self.keypad.changed.connect(lambda v: self.pin_label.setText("●" * len(v)))
        self.ok = QPushButton()
        self.ok.setObjectName("validateButton")
        self.ok.clicked.connect(self.submit_pin)
        self.pin_host = QWidget()
        pin = QVBoxLayout(self.pin_host)
        pin.addWidget(self.pin_label)
        pin.addWidget(self.pin_error)
        pin.addWidget(self.keypad)
        pin.addWidget(self.ok)
        self.pin_host.setFixedWidth(360)
        self.pin_host.hide()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.buttons_host)
        row.addWidget(self.pin_host)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addSpacing(32)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addSpacing(24)
        layout.addLayout(row)
        layout.addStretch(1)
        translator().changed.connect(self.retranslate)
        self.retranslate()
        self.reload()

    def retranslate(self, _lang: str = "") -> None:
        self.title.setText(tr("Who is selling?"))
        self.ok.setText(tr("OK"))

    def reload(self) -> None:
        clear_layout(self.buttons)
        for i, cashier in enumerate(self.session.shop.settings.cashiers()):
            text = cashier.name + ("  (PIN)" if has_pin(cashier) else "")
            b = QPushButton(text)
            b.setObjectName("cashierButton")
            b.clicked.connect(lambda _=False, c=cashier: self.choose(c))
            self.buttons.addWidget(b, i // 2, i % 2)

    def choose(self, cashier: Cashier) -> None:
        self.notice.clear()
        if self.session.is_locked(cashier):
            self.pin_host.hide()
            self.notice.setText(
                tr(
                    "{name} has counted their cash: locked until the day is closed.",
                    name=cashier.name,
                )
            )
            return
        if not has_pin(cashier):
            self.session.sign_in(cashier)
            self.signed_in.emit()
            return
        self.chosen = cashier
        self.keypad.set_value("")
        self.pin_error.setText(tr("{name}: type your PIN", name=cashier.name))
        self.pin_host.show()

    def submit_pin(self) -> None:
        if self.chosen is None:
            return
        try:
            self.session.sign_in(self.chosen, self.keypad.value)
        except ValidationError:
            self.keypad.set_value("")
            self.pin_error.setText(tr("Wrong PIN: try again."))
            return
        self.pin_host.hide()
        self.signed_in.emit()
