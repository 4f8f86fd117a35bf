"""Small dialogs of the selling screen: discount, note, parked baskets, past tickets.

Each opens with ``open()`` (never a blocking ``exec()``), so the scanner and
the tests keep running; the result arrives by signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.basket import Discount, ParkedBasket
from app.qt.formatting import format_datetime, format_money
from app.qt.i18n import language, tr
from app.qt.widgets import NumericKeypad
from crdt_models.documents.customers import CustomersDocument
from crdt_models.errors import ValidationError
from crdt_models.journal import Record
from crdt_models.money import parse_money

__all__ = ["CustomerDialog", "DiscountDialog", "NoteDialog", "PickDialog", "QuantityDialog"]


def _cancel_ok(dialog: QDialog, ok_slot: Callable[[], None]) -> QHBoxLayout:
    """Cancel, then the big OK (``ok_slot``) beside it."""
    ok = QPushButton(tr("OK"))
    ok.setObjectName("validateButton")
    ok.clicked.connect(ok_slot)
    cancel = QPushButton(tr("Cancel"))
    cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addWidget(cancel)
    row.addWidget(ok, 1)
    return row


class DiscountDialog(QDialog):
    """Percent or amount, typed on a keypad or picked from quick percentages.

    ``chosen(discount)`` fires with a :class:`Discount`, or None to remove it.
    """

    chosen = Signal(object)

    def __init__(self, title: str, current: Discount | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.percent = QPushButton("%")
        self.amount = QPushButton("€")
        for b in (self.percent, self.amount):
            b.setCheckable(True)
            b.setObjectName("quickAmount")
        group = QButtonGroup(self)
        group.addButton(self.percent)
        group.addButton(self.amount)
        (self.amount if current and current.kind == "amount" else self.percent).setChecked(True)
        self.display = QLabel()
        self.display.setObjectName("tenderedLabel")
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error = QLabel()
        self.error.setObjectName("caption")
        self.keypad = NumericKeypad()
        self.keypad.changed.connect(lambda _v: self._show())
        group.buttonToggled.connect(lambda *_: self._show())
        quick = QHBoxLayout()
        for pct in (5, 10, 20, 50):
            b = QPushButton(f"{pct} %")
            b.setObjectName("quickAmount")
            b.clicked.connect(lambda _=False, p=pct: self._quick(p))
            quick.addWidget(b)
        kinds = QHBoxLayout()
        kinds.addWidget(self.percent)
        kinds.addWidget(self.amount)
        kinds.addWidget(self.display, 1)
        ok = QPushButton(tr("Apply"))
        ok.setObjectName("validateButton")
        ok.clicked.connect(self.apply)
        remove = QPushButton(tr("No discount"))
        remove.clicked.connect(lambda: self._done(None))
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(cancel)
        actions.addWidget(remove)
        actions.addWidget(ok, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addLayout(quick)
        layout.addWidget(self.keypad)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        self.resize(440, 560)
        self._show()

    def _quick(self, pct: int) -> None:
        self.percent.setChecked(True)
        self.keypad.set_value(str(pct))
        self.apply()

    def _show(self) -> None:
        unit = " %" if self.percent.isChecked() else " €"
        self.display.setText((self.keypad.value or "0") + unit)

    def discount(self) -> Discount:
        """The discount typed so far; ValidationError if it is not one."""
        text = self.keypad.value or "0"
        cents = parse_money(text, "discount")
        if self.percent.isChecked():
            return Discount.percent(cents)  # 12,5 -> 1250 cents -> 1250 bp = 12.5 %
        return Discount.amount(cents)

    def apply(self) -> None:
        try:
            discount = self.discount()
        except ValidationError:
            self.error.setText(tr("This discount is not possible."))
            return
        self._done(discount if discount.value else None)

    def _done(self, discount: Discount | None) -> None:
        self.chosen.emit(discount)
        self.accept()


class QuantityDialog(QDialog):
    """A line's quantity on a keypad; ``chosen(n)`` on OK (0 removes the line)."""

    chosen = Signal(int)

    def __init__(self, title: str, current: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.display = QLabel()
        self.display.setObjectName("tenderedLabel")
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.keypad = NumericKeypad(decimal=False)
        self.keypad.changed.connect(lambda v: self.display.setText(v or "0"))
        self.display.setText(str(current))
        layout = QVBoxLayout(self)
        caption = QLabel(title)
        caption.setObjectName("screenTitle")
        layout.addWidget(caption)
        layout.addWidget(self.display)
        layout.addWidget(self.keypad)
        layout.addLayout(_cancel_ok(self, self.apply))
        self.resize(400, 520)

    def apply(self) -> None:
        self.chosen.emit(int(self.keypad.value or "0"))
        self.accept()


class NoteDialog(QDialog):
    """A short note on a line or on the sale; ``chosen(text)`` on OK."""

    chosen = Signal(str)

    def __init__(self, title: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.edit = QLineEdit(current)
        self.edit.setMaxLength(120)
        self.edit.returnPressed.connect(self._ok)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addWidget(self.edit)
        layout.addLayout(_cancel_ok(self, self._ok))
        self.resize(520, 200)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()  # typing goes here, not to the window behind
        self.edit.setFocus()

    def _ok(self) -> None:
        self.chosen.emit(self.edit.text().strip())
        self.accept()


class PickDialog(QDialog):
    """A list of big rows to pick one from (parked baskets, past tickets).

    ``picked(key)`` fires with the chosen row's key.
    """

    picked = Signal(str)

    def __init__(
        self, title: str, rows: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.list = QListWidget()
        self.list.setStyleSheet("QListWidget::item { min-height: 56px; font-size: 18px; }")
        for key, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.list.addItem(item)
        self.list.itemActivated.connect(self._pick)
        self.list.itemClicked.connect(self._pick)
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        title_label = QLabel(title)
        title_label.setObjectName("screenTitle")
        layout.addWidget(title_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(cancel)
        self.resize(620, 520)

    def pick(self, row: int) -> None:
        self._pick(self.list.item(row))

    def _pick(self, item: QListWidgetItem) -> None:
        self.picked.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()

    @staticmethod
    def parked_rows(parked: Sequence[ParkedBasket]) -> list[tuple[str, str]]:
        lang = language()
        return [
            (
                p.basket.basket_id,
                f"{format_datetime(p.parked_at, lang)}  ·  {p.cashier}  ·  "
                + tr("{n} items", n=p.basket.totals().item_count)
                + f"  ·  {format_money(p.basket.totals().total, lang)}",
            )
            for p in parked
        ]

    @staticmethod
    def ticket_rows(records: Sequence[Record]) -> list[tuple[str, str]]:
        lang = language()
        return [
            (
                str(r.seq),
                f"{r.body['ticket']}  ·  {format_datetime(r.ts, lang)}  ·  "
                f"{format_money(r.body['total'], lang)}",
            )
            for r in records
        ]


class CustomerDialog(QDialog):
    """Attach a customer to the sale: search as you type, or create one on the spot
    (offline too: it is a document edit). ``picked(id)`` fires with the customer's
    id, or ``""`` to detach."""

    picked = Signal(str)

    def __init__(self, customers: CustomersDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.customers = customers
        self.setWindowTitle(tr("Customer"))
        self.setModal(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Name or phone"))
        self.search.textChanged.connect(self._fill)
        self.list = QListWidget()
        self.list.setStyleSheet("QListWidget::item { min-height: 48px; font-size: 18px; }")
        self.list.itemClicked.connect(
            lambda item: self._done(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.phone = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("caption")
        create = QPushButton(tr("Create and attach"))
        create.clicked.connect(self.create_customer)
        detach = QPushButton(tr("No customer"))
        detach.clicked.connect(lambda: self._done(""))
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("First name"), self.first_name)
        form.addRow(tr("Last name"), self.last_name)
        form.addRow(tr("Phone"), self.phone)
        actions = QHBoxLayout()
        actions.addWidget(cancel)
        actions.addWidget(detach)
        actions.addWidget(create, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        new_title = QLabel(tr("New customer"))
        new_title.setObjectName("screenTitle")
        layout.addWidget(new_title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        self.resize(620, 640)
        self._fill("")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.search.setFocus()

    def _fill(self, text: str) -> None:
        words = text.casefold().split()
        self.list.clear()
        shown = 0
        for c in sorted(self.customers.customers(), key=lambda c: c.display_name.casefold()):
            haystack = f"{c.display_name} {c.phone} {c.email}".casefold()
            if all(w in haystack for w in words):
                item = QListWidgetItem(f"{c.display_name}   {c.phone}".strip())
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.list.addItem(item)
                shown += 1
                if shown >= 50:
                    break

    def create_customer(self) -> None:
        try:
            created = self.customers.create_customer(
                first_name=self.first_name.text().strip(),
                last_name=self.last_name.text().strip(),
                phone=self.phone.text().strip(),
            )
        except ValidationError:
            self.error.setText(tr("Type a first or last name, and a valid phone number."))
            return
        self._done(created.entry_id)

    def _done(self, customer_id: str) -> None:
        self.picked.emit(customer_id)
        self.accept()
