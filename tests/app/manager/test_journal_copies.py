"""Verifying a till's chain as fetched: intact, then one record changed, one removed; and
this computer's copy without the till's key (never kept, or kept unreadable)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.store import DeviceStore
from app.manager.relay_journal import (
    NO_LOCAL_KEY,
    WITNESS_SETTING,
    TillChain,
    Witness,
    check_chain,
    check_local_journals,
    witness,
)
from crdt_models.journal import (
    SALES,
    ChainHead,
    Payment,
    Record,
    SaleLine,
    append_record,
    build_sale_body,
    canonical_json,
    generate_signing_key,
    head_after,
    public_key_of,
    ticket_number,
)
from crdt_models.journal.sale import QTY_ONE

TILL = "till-1"
T0 = 1_790_000_000


def _sales(key: bytes, count: int) -> list[Record]:
    head = ChainHead.genesis(TILL, SALES)
    out = []
    for _ in range(count):
        body = build_sale_body(
            ticket=ticket_number(1, head.seq + 1),
            cashier="c1",
            lines=[SaleLine("p1", "Croissant", QTY_ONE, 120, 550)],
            payments=[Payment("card", 120)],
        )
        record = append_record(head, "sale", body, T0 + head.seq, key)
        out.append(record)
        head = head_after(record)
    return out


def _chain(key: bytes, lines: list[bytes], head: Record) -> TillChain:
    return TillChain(TILL, public_key_of(key), head_after(head), 0, lines)


def test_an_intact_chain_then_a_changed_record_then_a_missing_one() -> None:
    key = generate_signing_key()
    records = _sales(key, 4)
    lines = [r.to_json_line() for r in records]
    check = check_chain(_chain(key, lines, records[-1]), "Caisse 1")
    assert (check.ok, check.count, check.head_hash) == (True, 4, records[-1].hash)

    # Record 3 fetched, then its total changed before verifying.
    changed = records[2].to_dict()
    changed["body"]["total"] = 99
    tampered = [*lines[:2], canonical_json(changed), lines[3]]
    check = check_chain(_chain(key, tampered, records[-1]), "Caisse 1")
    assert (check.ok, check.bad_seq, check.reason, check.count) == (False, 3, "edited", 2)
    assert check.head_hash == records[1].hash

    # Record 4 missing from what the relay sent, though its head says 4.
    check = check_chain(_chain(key, lines[:3], records[-1]), "Caisse 1")
    assert (check.ok, check.bad_seq, check.reason) == (False, 4, "removed")


def test_a_till_without_records_is_intact_and_a_foreign_key_is_refused() -> None:
    empty = TillChain(TILL, None, ChainHead.genesis(TILL, SALES), 0, [])
    assert check_chain(empty).ok and check_chain(empty).count == 0
    key = generate_signing_key()
    records = _sales(key, 2)
    other = _chain(generate_signing_key(), [r.to_json_line() for r in records], records[-1])
    check = check_chain(other)
    assert (check.ok, check.bad_seq, check.reason) == (False, 1, "bad signature")


def test_this_computers_copy_is_checked_with_the_key_kept_at_the_last_refresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = generate_signing_key()
    records = _sales(key, 3)
    with DeviceStore.open(tmp_path / "manager") as store:
        store.receive_records(records, public_key_of(key))

        # Records copied before keys were kept: not checked (no key), never called broken.
        checks = check_local_journals(store)
        (check,) = checks.results
        assert (check.ok, check.bad_seq, check.reason) == (False, 1, NO_LOCAL_KEY)
        assert checks.as_of is None

        # A kept chain that is not one: said in the log, and the copy still not checked.
        store.set_device_setting(WITNESS_SETTING + TILL, '{"key": "not hex"')
        with caplog.at_level(logging.WARNING):
            assert witness(store, TILL) is None
        assert f"till {TILL}: the chain kept at the last refresh is unreadable" in caplog.text
        assert check_local_journals(store).results[0].reason == NO_LOCAL_KEY

        # The key and head of a refresh: intact as of then; a till of the shop this
        # computer holds nothing of is not listed.
        kept = Witness(public_key_of(key), head_after(records[-1]), T0 + 60)
        store.set_device_setting(WITNESS_SETTING + TILL, kept.to_setting())
        assert witness(store, TILL) == kept
        checks = check_local_journals(store, ["till-2"])
        assert [(c.till_id, c.ok, c.count, c.head_hash) for c in checks.results] == [
            (TILL, True, 3, records[-1].hash)
        ]
        assert checks.as_of == T0 + 60

        # The relay had a fourth record at that refresh, which this computer lacks.
        fourth = _sales(key, 4)[-1]
        store.set_device_setting(
            WITNESS_SETTING + TILL, Witness(kept.public_key, head_after(fourth), T0).to_setting()
        )
        (check,) = check_local_journals(store).results
        assert (check.ok, check.bad_seq, check.reason) == (False, 4, "removed")
