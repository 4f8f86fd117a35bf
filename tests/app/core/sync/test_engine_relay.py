"""The sync engine against a real relay subprocess: sales, documents, restarts, revocation."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map
from sync_harness import (
    TILL_PASSWORD,
    LockedOwner,
    Shop,
    Till,
    eventually,
    product_name,
    set_product,
)

from app.core.sync import AlreadyProvisionedError, LinkState, provision
from app.core.sync.journal_frames import RECORDS_PER_FRAME
from crdt_models.sync.guard import has_twin


def online(till: Till) -> bool:
    return till.engine.status.state is LinkState.ONLINE


def acked(till: Till, till_id: str) -> int:
    return till.store.journal_acks("relay").get((till_id, "sales"), 0)


def test_sales_made_offline_reach_the_relay_exactly_once(shop: Shop, tmp_path: Path) -> None:
    relay = shop.relay
    till = Till.open(tmp_path / "a", relay, shop.till_a.licence_key)
    try:
        till.wait(lambda s: s.last_sync is not None, "first sync")
        relay.kill()
        eventually(lambda: till.engine.status.state is not LinkState.ONLINE, what="offline")

        till.sell(25)
        eventually(lambda: till.engine.status.pending_sales == 25, what="25 pending")
        assert till.engine.status.state in (LinkState.OFFLINE, LinkState.CONNECTING)

        relay.start()
        eventually(lambda: till.engine.status.pending_sales == 0, what="all acknowledged")
        assert relay.journal_rows(shop.till_a.id) == list(range(1, 26))

        # Again, with part of the chain already held by the relay.
        relay.kill()
        till.sell(5)
        relay.start()
        eventually(lambda: acked(till, shop.till_a.id) == 30, what="acknowledged again")
        eventually(lambda: till.engine.status.pending_sales == 0, what="status")
        assert relay.journal_rows(shop.till_a.id) == list(range(1, 31))
        assert relay.sale_total(shop.till_a.id) == 30 * 250
        acks = till.store.journal_acks("relay")
        assert acks[(shop.till_a.id, "sales")] == 30
    finally:
        till.close()


def test_a_backlog_of_several_frames_reaches_the_relay_in_order(shop: Shop, tmp_path: Path) -> None:
    relay = shop.relay
    till = Till.open(tmp_path / "a", relay, shop.till_a.licence_key)
    try:
        till.wait(lambda s: s.last_sync is not None, "first sync")
        relay.kill()
        eventually(lambda: till.engine.status.state is not LinkState.ONLINE, what="offline")

        till.sell(2 * RECORDS_PER_FRAME + 1)  # three frames
        relay.start()
        eventually(lambda: till.engine.status.pending_sales == 0, what="all acknowledged")
        assert relay.journal_rows(shop.till_a.id) == list(range(1, 2 * RECORDS_PER_FRAME + 2))
        assert acked(till, shop.till_a.id) == 2 * RECORDS_PER_FRAME + 1
    finally:
        till.close()


def test_a_sale_online_is_acknowledged(shop: Shop, tmp_path: Path) -> None:
    till = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    try:
        till.wait(lambda s: s.online, "online")
        till.sell(1)
        eventually(lambda: acked(till, shop.till_a.id) == 1, what="acked")
        eventually(lambda: till.engine.status.pending_sales == 0, what="status")
        assert shop.relay.journal_rows(shop.till_a.id) == [1]
    finally:
        till.close()


def test_a_catalogue_edit_on_one_till_reaches_the_other(shop: Shop, tmp_path: Path) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        a.wait(lambda s: s.online, "A online")
        b.wait(lambda s: s.online, "B online")
        a.edit("catalogue", set_product("p-1", "Croissant", 120))
        eventually(lambda: b.read("catalogue", product_name("p-1")) == "Croissant", what="on B")
        eventually(lambda: a.engine.status.pending_changes == 0, what="A's change confirmed")

        b.edit("catalogue", set_product("p-2", "Baguette", 110))
        eventually(lambda: a.read("catalogue", product_name("p-2")) == "Baguette", what="on A")
        # B stored the relay's update in its document log: it survives a restart.
        assert product_name("p-1")(b.store.load_doc("catalogue")) == "Croissant"
    finally:
        a.close()
        b.close()


def test_the_guard_twins_are_built_after_the_first_round_not_at_the_first_update(
    shop: Shop, tmp_path: Path
) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        a.wait(lambda s: s.last_sync is not None, "A's first round")
        b.wait(lambda s: s.last_sync is not None, "B's first round")
        # The catalogue never received anything from the relay: its twin was prepared.
        replicas = list(a.engine._docs.values())  # the engine's own copies, which it guards
        eventually(lambda: all(map(has_twin, replicas)), what="A's twins built")
        b.edit("catalogue", set_product("p-2", "Baguette", 110))
        eventually(lambda: a.read("catalogue", product_name("p-2")) == "Baguette", what="on A")
        a.edit("catalogue", set_product("p-2", "Baguette", 115))
        eventually(lambda: b.read("catalogue", price_of("p-2")) == 115, what="on B")
        assert a.read("catalogue", price_of("p-2")) == 115
        assert all(map(has_twin, replicas))
    finally:
        a.close()
        b.close()


def price_of(product_id: str) -> Callable[[Doc[Any]], Any]:
    return lambda doc: doc.get("products", type=Map)[product_id].get("price")


def test_edits_made_offline_are_pushed_when_the_relay_returns(shop: Shop, tmp_path: Path) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        a.wait(lambda s: s.online, "A online")
        b.wait(lambda s: s.online, "B online")
        shop.relay.kill()
        eventually(lambda: not online(a), what="A offline")
        a.edit("customers", set_product("c-1", "Ada", 0))
        eventually(lambda: a.engine.status.pending_changes == 1, what="one pending change")
        shop.relay.start()
        eventually(lambda: b.read("customers", product_name("c-1")) == "Ada", what="on B")
        eventually(lambda: a.engine.status.pending_changes == 0, what="confirmed")
    finally:
        a.close()
        b.close()


def test_the_engine_reconnects_after_the_relay_restarts(shop: Shop, tmp_path: Path) -> None:
    till = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    try:
        till.wait(lambda s: s.last_sync is not None, "first sync")
        first_sync = till.engine.status.last_sync
        shop.relay.kill()
        eventually(lambda: till.engine.status.state is LinkState.OFFLINE, what="offline")
        assert till.engine.status.error
        shop.relay.start()
        eventually(lambda: online(till), what="back online")
        eventually(lambda: till.engine.status.last_sync != first_sync, what="synced again")

        states = [s.state for s in till.statuses]
        # connecting -> online, then offline (the relay died), then connecting -> online.
        assert states[0] is LinkState.CONNECTING
        online_at = states.index(LinkState.ONLINE)
        offline_at = states.index(LinkState.OFFLINE, online_at)
        assert LinkState.ONLINE in states[offline_at:]
        assert till.statuses[-1].error is None
    finally:
        till.close()


def test_sync_now_reports_its_outcome(shop: Shop, tmp_path: Path) -> None:
    till = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    try:
        till.wait(lambda s: s.online, "online")
        till.sell(3)
        outcome = till.engine.sync_now().result(30)
        assert outcome.ok, outcome.reason
        assert outcome.status.pending_sales == 0
        assert outcome.status.last_sync is not None

        shop.relay.kill()
        eventually(lambda: not online(till), what="offline")
        failed = till.engine.sync_now().result(30)
        assert not failed.ok
        assert failed.reason
    finally:
        till.close()


def test_a_revoked_till_is_cut_off_and_says_so(shop: Shop, tmp_path: Path) -> None:
    till = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    try:
        till.wait(lambda s: s.online, "online")
        shop.relay.revoke(shop.till_a.id)
        eventually(lambda: till.engine.status.state is LinkState.REFUSED, what="refused")
        assert "revoked" in (till.engine.status.error or "")
        till.sell(1)
        outcome = till.engine.sync_now().result(30)
        assert not outcome.ok and "revoked" in (outcome.reason or "")
        assert till.engine.status.pending_sales == 1  # kept, not purged
    finally:
        till.close()


def test_the_other_tills_keep_the_lan_secret_rotated_by_a_revocation(
    shop: Shop, tmp_path: Path
) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        b.wait(lambda s: s.online, "online")
        old = b.store.identity.lan_secret
        assert old and old == a.store.identity.lan_secret
        shop.relay.revoke(shop.till_a.id)
        shop.relay.kill()  # B learns the new secret at its next login
        shop.relay.start()
        eventually(lambda: b.store.identity.lan_secret != old, what="new secret kept")
        assert a.store.identity.lan_secret == old  # the revoked till never gets it
    finally:
        a.close()
        b.close()


def test_a_silent_relay_is_noticed_and_the_link_comes_back(shop: Shop, tmp_path: Path) -> None:
    till = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    process = shop.relay.process
    assert process is not None
    try:
        till.wait(lambda s: s.online, "online")
        os.kill(process.pid, signal.SIGSTOP)  # the socket stays open; nothing answers
        try:
            eventually(lambda: not online(till), what="the dead link noticed")
        finally:
            os.kill(process.pid, signal.SIGCONT)
        eventually(lambda: online(till), what="back online")
    finally:
        till.close()


def test_relay_updates_are_stored_once_and_never_echoed(shop: Shop, tmp_path: Path) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        a.wait(lambda s: s.last_sync is not None, "A synced")
        b.wait(lambda s: s.last_sync is not None, "B synced")
        logged_a = a.store.pending_updates("catalogue")
        logged_b = b.store.pending_updates("catalogue")

        a.edit("catalogue", set_product("p-1", "Croissant", 120))
        eventually(lambda: b.read("catalogue", product_name("p-1")) == "Croissant", what="on B")
        outcome = b.engine.sync_now().result(30)
        assert outcome.ok, outcome.reason

        assert a.store.pending_updates("catalogue") == logged_a + 1  # stored by A's bridge
        assert b.store.pending_updates("catalogue") == logged_b + 1  # stored by B's engine only
        assert b.engine.status.pending_changes == 0  # B has nothing of its own to push
    finally:
        a.close()
        b.close()


def test_an_engine_started_before_login_connects_once_logged_in(shop: Shop, tmp_path: Path) -> None:
    till = Till.open(tmp_path / "a")  # not logged in: the engine waits
    try:
        eventually(lambda: till.engine.status.state is LinkState.NOT_CONFIGURED, what="waiting")
        till.sell(2)  # selling goes on before the login
        assert not till.engine.sync_now().result(30).ok
        with pytest.raises(AlreadyProvisionedError):
            provision(till.store, shop.relay.url, shop.till_a.licence_key, TILL_PASSWORD)

        fresh = Till.open(tmp_path / "b")
        try:
            fresh.edit("catalogue", set_product("p-1", "Croissant", 120))
            provision(fresh.store, shop.relay.url, shop.till_a.licence_key, TILL_PASSWORD)
            fresh.engine.credentials_changed()
            eventually(lambda: online(fresh), what="online after login")
            fresh.sell(1)
            eventually(lambda: acked(fresh, shop.till_a.id) == 1, what="acked")
            eventually(lambda: fresh.engine.status.pending_changes == 0, what="edit confirmed")
        finally:
            fresh.close()
    finally:
        till.close()


def test_attaching_late_brings_the_app_docs_up_to_date(shop: Shop, tmp_path: Path) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    try:
        a.edit("catalogue", set_product("p-1", "Croissant", 120))
        outcome = a.engine.sync_now().result(30)  # queued after the edit: covers it
        assert outcome.ok, outcome.reason
        assert outcome.status.pending_changes == 0
    finally:
        a.close()
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        eventually(lambda: b.read("catalogue", product_name("p-1")) == "Croissant", what="on B")
        with b.owner.lock:
            b.bridge.close()  # type: ignore[union-attr]
        late = {name: b.store.load_doc(name) for name in b.docs}
        owner = LockedOwner()
        with owner.lock:
            bridge = b.engine.attach({"catalogue": Doc()}, owner)
        try:
            eventually(
                lambda: owner_read(owner, bridge.docs["catalogue"]) == "Croissant",
                what="a fresh Doc caught up",
            )
            assert product_name("p-1")(late["catalogue"]) == "Croissant"
        finally:
            with owner.lock:
                bridge.close()
    finally:
        b.close()


def owner_read(owner: LockedOwner, doc: Doc[Any]) -> Any:
    with owner.lock:
        return product_name("p-1")(doc)


def test_changes_made_while_the_engine_is_stopped_are_pushed_after_a_restart(
    shop: Shop, tmp_path: Path
) -> None:
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
    try:
        eventually(lambda: online(a), what="online")
        a.engine.stop()
        assert a.engine.status.state is LinkState.STOPPED
        a.edit("catalogue", set_product("p-1", "Croissant", 120))  # stored by the bridge
        a.sell(1)  # journal_changed() is a no-op while stopped
        assert not a.engine.sync_now().result(5).ok

        a.engine.start()
        outcome = a.engine.sync_now().result(30)
        assert outcome.ok, outcome.reason
        assert outcome.status.pending_changes == 0 and outcome.status.pending_sales == 0
        eventually(lambda: b.read("catalogue", product_name("p-1")) == "Croissant", what="on B")
        assert shop.relay.journal_rows(shop.till_a.id) == [1]
    finally:
        a.close()
        b.close()


def test_a_document_larger_than_a_small_frame_limit_syncs_through_the_relay(
    shop: Shop, tmp_path: Path
) -> None:
    """A document travels whole (an update, a step 2): a 100,000-product catalogue is
    about 31 MB. 12 MB here: pushed by till A, then B's first sync brings it."""
    big = "x" * (12 * 1024 * 1024)
    a = Till.open(tmp_path / "a", shop.relay, shop.till_a.licence_key)
    try:
        a.wait(lambda s: s.online, "online")
        a.edit("catalogue", set_product("big", big, 100))
        a.wait(lambda s: s.pending_changes == 0, "the relay holds it")
        b = Till.open(tmp_path / "b", shop.relay, shop.till_b.licence_key)
        try:
            eventually(
                lambda: b.read("catalogue", product_name("big")) == big,
                timeout=120,
                what="B's first sync brought the big document",
            )
        finally:
            b.close()
    finally:
        a.close()
