"""The till wired to the device sync engine, against a real relay process.

Till A (the window under test) and till B (another device of the shop) are
provisioned on a relay started on 127.0.0.1; a price B changes shows up on
A's screen while A's basket stays as it was; A's badge says online; Sync now
reports that everything is on the relay.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.basket import Basket
from app.core.lan import LanNode
from app.core.store import DeviceStore
from app.core.sync import DocBridge, SyncEngine, SyncTimings, provision
from app.core.sync.link import LinkTimings
from app.qt.bridge import AsyncBridge
from app.till.login import LoginDialog
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents.shop import ShopDocuments
from crdt_models.journal import QTY_ONE, Payment, SaleLine, build_sale_body, ticket_number

FAST = SyncTimings(
    link=LinkTimings(ping_interval=1.0, ping_timeout=1.0),
    active_resync=0.5,
    idle_resync=0.5,
    backoff_first=0.05,
    backoff_cap=0.5,
)
PASSWORD = "till-pass-123"


def _relay(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "relay_server", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(database URL, websocket URL) of a relay process with one shop."""
    db = f"sqlite:///{tmp_path / 'relay.db'}"
    _relay(
        "add-owner",
        "--db",
        db,
        "--shop",
        "Canal",
        "--email",
        "o@canal.fr",
        "--password",
        "owner-pass-123",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "relay_server",
            "serve",
            "--db",
            db,
            "--port",
            "0",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"listening on [\d.]+:(\d+)", line)
    assert m, line
    yield db, f"ws://127.0.0.1:{m[1]}/sync"
    proc.terminate()
    proc.communicate(timeout=30)


def _licence(db: str, name: str) -> str:
    out = _relay("add-till", "--db", db, "--shop", "Canal", "--name", name, "--password", PASSWORD)
    m = re.search(r"licence (\S+)", out)
    assert m, out
    return m[1]


class OnlineTill(NamedTuple):
    bridge: AsyncBridge
    session: TillSession
    engine: SyncEngine
    window: TillWindow


@pytest.fixture
def online_till(
    qtbot: QtBot, relay: tuple[str, str], tmp_path: Path, english: None
) -> Iterator[OnlineTill]:
    """Till A (the demo till) logged in to ``relay``, its engine running, its window
    open on the first cashier."""
    db, url = relay
    bridge = AsyncBridge()
    session = TillSession.open(tmp_path / "a", demo=True)
    provision(session.store, url, _licence(db, "A"), PASSWORD)
    engine = SyncEngine(session.store, timings=FAST)
    engine.start(bridge.loop)
    session.attach_sync(engine, bridge.to_gui)
    window = TillWindow(session)
    qtbot.addWidget(window)
    window.attach_sync(engine, bridge)
    window.cashier_screen.choose(session.shop.settings.cashiers()[0])
    yield OnlineTill(bridge, session, engine, window)
    window.close()
    session.close()
    bridge.close()


def test_a_remote_edit_reaches_the_screen_without_touching_the_basket(
    qtbot: QtBot, relay: tuple[str, str], online_till: OnlineTill, tmp_path: Path
) -> None:
    db, url = relay
    bridge, session, engine_a, window = online_till
    assert session.provisioned

    store_b = DeviceStore.open(tmp_path / "b")
    provision(store_b, url, _licence(db, "B"), PASSWORD)
    shop_b = ShopDocuments.open(store_b.identity.device_id)
    engine_b = SyncEngine(store_b, timings=FAST)
    engine_b.start()
    bridge_b: DocBridge = engine_b.attach(shop_b.docs, bridge.to_gui)  # B's docs on this thread too
    try:
        qtbot.waitUntil(lambda: window.sync_badge.state.mode == "relay", timeout=20_000)
        assert "Online" in window.sync_badge.text()

        window.selling.scan("5449000000996")  # a sale in progress on A
        before = session.basket.to_dict()

        # B received A's catalogue through the relay; B renames and reprices a product
        coca = session.catalogue.by_barcode("5449000000996")
        assert coca is not None
        window.selling.grid.select_category(coca.category)
        qtbot.waitUntil(lambda: coca.id in shop_b.catalogue.products_by_id(), timeout=20_000)
        shop_b.catalogue.update_product(coca.id, name="Coca-Cola 33 cl frais", price=270)

        def shown() -> bool:
            button = window.selling.grid.button_for(coca.id)
            return button is not None and button.tile.name == "Coca-Cola 33 cl frais"

        qtbot.waitUntil(shown, timeout=20_000)
        button = window.selling.grid.button_for(coca.id)
        assert button is not None and button.tile.price == 270
        assert session.basket.to_dict() == before  # the line keeps the price it was rung at
        assert window.selling.model.rowCount() == 1

        QTest.mouseClick(window.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: "Everything is on the relay." in window.messages.text(), timeout=20_000
        )

        # online, the daily closing is accepted once the relay holds every sale
        window.selling.set_basket(Basket())
        QTest.mouseClick(window.closing_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: session.store.head().seq == 1, timeout=20_000)
        closing = session.store.record(1)
        assert closing is not None and closing.kind == "closing"
        assert closing.body["period"] == "day" and closing.body["tickets"] == 0
        assert window.stack.currentWidget() is window.receipt
        assert "Day closed" in window.receipt.ticket_label.text()
        qtbot.waitUntil(lambda: engine_a.status.pending_sales == 0, timeout=20_000)
    finally:
        bridge_b.close()
        engine_b.stop()
        store_b.close()


def test_first_start_login(qtbot: QtBot, relay: tuple[str, str], tmp_path: Path) -> None:
    db, url = relay
    licence = _licence(db, "C")
    bridge = AsyncBridge()
    store = DeviceStore.open(tmp_path / "c")
    dialog = LoginDialog(store, url, bridge)
    qtbot.addWidget(dialog)
    try:
        dialog.licence.setText(licence)
        dialog.password.setText("not the password")
        QTest.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=20_000)
        assert "could not connect" in dialog.status.text()
        assert not store.identity.relay_token

        dialog.password.setText(PASSWORD)
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):
            QTest.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        assert dialog.provisioned is not None
        assert store.identity.relay_token and store.identity.relay_url == url
        assert store.identity.till_id == dialog.provisioned.till_id
    finally:
        store.close()
        bridge.close()


def test_the_till_syncs_with_a_shop_peer_and_says_lan_only_without_the_relay(
    qtbot: QtBot, relay: tuple[str, str], tmp_path: Path, english: None
) -> None:
    """Till A runs its LAN node beside its engine; a sale made on till B reaches A's
    store over the shop network, and with no relay link the badge says so."""
    db, url = relay
    bridge = AsyncBridge()
    session = TillSession.open(tmp_path / "a", demo=True)
    provision(session.store, url, _licence(db, "A"), PASSWORD)
    engine_a = SyncEngine(session.store, timings=FAST)
    engine_a.start(bridge.loop)
    node_a = LanNode(session.store, engine=engine_a, host="127.0.0.1", advertise=False)
    asyncio.run_coroutine_threadsafe(node_a.start(), bridge.loop).result(10)
    session.attach_sync(engine_a, bridge.to_gui, node_a)
    window = TillWindow(session)
    qtbot.addWidget(window)
    window.attach_sync(engine_a, bridge, node_a)

    store_b = DeviceStore.open(tmp_path / "b")
    provision(store_b, url, _licence(db, "B"), PASSWORD)
    assert store_b.identity.lan_secret == session.store.identity.lan_secret
    node_b = LanNode(store_b, host="127.0.0.1", advertise=False)  # B: shop network only
    asyncio.run_coroutine_threadsafe(node_b.start(), bridge.loop).result(10)
    try:
        node_a.connect_to("127.0.0.1", node_b.port)
        qtbot.waitUntil(lambda: node_a.status.peer_count == 1, timeout=20_000)
        qtbot.waitUntil(lambda: window.sync_badge.state.mode == "relay", timeout=20_000)

        sale = store_b.validate_sale(
            lambda seq: build_sale_body(
                ticket=ticket_number(2, seq),
                cashier="b",
                lines=[SaleLine("p", "Coffee", QTY_ONE, 250, 1000)],
                payments=[Payment("cash", 250)],
            )
        )
        node_b.journal_changed()
        b_till = store_b.identity.till_id
        qtbot.waitUntil(
            lambda: session.store.record(sale.seq, till_id=b_till) is not None, timeout=20_000
        )

        engine_a.stop()  # the relay link is gone; the shop network is still there
        qtbot.waitUntil(lambda: window.sync_badge.state.mode == "lan", timeout=20_000)
        assert "Shop network only" in window.sync_badge.text()
    finally:
        for node in (node_b, node_a):
            asyncio.run_coroutine_threadsafe(node.stop(), bridge.loop).result(10)
        store_b.close()
        window.close()
        session.close()
        bridge.close()
