"""Customers, settings, dashboard and the window, driven like an owner."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import __version__
from app.core.periods import Period, PeriodChoice
from app.manager.cli import register
from app.manager.context import ManagerContext
from app.manager.customers_page import CustomersPage, MergeDialog
from app.manager.dashboard_page import DashboardPage
from app.manager.figures import compute_figures
from app.manager.journal_page import JournalPage
from app.manager.screenshots import SIZE, ScreenshotError, _shop_day, take_screenshots
from app.manager.settings_page import SettingsPage
from app.manager.tills_page import TillActivity, TillsPage
from app.manager.window import SECTIONS, ManagerWindow
from app.qt import i18n
from crdt_models.documents import EntryKind, PaymentKind
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number
from crdt_models.journal.sale import CASH, QTY_ONE
from crdt_models.journal.verify import verify_jsonl
from crdt_models.money import parse_money

LEFT = Qt.MouseButton.LeftButton
NOON = datetime(2026, 11, 27, 12, 0).timestamp()


@pytest.fixture
def noon_context(tmp_path: Path) -> Iterator[ManagerContext]:
    ctx = ManagerContext.open(tmp_path / "manager", clock=lambda: NOON)
    yield ctx
    ctx.close()


def test_merge_duplicate_customers(qtbot: QtBot, context: ManagerContext) -> None:
    customers, inventory = context.customers, context.inventory
    keep = customers.create_customer(
        first_name="Marie", last_name="Dupont", email="marie@example.fr"
    ).entry_id
    dup = customers.create_customer(
        first_name="Marie", last_name="Dupont", phone="06 12 34 56 78", notes="allergic to nuts"
    ).entry_id
    other = customers.create_customer(first_name="Karim", last_name="Benali").entry_id
    inventory.add(EntryKind.LOYALTY, keep, 120)
    inventory.add(EntryKind.LOYALTY, dup, 35)
    inventory.add(EntryKind.BALANCE, dup, 500)
    page = CustomersPage(context)
    qtbot.addWidget(page)
    page.show()

    page.list.select(keep)
    dialog = page.editor.open_merge()
    assert isinstance(dialog, MergeDialog)
    qtbot.addWidget(dialog)
    assert dialog.candidates.itemData(0) == dup  # the likely duplicate comes first
    assert dialog.candidates.findData(other) > 0
    QTest.mouseClick(dialog.merge_button, LEFT)

    assert inventory.value(EntryKind.LOYALTY, keep) == 155
    assert inventory.value(EntryKind.BALANCE, keep) == 500
    assert inventory.value(EntryKind.LOYALTY, dup) == 0
    assert inventory.value(EntryKind.BALANCE, dup) == 0
    kept = customers.customer(keep)
    assert (kept.email, kept.phone, kept.notes) == (
        "marie@example.fr",
        "06 12 34 56 78",
        "allergic to nuts",
    )
    assert customers.customer(dup).archived
    qtbot.waitUntil(lambda: page.list.visible_ids() == [other, keep])
    qtbot.waitUntil(lambda: page.editor.counters.text() == "155 visits · balance €5.00")


def test_customer_edit_error_and_loyalty(qtbot: QtBot, context: ManagerContext) -> None:
    page = CustomersPage(context)
    qtbot.addWidget(page)
    page.show()
    QTest.mouseClick(page.new_button, LEFT)
    editor = page.editor
    QTest.keyClicks(editor.last_name, "Martin")
    QTest.keyClicks(editor.email, "not-an-address")
    QTest.mouseClick(editor.save_button, LEFT)
    assert editor.form.error("email") == "⚠ This is not an e-mail address."
    assert context.customers.customers() == []
    editor.email.setText("sophie@example.fr")
    editor.visits.setValue(10)
    editor.credit.setText("12,50")
    QTest.mouseClick(editor.save_button, LEFT)
    (sophie,) = context.customers.customers()
    assert context.inventory.value(EntryKind.LOYALTY, sophie.id) == 10
    assert context.inventory.value(EntryKind.BALANCE, sophie.id) == 1250
    qtbot.waitUntil(lambda: page.model.table.rowCount() == 1)
    assert page.model.table.index(0, 4).data() == "€12.50"


def test_settings_shop_vat_and_cashier_pin(qtbot: QtBot, context: ManagerContext) -> None:
    page = SettingsPage(context)
    qtbot.addWidget(page)
    page.show()

    page.shop.name.clear()
    QTest.mouseClick(page.shop.save_button, LEFT)
    assert page.shop.form.error("name") == "⚠ Enter a name."
    page.shop.name.setText("Café du Port")
    page.shop.footer.setPlainText("À bientôt !")
    QTest.mouseClick(page.shop.save_button, LEFT)
    assert context.settings.shop().name == "Café du Port"
    assert context.settings.shop().receipt_footer == "À bientôt !"
    assert page.shop.timezone.currentText() == "Europe/Paris"  # the default
    page.shop.timezone.setCurrentText("Mars/Olympus")
    QTest.mouseClick(page.shop.save_button, LEFT)
    expected = "⚠ Choose a time zone from the list, such as Europe/Paris."
    assert page.shop.form.error("timezone") == expected
    assert context.settings.timezone() == "Europe/Paris"  # nothing written
    page.shop.timezone.setCurrentText("America/Martinique")
    QTest.mouseClick(page.shop.save_button, LEFT)
    assert context.settings.timezone() == "America/Martinique"

    page.tabs.setCurrentWidget(page.vat_list)
    page.vat_editor.new()
    page.vat_editor.name.setText("Réduit")
    page.vat_editor.rate.setText("5,555")
    QTest.mouseClick(page.vat_editor.save_button, LEFT)
    assert page.vat_editor.form.error("rate_bp") == "⚠ Enter a VAT rate such as 20 or 5.5."
    page.vat_editor.rate.setText("5,5")
    QTest.mouseClick(page.vat_editor.save_button, LEFT)
    (rate,) = context.settings.vat_rates()
    assert rate.rate_bp == 550
    qtbot.waitUntil(lambda: page.vat_rates.table.rowCount() == 1)
    assert page.vat_rates.table.index(0, 1).data() == "5.5%"

    page.tabs.setCurrentWidget(page.cashier_list)
    editor = page.cashier_editor
    editor.new()
    editor.name.setText("Léo")
    editor.pin.setText("12")
    QTest.mouseClick(editor.save_button, LEFT)
    assert editor.form.error("pin") == "⚠ A PIN is 4 to 8 digits."
    editor.pin.setText("4821")
    QTest.mouseClick(editor.save_button, LEFT)
    (leo,) = context.settings.cashiers()
    assert leo.pin_hash.startswith("$argon2id$")
    assert "4821" not in leo.pin_hash
    assert PasswordHasher().verify(leo.pin_hash, "4821")


def _sell(context: ManagerContext, ts: float, *items: tuple[str, int, int]) -> None:
    lines = [SaleLine(product=n, label=n, qty=QTY_ONE, unit_price=p, vat_bp=v) for n, p, v in items]
    total = sum(p for _, p, _ in items)

    def body(seq: int) -> dict[str, object]:
        return build_sale_body(
            ticket=ticket_number(9, seq),
            cashier="owner",
            lines=lines,
            payments=[Payment(CASH, total + 30)],
        )

    context.store.validate_sale(body, ts=int(ts))


def test_dashboard_shows_the_local_journal_and_moves_with_a_sale(
    qtbot: QtBot, noon_context: ManagerContext
) -> None:
    context = noon_context
    _sell(context, NOON - 3 * 3600, ("Croissant", 120, 550), ("Coffee", 150, 1000))
    _sell(context, NOON - 600, ("Cake", 1890, 550))
    _sell(context, NOON - 7 * 86400, ("Croissant", 120, 550))  # same day last week
    page = DashboardPage(context)
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()

    zone = context.settings.zone()
    today = Period.of(PeriodChoice.TODAY, datetime.fromtimestamp(NOON, zone).date())
    expected = compute_figures(context.journal_records(*today.bounds(zone)), zone)
    assert (page.figures.revenue, page.figures.tickets) == (2160, 2)
    assert page.figures.per_hour == expected.per_hour
    assert page.revenue.value.text() == "€21.60"
    assert page.tickets.value.text() == "2"
    assert page.basket.value.text() == "€10.80"
    assert page.trend.value.text() == "+1700.0%"
    assert page.as_of.text().startswith("As of 12:00")
    assert [p.label for p in page.product_rows()] == ["Cake", "Coffee", "Croissant"]
    assert page.method_name(CASH) == "Cash"
    settings = context.settings
    card = settings.create_payment_method(name="Carte bleue", kind=PaymentKind.CARD).entry_id
    settings.create_payment_method(name="Espèces", kind=PaymentKind.CASH)
    assert (page.method_name(card), page.method_name(CASH)) == ("Carte bleue", "Espèces")
    assert page.method_name("gone-method") == "gone-method"

    _sell(context, NOON - 60, ("Coffee", 150, 1000))
    page.refresh()
    assert (page.figures.revenue, page.figures.tickets) == (2310, 3)
    assert page.revenue.value.text() == "€23.10"


def test_tills_page_activity_from_the_local_journal(
    qtbot: QtBot, noon_context: ManagerContext
) -> None:
    """Last activity is the till's latest record (read from its chain's head), today's
    tickets and revenue are today's sales."""
    context = noon_context
    _sell(context, NOON - 86400, ("Bread", 110, 550))  # yesterday: not today's
    _sell(context, NOON - 3 * 3600, ("Croissant", 120, 550), ("Coffee", 150, 1000))
    _sell(context, NOON - 600, ("Cake", 1890, 550))
    till = context.store.identity.till_id
    assert context.latest_record_times() == {till: int(NOON - 600)}
    page = TillsPage(context)
    qtbot.addWidget(page)
    assert page.activity == {till: TillActivity(int(NOON - 600), 2, 2160)}

    _sell(context, NOON - 60, ("Coffee", 150, 1000))
    page.refresh()
    assert page.activity == {till: TillActivity(int(NOON - 60), 3, 2310)}


def test_window_sections_and_language_switch(qtbot: QtBot, context: ManagerContext) -> None:
    context.settings.update_shop(name="Boulangerie du Canal")
    window = ManagerWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert [window.sidebar.item(i).text() for i in range(len(SECTIONS))] == [
        "Dashboard",
        "Catalogue",
        "Customers",
        "Tills",
        "Closings & journal",
        "Settings",
    ]
    for key, _title in SECTIONS:
        window.show_section(key)
        assert window.stack.currentWidget() is window.pages[key]
    window.language_box.setCurrentIndex(window.language_box.findData("fr"))
    assert i18n.language() == "fr"
    assert window.sidebar.item(0).text() == "Tableau de bord"
    assert window.windowTitle() == "Skytill gestion"


def test_cli_parses_the_manager_command() -> None:
    parser = argparse.ArgumentParser(prog="skytill")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["manager", "--data-dir", "/tmp/x", "--relay", "wss://r", "--lang", "fr", "--demo"]
    )
    assert (args.data_dir, args.relay, args.lang, args.demo) == (
        Path("/tmp/x"),
        "wss://r",
        "fr",
        True,
    )
    assert callable(args.handler)


def test_screenshots_of_every_section(qtbot: QtBot, tmp_path: Path) -> None:
    """The demo store's sections, then a real day on a real relay: two tills sold, Caisse 2
    closed its day and was switched off, the owner's manager copied their journals."""
    shots = take_screenshots(tmp_path, languages=("fr",))
    keys = [key for key, _ in SECTIONS] + ["closings", "integrity"]
    assert sorted(p.name for p in shots.files) == sorted(f"manager-{key}-fr.png" for key in keys)
    for path in shots.files:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE, path.name
    tills = shots.relay_tills  # the Tills page's rows, as the relay listed them
    assert [(t.number, t.name) for t in tills] == [(1, "Caisse 1"), (2, "Caisse 2")]
    assert [t.online for t in tills] == [True, False]
    assert all(t.version == __version__ and t.pending == 0 and t.last_sync for t in tills)
    QApplication.processEvents()


def test_a_shop_day_that_fails_says_why(tmp_path: Path) -> None:
    (tmp_path / "shop").write_text("not a directory", encoding="utf-8")
    with (
        pytest.raises(ScreenshotError, match="the shop's day failed:") as failed,
        _shop_day(tmp_path),
    ):
        pass
    assert "FileExistsError" in str(failed.value)  # the child's own words, from its log


def test_journal_page_lists_the_day_and_exports(
    qtbot: QtBot, noon_context: ManagerContext, tmp_path: Path
) -> None:
    context = noon_context
    _sell(context, NOON - 3600, ("Croissant", 120, 550), ("Coffee", 150, 1000))
    _sell(context, NOON - 60, ("Cake", 1890, 550))
    _sell(context, NOON - 86400, ("Bread", 110, 550))  # yesterday: not listed
    page = JournalPage(context)
    qtbot.addWidget(page)
    page.show()
    assert [r.body["ticket"] for r in page.shown_records()] == [
        "T009-00000001",
        "T009-00000002",
    ]
    assert page.model.rowCount() == 2

    journal = tmp_path / "journal.jsonl"
    assert page.export_journal(journal) == 3  # the whole journal, every day
    report = verify_jsonl(journal.read_bytes(), context.store.identity.public_key)
    assert report.ok and report.count == 3

    accounting = page.export_accounting(tmp_path / "sales.csv")
    assert accounting is not None
    rows = list(csv.DictReader(accounting.read_text(encoding="utf-8").splitlines()))
    assert [(r["ticket"], r["vat_rate"], r["gross"]) for r in rows] == [
        ("T009-00000001", "5.5", "1.20"),
        ("T009-00000001", "10", "1.50"),
        ("T009-00000002", "5.5", "18.90"),
    ]
    cents = sum(parse_money(r["gross"]) for r in rows)
    assert cents == compute_figures(page.shown_records()).revenue == 2160
