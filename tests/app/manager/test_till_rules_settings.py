"""The owner sets the tills' cash count mode and purge delay; a bad value writes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.manager.context import ManagerContext
from app.manager.settings_page import SettingsPage
from crdt_models.documents import CashCountMode, TillRules

LEFT = Qt.MouseButton.LeftButton


def test_the_owner_sets_the_cash_count_mode_and_the_purge_delay(
    qtbot: QtBot, context: ManagerContext
) -> None:
    page = SettingsPage(context)
    qtbot.addWidget(page)
    page.show()
    assert page.tabs.tabText(page.tabs.indexOf(page.till_rules)) == "Cash count and purge"
    form = page.till_rules
    assert form.cash_count.currentText() == "No cash count" and form.purge_days.value() == 90
    form.cash_count.setCurrentIndex(form.cash_count.findData("till_mandatory"))
    form.purge_days.setValue(30)
    QTest.mouseClick(form.save_button, LEFT)
    assert context.settings.till_rules() == TillRules(CashCountMode.TILL_MANDATORY, 30)
    assert form.saved_label.text() == "✔ Saved."
    form.purge_days.setValue(0)  # the field stops at one day
    assert form.purge_days.value() == 1
    context.settings.update_till_rules(cash_count=CashCountMode.CASHIER)
    form.load()
    assert form.cash_count.currentData() == "cashier"
