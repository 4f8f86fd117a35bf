"""The LAN secure channel: bytes in, bytes out, between two in-memory ends."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crdt_models.lan import (
    ChannelEstablished,
    ChannelFailed,
    ChannelStateError,
    PlaintextReceived,
    SecureChannel,
    shop_fingerprint,
)

SHOP = os.urandom(32)
OTHER_SHOP = os.urandom(32)
SECRET_PAYLOAD = b"catalogue: espresso 2.10 EUR"


def pump(a: SecureChannel, b: SecureChannel) -> list[bytes]:
    """Deliver every queued message both ways until quiet; return everything that crossed."""
    crossed: list[bytes] = []
    while True:
        moved = False
        for src, dst in ((a, b), (b, a)):
            for message in src.data_to_send():
                crossed.append(message)
                dst.receive_data(message)
                moved = True
        if not moved:
            return crossed


def connected(secret: bytes = SHOP) -> tuple[SecureChannel, SecureChannel]:
    initiator, responder = SecureChannel.initiator(secret), SecureChannel.responder(secret)
    pump(initiator, responder)
    assert initiator.events_received() == [ChannelEstablished()]
    assert responder.events_received() == [ChannelEstablished()]
    return initiator, responder


def failed(channel: SecureChannel) -> bool:
    events = channel.events_received()
    return channel.failed and any(isinstance(e, ChannelFailed) for e in events)


def test_same_secret_establishes_and_frames_flow_both_ways() -> None:
    initiator, responder = connected()
    initiator.send(b"to responder")
    responder.send(b"to initiator")
    wire = pump(initiator, responder)
    assert all(SECRET_PAYLOAD not in m and b"to responder" not in m for m in wire)
    assert responder.events_received() == [PlaintextReceived(b"to responder")]
    assert initiator.events_received() == [PlaintextReceived(b"to initiator")]


def test_frames_are_encrypted_on_the_wire() -> None:
    initiator, responder = connected()
    initiator.send(SECRET_PAYLOAD)
    (message,) = initiator.data_to_send()
    assert SECRET_PAYLOAD not in message
    responder.receive_data(message)
    assert responder.events_received() == [PlaintextReceived(SECRET_PAYLOAD)]


@pytest.mark.parametrize("dialler_secret", [OTHER_SHOP, SHOP[:-1] + bytes([SHOP[-1] ^ 1])])
def test_wrong_secret_gets_nothing_either_way(dialler_secret: bytes) -> None:
    intruder, till = SecureChannel.initiator(dialler_secret), SecureChannel.responder(SHOP)
    pump(intruder, till)
    assert failed(intruder)  # the REPLY tag did not check: the intruder never sends FINISH
    assert not till.established
    with pytest.raises(ChannelStateError):
        till.send(SECRET_PAYLOAD)
    with pytest.raises(ChannelStateError):
        intruder.send(b"update")


def test_an_intruder_listening_gets_no_finish_and_the_dialler_sends_nothing() -> None:
    till, intruder = SecureChannel.initiator(SHOP), SecureChannel.responder(OTHER_SHOP)
    wire = pump(till, intruder)
    assert failed(till)
    assert len(wire) == 2  # HELLO and the intruder's REPLY; no FINISH, no frame
    with pytest.raises(ChannelStateError):
        till.send(SECRET_PAYLOAD)


def test_a_recorded_handshake_replayed_to_the_responder_fails() -> None:
    initiator, responder = SecureChannel.initiator(SHOP), SecureChannel.responder(SHOP)
    recorded = pump(initiator, responder)  # HELLO, REPLY, FINISH of a genuine session
    victim = SecureChannel.responder(SHOP)
    victim.receive_data(recorded[0])
    victim.data_to_send()  # a fresh REPLY the attacker cannot answer
    victim.receive_data(recorded[2])
    assert failed(victim)
    assert victim.data_to_send() == []


def test_a_recorded_reply_replayed_to_a_new_initiator_fails() -> None:
    initiator, responder = SecureChannel.initiator(SHOP), SecureChannel.responder(SHOP)
    recorded = pump(initiator, responder)
    victim = SecureChannel.initiator(SHOP)
    victim.data_to_send()
    victim.receive_data(recorded[1])
    assert failed(victim)
    assert victim.data_to_send() == []


def test_recorded_frames_do_not_decrypt_in_another_session() -> None:
    initiator, _responder = connected()
    initiator.send(SECRET_PAYLOAD)
    (frame,) = initiator.data_to_send()
    _other_initiator, other_responder = connected()
    other_responder.receive_data(frame)
    assert failed(other_responder)


def test_tampered_frame_is_rejected() -> None:
    initiator, responder = connected()
    initiator.send(SECRET_PAYLOAD)
    (frame,) = initiator.data_to_send()
    responder.receive_data(frame[:-1] + bytes([frame[-1] ^ 0x01]))
    assert failed(responder)


def test_replayed_and_reordered_frames_are_rejected() -> None:
    initiator, responder = connected()
    initiator.send(b"one")
    initiator.send(b"two")
    one, two = initiator.data_to_send()
    responder.receive_data(one)
    responder.receive_data(one)  # replayed
    events = responder.events_received()
    assert events[0] == PlaintextReceived(b"one")
    assert isinstance(events[1], ChannelFailed) and responder.failed
    responder.receive_data(two)  # ignored once failed
    assert responder.events_received() == []

    initiator, responder = connected()
    initiator.send(b"one")
    initiator.send(b"two")
    one, two = initiator.data_to_send()
    responder.receive_data(two)  # reordered
    assert failed(responder)


def test_a_frame_reflected_back_to_its_sender_is_rejected() -> None:
    initiator, _responder = connected()
    initiator.send(b"hello")
    (frame,) = initiator.data_to_send()
    initiator.receive_data(frame)
    assert failed(initiator)


def test_data_before_finish_is_a_handshake_error() -> None:
    initiator, responder = SecureChannel.initiator(SHOP), SecureChannel.responder(SHOP)
    responder.receive_data(initiator.data_to_send()[0])
    responder.data_to_send()
    responder.receive_data(b"\x00" * 40)
    assert failed(responder)


def test_nothing_queued_is_sent_after_failure() -> None:
    _initiator, responder = connected()
    responder.send(b"queued")
    responder.receive_data(b"garbage frame that does not decrypt")
    assert failed(responder)
    assert responder.data_to_send() == []


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        SecureChannel.responder(b"short")


def test_oversized_frame_refused_both_ways() -> None:
    initiator = SecureChannel.initiator(SHOP, max_frame=64)
    responder = SecureChannel.responder(SHOP, max_frame=64)
    pump(initiator, responder)
    with pytest.raises(ChannelStateError):
        initiator.send(b"x" * 65)
    responder.receive_data(b"x" * 200)
    assert failed(responder)


def test_fingerprint_is_shared_by_the_shop_and_changes_with_the_secret() -> None:
    assert shop_fingerprint(SHOP) == shop_fingerprint(bytes(SHOP))
    assert shop_fingerprint(SHOP) != shop_fingerprint(OTHER_SHOP)
    assert len(shop_fingerprint(SHOP)) == 16
    assert SHOP.hex()[:16] not in shop_fingerprint(SHOP)


handshake_garbage = st.one_of(
    st.binary(max_size=200),
    st.binary(min_size=53, max_size=53),
    st.binary(min_size=85, max_size=85).map(lambda b: b"SKL1\x02" + b[5:]),
    st.binary(min_size=53, max_size=53).map(lambda b: b"SKL1\x01" + b[5:]),
    st.binary(min_size=37, max_size=37).map(lambda b: b"SKL1\x03" + b[5:]),
    st.integers(0, 2**20).map(lambda n: b"SKL1\x01" + b"\xff" * n),
)


@settings(max_examples=150, deadline=None)
@given(messages=st.lists(handshake_garbage, min_size=1, max_size=4))
def test_fuzz_responder_never_raises_nor_establishes(messages: list[bytes]) -> None:
    responder = SecureChannel.responder(SHOP)
    for message in messages:
        responder.receive_data(message)
    assert not responder.established
    for event in responder.events_received():
        assert not isinstance(event, (ChannelEstablished, PlaintextReceived))
    for message in responder.data_to_send():  # at most one REPLY: handshake bytes only
        assert message.startswith(b"SKL1\x02") and len(message) == 85


@settings(max_examples=150, deadline=None)
@given(messages=st.lists(handshake_garbage, min_size=1, max_size=4))
def test_fuzz_initiator_never_raises_nor_establishes(messages: list[bytes]) -> None:
    initiator = SecureChannel.initiator(SHOP)
    initiator.data_to_send()
    for message in messages:
        initiator.receive_data(message)
    assert not initiator.established
    assert initiator.data_to_send() == []
    assert all(not isinstance(e, PlaintextReceived) for e in initiator.events_received())


@settings(max_examples=100, deadline=None)
@given(garbage=st.binary(max_size=300), position=st.integers(0, 3))
def test_fuzz_established_channel_rejects_forged_frames(garbage: bytes, position: int) -> None:
    initiator, responder = connected()
    for _ in range(position):
        initiator.send(b"genuine")
        for frame in initiator.data_to_send():
            responder.receive_data(frame)
    responder.events_received()
    responder.receive_data(garbage)
    assert failed(responder)
