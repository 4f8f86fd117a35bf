"""The manager signed in to a real relay: tills added, logged in, revoked; the catalogue synced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from relay_fixture import OWNER_EMAIL, OWNER_PASSWORD, Relay, running_relay

from app.manager.catalogue_page import CataloguePage
from app.manager.context import ManagerContext
from app.manager.relay_connection import RelayConnection
from app.manager.relay_link import RelayError, RelayLink
from app.manager.tills_page import TillsPage
from app.qt.bridge import AsyncBridge
from crdt_models.documents import CatalogueDocument, SettingsDocument
from crdt_models.journal import generate_signing_key, public_key_of
from crdt_models.sync.payloads import JsonObject

LEFT = Qt.MouseButton.LeftButton
WAIT = 15_000


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[Relay]:
    with running_relay(tmp_path) as running:
        yield running


@pytest.fixture
def connection(relay: Relay) -> Iterator[RelayConnection]:
    conn = RelayConnection(AsyncBridge(), relay.url)
    yield conn
    conn.close()


def _till_credentials(licence: str, password: str) -> JsonObject:
    return {
        "method": "till",
        "licence": licence,
        "password": password,
        "public_key": public_key_of(generate_signing_key()).hex(),
    }


def test_owner_manages_tills_through_the_relay(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, relay: Relay
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

    sign_in.password.setText(OWNER_PASSWORD)
    QTest.mouseClick(sign_in.sign_in_button, LEFT)
    qtbot.waitUntil(lambda: page.online, timeout=WAIT)
    assert sign_in.status.text().startswith(f"✔ Signed in as {OWNER_EMAIL}")
    assert page.editors.currentWidget() is panel

    panel.new_name.setText("Caisse 1")
    panel.new_password.setText("short")
    QTest.mouseClick(panel.add_button, LEFT)
    assert panel.new_form.error("password") == "⚠ A till password has at least 8 characters."
    panel.new_password.setText("till-secret-1")
    QTest.mouseClick(panel.add_button, LEFT)
    qtbot.waitUntil(lambda: panel.licence_key != "", timeout=WAIT)
    assert panel.licence_key in panel.licence.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    till = page.model.entry(0)
    assert (till.name, till.revoked) == ("Caisse 1", False)

    # The till logs in with the generated licence and its password.
    links: list[RelayLink] = []
    errors: list[BaseException] = []
    connection.bridge.submit(
        RelayLink.sign_in(relay.url, _till_credentials(panel.licence_key, "till-secret-1")),
        on_result=links.append,
        on_error=errors.append,
    )
    qtbot.waitUntil(lambda: bool(links or errors), timeout=WAIT)
    assert errors == [] and links[0].grant["role"] == "till"

    # Revoke it: its live connection is cut and its password stops working.
    page.list.select(till.id)
    assert panel.till is not None and panel.till.id == till.id
    QTest.mouseClick(panel.revoke_button, LEFT)
    assert panel.confirm_revoke_button.isVisibleTo(panel)
    QTest.mouseClick(panel.confirm_revoke_button, LEFT)
    qtbot.waitUntil(lambda: "revoked" in panel.status.text(), timeout=WAIT)
    assert panel.status.text() == "✔ Caisse 1 is revoked: it can no longer sync."
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT)  # hidden as archived
    page.list.show_archived.setChecked(True)
    assert page.model.entry(0).revoked
    assert page.model.index(0, 5).data() == "Revoked"

    qtbot.waitUntil(lambda: links[0].closed, timeout=WAIT)  # the relay cut it off
    after: list[Any] = []
    connection.bridge.submit(
        links[0].request("whoami"), on_result=after.append, on_error=after.append
    )
    qtbot.waitUntil(lambda: bool(after), timeout=WAIT)
    assert isinstance(after[0], RelayError)
    connection.bridge.submit(links[0].close()).result(WAIT / 1000)
    again: list[Any] = []
    connection.bridge.submit(
        RelayLink.sign_in(relay.url, _till_credentials(panel.licence_key, "till-secret-1")),
        on_result=again.append,
        on_error=again.append,
    )
    qtbot.waitUntil(lambda: bool(again), timeout=WAIT)
    assert isinstance(again[0], RelayError) and again[0].kind == "auth"

    QTest.mouseClick(sign_in.sign_out_button, LEFT)
    assert not page.online
    assert page.editors.currentWidget() is page.editor


def test_catalogue_syncs_both_ways_with_a_till_through_the_relay(
    qtbot: QtBot, context: ManagerContext, relay: Relay
) -> None:
    vat = context.settings.create_vat_rate(name="Normal", rate_bp=2000).entry_id
    croissant = context.catalogue.create_product(name="Croissant", price=120, vat=vat).entry_id
    connection = RelayConnection(AsyncBridge(), relay.url, context.shop)
    try:
        page = CataloguePage(context)
        qtbot.addWidget(page)
        page.show()
        results: list[Any] = []
        connection.sign_in(relay.url, OWNER_EMAIL, OWNER_PASSWORD, results.append)
        qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
        assert results == [None] and connection.signed_in
        connection.request(
            "add_till",
            {"name": "Caisse 1", "password": "till-secret-1"},
            results.append,
            results.append,
        )
        qtbot.waitUntil(lambda: len(results) == 2, timeout=WAIT)
        licence = str(results[1]["licence_key"])

        tills: list[Any] = []
        connection.bridge.submit(
            RelayLink.sign_in(relay.url, _till_credentials(licence, "till-secret-1")),
            on_result=tills.append,
            on_error=tills.append,
        )
        qtbot.waitUntil(lambda: bool(tills), timeout=WAIT)
        till = tills[0]
        assert isinstance(till, RelayLink)

        def till_price() -> int | None:
            """The croissant's price as the till holds it (read on the till's loop)."""

            async def read() -> int | None:
                settings = SettingsDocument(till.docs["settings"])
                catalogue = CatalogueDocument(till.docs["catalogue"], settings=settings)
                product = catalogue.products_by_id().get(croissant)
                return None if product is None else product.price

            return connection.bridge.submit(read()).result(WAIT / 1000)

        # What the manager held before signing in reaches the till...
        qtbot.waitUntil(lambda: till_price() == 120, timeout=WAIT)
        # ...and so does a price the owner changes now.
        context.catalogue.update_product(croissant, price=135)
        qtbot.waitUntil(lambda: till_price() == 135, timeout=WAIT)

        # A name fixed on the till comes back to the manager's table.
        async def rename_on_till() -> None:
            doc = till.docs["catalogue"]
            before = doc.get_state()
            settings = SettingsDocument(till.docs["settings"])
            CatalogueDocument(doc, settings=settings).update_product(
                croissant, name="Croissant au beurre"
            )
            await till.push("catalogue", doc.get_update(before))

        connection.bridge.submit(rename_on_till()).result(WAIT / 1000)
        qtbot.waitUntil(
            lambda: context.catalogue.product(croissant).name == "Croissant au beurre",
            timeout=WAIT,
        )
        qtbot.waitUntil(
            lambda: page.products.model.index(0, 0).data() == "Croissant au beurre",
            timeout=WAIT,
        )
        assert context.catalogue.product(croissant).price == 135
        connection.bridge.submit(till.close()).result(WAIT / 1000)
    finally:
        connection.close()
