"""The manager signed in to a real relay: tills added, logged in, revoked; the catalogue synced.

The manager and the till each run the device sync engine (app.core.sync) on
their own data directory; the relay is a subprocess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from column_fit import columns_beyond, unfit_cells
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot
from relay_fixture import OWNER_EMAIL, OWNER_PASSWORD, Relay, Till
from websockets.sync.client import connect

from app import __version__
from app.core.store import DeviceStore
from app.core.sync import LinkState, LoginRefusedError, provision
from app.manager.catalogue_page import CataloguePage
from app.manager.context import ManagerContext
from app.manager.dashboard_page import DashboardPage
from app.manager.figures import compute_figures
from app.manager.relay_connection import RelayConnection
from app.manager.table import EMPHASIS_COLOUR
from app.manager.tills_page import TillsPage
from app.manager.window import ManagerWindow
from app.qt import i18n
from app.qt.bridge import AsyncBridge
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number
from crdt_models.sync import AuthAccepted, SyncSession

LEFT = Qt.MouseButton.LeftButton
WAIT = 20_000


@pytest.fixture
def connection(context: ManagerContext, relay: Relay) -> Iterator[RelayConnection]:
    conn = RelayConnection(AsyncBridge(), context, relay.url)
    yield conn
    conn.close()


def _sign_in(qtbot: QtBot, page: TillsPage) -> None:
    sign_in = page.sign_in
    assert sign_in is not None
    sign_in.email.setText(OWNER_EMAIL)
    sign_in.password.setText(OWNER_PASSWORD)
    QTest.mouseClick(sign_in.sign_in_button, LEFT)
    qtbot.waitUntil(lambda: page.online, timeout=WAIT)


def _add_till(qtbot: QtBot, page: TillsPage, name: str, password: str) -> str:
    panel = page.panel
    assert panel is not None
    panel.licence_key = ""
    panel.new_name.setText(name)
    panel.new_password.setText(password)
    QTest.mouseClick(panel.add_button, LEFT)
    qtbot.waitUntil(lambda: panel.licence_key != "", timeout=WAIT)
    return panel.licence_key


def test_owner_manages_tills_through_the_relay(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, relay: Relay, tmp_path: Path
) -> None:
    page = TillsPage(context, connection)
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    sign_in = page.sign_in
    panel = page.panel
    assert sign_in is not None and panel is not None
    assert not page.online

    sign_in.email.setText(OWNER_EMAIL)
    sign_in.password.setText("wrong password")
    QTest.mouseClick(sign_in.sign_in_button, LEFT)
    qtbot.waitUntil(lambda: sign_in.status.text().startswith("⚠"), timeout=WAIT)
    assert sign_in.status.text() == "⚠ The relay refused the e-mail or the password."

    _sign_in(qtbot, page)
    assert sign_in.status.text().startswith(f"✔ Signed in as {OWNER_EMAIL}")
    assert page.editors.currentWidget() is panel

    panel.new_name.setText("Caisse 1")
    panel.new_password.setText("short")
    QTest.mouseClick(panel.add_button, LEFT)
    assert panel.new_form.error("password") == "⚠ A till password has at least 8 characters."
    licence = _add_till(qtbot, page, "Caisse 1", "till-secret-1")
    assert licence in panel.licence.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    listed = page.model.entry(0)
    assert (listed.name, listed.revoked) == ("Caisse 1", False)

    # The till logs in with the generated licence and its password, and syncs.
    till = Till(tmp_path / "till", relay, licence, "till-secret-1")
    try:
        qtbot.waitUntil(lambda: till.engine.status.state is LinkState.ONLINE, timeout=WAIT)

        # Revoke it: the relay cuts it off at once and it cannot log in again.
        page.list.select(listed.id)
        assert panel.till is not None and panel.till.id == listed.id
        QTest.mouseClick(panel.revoke_button, LEFT)
        assert panel.confirm_revoke_button.isVisibleTo(panel)
        QTest.mouseClick(panel.confirm_revoke_button, LEFT)
        qtbot.waitUntil(lambda: "revoked" in panel.status.text(), timeout=WAIT)
        assert panel.status.text() == "✔ Caisse 1 is revoked: it can no longer sync."
        qtbot.waitUntil(lambda: till.engine.status.state is not LinkState.ONLINE, timeout=WAIT)
    finally:
        till.close()
    with DeviceStore.open(tmp_path / "other-till") as store, pytest.raises(LoginRefusedError):
        provision(store, relay.url, licence, "till-secret-1")

    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT)  # hidden as archived
    page.list.show_archived.setChecked(True)
    assert page.model.entry(0).revoked
    assert page.model.index(0, 5).data() == "Revoked"


def test_catalogue_syncs_both_ways_with_a_till_through_the_relay(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, relay: Relay, tmp_path: Path
) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    croissant = context.catalogue.create_product(name="Croissant", price=120, vat=vat).entry_id
    tills = TillsPage(context, connection)
    qtbot.addWidget(tills)
    catalogue = CataloguePage(context)
    qtbot.addWidget(catalogue)
    catalogue.show()
    assert connection.lan is None  # no LAN secret before the first sign-in
    _sign_in(qtbot, tills)
    # The sign-in gave the shop's LAN secret: the documents now go through the LAN node.
    assert connection.lan is not None
    licence = _add_till(qtbot, tills, "Caisse 1", "till-secret-1")

    till = Till(tmp_path / "till", relay, licence, "till-secret-1")
    try:

        def till_price() -> int | None:
            product = till.catalogue.products_by_id().get(croissant)
            return None if product is None else product.price

        # What the manager held before signing in reaches the till...
        qtbot.waitUntil(lambda: till_price() == 120, timeout=WAIT)
        # ...and so does a price the owner changes now.
        context.catalogue.update_product(croissant, price=135)
        qtbot.waitUntil(lambda: till_price() == 135, timeout=WAIT)

        # A name fixed on the till comes back to the manager's table.
        till.catalogue.update_product(croissant, name="Croissant au beurre")
        qtbot.waitUntil(
            lambda: context.catalogue.product(croissant).name == "Croissant au beurre",
            timeout=WAIT,
        )
        qtbot.waitUntil(
            lambda: catalogue.products.model.index(0, 0).data() == "Croissant au beurre",
            timeout=WAIT,
        )
        assert context.catalogue.product(croissant).price == 135
    finally:
        till.close()


def test_the_sign_in_is_kept_for_the_next_start(
    qtbot: QtBot, context: ManagerContext, relay: Relay
) -> None:
    first = RelayConnection(AsyncBridge(), context, relay.url)
    page = TillsPage(context, first)
    qtbot.addWidget(page)
    _sign_in(qtbot, page)
    first.close()

    again = RelayConnection(AsyncBridge(), context)
    try:
        assert again.url == relay.url
        qtbot.waitUntil(lambda: again.signed_in, timeout=WAIT)
        answers: list[Any] = []
        again.request("tills", None, answers.append, answers.append)
        qtbot.waitUntil(lambda: bool(answers), timeout=WAIT)
        assert answers == [{"tills": []}]
        # a page opened once signed in shows the relay's panel and says on which relay
        page = TillsPage(context, again)
        qtbot.addWidget(page)
        assert page.editors.currentWidget() is page.panel
        assert page.sign_in is not None
        assert page.sign_in.status.text() == f"✔ Signed in on {relay.url}"
    finally:
        again.close()


def test_a_sale_on_a_till_moves_the_live_dashboard(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, relay: Relay, tmp_path: Path
) -> None:
    tills = TillsPage(context, connection)
    qtbot.addWidget(tills)
    dashboard = DashboardPage(context, connection)
    qtbot.addWidget(dashboard)
    dashboard.show()
    _sign_in(qtbot, tills)
    licence = _add_till(qtbot, tills, "Caisse 1", "till-secret-1")
    qtbot.waitUntil(lambda: dashboard.live, timeout=WAIT)
    assert dashboard.figures.revenue == 0
    assert dashboard.as_of.text().startswith("● Live from the relay")

    till = Till(tmp_path / "till", relay, licence, "till-secret-1")
    try:
        lines = [
            SaleLine(
                product="p-croissant", label="Croissant", qty=2000, unit_price=120, vat_bp=550
            ),
            SaleLine(product="p-coffee", label="Coffee", qty=1000, unit_price=150, vat_bp=1000),
        ]

        def body(seq: int) -> dict[str, Any]:
            return build_sale_body(
                ticket=ticket_number(till.number, seq),
                cashier="c1",
                lines=lines,
                payments=[Payment("card", 390)],
            )

        record = till.store.validate_sale(body)
        till.engine.journal_changed()
        qtbot.waitUntil(lambda: dashboard.figures.revenue == 390, timeout=WAIT)
        expected = compute_figures([record], context.settings.zone())
        figures = dashboard.figures
        assert (figures.tickets, figures.per_vat) == (1, expected.per_vat)
        assert figures.per_hour == expected.per_hour  # both in the shop's hours
        assert figures.per_till == {record.till_id: 390}
        assert dashboard.till_name(record.till_id) == "Caisse 1"
        assert {p.label: p.revenue for p in dashboard.product_rows()} == {
            "Croissant": 240,
            "Coffee": 150,
        }
        assert dashboard.revenue.value.text() == "€3.90"
    finally:
        till.close()


@contextmanager
def reporting_till(
    relay: Relay, licence: str, password: str
) -> Iterator[Callable[[str, int], None]]:
    """A till that logs in and reports a status of the test's choosing, staying connected
    (the real engine reports 0 pending once the relay has acknowledged all it holds)."""
    with connect(relay.url) as ws:
        session = SyncSession()
        session.send_auth({"method": "till", "licence": licence, "password": password})
        ws.send(session.data_to_send()[0])
        answer = ws.recv(timeout=WAIT / 1000)
        assert isinstance(answer, bytes)
        session.receive_frame(answer)
        [accepted] = session.events_received()
        assert isinstance(accepted, AuthAccepted), accepted
        session.open({})

        def report(version: str, pending: int) -> None:
            session.send_device_status(version, pending)
            for data in session.data_to_send():
                ws.send(data)

        yield report


def _row(page: TillsPage, name: str) -> dict[str, Any]:
    """The texts of a till's row by column header, with how its pending cell is drawn."""
    model = page.model
    for row in range(model.rowCount()):
        if model.index(row, 1).data() == name:
            cells = {
                str(model.headerData(c, Qt.Orientation.Horizontal)): model.index(row, c).data()
                for c in range(model.columnCount())
            }
            pending = model.index(row, 7)
            cells["pending colour"] = pending.data(Qt.ItemDataRole.ForegroundRole)
            cells["pending font"] = pending.data(Qt.ItemDataRole.FontRole)
            return cells
    return {}


def _every_column_shows_in_the_window(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection
) -> None:
    """The manager's window at 1440x900 with the panel open: every header and cell of the
    Tills page shows whole, in English and in French, however the table is sorted."""
    window = ManagerWindow(context, connection)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    window.show_section("tills")
    page = window.pages["tills"]
    assert isinstance(page, TillsPage)
    qtbot.waitUntil(lambda: _row(page, "Caisse 2").get("To send") == "⚠ 4", timeout=WAIT)
    splitter = page.list.findChild(QSplitter)
    assert splitter is not None and min(splitter.sizes()) >= 340  # the panel is open
    table = page.list.table
    table.selectRow(1)  # a till chosen in the panel
    for lang in ("en", "fr"):
        i18n.set_language(lang)
        for column in (0, 6):  # by number (the default), by last sync (a long header)
            table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
            assert unfit_cells(table) == [], (lang, column)
            assert columns_beyond(table, table.model().columnCount()) == [], (lang, column)
    i18n.set_language("en")
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)


def test_the_till_list_shows_each_tills_last_sync_pending_count_and_version(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, relay: Relay, tmp_path: Path
) -> None:
    page = TillsPage(context, connection)
    qtbot.addWidget(page)
    page.show()
    _sign_in(qtbot, page)
    first = _add_till(qtbot, page, "Caisse 1", "till-secret-1")
    second = _add_till(qtbot, page, "Caisse 2", "till-secret-2")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT)
    never = _row(page, "Caisse 1")
    assert (never["Status"], never["Last sync"], never["To send"]) == (
        "○ Offline",
        "Never",
        "—",
    )

    # A real till: once the relay holds all it sold, it reports 0 pending, and its version.
    till = Till(tmp_path / "till", relay, first, "till-secret-1")
    try:
        till.store.validate_sale(
            build_sale_body(
                ticket=ticket_number(till.number, 1),
                cashier="c1",
                lines=[SaleLine("p-1", "Coffee", 1000, 150, 1000)],
                payments=[Payment("cash", 150)],
            )
        )
        till.engine.journal_changed()
        qtbot.waitUntil(lambda: till.engine.status.pending == 0, timeout=WAIT)
        # The page asks again by itself every few seconds while it is shown.
        qtbot.waitUntil(lambda: _row(page, "Caisse 1")["Status"] == "● Online", timeout=WAIT)
        qtbot.waitUntil(lambda: _row(page, "Caisse 1")["To send"] == "0", timeout=WAIT)
        shown = _row(page, "Caisse 1")
        assert shown["Version"] == __version__
        assert shown["Last sync"].startswith("today ")
        assert shown["pending colour"] is None and shown["pending font"] is None

        # A till that says it holds 4 changes the relay lacks: highlighted.
        with reporting_till(relay, second, "till-secret-2") as report:
            report("9.9.9-test", 4)
            qtbot.waitUntil(lambda: _row(page, "Caisse 2")["To send"] == "⚠ 4", timeout=WAIT)
            flagged = _row(page, "Caisse 2")
            assert (flagged["Status"], flagged["Version"]) == ("● Online", "9.9.9-test")
            assert flagged["pending colour"] == QColor(EMPHASIS_COLOUR)
            assert flagged["pending font"].bold()
            _every_column_shows_in_the_window(qtbot, context, connection)

        i18n.set_language("fr")
        french = _row(page, "Caisse 1")
        assert french["État"] == "● En ligne"
        assert french["Dernière synchro"].startswith("aujourd'hui ")
        i18n.set_language("en")
    finally:
        till.close()
    qtbot.waitUntil(lambda: _row(page, "Caisse 1")["Status"] == "○ Offline", timeout=WAIT)
    qtbot.waitUntil(lambda: _row(page, "Caisse 2")["Status"] == "○ Offline", timeout=WAIT)
    assert _row(page, "Caisse 2")["To send"] == "⚠ 4"  # the last it said

    # Hidden, the page stops asking; shown again, it asks at once.
    page.hide()
    assert not page.poll_timer.isActive()
    page.show()
    assert page.poll_timer.isActive()
