"""The Settings section: shop identity and receipt text, VAT rates, payment methods, cashiers
the loyalty programme (:mod:`app.manager.loyalty_form`), and the tills' cash count and purge
(:mod:`app.manager.till_rules_form`).

Every list is a searchable table beside a small editor, as in the catalogue.
A cashier's PIN is hashed here with Argon2id (argon2-cffi's defaults, which
the till verifies) and only the hash is written to the settings document.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.manager.context import ManagerContext
from app.manager.entry_editor import EntryEditor
from app.manager.entry_list import EntryList
from app.manager.forms import SettingsForm
from app.manager.loyalty_form import LoyaltyForm
from app.manager.table import Column, EntryTableModel
from app.manager.till_rules_form import TillRulesForm
from app.qt.formatting import format_percent_bp
from app.qt.i18n import language, tr, translator
from app.qt.widgets import MessageBar
from crdt_models.documents import (
    CashierRole,
    ChangeSummary,
    EntryKind,
    PaymentKind,
    SettingsDocument,
)
from crdt_models.errors import ValidationError

__all__ = ["SettingsPage", "hash_pin", "parse_percent"]


def hash_pin(pin: str) -> str:
    """The Argon2id hash of a 4 to 8 digit PIN (ValidationError ``pin.format`` otherwise)."""
    from argon2 import PasswordHasher

    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError("pin", "pin.format", "a PIN is 4 to 8 digits")
    return PasswordHasher().hash(pin)


def parse_percent(text: str, field: str = "rate_bp") -> int:
    """``"20"``, ``"5,5"``, ``"5.5 %"`` -> basis points (2000, 550, 550)."""
    cleaned = text.replace(",", ".").replace("%", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, "vat.type", f"{text!r} is not a rate") from None
    bp = value * 100
    if bp != bp.to_integral_value():
        raise ValidationError(field, "vat.type", f"{text!r} has too many decimals")
    return int(bp)


def _role_name(role: CashierRole) -> str:
    return {
        CashierRole.OWNER: lambda: tr("Owner"),
        CashierRole.MANAGER: lambda: tr("Manager"),
        CashierRole.CASHIER: lambda: tr("Cashier"),
    }[role]()


def _kind_name(kind: PaymentKind) -> str:
    return {
        PaymentKind.CASH: lambda: tr("Cash"),
        PaymentKind.CARD: lambda: tr("Card"),
        PaymentKind.CHEQUE: lambda: tr("Cheque"),
        PaymentKind.VOUCHER: lambda: tr("Voucher"),
        PaymentKind.OTHER: lambda: tr("Other"),
    }[kind]()


def _status(archived: bool) -> str:
    return tr("Archived") if archived else tr("Active")


class _SettingsList(QObject):
    """A table of one settings root, refreshed by the settings change summaries."""

    def __init__(
        self,
        context: ManagerContext,
        kind: EntryKind,
        read: Callable[[SettingsDocument], list[Any]],
        columns: list[Column],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._kind = kind
        self._read = read
        self.table = EntryTableModel(
            columns,
            entry_id=lambda e: e.id,
            search_text=lambda e: e.name,
            is_dimmed=lambda e: e.archived,
            parent=self,
        )
        self.table.sort(0, Qt.SortOrder.AscendingOrder)
        self.table.reset(read(context.settings))
        context.settings_feed.changed.connect(self._apply)
        translator().changed.connect(self._on_language)

    def _on_language(self, _lang: str) -> None:
        self.table.refresh_all()

    def _apply(self, summary: ChangeSummary) -> None:
        if summary.touches(self._kind):
            ids = summary.ids(self._kind)
            self.table.upsert(e for e in self._read(self._context.settings) if e.id in ids)


class VatRateEditor(EntryEditor):
    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, EntryKind.VAT_RATE, parent)
        self.name = self.form.add("name", lambda: tr("Name"), QLineEdit())
        self.rate = self.form.add("rate_bp", lambda: tr("Rate (%)"), QLineEdit())
        hint = QLabel(tr("To follow a change in the law, add a new rate and archive the old one."))
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self._layout.insertWidget(2, hint)
        self.new()

    def new(self) -> None:
        self.entry_id = None
        self.name.clear()
        self.rate.clear()
        self.form.clear_errors()
        self.retranslate()

    def edit(self, entry_id: str) -> None:
        rate = self.context.settings.vat_rate(entry_id)
        self.entry_id = entry_id
        self.name.setText(rate.name)
        self.rate.setText(format_percent_bp(rate.rate_bp, language()).replace("%", "").strip())
        self.form.clear_errors()
        self.retranslate()

    def write(self) -> str:
        settings = self.context.settings
        rate_bp = parse_percent(self.rate.text())
        if self.entry_id is None:
            return settings.create_vat_rate(name=self.name.text(), rate_bp=rate_bp).entry_id
        settings.update_vat_rate(self.entry_id, name=self.name.text(), rate_bp=rate_bp)
        return self.entry_id

    def archived(self) -> bool:
        return self.entry_id is not None and self.context.settings.vat_rate(self.entry_id).archived

    def titles(self) -> tuple[str, str]:
        return tr("New VAT rate"), tr("VAT rate")


class PaymentMethodEditor(EntryEditor):
    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, EntryKind.PAYMENT_METHOD, parent)
        self.name = self.form.add("name", lambda: tr("Name"), QLineEdit())
        self.method_kind = self.form.add("kind", lambda: tr("Kind"), QComboBox())
        for kind in PaymentKind:
            self.method_kind.addItem(_kind_name(kind), kind.value)
        self.new()

    def new(self) -> None:
        self.entry_id = None
        self.name.clear()
        self.method_kind.setCurrentIndex(0)
        self.form.clear_errors()
        self.retranslate()

    def edit(self, entry_id: str) -> None:
        method = self.context.settings.payment_method(entry_id)
        self.entry_id = entry_id
        self.name.setText(method.name)
        self.method_kind.setCurrentIndex(self.method_kind.findData(method.kind.value))
        self.form.clear_errors()
        self.retranslate()

    def write(self) -> str:
        settings = self.context.settings
        kind = PaymentKind(str(self.method_kind.currentData()))
        if self.entry_id is None:
            return settings.create_payment_method(name=self.name.text(), kind=kind).entry_id
        settings.update_payment_method(self.entry_id, name=self.name.text(), kind=kind)
        return self.entry_id

    def archived(self) -> bool:
        settings = self.context.settings
        return self.entry_id is not None and settings.payment_method(self.entry_id).archived

    def titles(self) -> tuple[str, str]:
        return tr("New payment method"), tr("Payment method")


class CashierEditor(EntryEditor):
    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, EntryKind.CASHIER, parent)
        self.name = self.form.add("name", lambda: tr("Name"), QLineEdit())
        self.role = self.form.add("role", lambda: tr("Role"), QComboBox())
        for role in CashierRole:
            self.role.addItem(_role_name(role), role.value)
        self.pin = self.form.add("pin", lambda: tr("PIN (4 to 8 digits)"), QLineEdit())
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new()

    def new(self) -> None:
        self.entry_id = None
        self.name.clear()
        self.pin.clear()
        self.pin.setPlaceholderText("")
        self.role.setCurrentIndex(self.role.findData(CashierRole.CASHIER.value))
        self.form.clear_errors()
        self.retranslate()

    def edit(self, entry_id: str) -> None:
        cashier = self.context.settings.cashier(entry_id)
        self.entry_id = entry_id
        self.name.setText(cashier.name)
        self.role.setCurrentIndex(self.role.findData(cashier.role.value))
        self.pin.clear()
        self.pin.setPlaceholderText(tr("Leave empty to keep the current PIN"))
        self.form.clear_errors()
        self.retranslate()

    def write(self) -> str:
        settings = self.context.settings
        role = CashierRole(str(self.role.currentData()))
        if self.entry_id is None:
            pin_hash = hash_pin(self.pin.text())
            return settings.create_cashier(
                name=self.name.text(), pin_hash=pin_hash, role=role
            ).entry_id
        if self.pin.text():
            settings.update_cashier(
                self.entry_id, name=self.name.text(), role=role, pin_hash=hash_pin(self.pin.text())
            )
        else:
            settings.update_cashier(self.entry_id, name=self.name.text(), role=role)
        self.pin.clear()
        return self.entry_id

    def archived(self) -> bool:
        return self.entry_id is not None and self.context.settings.cashier(self.entry_id).archived

    def titles(self) -> tuple[str, str]:
        return tr("New cashier"), tr("Cashier")


class ShopForm(SettingsForm):
    """The shop's identity and receipt text."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.name = self.form.add("name", lambda: tr("Shop name"), QLineEdit())
        self.address = self.form.add("address", lambda: tr("Address"), QPlainTextEdit())
        self.phone = self.form.add("phone", lambda: tr("Phone"), QLineEdit())
        self.email = self.form.add("email", lambda: tr("E-mail"), QLineEdit())
        self.legal_id = self.form.add("legal_id", lambda: tr("Company number (SIRET)"), QLineEdit())
        self.vat_number = self.form.add("vat_number", lambda: tr("VAT number"), QLineEdit())
        self.header = self.form.add(
            "receipt_header", lambda: tr("Receipt header"), QPlainTextEdit()
        )
        self.footer = self.form.add(
            "receipt_footer", lambda: tr("Receipt footer"), QPlainTextEdit()
        )
        self.timezone = self.form.add("timezone", lambda: tr("Time zone"), QComboBox())
        self.timezone.addItems(sorted(available_timezones()))
        self.timezone.setEditable(True)  # type "Paris" to find Europe/Paris
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.timezone.completer()
        if completer is not None:  # editable: it has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        for text in (self.address, self.header, self.footer):
            text.setMaximumHeight(70)
        self.load()
        self.retranslate()

    def load(self) -> None:
        shop = self.context.settings.shop()
        self.name.setText(shop.name)
        self.address.setPlainText(shop.address)
        self.phone.setText(shop.phone)
        self.email.setText(shop.email)
        self.legal_id.setText(shop.legal_id)
        self.vat_number.setText(shop.vat_number)
        self.header.setPlainText(shop.receipt_header)
        self.footer.setPlainText(shop.receipt_footer)
        self.timezone.setCurrentText(self.context.settings.timezone())

    def write(self) -> None:
        self.context.settings.update_shop(
            name=self.name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            email=self.email.text(),
            legal_id=self.legal_id.text(),
            vat_number=self.vat_number.text(),
            receipt_header=self.header.toPlainText(),
            receipt_footer=self.footer.toPlainText(),
            timezone=self.timezone.currentText().strip(),
        )


class SettingsPage(QWidget):
    """Shop, VAT rates, payment methods, cashiers, loyalty, the tills' rules: one tab each."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.message = MessageBar(self)
        self._new_buttons: list[tuple[QPushButton, Callable[[], str]]] = []
        self.shop = ShopForm(context)
        self.loyalty = LoyaltyForm(context)
        self.till_rules = TillRulesForm(context)

        self.vat_rates = _SettingsList(
            context,
            EntryKind.VAT_RATE,
            lambda s: list(s.vat_rates(include_archived=True)),
            [
                Column(lambda: tr("Name"), lambda r: r.name, lambda r: r.name.casefold()),
                Column(
                    lambda: tr("Rate"),
                    lambda r: format_percent_bp(r.rate_bp, language()),
                    lambda r: r.rate_bp,
                    numeric=True,
                ),
                Column(lambda: tr("Status"), lambda r: _status(r.archived), lambda r: r.archived),
            ],
            self,
        )
        self.vat_editor = VatRateEditor(context)
        self.vat_list = self._list(
            self.vat_rates, self.vat_editor, tr_new=lambda: tr("New VAT rate")
        )

        self.methods = _SettingsList(
            context,
            EntryKind.PAYMENT_METHOD,
            lambda s: list(s.payment_methods(include_archived=True)),
            [
                Column(lambda: tr("Name"), lambda m: m.name, lambda m: m.name.casefold()),
                Column(lambda: tr("Kind"), lambda m: _kind_name(m.kind), lambda m: m.kind.value),
                Column(lambda: tr("Status"), lambda m: _status(m.archived), lambda m: m.archived),
            ],
            self,
        )
        self.method_editor = PaymentMethodEditor(context)
        self.method_list = self._list(
            self.methods, self.method_editor, tr_new=lambda: tr("New payment method")
        )

        self.cashiers = _SettingsList(
            context,
            EntryKind.CASHIER,
            lambda s: list(s.cashiers(include_archived=True)),
            [
                Column(lambda: tr("Name"), lambda c: c.name, lambda c: c.name.casefold()),
                Column(lambda: tr("Role"), lambda c: _role_name(c.role), lambda c: c.role.value),
                Column(
                    lambda: tr("PIN"),
                    lambda c: tr("Set") if c.pin_hash.startswith("$argon2") else tr("Not set"),
                    lambda c: c.pin_hash.startswith("$argon2"),
                ),
                Column(lambda: tr("Status"), lambda c: _status(c.archived), lambda c: c.archived),
            ],
            self,
        )
        self.cashier_editor = CashierEditor(context)
        self.cashier_list = self._list(
            self.cashiers, self.cashier_editor, tr_new=lambda: tr("New cashier")
        )

        self.tabs = QTabWidget()
        self.tabs.addTab(self.shop, "")
        self.tabs.addTab(self.vat_list, "")
        self.tabs.addTab(self.method_list, "")
        self.tabs.addTab(self.cashier_list, "")
        self.tabs.addTab(self.loyalty, "")
        self.tabs.addTab(self.till_rules, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        translator().changed.connect(self._on_language)
        self._retranslate()

    def _list(
        self, source: _SettingsList, editor: EntryEditor, *, tr_new: Callable[[], str]
    ) -> EntryList:
        entries = EntryList(
            source.table,
            editor,
            search_hint=lambda: tr("Search"),
            is_archived=lambda e: e.archived,
        )
        button = entries.add_button(QPushButton(tr_new()))
        self._new_buttons.append((button, tr_new))
        button.clicked.connect(editor.new)
        entries.selected.connect(editor.edit)
        editor.saved.connect(entries.select)
        return entries

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(tr("Settings"))
        for button, new_text in self._new_buttons:
            button.setText(new_text())
        for index, text in enumerate(
            (
                tr("Shop and receipt"),
                tr("VAT rates"),
                tr("Payment methods"),
                tr("Cashiers"),
                tr("Loyalty"),
                tr("Cash count and purge"),
            )
        ):
            self.tabs.setTabText(index, text)
