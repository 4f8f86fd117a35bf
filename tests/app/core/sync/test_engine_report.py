"""A till's engine reports its software version and pending count to a real relay, which
lists them to the owner with the time of the last report and whether the till is online."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from sync_harness import Shop, Till, eventually

from app import __version__
from app.core.store import DeviceStore
from app.core.sync import LinkState, login_owner

OWNER_PASSWORD = "owner secret"


def listed(manager: Till, till_id: str) -> dict[str, Any]:
    """The till's entry in the owner's till list, asked now."""
    answer = manager.engine.request("tills").result(30)
    tills = answer["tills"]
    assert isinstance(tills, list)
    [entry] = [t for t in tills if isinstance(t, dict) and t["id"] == till_id]
    return entry


def shows(manager: Till, till_id: str, synced_after: int = -1, **expected: Any) -> dict[str, Any]:
    """Ask until the owner's list shows ``expected`` for the till, and a last sync later
    than ``synced_after``; the entry."""
    seen: dict[str, Any] = {}

    def check() -> bool:
        nonlocal seen
        if manager.engine.status.state is not LinkState.ONLINE:
            return False
        seen = listed(manager, till_id)
        later = seen["last_sync"] is not None and seen["last_sync"] > synced_after
        return later and all(seen[key] == value for key, value in expected.items())

    try:
        eventually(check, what=f"the till list shows {expected}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; last seen {seen}") from None
    return seen


def test_the_owner_sees_version_pending_last_sync_and_online(shop: Shop, tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "manager") as store:
        asyncio.run(login_owner(store, shop.relay.url, "a@x.test", OWNER_PASSWORD))
    manager = Till.open(tmp_path / "manager")
    before = int(time.time())
    till = Till.open(tmp_path / "till", shop.relay, shop.till_a.licence_key)
    till_id = shop.till_a.id
    try:
        first = shows(manager, till_id, online=True, version=__version__, pending=0)
        assert first["last_sync"] >= before
        assert listed(manager, shop.till_b.id)["version"] is None  # never started

        # A sale online, once the clock has moved on: acknowledged, and the last sync moves.
        eventually(lambda: int(time.time()) > first["last_sync"], what="a second later")
        till.sell(2)
        assert till.engine.sync_now().result(30).ok
        moved = shows(manager, till_id, first["last_sync"], pending=0)

        # Sales made while the relay is down are counted on the till, then reported
        # acknowledged once it is back.
        shop.relay.kill()
        till.sell(3)
        till.wait(lambda s: s.pending_sales == 3 and not s.online, "3 pending, offline")
        shop.relay.start()
        till.wait(lambda s: s.online and s.pending == 0, "all acknowledged")
        back = shows(manager, till_id, online=True, pending=0)
        assert back["last_sync"] >= moved["last_sync"]
    finally:
        till.close()
    try:
        gone = shows(manager, till_id, online=False)
        assert (gone["version"], gone["pending"]) == (__version__, 0)
    finally:
        manager.close()
