"""The owner sets the loyalty programme; the customers page counts visits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.manager.context import ManagerContext
from app.manager.customers_page import CustomersPage
from app.manager.settings_page import SettingsPage
from app.qt import i18n
from crdt_models.documents import EntryKind
from crdt_models.documents.settings import Loyalty

LEFT = Qt.MouseButton.LeftButton


def test_the_owner_sets_the_visits_and_the_reward(qtbot: QtBot, context: ManagerContext) -> None:
    page = SettingsPage(context)
    qtbot.addWidget(page)
    page.show()
    tab = page.tabs.indexOf(page.loyalty)
    assert page.tabs.tabText(tab) == "Loyalty"
    form = page.loyalty
    assert form.visits.value() == 0 and form.visits.text() == "No loyalty programme"
    form.visits.setValue(8)
    QTest.keyClicks(form.reward, "A free croissant")
    QTest.mouseClick(form.save_button, LEFT)
    assert context.settings.loyalty() == Loyalty(8, "A free croissant")
    assert form.saved_label.text() == "✔ Saved."

    form.reward.setText("A free\ncroissant")  # pasted with a line break
    QTest.mouseClick(form.save_button, LEFT)
    assert form.form.error("loyalty_reward") == "⚠ The name must fit on one line."
    assert context.settings.loyalty() == Loyalty(8, "A free croissant")  # nothing written
    form.visits.setValue(-5)  # the field cannot go below no programme
    assert form.visits.value() == 0

    i18n.set_language("fr")
    assert page.tabs.tabText(tab) == "Fidélité"
    assert form.visits.specialValueText() == "Pas de programme de fidélité"


def test_a_reopened_form_shows_what_is_set(qtbot: QtBot, context: ManagerContext) -> None:
    context.settings.update_loyalty(visits=10, reward="Un café offert")
    page = SettingsPage(context)
    qtbot.addWidget(page)
    assert (page.loyalty.visits.value(), page.loyalty.reward.text()) == (10, "Un café offert")


def test_customers_count_visits(qtbot: QtBot, context: ManagerContext) -> None:
    customer = context.customers.create_customer(first_name="Léa", last_name="Roux").entry_id
    context.inventory.add(EntryKind.LOYALTY, customer, 7)
    page = CustomersPage(context)
    qtbot.addWidget(page)
    page.show()
    table = page.model.table
    assert table.headerData(3, Qt.Orientation.Horizontal) == "Visits"
    assert table.index(0, 3).data() == "7"
    page.editor.edit(customer)
    assert page.editor.counters.text() == "7 visits · balance €0.00"
    page.editor.visits.setValue(2)
    assert page.editor.save()
    assert context.inventory.value(EntryKind.LOYALTY, customer) == 9
    i18n.set_language("fr")
    assert table.headerData(3, Qt.Orientation.Horizontal) == "Visites"
    assert page.editor.counters.text().startswith("9 visites · solde")
