"""Two tills and the owner's manager against a real relay process, through a relay outage.

A sale on till A shows up in the revenue statistics the owner asks the relay
for (the CONTROL request "stats" over the manager's own link). Then the relay
process is stopped; both tills keep selling; the relay is started again on the
same port and database. Every sale arrives exactly once (the relay stores seqs
1..n per till, the sale facts add up to what each till sold, the statistics
agree), and each till's chain, as the relay stores it, verifies against that
till's public key and ends at the head the till holds.

Devices are the sync tests' ``Till`` (a DeviceStore, a SyncEngine and the
shop's Docs through the domain layer): ``tests/app/core/sync`` is put on
``sys.path`` to import its harness, since tests/ is not a package.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app" / "core" / "sync"))

from sync_harness import (
    TILL_PASSWORD,
    RelayProcess,
    Till,
    eventually,
    free_port,
    sale_body,
)

from app.core.store import DeviceStore
from app.core.sync import LinkState, RequestRefusedError, login_owner
from crdt_models.journal import verify_jsonl
from relay_server.provisioning import add_till, provision_shop
from relay_server.storage import TillInfo, open_storage

pytestmark = pytest.mark.e2e

OWNER_EMAIL = "owner@two-tills.test"
OWNER_PASSWORD = "owner secret"
# Distinct prices, so a sale stored twice or lost changes every total.
PRICES_A = [1234, 250, 990, 1575, 320, 4410]
PRICES_B = [705, 1860, 95, 2300]


def _start(relay: RelayProcess) -> None:
    for attempt in range(3):  # another socket may take the free port in between
        try:
            relay.start()
            return
        except AssertionError:
            if attempt == 2:
                raise
            relay.port = free_port()


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[RelayProcess, TillInfo, TillInfo]]:
    """A relay process over a fresh database with one shop and its tills A1 and A2."""
    db_url = f"sqlite:///{tmp_path / 'relay.db'}"
    provision_shop(db_url, "Two Tills", OWNER_EMAIL, OWNER_PASSWORD)
    storage = open_storage(db_url)
    try:
        till_a = add_till(storage, "Two Tills", "A1", TILL_PASSWORD)
        till_b = add_till(storage, "Two Tills", "A2", TILL_PASSWORD)
    finally:
        storage.close()
    process = RelayProcess(db_url, free_port())
    _start(process)
    try:
        yield process, till_a, till_b
    finally:
        process.stop()


def _sell(till: Till, price: int) -> None:
    till.store.validate_sale(lambda seq: sale_body(seq, price))
    till.engine.journal_changed()


def _stats(manager: Till) -> dict[str, Any]:
    """The shop's revenue from yesterday to tomorrow (UTC), as the owner's manager asks."""
    today = dt.datetime.now(dt.UTC).date()
    span = {"from": str(today - dt.timedelta(days=1)), "to": str(today + dt.timedelta(days=1))}
    return dict(manager.engine.request("stats", span).result(30))


def _till_total(stats: dict[str, Any], till_id: str) -> int:
    entry = stats["by_till"].get(till_id)
    return 0 if entry is None else int(entry["total"])


def _stats_show(manager: Till, totals: dict[str, int]) -> bool:
    """True once the owner's statistics show ``totals`` (a request refused while the
    link comes back counts as not yet)."""
    if manager.engine.status.state is not LinkState.ONLINE:
        return False
    try:
        stats = _stats(manager)
    except RequestRefusedError:
        return False
    return all(_till_total(stats, till_id) == total for till_id, total in totals.items())


def test_two_tills_sell_through_a_relay_outage_and_everything_arrives_once(
    relay: tuple[RelayProcess, TillInfo, TillInfo], tmp_path: Path
) -> None:
    process, info_a, info_b = relay
    with DeviceStore.open(tmp_path / "manager") as store:
        asyncio.run(login_owner(store, process.url, OWNER_EMAIL, OWNER_PASSWORD))
    manager = Till.open(tmp_path / "manager", with_shop=True)
    a = Till.open(tmp_path / "a", process, info_a.licence_key, with_shop=True)
    b = Till.open(tmp_path / "b", process, info_b.licence_key, with_shop=True)
    try:
        for device, name in ((manager, "manager"), (a, "A"), (b, "B")):
            device.wait(lambda s: s.state is LinkState.ONLINE, f"{name} online")

        # A sale on A reaches the owner's statistics.
        _sell(a, PRICES_A[0])
        a.wait(lambda s: s.pending_sales == 0, "A's first sale acknowledged")
        eventually(lambda: _stats_show(manager, {info_a.id: PRICES_A[0]}), what="stats show A")
        stats = _stats(manager)
        assert stats["total"] == PRICES_A[0] and stats["count"] == 1
        assert _till_total(stats, info_b.id) == 0

        # The relay goes away; both tills keep selling.
        process.stop()
        for device, name in ((manager, "manager"), (a, "A"), (b, "B")):
            device.wait(lambda s: s.state is not LinkState.ONLINE, f"{name} offline")
        for price in PRICES_A[1:]:
            _sell(a, price)
        for price in PRICES_B:
            _sell(b, price)
        a.wait(lambda s: s.pending_sales == len(PRICES_A) - 1, "A's offline sales pending")
        b.wait(lambda s: s.pending_sales == len(PRICES_B), "B's offline sales pending")
        assert a.store.head().seq == len(PRICES_A) and b.store.head().seq == len(PRICES_B)

        # The relay comes back on the same port and database: everything arrives once.
        _start_again(process)
        a.wait(lambda s: s.online and s.pending_sales == 0, "A's sales acknowledged")
        b.wait(lambda s: s.online and s.pending_sales == 0, "B's sales acknowledged")
        assert process.journal_rows(info_a.id) == list(range(1, len(PRICES_A) + 1))
        assert process.journal_rows(info_b.id) == list(range(1, len(PRICES_B) + 1))
        assert process.sale_total(info_a.id) == sum(PRICES_A)
        assert process.sale_total(info_b.id) == sum(PRICES_B)
        totals = {info_a.id: sum(PRICES_A), info_b.id: sum(PRICES_B)}
        eventually(lambda: _stats_show(manager, totals), what="stats after the outage")
        stats = _stats(manager)
        assert stats["total"] == sum(PRICES_A) + sum(PRICES_B)
        assert stats["count"] == len(PRICES_A) + len(PRICES_B)
        assert sum(stats["by_method"].values()) == stats["total"]

        # Each chain as the relay holds it verifies with its till's key, up to the till's head.
        storage = open_storage(process.db_url)
        try:
            for till, info, prices in ((a, info_a, PRICES_A), (b, info_b, PRICES_B)):
                lines = storage.journal.records_after(info.id, "sales", 0, 1000)
                head = till.store.head()
                assert storage.journal.head(info.id, "sales") == head
                report = verify_jsonl(b"\n".join(lines), till.store.identity.public_key, end=head)
                assert report.ok, report
                assert report.count == len(prices) and report.head == head
                assert report.grand_totals is not None
                assert report.grand_totals.total == sum(prices)
        finally:
            storage.close()
    finally:
        manager.close()
        a.close()
        b.close()


def _start_again(process: RelayProcess) -> None:
    """Restart on the same port (the tills know that address); the port may linger briefly."""
    eventually(lambda: _try_start(process), timeout=15, what="relay restarted on its port")


def _try_start(process: RelayProcess) -> bool:
    try:
        process.start()
    except AssertionError:
        return False
    return True
