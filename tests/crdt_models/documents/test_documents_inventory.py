"""Counters: each device writes its own key; nothing is lost, even to concurrent creation."""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Doc, Map

from crdt_models.documents import RELAY, EntryKind, InventoryDocument
from crdt_models.errors import ValidationError

S = EntryKind.STOCK


def _exchange(a: InventoryDocument, b: InventoryDocument) -> None:
    to_b, to_a = a.doc.get_update(b.doc.get_state()), b.doc.get_update(a.doc.get_state())
    with b.doc.transaction(origin=RELAY):
        b.doc.apply_update(to_b)
    with a.doc.transaction(origin=RELAY):
        a.doc.apply_update(to_a)


def test_counts_add_up_across_devices() -> None:
    a = InventoryDocument(Doc(), device_id="a")
    b = InventoryDocument(Doc(), device_id="b")
    a.add(S, "p", 10)
    _exchange(a, b)
    b.add(S, "p", -3)
    a.add(S, "p", -2)
    a.add(EntryKind.BALANCE, "c", 1500)
    b.add(EntryKind.LOYALTY, "c", 7)
    _exchange(a, b)
    for inv in (a, b):
        assert inv.value(S, "p") == 5
        assert inv.contributions(S, "p") == {"a": 8, "b": -3}
        assert inv.values(EntryKind.BALANCE) == {"c": 1500}
        assert inv.value(EntryKind.LOYALTY, "c") == 7
        assert inv.value(S, "unknown") == 0


def test_concurrent_first_writes_lose_nothing_after_repair() -> None:
    a = InventoryDocument(Doc(client_id=1), device_id="a")
    b = InventoryDocument(Doc(client_id=2), device_id="b")
    a.add(S, "p", 4)
    b.add(S, "p", 6)  # both create the entry's Map: Yjs keeps one of them
    _exchange(a, b)
    loser = a if a.contributions(S, "p") == {"b": 6} else b
    assert a.value(S, "p") == b.value(S, "p") != 10  # the loss repair() is for
    assert loser.needs_repair
    summary = loser.repair()
    assert summary.changed_ids(S) == {"p"}
    assert not loser.needs_repair
    assert (a.repair().is_empty or a is loser) and (b.repair().is_empty or b is loser)
    _exchange(a, b)
    assert a.value(S, "p") == b.value(S, "p") == 10


def test_ledger_is_rebuilt_when_the_document_is_reopened() -> None:
    doc: Doc[Any] = Doc()
    first = InventoryDocument(doc, device_id="a")
    first.add(S, "p", 5)
    reopened = InventoryDocument(Doc(), device_id="a")
    reopened.doc.apply_update(doc.get_update())
    assert reopened.repair_all().is_empty  # ledger empty: the doc was loaded after opening
    loaded: Doc[Any] = Doc()
    loaded.apply_update(doc.get_update())
    again = InventoryDocument(loaded, device_id="a")
    again.add(S, "p", 1)
    assert again.value(S, "p") == 6
    again.doc.get("stock", type=Map)["p"] = Map({"other": 1})  # someone clobbers the entry
    assert again.repair_all().changed_ids(S) == {"p"}
    assert again.contributions(S, "p") == {"other": 1, "a": 6}


def test_bad_input() -> None:
    inv = InventoryDocument(Doc(), device_id="a")
    with pytest.raises(ValidationError):
        inv.add(S, "p", 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        inv.add(S, "", 1)
    with pytest.raises(ValidationError):
        inv.add(S, "p", 10**12)
    assert inv.add(S, "p", 0).is_empty
    with pytest.raises(ValueError):
        InventoryDocument(Doc(), device_id="")
    stock = inv.doc.get("stock", type=Map)
    stock["weird"] = Map({"x": "3", "y": 2.5, "z": 4.0})  # another client's junk counts as 0
    assert inv.value(S, "weird") == 4
