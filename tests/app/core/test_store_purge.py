"""Purging journal records the relay acknowledged: only old, acknowledged ones go; the
heads, the closings and what the next closing needs stay; the store reopens and sells on."""

from __future__ import annotations

from pathlib import Path

from store_samples import make_sale_body

from app.core.store import DeviceStore
from crdt_models.journal import event_body, next_closing_body

DAY = 1_764_316_800
RELAY = "relay"


def _two_days(store: DeviceStore) -> None:
    """Day 1: sales 1-3 and Z 4; day 2: sales 5-6 and Z 7; day 3: sale 8 (not closed)."""
    for day, sales in ((0, 3), (1, 2)):
        for i in range(sales):
            store.validate_sale(make_sale_body, ts=DAY + day * 86_400 + i)
        body = next_closing_body(store.records(), "day", f"2025-11-{28 + day}")
        store.append("sales", "closing", body, ts=DAY + day * 86_400 + 3600)
    store.validate_sale(make_sale_body, ts=DAY + 2 * 86_400)


def test_only_old_acknowledged_records_go(store: DeviceStore) -> None:
    _two_days(store)
    till = store.identity.till_id
    for i in range(3):
        store.append("events", "login", event_body("login", cashier=f"c{i}"), ts=DAY + i)
    store.record_journal_ack(RELAY, till, "sales", 5)  # the relay holds sales 1-5
    store.record_journal_ack(RELAY, till, "events", 2)
    expected_next = next_closing_body(store.records(), "day", "2025-11-30")

    assert store.purge_journal("lan-peer", DAY + 10 * 86_400) == 0  # nothing acked by it
    removed = store.purge_journal(RELAY, DAY + 86_400)  # older than day 2
    # sales 1-3 (acked, old, before the last Z); events 1-2 (acked, old)
    assert removed == 5
    assert [r.seq for r in store.records()] == [4, 5, 6, 7, 8]
    assert [r.seq for r in store.records(chain="events")] == [3]
    assert store.head().seq == 8 and store.head("events").seq == 3
    # what the next closing needs is all there: same body as before the purge
    assert next_closing_body(store.records(), "day", "2025-11-30") == expected_next

    # everything acknowledged and old: still the closings, the records after the
    # last Z and each chain's head stay
    store.record_journal_ack(RELAY, till, "sales", 8)
    store.record_journal_ack(RELAY, till, "events", 3)
    assert store.purge_journal(RELAY, DAY + 100 * 86_400) == 2  # sales 5, 6
    assert [r.seq for r in store.records()] == [4, 7, 8]
    assert [r.seq for r in store.records(chain="events")] == [3]


def test_nothing_unacknowledged_is_purged(store: DeviceStore) -> None:
    _two_days(store)
    assert store.purge_journal(RELAY, DAY + 1000 * 86_400) == 0
    assert [r.seq for r in store.records()] == list(range(1, 9))


def test_a_purged_store_reopens_and_sells_on(tmp_path: Path) -> None:
    store = DeviceStore.open(tmp_path / "d")
    _two_days(store)
    store.record_journal_ack(RELAY, store.identity.till_id, "sales", 8)
    assert store.purge_journal(RELAY, DAY + 1000 * 86_400) == 5
    head = store.head()
    store.close()
    again = DeviceStore.open(tmp_path / "d")
    try:
        assert again.rollback_detected is None
        assert again.head() == head
        sale = again.validate_sale(make_sale_body, ts=DAY + 3 * 86_400)
        assert sale.seq == 9 and sale.prev_hash == head.hash
    finally:
        again.close()
