"""What a LAN endpoint gives to peers that do not prove the shop's current LAN secret: nothing.

Each attacker talks to a real node on 127.0.0.1 that holds a catalogue entry
and a sale. Every message it receives is recorded: at most one handshake
REPLY (85 bytes, "SKL1" 0x02), never a byte of documents or journal; the
node's documents and journal are unchanged, it has no peer, and a genuine
peer still syncs with it afterwards.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from pycrdt import Doc, Map
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from app.core.lan import LanNode
from crdt_models.lan import ChannelEstablished, SecureChannel
from crdt_models.sync import AuthFrame, encode_frame
from tests.app.core.lan.lan_harness import SHOP_SECRET, Shop, on_loop, until
from tests.app.core.store_samples import make_sale_body

MARKER = "secret-price-4.20"


async def target(shop: Shop) -> tuple[LanNode, Map[Any]]:
    node = await shop.node(shop.store("target"))
    doc: Doc[Any] = Doc()
    items = doc.get("test_items", type=Map)
    node.attach({"catalogue": doc}, on_loop)
    items["espresso"] = MARKER
    node.store.validate_sale(make_sale_body)
    await until(lambda: MARKER in str(node.store.load_doc("catalogue").get_update()))
    return node, items


async def exchange(port: int, messages: list[bytes | str]) -> list[bytes | str]:
    """Send ``messages`` on a raw websocket; return everything received until it closes."""
    received: list[bytes | str] = []
    async with connect(f"ws://127.0.0.1:{port}/", max_size=None) as ws:
        try:
            for message in messages:
                await ws.send(message)
            async with asyncio.timeout(8):
                async for message in ws:
                    received.append(message)
        except ConnectionClosed:
            pass
    return received


def only_handshake_bytes(received: list[bytes | str]) -> bool:
    return (
        all(isinstance(m, bytes) and len(m) == 85 and m.startswith(b"SKL1\x02") for m in received)
        and len(received) <= 1
    )


async def unchanged_and_still_serving(shop: Shop, node: LanNode, items: Map[Any]) -> None:
    assert node.status.peers == ()
    assert dict(items) == {"espresso": MARKER}
    assert [h.till_id for h in node.store.journal_heads()] == [node.store.identity.till_id]
    genuine = await shop.node(shop.store("genuine"))
    genuine.connect_to("127.0.0.1", node.port)
    till = node.store.identity.till_id
    await until(lambda: len(genuine.store.records(till_id=till)) == 1)


def hello() -> bytes:
    return SecureChannel.initiator(SHOP_SECRET).data_to_send()[0]


MALFORMED: list[list[bytes | str]] = [
    [b""],
    [b"SKL1"],
    [os.urandom(53)],
    [b"SKL1\x01" + b"\x00" * 48],  # a low-order (all-zero) ephemeral key
    [b"SKL1\x01" + b"\xff" * (1024 * 1024)],
    [b"SKL1\x03" + os.urandom(32)],  # FINISH first
    ["a text message"],
    [encode_frame(AuthFrame({"token": "x"}))],  # a plain sync frame, no channel
    [hello(), os.urandom(37)],
    [hello(), hello()],
    [hello(), b"SKL1\x03" + b"\x00" * 32, encode_frame(AuthFrame({}))],
]


@pytest.mark.parametrize("messages", MALFORMED, ids=range(len(MALFORMED)))
async def test_malformed_handshakes_get_nothing(shop: Shop, messages: list[bytes | str]) -> None:
    node, items = await target(shop)
    received = await exchange(node.port, messages)
    assert only_handshake_bytes(received)
    await unchanged_and_still_serving(shop, node, items)


async def test_a_stranger_cannot_make_the_node_read_a_large_message(shop: Shop) -> None:
    """Before the handshake the node reads at most 64 KiB; a whole document (up to
    64 MiB) only from a peer that proved the shop's secret."""
    node, items = await target(shop)
    async with connect(f"ws://127.0.0.1:{node.port}/", max_size=None) as ws:
        await ws.send(b"SKL1\x01" + b"\x00" * (256 * 1024))
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(8):
                async for _ in ws:
                    pass
        assert ws.close_code == 1009  # message too big
    await unchanged_and_still_serving(shop, node, items)


async def test_unauthenticated_peer_sending_sync_frames_gets_nothing(shop: Shop) -> None:
    node, items = await target(shop)
    wrong = SecureChannel.initiator(os.urandom(32))
    received = await exchange(node.port, [wrong.data_to_send()[0], os.urandom(37)])
    assert only_handshake_bytes(received)
    await unchanged_and_still_serving(shop, node, items)


async def test_replayed_handshake_gets_nothing(shop: Shop) -> None:
    node, items = await target(shop)
    # A genuine session, recorded by an eavesdropper: HELLO, FINISH, then encrypted frames.
    channel = SecureChannel.initiator(SHOP_SECRET)
    recorded: list[bytes] = []
    async with connect(f"ws://127.0.0.1:{node.port}/") as ws:
        recorded += channel.data_to_send()
        await ws.send(recorded[0])
        reply = await ws.recv()
        assert isinstance(reply, bytes)
        channel.receive_data(reply)
        assert channel.events_received() == [ChannelEstablished()]
        channel.send(encode_frame(AuthFrame({"v": 1, "instance": "ffff", "till_id": "x"})))
        for message in channel.data_to_send():
            recorded.append(message)
            await ws.send(message)
        await ws.recv()  # the node's hello: the genuine session works
    await until(lambda: node.status.peers == ())
    received = await exchange(node.port, list(recorded))
    assert only_handshake_bytes(received)
    await unchanged_and_still_serving(shop, node, items)


async def test_a_device_of_another_shop_gets_nothing_and_changes_nothing(shop: Shop) -> None:
    node, items = await target(shop)
    stranger = await shop.node(shop.store("stranger", secret=os.urandom(32)))
    stranger_doc: Doc[Any] = Doc()
    stranger_items = stranger_doc.get("test_items", type=Map)
    stranger.attach({"catalogue": stranger_doc}, on_loop)
    stranger_items["espresso"] = "0.01"
    stranger.store.validate_sale(make_sale_body)
    stranger.connect_to("127.0.0.1", node.port)
    node.connect_to("127.0.0.1", stranger.port)
    await until(lambda: node.handshake_failures >= 2 and stranger.handshake_failures >= 2)
    assert stranger.status.peers == () and node.status.peers == ()
    assert dict(stranger_items) == {"espresso": "0.01"}
    assert len(stranger.store.journal_heads()) == 1
    await unchanged_and_still_serving(shop, node, items)


@pytest.mark.parametrize("told", [True, False], ids=["secret_changed", "noticed"])
async def test_a_revoked_till_gets_nothing_after_the_secret_rotates(shop: Shop, told: bool) -> None:
    node, items = await target(shop)
    revoked = await shop.node(shop.store("revoked"))
    revoked.connect_to("127.0.0.1", node.port)
    till = node.store.identity.till_id
    await until(lambda: len(revoked.store.records(till_id=till)) == 1)  # before revocation
    rotated = os.urandom(32)
    node.store.provision(shop_id="shop-1", lan_secret=rotated)
    if told:
        node.secret_changed()  # else the node notices within its resync period
    await until(lambda: node.status.peers == () and revoked.status.peers == ())
    node.store.validate_sale(make_sale_body)
    node.journal_changed()
    items["espresso"] = "5.00"
    failures = node.handshake_failures
    revoked.connect_to("127.0.0.1", node.port)
    await until(lambda: node.handshake_failures > failures and revoked.handshake_failures > 0)
    assert revoked.status.peers == ()
    assert len(revoked.store.records(till_id=till)) == 1
    revoked_items = revoked.store.load_doc("catalogue").get("test_items", type=Map)
    assert revoked_items.get("espresso") == MARKER
    peer = await shop.node(shop.store("peer", secret=rotated))
    peer.connect_to("127.0.0.1", node.port)
    await until(lambda: len(peer.store.records(till_id=till)) == 2)


async def test_a_spoofed_announcement_dialled_gets_only_a_hello(shop: Shop) -> None:
    """An impostor announcing the shop's fingerprint is dialled: it learns a HELLO, no more."""
    node, items = await target(shop)
    received: list[bytes | str] = []
    closed = asyncio.Event()

    async def impostor(ws: ServerConnection) -> None:
        try:
            received.append(await ws.recv())
            await ws.send(b"SKL1\x02" + os.urandom(80))  # a REPLY it cannot make valid
            async for message in ws:
                received.append(message)
        except ConnectionClosed:
            pass
        finally:
            closed.set()

    async with serve(impostor, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        node.connect_to("127.0.0.1", port)
        await asyncio.wait_for(closed.wait(), 30)
    (hello_message,) = received
    assert isinstance(hello_message, bytes)
    assert len(hello_message) == 53 and hello_message.startswith(b"SKL1\x01")
    await until(lambda: node.handshake_failures >= 1)
    await unchanged_and_still_serving(shop, node, items)
