"""The twin guard: a refused update changes nothing, even one pycrdt half-applies."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from pycrdt import Doc, Map, YSyncMessageType

from crdt_models.sync import (
    DocFrame,
    DocUpdated,
    InvalidUpdateError,
    ProtocolErrorEvent,
    SyncSession,
    encode_frame,
    release_doc,
)
from crdt_models.sync.guard import apply_unguarded, prepare_guard

LOCAL, REMOTE = 1001, 2002


def _catalogue(client_id: int) -> Doc[Any]:
    return Doc({"products": Map()}, client_id=client_id)


def _update_frame(update: bytes) -> bytes:
    return encode_frame(DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, update))


def _applies(base: bytes, update: bytes) -> tuple[BaseException | None, bool]:
    """Apply ``update`` on a copy of ``base``: (the exception raised, whether it changed)."""
    scratch = _catalogue(9)
    scratch.apply_update(base)
    try:
        scratch.apply_update(update)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # pycrdt may panic on some candidates
        return exc, scratch.get_update() != base
    return None, scratch.get_update() != base


def _half_applying(update: bytes, target: bytes, stale: bytes) -> bytes:
    """A one-byte change of ``update`` that pycrdt starts applying to ``target``, then refuses,
    but takes without complaint on ``stale`` (which lacks the blocks it points at)."""
    for at in range(len(update)):
        for delta in (1, -1):
            candidate = bytearray(update)
            candidate[at] = (candidate[at] + delta) % 256
            error, changed = _applies(target, bytes(candidate))
            if (
                "must be deleted or shared" in str(error)
                and changed
                and _applies(stale, bytes(candidate))[0] is None
            ):
                return bytes(candidate)
    raise AssertionError("no half-applying mutation found")


@pytest.mark.parametrize("prepared", [False, True], ids=["built-by-an-update", "prepared"])
def test_the_twin_follows_local_edits_made_after_it_was_built(prepared: bool) -> None:
    local = _catalogue(LOCAL)
    session = SyncSession()
    session.open({"catalogue": local})
    session.data_to_send()
    remote = _catalogue(REMOTE)
    remote["products"]["p0"] = Map({"name": "Water"})
    if prepared:  # built ahead (what a device does once its first round is complete)
        prepare_guard(local)
        prepare_guard(local)  # harmless twice
        local.apply_update(remote.get_update())  # followed like any other transaction
    else:
        session.receive_frame(_update_frame(remote.get_update()))  # builds the twin
        assert [type(e) for e in session.events_received()] == [DocUpdated]
    stale = local.get_update()  # what the twin holds if it does not follow

    local["products"]["p1"] = Map({"name": "Tea"})  # a local edit, after the twin exists
    remote.apply_update(local.get_update())
    state = remote.get_state()
    with remote.transaction():
        remote["products"]["p2"] = Map({"name": "Coffee"})
        remote["products"]["p1"]["price"] = 250
    # The price now names the local "Tea" string as its parent: only a twin that
    # followed the local edit sees that before the real document does.
    bad = _half_applying(remote.get_update(state), local.get_update(), stale)

    unguarded = _catalogue(LOCAL + 1)
    unguarded.apply_update(local.get_update())
    before = unguarded.get_update()
    with pytest.raises(InvalidUpdateError, match="must be deleted or shared"):
        apply_unguarded(unguarded, bad, None)
    assert unguarded.get_update() != before  # what the guard is for

    before = local.get_update()
    session.receive_frame(_update_frame(bad))
    [event] = session.events_received()
    assert isinstance(event, ProtocolErrorEvent)
    assert event.code == "doc.invalid_update"
    assert local.get_update() == before
    assert local["products"].to_py() == {"p0": {"name": "Water"}, "p1": {"name": "Tea"}}


def test_a_released_doc_and_its_twin_are_freed() -> None:
    doc = _catalogue(LOCAL)
    session = SyncSession()
    session.open({"catalogue": doc})
    remote = _catalogue(REMOTE)
    remote["products"]["p0"] = Map({"name": "Water"})
    session.receive_frame(_update_frame(remote.get_update()))
    assert [type(e) for e in session.events_received()] == [DocUpdated]
    alive = weakref.ref(doc)

    release_doc(doc)
    release_doc(doc)  # harmless twice
    del doc, session
    gc.collect()

    assert alive() is None
