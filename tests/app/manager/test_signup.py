"""Creating a shop from the manager's sign-in row, against a real relay subprocess:
offered and working only when the relay allows sign-ups, with clear refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from relay_fixture import OWNER_EMAIL, Relay, running_relay

from app.manager.context import ManagerContext
from app.manager.relay_connection import RelayConnection
from app.manager.relay_tills import RelaySignIn
from app.manager.signup_dialog import SignUpDialog
from app.manager.tills_page import TillsPage
from app.qt.bridge import AsyncBridge
from relay_server.storage import open_storage

LEFT = Qt.MouseButton.LeftButton
WAIT = 20_000
NEW_OWNER = "nouvelle@fournil.example"


@pytest.fixture
def connection(context: ManagerContext) -> Iterator[RelayConnection]:
    conn = RelayConnection(AsyncBridge(), context)
    yield conn
    conn.close()


def _sign_in_row(qtbot: QtBot, page: TillsPage, url: str) -> RelaySignIn:
    """Type the relay's address and wait for its answer to "do you take new shops?"."""
    sign_in = page.sign_in
    assert sign_in is not None
    sign_in.url.setText(url)
    sign_in.url.editingFinished.emit()
    qtbot.waitUntil(lambda: sign_in.signup_checked == url, timeout=WAIT)
    return sign_in


def _fill(dialog: SignUpDialog, shop: str, email: str, password: str, again: str) -> None:
    dialog.shop.setText(shop)
    dialog.email.setText(email)
    dialog.password.setText(password)
    dialog.again.setText(again)
    QTest.mouseClick(dialog.create_button, LEFT)


def _stored(relay: Relay, shop_id: str, doc: str, root: str) -> dict[str, Any]:
    storage = open_storage(relay.db_url)
    try:
        state: Doc[Any] = Doc()
        for update in storage.documents.load(shop_id, doc):
            state.apply_update(update)
        entries: dict[str, Any] = state.get(root, type=Map).to_py() or {}
        return entries
    finally:
        storage.close()


def test_a_new_owner_creates_a_shop_from_the_manager_and_is_signed_in(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, tmp_path: Path
) -> None:
    with running_relay(tmp_path, "--allow-signup") as relay:
        page = TillsPage(context, connection)
        qtbot.addWidget(page)
        page.show()
        sign_in = _sign_in_row(qtbot, page, relay.url)
        assert sign_in.create_button.isVisible()
        assert sign_in.create_button.text() == "Create a shop…"
        QTest.mouseClick(sign_in.create_button, LEFT)
        dialog = sign_in.signup_dialog
        assert dialog is not None and dialog.isVisible()

        # Checked on this computer first: nothing is sent.
        _fill(dialog, "Le Fournil", NEW_OWNER, "short", "short")
        assert dialog.form.error("password") == "⚠ The password needs at least 8 characters."
        _fill(dialog, "Le Fournil", NEW_OWNER, "levain-2026", "levain-2062")
        assert dialog.form.error("again") == "⚠ The two passwords differ."
        _fill(dialog, "", NEW_OWNER, "levain-2026", "levain-2026")
        assert dialog.form.error("shop") == "⚠ Enter the shop's name."

        # The relay's refusals: an e-mail that has an account, a shop name taken.
        _fill(dialog, "Le Fournil", OWNER_EMAIL, "levain-2026", "levain-2026")
        qtbot.waitUntil(lambda: dialog.form.general_error() != "", timeout=WAIT)
        assert dialog.form.general_error() == (
            "⚠ This e-mail already has an account: sign in with it instead."
        )
        _fill(dialog, "Boulangerie du Canal", NEW_OWNER, "levain-2026", "levain-2026")
        qtbot.waitUntil(lambda: "name" in dialog.form.general_error(), timeout=WAIT)
        assert dialog.form.general_error() == (
            "⚠ A shop already has this name on this relay: choose another name."
        )
        assert not page.online

        _fill(dialog, "Le Fournil", NEW_OWNER, "levain-2026", "levain-2026")
        qtbot.waitUntil(lambda: page.online, timeout=WAIT)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
        assert sign_in.status.text() == f"✔ Signed in as {NEW_OWNER} on {relay.url}"
        assert not sign_in.create_button.isVisible()

        # A shop of its own: no tills, and nothing of the other shop in its documents.
        storage = open_storage(relay.db_url)
        try:
            owner = storage.accounts.owner_by_email(NEW_OWNER)
            assert owner is not None
            assert storage.accounts.shop(owner.shop_id).name == "Le Fournil"
            assert storage.accounts.tills(owner.shop_id) == []
        finally:
            storage.close()
        assert _stored(relay, owner.shop_id, "catalogue", "products") == {}
        assert _stored(relay, owner.shop_id, "customers", "customers") == {}
        assert context.catalogue.products_by_id() == {}
        answers: list[Any] = []
        connection.request("tills", None, answers.append, answers.append)
        qtbot.waitUntil(lambda: bool(answers), timeout=WAIT)
        assert answers == [{"tills": []}]


def test_a_relay_without_sign_up_neither_offers_it_nor_takes_it(
    qtbot: QtBot, context: ManagerContext, connection: RelayConnection, tmp_path: Path
) -> None:
    with running_relay(tmp_path) as relay:
        page = TillsPage(context, connection)
        qtbot.addWidget(page)
        page.show()
        sign_in = _sign_in_row(qtbot, page, relay.url)
        assert sign_in.signup_url is None and not sign_in.create_button.isVisible()

        # Asked anyway (the relay changed its mind since it was asked): a clear refusal.
        dialog = SignUpDialog(connection, relay.url)
        qtbot.addWidget(dialog)
        dialog.show()
        _fill(dialog, "Le Fournil", NEW_OWNER, "levain-2026", "levain-2026")
        qtbot.waitUntil(lambda: dialog.form.general_error() != "", timeout=WAIT)
        assert dialog.form.general_error() == (
            "⚠ This relay does not take new shops: ask its administrator for an account."
        )
        assert dialog.create_button.isEnabled() and not page.online
        storage = open_storage(relay.db_url)
        try:
            assert storage.accounts.owner_by_email(NEW_OWNER) is None
        finally:
            storage.close()

        # Nor is it offered for an address where no relay answers.
        sign_in = _sign_in_row(qtbot, page, "ws://127.0.0.1:9/")
        assert sign_in.signup_url is None and not sign_in.create_button.isVisible()
