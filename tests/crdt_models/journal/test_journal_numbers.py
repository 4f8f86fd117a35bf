"""Ticket numbers, duplicates, rollback detection, JSON Lines and technical events."""

from __future__ import annotations

import hashlib

import pytest
from journal_factory import TILL, TILL_NUMBER, JournalBuilder, sample_journal

from crdt_models.errors import ValidationError
from crdt_models.journal import (
    ChainHead,
    HeadComparison,
    MalformedRecordError,
    Payment,
    Record,
    RollbackDetectedError,
    SaleLine,
    append_record,
    archive_body,
    compare_heads,
    ensure_not_rolled_back,
    event_body,
    export_jsonl,
    generate_signing_key,
    head_after,
    parse_ticket_number,
    public_key_of,
    read_jsonl,
    ticket_number,
    verify_chain,
    verify_jsonl,
)

KEY = generate_signing_key()
PUB = public_key_of(KEY)


def test_ticket_number_format_round_trips() -> None:
    assert ticket_number(3, 42) == "T003-00000042"
    assert ticket_number(1234, 123_456_789) == "T1234-123456789"
    assert parse_ticket_number("T003-00000042") == (3, 42)
    for bad in (
        "T3-00000042",
        "T003-42",
        "003-00000042",
        "T000-00000001",
        "T003-00000000",
        "T0003-00000001",
    ):
        with pytest.raises(ValidationError):
            parse_ticket_number(bad)
    with pytest.raises(ValidationError):
        ticket_number(0, 1)


def test_ticket_numbers_are_unique_across_tills_and_carry_the_record_seq() -> None:
    j = sample_journal(KEY, days=2)
    tickets = [r.body["ticket"] for r in j.records if r.kind in ("sale", "refund")]
    assert all(
        parse_ticket_number(t) == (TILL_NUMBER, r.seq)
        for t, r in zip(
            tickets, [r for r in j.records if r.kind in ("sale", "refund")], strict=True
        )
    )
    other = {ticket_number(4, seq) for seq in range(1, len(j.records) + 1)}
    assert len(set(tickets)) == len(tickets) and not other & set(tickets)
    with pytest.raises(ValidationError) as info:
        j.append("sale", {**j.records[0].body}, 1)  # a ticket number that is not this record's
    assert info.value.code == "ticket.seq"


def test_duplicates_count_reprints_per_ticket() -> None:
    j = JournalBuilder(KEY)
    first = j.sale([SaleLine("p", "Tea", 1000, 300, 550)], [Payment("card", 300)], 10)
    second = j.sale([SaleLine("p", "Tea", 1000, 300, 550)], [Payment("card", 300)], 11)
    assert j.duplicate(first, 12).body["reprint"] == 1
    assert j.duplicate(second, 13).body["reprint"] == 1
    dup = j.duplicate(first, 14)
    assert dup.body == {
        "original": {"till_id": TILL, "seq": 1, "ticket": first.body["ticket"]},
        "reprint": 2,
        "cashier": "cashier-1",
    }
    with pytest.raises(ValidationError):
        j.duplicate(dup, 15)


def _chain(n: int) -> list[Record]:
    head = ChainHead.genesis(TILL, "events")
    records = []
    for i in range(n):
        record = append_record(head, "login", {"cashier": f"c{i}"}, i, KEY)
        records.append(record)
        head = head_after(record)
    return records


def test_rollback_detection_against_a_witnessed_head() -> None:
    records = _chain(5)
    heads = [ChainHead.genesis(TILL, "events"), *(head_after(r) for r in records)]
    local = heads[3]
    assert compare_heads(local, heads[3]) is HeadComparison.SAME
    assert compare_heads(local, heads[5]) is HeadComparison.ROLLED_BACK
    assert compare_heads(local, heads[0]) is HeadComparison.AHEAD
    assert compare_heads(local, heads[2], records[1].hash) is HeadComparison.AHEAD
    assert compare_heads(local, heads[2]) is HeadComparison.UNKNOWN
    # a restored journal that recorded something else under the same numbers
    restored = heads[2]
    other = append_record(restored, "login", {"cashier": "after restore"}, 99, KEY)
    assert compare_heads(head_after(other), heads[3]) is HeadComparison.DIVERGED
    assert compare_heads(heads[5], heads[3], other.hash) is HeadComparison.DIVERGED
    with pytest.raises(RollbackDetectedError, match="restored from an older backup"):
        ensure_not_rolled_back(local, heads[5])
    with pytest.raises(RollbackDetectedError, match="two histories"):
        ensure_not_rolled_back(head_after(other), heads[3])
    ensure_not_rolled_back(heads[5], heads[3], records[2].hash)
    with pytest.raises(ValueError):
        compare_heads(local, ChainHead.genesis(TILL, "sales"))


def test_the_verifier_notices_a_journal_shorter_than_the_witnessed_head() -> None:
    records = _chain(5)
    report = verify_chain(records[:3], PUB, end=head_after(records[4]))
    assert (report.ok, report.first_bad_seq, report.reason, report.count) == (
        False,
        4,
        "removed",
        3,
    )
    forked = append_record(head_after(records[1]), "logout", {"cashier": "x"}, 9, KEY)
    report = verify_chain([*records[:2], forked], PUB, end=head_after(records[2]))
    assert (report.first_bad_seq, report.reason) == (3, "inserted")


def test_jsonl_round_trip_and_line_numbers() -> None:
    j = sample_journal(KEY, days=1)
    data = export_jsonl(j.records)
    assert data.count(b"\n") == len(j.records) and data.endswith(b"\n")
    assert read_jsonl(data) == j.records
    assert read_jsonl(data.replace(b"\n", b"\n\n")) == j.records
    lines = data.splitlines()
    broken = b"\n".join([*lines[:3], lines[3][:-5], *lines[4:]])
    with pytest.raises(MalformedRecordError) as info:
        read_jsonl(broken)
    assert info.value.line == 4 and str(info.value).startswith("line 4:")
    report = verify_jsonl(broken, PUB)
    assert (report.first_bad_seq, report.reason, report.count) == (4, "edited", 3)
    assert verify_jsonl(b"", PUB).ok


def test_events_chain_kinds_and_bodies() -> None:
    sample = sample_journal(KEY, days=1)
    head = ChainHead.genesis(TILL, "events")
    bodies = [
        ("login", event_body("login", cashier="c1")),
        ("sync_failure", event_body("sync_failure", peer="wss://relay", error="timeout")),
        (
            "verify_failure",
            event_body("verify_failure", till_id=TILL, chain="sales", seq=4, reason="edited"),
        ),
        ("closing", event_body("closing", period="day", label="2025-11-28", seq=12)),
        ("archive", archive_body(sample.records[2:5])),
        ("logout", event_body("logout", cashier="c1")),
    ]
    records = []
    for kind, body in bodies:
        records.append(append_record(head, kind, body, 1, KEY))
        head = head_after(records[-1])
    assert verify_chain(records, PUB).ok
    for kind, fields in (
        ("login", {}),
        ("party", {"cashier": "c"}),
        ("archive", {"chain": "sales", "from_seq": 5, "to_seq": 4, "sha256": "ab" * 32}),
        ("archive", {"chain": "sales", "from_seq": 1, "to_seq": 4, "sha256": "zz"}),
        ("closing", {"period": "day", "label": "x", "seq": -1}),
    ):
        with pytest.raises(ValidationError):
            event_body(kind, **fields)


def test_archive_body_hashes_the_exported_records() -> None:
    records = sample_journal(KEY, days=1).records
    body = archive_body(records[3:7])
    assert (body["chain"], body["from_seq"], body["to_seq"]) == ("sales", 4, 7)
    assert body["sha256"] == hashlib.sha256(export_jsonl(records[3:7])).hexdigest()
    with pytest.raises(ValidationError):
        archive_body([])
