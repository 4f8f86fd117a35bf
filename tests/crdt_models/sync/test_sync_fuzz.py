"""Fuzzing the decoder and the session with random and mutated frames (Hypothesis).

Whatever arrives: no exception escapes, a refused frame (protocol error or
refused write) leaves every document byte-identical, the read-only document
never changes, and the documents stay readable. A mutated frame may still be a
valid one (a bit flip inside a product name is a different, well-formed
update), and then it is applied like any other.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map, write_var_uint

from crdt_models.sync import (
    AuthFrame,
    AuthOkFrame,
    ChainPosition,
    ControlRequestFrame,
    ControlResponseFrame,
    DeviceStatusFrame,
    ErrorFrame,
    FrameError,
    JournalAckFrame,
    JournalHeadsFrame,
    JournalRecordsFrame,
    PeerOrigin,
    ProtocolErrorEvent,
    RecordRejection,
    SyncSession,
    WriteRefused,
    decode_frame,
    encode_frame,
)

Docs = dict[str, Doc[Any]]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _shop_docs() -> Docs:
    return {
        "catalogue": Doc({"products": Map(), "categories": Map()}),
        "settings": Doc({"shop": Map()}),
        "inventory": Doc({"stock": Map()}),
    }


@cache
def _base_updates() -> dict[str, bytes]:
    """What the receiving side holds before each example (same bytes every time)."""
    docs = _shop_docs()
    products = docs["catalogue"]["products"]
    for i in range(3):
        products[f"p{i}"] = Map({"name": f"Product {i}", "price": 100 + i, "archived": False})
    products["p1"]["price"] = 150  # leaves a deletion
    docs["settings"]["shop"]["name"] = "Chez Ada"
    docs["inventory"]["stock"]["p0"] = Map({"dev-a": 5})
    return {name: doc.get_update() for name, doc in docs.items()}


def _receiving_docs() -> Docs:
    docs = _shop_docs()
    for name, update in _base_updates().items():
        docs[name].apply_update(update)
    return docs


@cache
def _corpus() -> tuple[bytes, ...]:
    """Valid frames of every kind, as a peer with other edits would send them."""
    sender_docs = _receiving_docs()
    receiver = SyncSession()
    receiver.open(_receiving_docs())
    sender = SyncSession()
    sender.open(sender_docs)
    frames = sender.data_to_send()  # step 1 of every document
    catalogue = sender_docs["catalogue"]
    state = catalogue.get_state()
    catalogue["products"]["p9"] = Map({"name": "Tea", "price": 250})
    catalogue["products"]["p0"]["archived"] = True
    del catalogue["products"]["p2"]
    settings_doc = sender_docs["settings"]
    settings_state = settings_doc.get_state()
    settings_doc["shop"]["name"] = "Hacked"
    sender.send_update("catalogue", catalogue.get_update(state))
    sender.send_update("settings", settings_doc.get_update(settings_state))
    for data in receiver.data_to_send():  # the receiver's step 1 gets step 2 answers
        sender.receive_frame(data)
    frames += sender.data_to_send()
    head = ChainPosition("0190a1b2-c3d4-7e5f-8a9b-000000000001", "sales", 7)
    frames += [
        encode_frame(JournalHeadsFrame((head, ChainPosition("t2", "events", 0)))),
        encode_frame(JournalRecordsFrame((b'{"seq":7,"kind":"sale"}',))),
        encode_frame(JournalAckFrame((head,), (RecordRejection(head, "bad", "bad sig"),))),
        encode_frame(AuthFrame({"token": "t", "device_id": "d"})),
        encode_frame(AuthOkFrame({"shop": "s"})),
        encode_frame(ControlRequestFrame(1, "stats", {"day": 1})),
        encode_frame(ControlResponseFrame(1, True, {"sales": 2})),
        encode_frame(ErrorFrame("doc.read_only", "no", fatal=False, doc="settings")),
        encode_frame(DeviceStatusFrame("0.1.0", 300)),
    ]
    return tuple(frames)


def _mutate(data: bytes, draw: st.DrawFn) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["flip", "truncate", "insert", "inflate", "kind", "byte"]))
        if not buf:
            break
        at = draw(st.integers(0, len(buf) - 1))
        if how == "flip":
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "truncate":
            del buf[at:]
        elif how == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif how == "inflate":  # a declared length or count made huge
            buf[at : at + 1] = write_var_uint(draw(st.integers(128, 2**53 - 1)))
        elif how == "kind":
            buf[0:1] = write_var_uint(draw(st.integers(0, 12)))
        else:
            buf[at] = draw(st.integers(0, 255))
    return bytes(buf)


@st.composite
def frames(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=64))
    original = draw(st.sampled_from(_corpus()))
    return _mutate(original, draw) if draw(st.integers(0, 5)) else original


def _state(docs: Docs) -> dict[str, tuple[bytes, bytes]]:
    return {name: (doc.get_state(), doc.get_update()) for name, doc in docs.items()}


@FUZZ
@given(st.lists(frames(), min_size=1, max_size=4), st.booleans())
def test_the_session_survives_any_frames_and_refusals_change_nothing(
    received: list[bytes], opened: bool
) -> None:
    docs = _receiving_docs()
    session = SyncSession(origin=PeerOrigin("fuzz"))
    if opened:  # else only auth and error frames are welcome
        session.open(docs, read_only={"settings"})
    session.data_to_send()
    settings_before = docs["settings"].get_update()
    for data in received:
        before = _state(docs)
        session.receive_frame(data)
        events = session.events_received()
        session.data_to_send()
        if any(isinstance(e, ProtocolErrorEvent | WriteRefused) for e in events):
            event("refused")
            assert _state(docs) == before
        else:
            event("accepted or ignored")
        if session.closed:
            session.receive_frame(_corpus()[-1])
            assert session.events_received() == [] and session.data_to_send() == []
    assert docs["settings"].get_update() == settings_before
    for doc in docs.values():  # still whole: the full state loads into a fresh Doc
        Doc().apply_update(doc.get_update())


@FUZZ
@given(frames())
def test_the_decoder_refuses_or_round_trips(data: bytes) -> None:
    try:
        frame = decode_frame(data)
    except FrameError:
        event("refused")
        return
    event("decoded")
    assert encode_frame(frame) == data
