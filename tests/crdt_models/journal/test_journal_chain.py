"""Records, canonical encoding, keys, appending and link checks."""

from __future__ import annotations

import dataclasses

import pytest
from journal_factory import TILL, JournalBuilder

from crdt_models.errors import DomainError, ValidationError
from crdt_models.journal import (
    GENESIS_HASH,
    ChainHead,
    ChainLinkError,
    MalformedRecordError,
    Record,
    SaleLine,
    append_record,
    canonical_json,
    event_body,
    generate_signing_key,
    head_after,
    public_key_of,
    verify_record_link,
)
from crdt_models.journal import Payment as Pay

KEY = generate_signing_key()
PUB = public_key_of(KEY)


def test_canonical_json_sorts_keys_without_spaces_in_utf8() -> None:
    assert (
        canonical_json({"b": 1, "a": ["é", None, True]}) == '{"a":["é",null,true],"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [1.5, {"x": 0.0}, {1: 2}, 2**53, {b"k"}, b"bytes"])
def test_canonical_json_refuses_floats_big_ints_and_non_json(bad: object) -> None:
    with pytest.raises(ValueError):
        canonical_json(bad)


def test_keys_are_raw_32_bytes_and_distinct() -> None:
    other = generate_signing_key()
    assert len(KEY) == len(PUB) == 32
    assert other != KEY and public_key_of(other) != PUB


def test_first_record_links_to_genesis_and_is_signed() -> None:
    head = ChainHead.genesis(TILL, "events")
    record = append_record(head, "login", event_body("login", cashier="c1"), 1_700_000_000, KEY)
    assert (record.seq, record.prev_hash) == (1, GENESIS_HASH)
    assert record.hash == record.content_hash()
    assert len(record.signature) == 128
    verify_record_link(head, record, PUB)
    second = append_record(head_after(record), "logout", {"cashier": "c1"}, 1_700_000_001, KEY)
    assert (second.seq, second.prev_hash) == (2, record.hash)


def test_json_line_round_trips_exactly() -> None:
    journal = JournalBuilder(KEY)
    record = journal.sale([SaleLine("p", "Café crème", 1000, 250, 1000)], [Pay("card", 250)], 7)
    line = record.to_json_line()
    assert b"\n" not in line
    assert Record.from_json_line(line) == record
    assert Record.from_json_line(line + b"\n").to_json_line() == line


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"[]",
        b'{"seq": 1.0}',
        b'{"a":1,"a":2}',
        b"NaN",
        b"\xff\xfe",
        b'["\\ud800"]',
        b"[9007199254740992]",
    ],
)
def test_from_json_line_refuses_garbage(line: bytes) -> None:
    with pytest.raises(MalformedRecordError):
        Record.from_json_line(line)


def _record_dict() -> dict[str, object]:
    head = ChainHead.genesis(TILL, "events")
    return append_record(head, "login", {"cashier": "c1"}, 5, KEY).to_dict()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", 0),
        ("seq", "1"),
        ("seq", True),
        ("ts", -1),
        ("chain", "other"),
        ("kind", ""),
        ("till_id", ""),
        ("body", []),
        ("hash", "ABC"),
        ("prev_hash", "0" * 63),
        ("signature", "00"),
        ("extra", 1),
    ],
)
def test_from_json_line_refuses_wrong_fields(field: str, value: object) -> None:
    obj = _record_dict()
    obj[field] = value
    with pytest.raises(MalformedRecordError):
        Record.from_json_line(canonical_json(obj))
    obj.pop(field)
    if field != "extra":
        with pytest.raises(MalformedRecordError):
            Record.from_json_line(canonical_json(obj))


def test_append_copies_the_body_and_validates_it_by_kind() -> None:
    head = ChainHead.genesis(TILL, "events")
    body = {"cashier": "c1"}
    record = append_record(head, "login", body, 5, KEY)
    body["cashier"] = "someone else"
    assert record.body == {"cashier": "c1"}
    with pytest.raises(ValidationError):
        append_record(head, "login", {"cashier": "c1", "note": "x"}, 5, KEY)
    with pytest.raises(ValidationError):
        append_record(head, "sale", {}, 5, KEY)
    with pytest.raises(ValidationError):
        append_record(ChainHead.genesis(TILL, "sales"), "login", {"cashier": "c1"}, 5, KEY)
    with pytest.raises(ValueError):
        append_record(head, "login", body, -1, KEY)
    with pytest.raises(ValueError):
        append_record(head, "login", {"cashier": 1.5}, 5, KEY)


def test_verify_record_link_names_each_problem() -> None:
    head = ChainHead.genesis(TILL, "events")
    first = append_record(head, "login", {"cashier": "c1"}, 5, KEY)
    second = append_record(head_after(first), "logout", {"cashier": "c1"}, 6, KEY)
    other_key = generate_signing_key()
    forged = append_record(head, "login", {"cashier": "c2"}, 5, other_key)
    foreign = append_record(
        ChainHead.genesis("other-till", "events"), "login", {"cashier": "c"}, 5, KEY
    )
    fork = append_record(ChainHead(TILL, "events", 0, "1" * 64), "login", {"cashier": "c1"}, 5, KEY)
    cases = [
        (head, dataclasses.replace(first, ts=6), "edited"),
        (head, forged, "bad signature"),
        (head, dataclasses.replace(first, signature=second.signature), "bad signature"),
        (head, second, "sequence gap"),
        (head_after(second), first, "reordered"),
        (head, foreign, "inserted"),
        (head, fork, "inserted"),
    ]
    for at, record, reason in cases:
        with pytest.raises(ChainLinkError) as info:
            verify_record_link(at, record, PUB)
        assert info.value.reason == reason
        assert isinstance(info.value, DomainError)


def test_a_body_that_is_not_json_is_reported_as_edited_not_raised() -> None:
    head = ChainHead.genesis(TILL, "events")
    record = append_record(head, "login", {"cashier": "c1"}, 5, KEY)
    for body in ({"cashier": 1.5}, {"cashier": "\ud800"}, {"cashier": {1, 2}}):
        with pytest.raises(ChainLinkError) as info:
            verify_record_link(head, dataclasses.replace(record, body=body), PUB)
        assert info.value.reason == "edited"
