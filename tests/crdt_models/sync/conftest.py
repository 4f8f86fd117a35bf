"""Shared pieces of the sync protocol tests: a pump wiring sessions, and shop documents.

Like websockets' protocol tests: no sockets, bytes handed from one session's
``data_to_send`` to the other's ``receive_frame``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pycrdt import Doc, Map

from crdt_models.sync import Event, SyncSession


def pump_sessions(a: SyncSession, b: SyncSession) -> tuple[list[Event], list[Event]]:
    """Move frames both ways until neither side has anything to send; return both event lists."""
    events_a: list[Event] = []
    events_b: list[Event] = []
    for _ in range(100):
        moved = False
        for src, dst, events in ((a, b, events_b), (b, a, events_a)):
            for data in src.data_to_send():
                moved = True
                dst.receive_frame(data)
                events.extend(dst.events_received())
        if not moved:
            return events_a, events_b
    raise AssertionError("the sessions never went quiet")


def new_shop_docs() -> dict[str, Doc[Any]]:
    """The four shop documents, with their root maps, empty."""
    return {
        "catalogue": Doc({"products": Map(), "categories": Map()}),
        "customers": Doc({"customers": Map()}),
        "settings": Doc({"shop": Map(), "vat_rates": Map()}),
        "inventory": Doc({"stock": Map()}),
    }


def doc_state(docs: dict[str, Doc[Any]]) -> dict[str, tuple[bytes, bytes]]:
    """Everything a document holds, as bytes: (state vector, full update) per document."""
    return {name: (doc.get_state(), doc.get_update()) for name, doc in docs.items()}


@pytest.fixture
def pump() -> Callable[[SyncSession, SyncSession], tuple[list[Event], list[Event]]]:
    """The pump, for tests: ``events_a, events_b = pump(a, b)``."""
    return pump_sessions


@pytest.fixture
def shop_docs() -> Callable[[], dict[str, Doc[Any]]]:
    """A factory of fresh shop documents."""
    return new_shop_docs


@pytest.fixture
def state_of() -> Callable[[dict[str, Doc[Any]]], dict[str, tuple[bytes, bytes]]]:
    """``state_of(docs)``: the bytes of every document, to compare before and after."""
    return doc_state
