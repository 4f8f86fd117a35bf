"""The frame codec: exact bytes, round trips, and strict refusal of malformed frames."""

from __future__ import annotations

import pytest
from pycrdt import (
    Doc,
    Map,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
    write_var_uint,
)

from crdt_models.sync import (
    AuthErrorFrame,
    AuthFrame,
    AuthOkFrame,
    ChainPosition,
    ControlRequestFrame,
    ControlResponseFrame,
    DeviceStatusFrame,
    DocFrame,
    ErrorFrame,
    Frame,
    FrameError,
    FrameKind,
    FrameTooLargeError,
    JournalAckFrame,
    JournalHeadsFrame,
    JournalRecordsFrame,
    Limits,
    RecordRejection,
    decode_frame,
    encode_frame,
)
from crdt_models.sync.wire import Reader, write_var_string

RECORD = b'{"body":{"total":1250},"chain":"sales","kind":"sale","seq":1}'
HEAD = ChainPosition("0190a1b2-c3d4-7e5f-8a9b-000000000001", "sales", 42)

ALL_FRAMES: list[Frame] = [
    DocFrame("catalogue", YSyncMessageType.SYNC_STEP1, b"\x00"),
    DocFrame("catalogue", YSyncMessageType.SYNC_STEP2, b"\x00\x00"),
    DocFrame("réglages", YSyncMessageType.SYNC_UPDATE, b"\x01\x02\x03"),
    JournalHeadsFrame(()),
    JournalHeadsFrame((HEAD, ChainPosition("t2", "events", 0))),
    JournalRecordsFrame((RECORD, RECORD + b" ")),
    JournalAckFrame((HEAD,), (RecordRejection(HEAD, "journal.bad_signature", "bad signature"),)),
    AuthFrame({"token": "abc", "device_id": "d1", "version": 1}),
    AuthOkFrame({"shop": "s1", "read_only": ["settings"]}),
    AuthErrorFrame("auth.revoked", "this till was revoked"),
    ControlRequestFrame(7, "stats", {"from": 1700000000, "nested": {"a": [1, None, True]}}),
    ControlResponseFrame(7, True, {"sales": 12}),
    ControlResponseFrame(8, False, {"code": "stats.unavailable"}),
    ErrorFrame("frame.malformed", "truncated varint", fatal=True),
    ErrorFrame("doc.read_only", "the peer may not write 'settings'", fatal=False, doc="settings"),
    DeviceStatusFrame("0.1.0", 0),
    DeviceStatusFrame("1.2.3+été", 2**53 - 1),
]


@pytest.mark.parametrize("frame", ALL_FRAMES, ids=lambda f: type(f).__name__)
def test_every_frame_round_trips(frame: Frame) -> None:
    data = encode_frame(frame)
    assert decode_frame(data) == frame
    assert data[0] == frame.kind


def test_doc_frame_is_the_document_name_then_a_plain_y_protocols_message() -> None:
    doc: Doc[Map[int]] = Doc({"m": Map()})
    doc["m"]["x"] = 1
    step1 = create_sync_message(doc)
    data = encode_frame(DocFrame("catalogue", YSyncMessageType.SYNC_STEP1, doc.get_state()))
    assert data == bytes([FrameKind.DOC, 9]) + b"catalogue" + step1

    update = doc.get_update()
    data = encode_frame(DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, update))
    assert data.endswith(create_update_message(update))

    # The y-protocols part is what pycrdt's own handler (and y-websocket) understands.
    other: Doc[Map[int]] = Doc({"m": Map()})
    handle_sync_message(data[len(b"\x00\x09catalogue") + 1 :], other)
    assert other["m"].to_py() == {"x": 1}


def test_strings_are_lib0_varstrings_with_utf8_byte_lengths() -> None:
    assert write_var_string("é") == b"\x02\xc3\xa9"
    assert Reader(b"\x02\xc3\xa9").read_var_string("s", 10) == "é"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "truncated varint in frame kind"),
        (b"\x80", "truncated varint"),
        (b"\x80\x00", "non-minimal varint"),
        (b"\xff" * 9, "longer than 8 bytes"),
        (b"\xff\xff\xff\xff\xff\xff\xff\x7f", "out of range"),
        (b"\x63", "unknown frame kind 99"),
        (b"\x00\x01a\x01\x00\x01\x00", "not a y-protocols sync message"),  # awareness
        (b"\x00\x01a\x00\x05\x01\x00", "unknown sync step 5"),
        (b"\x00\x01a\x00\x00\x05\x00", "declares 5 bytes, only 1 remain"),
        (b"\x00\x01a\x00\x00\x01\x00\x00", "1 trailing bytes"),
        (b"\x00\x02\xff\xfe\x00\x00\x01\x00", "not valid UTF-8"),
        (b"\x02\x05\x01a", "record count declares 5"),
        (b"\x07\x05\x01\x02{}", "unknown control role 5"),
        (b"\x08\x02\x00\x00\x00", "fatal flag is 2"),
        (b"\x04\x03[1]", "must be a JSON object"),
        (b'\x04\x09{"a":1.5}', "float"),
        (b'\x04\x09{"a":NaN}', "NaN"),
        (b"\x09\x00\x00", "the version must be printable text"),
        (b"\x09\x03a\nb\x00", "the version must be printable text"),
        (b"\x09\x41" + b"1" * 65 + b"\x00", "version declares 65, more than the limit 64"),
        (b"\x09\x011", "truncated varint in pending count"),
        (b"\x09\x011\x00\x00", "1 trailing bytes"),
    ],
)
def test_malformed_frames_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(FrameError) as caught:
        decode_frame(data)
    assert message in str(caught.value)


def test_empty_document_name_is_refused() -> None:
    with pytest.raises(FrameError, match="empty document name"):
        decode_frame(b"\x00\x00\x00\x00\x01\x00")


def test_huge_declared_lengths_and_counts_are_refused_before_reading() -> None:
    huge = write_var_uint(2**53 - 1)
    with pytest.raises(FrameTooLargeError):
        decode_frame(b"\x00\x01a\x00\x02" + huge + b"x")
    with pytest.raises(FrameTooLargeError):
        decode_frame(b"\x01" + huge)
    with pytest.raises(FrameError, match="only 0 remain"):
        decode_frame(b"\x01" + write_var_uint(3))


def test_limits_bound_frames_names_strings_and_lists() -> None:
    limits = Limits(max_frame_bytes=200, max_doc_name_bytes=4, max_string_bytes=3, max_list_items=1)
    with pytest.raises(FrameTooLargeError, match="frame of 201 bytes"):
        decode_frame(b"\x04" + b"x" * 200, limits)
    with pytest.raises(FrameTooLargeError, match="document name"):
        decode_frame(encode_frame(DocFrame("stock", YSyncMessageType.SYNC_STEP1, b"\x00")), limits)
    with pytest.raises(FrameTooLargeError, match="code"):
        decode_frame(encode_frame(AuthErrorFrame("auth", "")), limits)
    with pytest.raises(FrameTooLargeError, match="head count"):
        decode_frame(encode_frame(JournalHeadsFrame((HEAD, HEAD))), limits)


def test_payloads_with_floats_are_not_encoded() -> None:
    with pytest.raises(FrameError, match="float"):
        encode_frame(AuthFrame({"amount": 12.5}))  # type: ignore[dict-item]


def test_huge_integers_in_payloads_are_refused() -> None:
    payload = b'{"a":' + b"9" * 5000 + b"}"
    with pytest.raises(FrameError):
        decode_frame(b"\x04" + write_var_uint(len(payload)) + payload)
