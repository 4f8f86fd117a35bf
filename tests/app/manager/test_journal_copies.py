"""Verifying a till's chain as fetched: intact, then one record changed, one removed."""

from __future__ import annotations

from app.manager.relay_journal import TillChain, check_chain
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
