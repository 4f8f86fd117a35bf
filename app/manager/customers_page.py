"""The Customers section: the customer file with loyalty visits and account balances.

A searchable table (name, e-mail, phone, visits, balance) beside an editor
that also adjusts visits and balance, shows the purchases this computer has
received, and merges a duplicate into the customer shown
(:func:`app.manager.customer_merge.merge_customers`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.manager.context import ManagerContext
from app.manager.customer_merge import merge_customers
from app.manager.entry_list import EntryList
from app.manager.forms import Form, error_text
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_datetime, format_money, format_number
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar
from crdt_models.documents import ChangeSummary, Customer, EntryKind
from crdt_models.errors import ValidationError
from crdt_models.money import parse_money

__all__ = ["CustomersModel", "CustomersPage", "MergeDialog"]

#: How many of a customer's purchases the editor lists.
HISTORY_LENGTH = 20


class CustomersModel(QObject):
    """The customers table, refreshed by the customers and inventory change summaries."""

    def __init__(self, context: ManagerContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        inventory = context.inventory
        self.table = EntryTableModel(
            [
                Column(
                    lambda: tr("Name"),
                    lambda c: c.display_name,
                    lambda c: (c.last_name.casefold(), c.first_name.casefold()),
                ),
                Column(lambda: tr("E-mail"), lambda c: c.email, lambda c: c.email, width=230),
                Column(lambda: tr("Phone"), lambda c: c.phone, lambda c: c.phone, width=140),
                Column(
                    lambda: tr("Visits"),
                    lambda c: format_number(inventory.value(EntryKind.LOYALTY, c.id), language()),
                    lambda c: inventory.value(EntryKind.LOYALTY, c.id),
                    numeric=True,
                ),
                Column(
                    lambda: tr("Balance"),
                    lambda c: format_money(inventory.value(EntryKind.BALANCE, c.id), language()),
                    lambda c: inventory.value(EntryKind.BALANCE, c.id),
                    numeric=True,
                ),
            ],
            entry_id=lambda c: c.id,
            search_text=lambda c: f"{c.display_name} {c.email} {c.phone}",
            is_dimmed=lambda c: c.archived,
            parent=self,
        )
        self.table.sort(0, Qt.SortOrder.AscendingOrder)
        self.table.reset(context.customers.customers_by_id().values())
        context.customers_feed.changed.connect(self.apply)
        context.inventory_feed.changed.connect(self._on_counters)
        translator().changed.connect(self._on_language)

    def _on_language(self, _lang: str) -> None:
        self.table.refresh_all()

    def apply(self, summary: ChangeSummary) -> None:
        ids = summary.ids(EntryKind.CUSTOMER)
        by_id = self.context.customers.customers_by_id()
        self.table.upsert(by_id[i] for i in ids if i in by_id)

    def _on_counters(self, summary: ChangeSummary) -> None:
        ids = summary.ids(EntryKind.LOYALTY) | summary.ids(EntryKind.BALANCE)
        by_id = self.context.customers.customers_by_id()
        self.table.upsert(by_id[i] for i in ids if i in by_id)


class MergeDialog(QDialog):
    """Pick the duplicate of ``keep`` (likely ones first) and merge it in."""

    def __init__(self, context: ManagerContext, keep: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.keep = keep
        kept = context.customers.customer(keep)
        self.setWindowTitle(tr("Merge a duplicate"))
        self.candidates = QComboBox()
        for customer in _by_likeness(kept, context.customers.customers()):
            label = " · ".join(
                x for x in (customer.display_name, customer.email, customer.phone) if x
            )
            self.candidates.addItem(label, customer.id)
        explanation = QLabel(
            tr(
                "The duplicate's visits, balance and missing details move to {name}; "
                "the duplicate is then archived.",
                name=kept.display_name,
            )
        )
        explanation.setWordWrap(True)
        self.error = QLabel()
        self.error.setProperty("role", "fieldError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.merge_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText(tr("Merge"))
        self.merge_button.setEnabled(self.candidates.count() > 0)
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.candidates)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def merge(self) -> None:
        duplicate = str(self.candidates.currentData() or "")
        try:
            merge_customers(self.context.shop, self.keep, duplicate)
        except ValidationError as exc:
            self.error.setText("⚠ " + error_text(exc))
            return
        self.accept()


def _by_likeness(kept: Customer, customers: list[Customer]) -> list[Customer]:
    """Other active customers, those sharing a name, e-mail or phone with ``kept`` first."""

    def score(c: Customer) -> int:
        same = 0
        if c.display_name.casefold() == kept.display_name.casefold():
            same += 1
        if kept.email and c.email.casefold() == kept.email.casefold():
            same += 1
        if kept.phone and c.phone.replace(" ", "") == kept.phone.replace(" ", ""):
            same += 1
        return -same

    others = [c for c in customers if c.id != kept.id]
    return sorted(others, key=lambda c: (score(c), c.last_name.casefold(), c.first_name.casefold()))


class CustomerEditor(QWidget):
    """Edit a customer's details, adjust visits and balance, merge a duplicate in."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.customer_id: str | None = None
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.form = Form()
        self.first_name = self.form.add("first_name", lambda: tr("First name"), QLineEdit())
        self.last_name = self.form.add("last_name", lambda: tr("Last name"), QLineEdit())
        self.email = self.form.add("email", lambda: tr("E-mail"), QLineEdit())
        self.phone = self.form.add("phone", lambda: tr("Phone"), QLineEdit())
        self.address = self.form.add("address", lambda: tr("Address"), QPlainTextEdit())
        self.notes = self.form.add("notes", lambda: tr("Notes"), QPlainTextEdit())
        self.address.setMaximumHeight(60)
        self.notes.setMaximumHeight(60)
        self.visits = self.form.add("delta", lambda: tr("Add loyalty visits"), QSpinBox())
        self.visits.setRange(-1_000_000, 1_000_000)
        self.credit = self.form.add("balance", lambda: tr("Credit the account"), QLineEdit())
        self.credit.setPlaceholderText("0.00")
        self.counters = QLabel()
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.merge_button = QPushButton()
        self.merge_button.clicked.connect(self.open_merge)
        self.archive_button = QPushButton()
        self.archive_button.clicked.connect(self.toggle_archived)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.merge_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.history_title = QLabel()
        self.history = QListWidget()
        self.history.setMaximumHeight(160)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.counters)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history)
        layout.addStretch(1)
        translator().changed.connect(self._retranslate)
        context.inventory_feed.changed.connect(self._on_counters)
        self.new()

    def new(self) -> None:
        self.customer_id = None
        for edit in (self.first_name, self.last_name, self.email, self.phone):
            edit.clear()
        self.address.clear()
        self.notes.clear()
        self._reset_adjustments()
        self.history.clear()
        self._retranslate()

    def edit(self, customer_id: str) -> None:
        customer = self.context.customers.customer(customer_id)
        self.customer_id = customer_id
        self.first_name.setText(customer.first_name)
        self.last_name.setText(customer.last_name)
        self.email.setText(customer.email)
        self.phone.setText(customer.phone)
        self.address.setPlainText(customer.address)
        self.notes.setPlainText(customer.notes)
        self._reset_adjustments()
        self._show_history()
        self._retranslate()

    def _reset_adjustments(self) -> None:
        self.visits.setValue(0)
        self.credit.clear()
        self.form.clear_errors()

    def save(self) -> bool:
        """Write the details, then the visits and balance adjustments."""
        self.form.clear_errors()
        customers = self.context.customers
        first_name, last_name = self.first_name.text(), self.last_name.text()
        email, phone = self.email.text(), self.phone.text()
        address, notes = self.address.toPlainText(), self.notes.toPlainText()
        try:
            credit = parse_money(self.credit.text(), "balance") if self.credit.text() else 0
            if self.customer_id is None:
                self.customer_id = customers.create_customer(
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    phone=phone,
                    address=address,
                    notes=notes,
                ).entry_id
            else:
                customers.update_customer(
                    self.customer_id,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    phone=phone,
                    address=address,
                    notes=notes,
                )
            inventory = self.context.inventory
            inventory.add(EntryKind.LOYALTY, self.customer_id, self.visits.value())
            inventory.add(EntryKind.BALANCE, self.customer_id, credit)
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        self._reset_adjustments()
        self._retranslate()
        return True

    def open_merge(self) -> MergeDialog | None:
        if self.customer_id is None:
            return None
        dialog = MergeDialog(self.context, self.customer_id, self)
        dialog.accepted.connect(self._retranslate)
        dialog.open()
        return dialog

    def toggle_archived(self) -> None:
        if self.customer_id is None:
            return
        customers = self.context.customers
        if customers.customer(self.customer_id).archived:
            customers.restore_customer(self.customer_id)
        else:
            customers.archive_customer(self.customer_id)
        self._retranslate()

    def _on_counters(self, _summary: object) -> None:
        self._retranslate()

    def _show_history(self) -> None:
        self.history.clear()
        if self.customer_id is None:
            return
        lang = language()
        records = self.context.customer_records(self.customer_id, HISTORY_LENGTH)
        for record in records:
            self.history.addItem(
                f"{format_datetime(record.ts, lang)}  {record.body['ticket']}  "
                f"{format_money(record.body['total'], lang)}"
            )
        if not records:
            self.history.addItem(tr("No purchase received on this computer yet."))

    def _retranslate(self, _lang: str = "") -> None:
        self.save_button.setText(tr("Save"))
        self.merge_button.setText(tr("Merge a duplicate…"))
        self.history_title.setText(tr("Latest purchases"))
        lang = language()
        if self.customer_id is None:
            self.title.setText(tr("New customer"))
            self.counters.clear()
            self.merge_button.hide()
            self.archive_button.hide()
            return
        customer = self.context.customers.customer(self.customer_id)
        inventory = self.context.inventory
        self.title.setText(customer.display_name)
        self.counters.setText(
            tr(
                "{visits} visits · balance {balance}",
                visits=format_number(inventory.value(EntryKind.LOYALTY, customer.id), lang),
                balance=format_money(inventory.value(EntryKind.BALANCE, customer.id), lang),
            )
        )
        self.merge_button.setVisible(not customer.archived)
        self.archive_button.setText(tr("Restore") if customer.archived else tr("Archive"))
        self.archive_button.show()


class CustomersPage(QWidget):
    """The customer file."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = CustomersModel(context, self)
        self.editor = CustomerEditor(context)
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.message = MessageBar(self)
        self.list = EntryList(
            self.model.table,
            self.editor,
            search_hint=lambda: tr("Search by name, e-mail or phone"),
            is_archived=lambda c: c.archived,
        )
        self.new_button = self.list.add_button(QPushButton())
        self.new_button.clicked.connect(self.editor.new)
        self.list.selected.connect(self.editor.edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        translator().changed.connect(self._retranslate)
        self._retranslate()

    def _retranslate(self, _lang: str = "") -> None:
        self.title.setText(tr("Customers"))
        self.new_button.setText(tr("New customer"))
