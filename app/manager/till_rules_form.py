"""The "Cash count and purge" tab of the settings: the owner's rules for every till.

- when the tills ask for a cash count (off; per cashier, who is then locked for
  the day; per till, before the closing; per till and mandatory before it);
- after how many days a till may delete the journal records the relay holds.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from app.manager.context import ManagerContext
from app.manager.forms import SettingsForm
from app.qt.i18n import tr
from crdt_models.documents.settings import PURGE_DAYS_RANGE, CashCountMode

__all__ = ["TillRulesForm"]


def _mode_name(mode: CashCountMode) -> str:
    return {
        CashCountMode.OFF: lambda: tr("No cash count"),
        CashCountMode.CASHIER: lambda: tr("Per cashier (locked for the day once counted)"),
        CashCountMode.TILL: lambda: tr("Per till, offered before the closing"),
        CashCountMode.TILL_MANDATORY: lambda: tr("Per till, mandatory before the closing"),
    }[mode]()


class TillRulesForm(SettingsForm):
    """The cash count mode and the purge delay, and a Save button."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.cash_count = self.form.add("cash_count", lambda: tr("Cash count"), QComboBox())
        for mode in CashCountMode:
            self.cash_count.addItem("", mode.value)
        self.purge_days = self.form.add(
            "purge_days", lambda: tr("Keep sent records on the tills (days)"), QSpinBox()
        )
        self.purge_days.setRange(*PURGE_DAYS_RANGE)
        self.load()
        self.retranslate()

    def load(self) -> None:
        rules = self.context.settings.till_rules()
        self.cash_count.setCurrentIndex(self.cash_count.findData(rules.cash_count.value))
        self.purge_days.setValue(rules.purge_days)

    def write(self) -> None:
        self.context.settings.update_till_rules(
            cash_count=CashCountMode(str(self.cash_count.currentData())),
            purge_days=self.purge_days.value(),
        )

    def retranslate(self) -> None:
        super().retranslate()
        for i, mode in enumerate(CashCountMode):
            self.cash_count.setItemText(i, _mode_name(mode))
