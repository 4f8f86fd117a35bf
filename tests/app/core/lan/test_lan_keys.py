"""Till keys learned from peers, the manager-only documents, and the sync indicator."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map

from app.core.lan import Connectivity, LanNode, LanStatus, TillKeys, connectivity
from app.core.sync import LinkState, SyncStatus
from tests.app.core.lan.lan_harness import FAST, Shop, on_loop, until


def test_keys_are_learned_once_persisted_and_never_replaced(tmp_path: Path) -> None:
    own, first, other = os.urandom(32), os.urandom(32), os.urandom(32)
    keys = TillKeys(tmp_path / "keys.json", "me", own)
    assert keys.learn({"t2": first.hex(), "bad": "zz", "short": "00"}) is True
    assert keys.learn({"t2": other.hex(), "me": other.hex()}) is False  # never replaced
    reopened = TillKeys(tmp_path / "keys.json", "me", own)
    assert reopened.get("t2") == first and reopened.get("me") == own
    assert reopened.get("bad") is None and reopened.get("short") is None
    (tmp_path / "keys.json").write_text("not json")
    assert TillKeys(tmp_path / "keys.json", "me", own).get("t2") is None


def test_indicator_says_relay_lan_only_or_offline() -> None:
    online, offline = SyncStatus(state=LinkState.ONLINE), SyncStatus(state=LinkState.OFFLINE)
    two = LanStatus(True, ("p1", "p2"))
    assert connectivity(online, two) == (Connectivity.RELAY, 2)
    assert connectivity(offline, two) == (Connectivity.LAN_ONLY, 2)
    assert connectivity(offline, LanStatus(True)) == (Connectivity.OFFLINE, 0)


async def test_only_a_manager_peer_may_write_settings(shop: Shop) -> None:
    till_a, till_b = await shop.node(shop.store("a")), await shop.node(shop.store("b"))
    manager = LanNode(
        shop.store("m"), host="127.0.0.1", advertise=False, timings=FAST, role="manager"
    )
    await manager.start()
    shop.nodes.append(manager)
    maps: dict[str, Map[Any]] = {}
    for name, node in (("a", till_a), ("b", till_b), ("m", manager)):
        doc: Doc[Any] = Doc()
        maps[name] = doc.get("test_settings", type=Map)
        node.attach({"settings": doc}, on_loop)
    till_a.connect_to("127.0.0.1", till_b.port)  # a full mesh, as discovery makes it
    manager.connect_to("127.0.0.1", till_b.port)
    manager.connect_to("127.0.0.1", till_a.port)
    await until(lambda: all(len(n.status.peers) == 2 for n in (till_a, till_b, manager)))
    maps["a"]["vat"] = "forged by a till"
    await until(lambda: till_b.refused_writes >= 1 and manager.refused_writes >= 1)
    maps["m"]["currency"] = "EUR"
    await until(lambda: maps["a"].get("currency") == "EUR" == maps["b"].get("currency"))
    assert "vat" not in maps["b"] and "vat" not in maps["m"]
    stored = till_b.store.load_doc("settings").get("test_settings", type=Map)
    assert dict(stored.items()) == {"currency": "EUR"}
