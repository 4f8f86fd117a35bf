"""Journal appends: durable, gap-free, refused after a rollback; queries and bookkeeping."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from store_samples import make_sale_body

from app.core.errors import RollbackDetectedError, TillIdInUseError
from app.core.store import DeviceStore
from app.core.store.database import DATABASE_FILE_NAME
from app.core.store.headfile import HEAD_FILE_NAME, HeadFile, read_head_file, write_head_file
from crdt_models.errors import ValidationError
from crdt_models.journal import ChainLinkError, event_body, verify_chain

DAY = 1_764_316_800


def test_sales_get_consecutive_numbers_and_verify(store: DeviceStore) -> None:
    seen: list[int] = []

    def body(seq: int) -> dict[str, object]:
        seen.append(seq)
        return make_sale_body(seq)

    records = [store.validate_sale(body, ts=DAY + i) for i in range(5)]
    assert [r.seq for r in records] == [1, 2, 3, 4, 5] == seen
    assert store.head().seq == 5 and store.head().hash == records[-1].hash
    assert store.record(3) == records[2]
    assert store.record(6) is None
    assert store.records(after_seq=3) == records[3:]
    assert verify_chain(store.records(), store.identity.public_key).ok
    assert read_head_file(store.data_dir) == HeadFile(
        store.identity.device_id, {"sales": (5, records[-1].hash)}
    )


def test_the_events_chain_is_separate(store: DeviceStore) -> None:
    store.validate_sale(make_sale_body, ts=DAY)
    login = store.append("events", "login", event_body("login", cashier="cashier-1"), ts=DAY)
    assert (login.chain, login.seq) == ("events", 1)
    assert store.head("sales").seq == 1
    assert {(h.chain, h.seq) for h in store.journal_heads()} == {("sales", 1), ("events", 1)}
    with pytest.raises(ValueError, match="unknown chain"):
        store.append("other", "login", {}, ts=DAY)


def test_queries_by_day_and_kind(store: DeviceStore) -> None:
    for i in range(4):
        store.validate_sale(make_sale_body, ts=DAY + i * 43_200)  # every 12 hours
    store.append("events", "login", event_body("login", cashier="c"), ts=DAY + 10)
    first_day = store.records_between(DAY, DAY + 86_400)
    assert [(r.chain, r.seq) for r in first_day] == [("events", 1), ("sales", 1), ("sales", 2)]
    assert [r.seq for r in store.records_between(DAY, DAY + 86_400, kind="sale")] == [1, 2]
    assert store.records_between(DAY, DAY + 86_400, till_id="another-till") == []


def test_a_refused_body_stores_nothing_and_keeps_the_number(store: DeviceStore) -> None:
    store.validate_sale(make_sale_body, ts=DAY)
    bad = make_sale_body(2)
    bad["total"] += 1
    with pytest.raises(ValidationError):
        store.validate_sale(bad, ts=DAY)
    assert store.head().seq == 1 and store.record(2) is None
    assert store.validate_sale(make_sale_body, ts=DAY).seq == 2


def test_concurrent_appends_from_threads_stay_gap_free(store: DeviceStore) -> None:
    def cashier() -> None:
        for _ in range(10):
            store.validate_sale(make_sale_body, ts=DAY)

    threads = [threading.Thread(target=cashier) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = store.records()
    assert [r.seq for r in records] == list(range(1, 41))
    assert verify_chain(records, store.identity.public_key).ok


def _copy_database(data_dir: Path, to: Path) -> None:
    to.mkdir()
    for name in (DATABASE_FILE_NAME, f"{DATABASE_FILE_NAME}-wal"):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, to / name)


def _restore_database(backup: Path, data_dir: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"{DATABASE_FILE_NAME}{suffix}").unlink(missing_ok=True)
    for item in backup.iterdir():
        shutil.copy2(item, data_dir / item.name)


def test_a_restored_older_database_is_detected_and_never_reuses_a_number(
    data_dir: Path, tmp_path: Path
) -> None:
    with DeviceStore.open(data_dir) as store:
        for _ in range(3):
            store.validate_sale(make_sale_body, ts=DAY)
    _copy_database(data_dir, tmp_path / "backup")
    with DeviceStore.open(data_dir) as store:
        for _ in range(2):
            store.validate_sale(make_sale_body, ts=DAY)
    _restore_database(tmp_path / "backup", data_dir)

    with DeviceStore.open(data_dir) as store:
        assert store.head().seq == 3
        assert store.rollback_detected is not None
        assert "ends at 3, but 5 was already validated" in store.rollback_detected
        with pytest.raises(RollbackDetectedError) as info:
            store.validate_sale(make_sale_body, ts=DAY)
        assert "No new sale can be recorded" in str(info.value)
        assert store.head().seq == 3 and store.record(4) is None
        assert len(store.records()) == 3  # still readable, e.g. for an export
    witness = read_head_file(data_dir)
    assert witness is not None and witness.heads["sales"][0] == 5  # the witness is kept


def test_a_missing_head_file_with_sales_is_treated_as_a_rollback(data_dir: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        store.validate_sale(make_sale_body, ts=DAY)
    (data_dir / HEAD_FILE_NAME).unlink()
    with DeviceStore.open(data_dir) as store:
        assert store.rollback_detected is not None
        with pytest.raises(RollbackDetectedError):
            store.validate_sale(make_sale_body, ts=DAY)


def test_a_lagging_head_file_is_normal_and_catches_up(data_dir: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        first = store.validate_sale(make_sale_body, ts=DAY)
        store.validate_sale(make_sale_body, ts=DAY)
        device_id = store.identity.device_id
    # As if the process died between the commit of sale 2 and the head file update.
    write_head_file(data_dir, HeadFile(device_id, {"sales": (1, first.hash)}))
    with DeviceStore.open(data_dir) as store:
        assert store.rollback_detected is None
        assert store.validate_sale(make_sale_body, ts=DAY).seq == 3
    witness = read_head_file(data_dir)
    assert witness is not None and witness.heads["sales"][0] == 3


def test_a_head_file_from_another_history_is_refused(data_dir: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        store.validate_sale(make_sale_body, ts=DAY)
        device_id = store.identity.device_id
    write_head_file(data_dir, HeadFile(device_id, {"sales": (1, "ab" * 32)}))
    with DeviceStore.open(data_dir) as store:
        assert (
            store.rollback_detected == "record 1 of the sales chain differs from the one validated"
        )


def test_peer_acknowledgements_only_move_forward(store: DeviceStore) -> None:
    store.record_journal_ack("relay", "till-1", "sales", 5)
    store.record_journal_ack("relay", "till-1", "sales", 3)
    store.record_journal_ack("relay", "till-2", "events", 1)
    store.record_journal_ack("lan-peer", "till-1", "sales", 9)
    assert store.journal_acks("relay") == {("till-1", "sales"): 5, ("till-2", "events"): 1}
    assert store.doc_state("relay", "catalogue") is None
    store.record_doc_state("relay", "catalogue", b"\x01\x02")
    store.record_doc_state("relay", "catalogue", b"\x01\x05")
    assert store.doc_state("relay", "catalogue") == b"\x01\x05"


def test_records_of_another_till_are_carried_once_and_checked(tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "a", till_id="till-a") as till_a:
        sent = [till_a.validate_sale(make_sale_body, ts=DAY) for _ in range(4)]
        key_a = till_a.identity.public_key
    with DeviceStore.open(tmp_path / "b", till_id="till-b") as till_b:
        assert till_b.receive_records(sent[:2], key_a) == 2
        assert till_b.receive_records(sent, key_a) == 2  # the first two are repeats
        assert till_b.records(till_id="till-a") == sent
        assert till_b.head().seq == 0  # its own chain did not move
        heads = {(h.till_id, h.chain): h.seq for h in till_b.journal_heads()}
        assert heads == {("till-a", "sales"): 4}


def test_a_record_that_does_not_link_stops_the_batch(tmp_path: Path) -> None:
    with DeviceStore.open(tmp_path / "a", till_id="till-a") as till_a:
        sent = [till_a.validate_sale(make_sale_body, ts=DAY) for _ in range(3)]
        key_a = till_a.identity.public_key
    forged = replace(sent[1], body={**sent[1].body, "cashier": "mallory"})
    with DeviceStore.open(tmp_path / "b") as till_b:
        with pytest.raises(ChainLinkError) as info:
            till_b.receive_records([sent[0], forged, sent[2]], key_a)
        assert (info.value.seq, info.value.reason) == (2, "edited")
        assert [r.seq for r in till_b.records(till_id="till-a")] == [1]
        with pytest.raises(ChainLinkError, match="sequence gap"):
            till_b.receive_records([sent[2]], key_a)


def test_records_sent_back_by_the_relay_end_a_rollback(data_dir: Path, tmp_path: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        for _ in range(3):
            store.validate_sale(make_sale_body, ts=DAY)
    _copy_database(data_dir, tmp_path / "backup")
    with DeviceStore.open(data_dir) as store:
        lost = [store.validate_sale(make_sale_body, ts=DAY) for _ in range(2)]
        public_key = store.identity.public_key
    _restore_database(tmp_path / "backup", data_dir)
    with DeviceStore.open(data_dir) as store:
        assert store.rollback_detected is not None
        assert store.receive_records(lost[:1], public_key) == 1
        assert store.rollback_detected is not None  # still behind record 5
        assert store.receive_records(lost, public_key) == 1
        assert store.rollback_detected is None
        assert store.validate_sale(make_sale_body, ts=DAY).seq == 6
        assert verify_chain(store.records(), public_key).ok


def test_provisioning_is_stored_with_the_identity(data_dir: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        device_id = store.identity.device_id
        identity = store.provision(
            till_id="till-from-relay",
            shop_id="shop-1",
            relay_url="wss://relay.example",
            relay_token="t",
            lan_secret=b"s",
        )
        assert identity.shop_id == "shop-1" and identity.device_id == device_id
        assert store.head().till_id == "till-from-relay"
        assert store.validate_sale(make_sale_body, ts=DAY).till_id == "till-from-relay"
    with DeviceStore.open(data_dir) as store:
        assert store.identity == identity
        assert "relay_token" not in repr(store.identity)
        assert store.forget_relay_token().relay_token is None
    with DeviceStore.open(data_dir) as store:
        assert store.identity.relay_token is None and store.identity.shop_id == "shop-1"


def test_the_till_id_cannot_change_once_something_was_recorded(store: DeviceStore) -> None:
    store.validate_sale(make_sale_body, ts=DAY)
    with pytest.raises(TillIdInUseError) as info:
        store.provision(till_id="another", shop_id="shop-1")
    assert "already recorded sales as till till-1" in str(info.value)
    assert store.identity.till_id == "till-1" and store.identity.shop_id is None
    assert store.provision(till_id="till-1", shop_id="shop-1").shop_id == "shop-1"
