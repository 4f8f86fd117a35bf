"""Fan-out conformance: the in-process and the Redis backends honour one contract."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from relay_client import DEADLINE, eventually

from crdt_models.sync.errors import FrameError
from relay_server.fanout import (
    FanOut,
    InProcessFanOut,
    InProcessHub,
    RedisFanOut,
    decode_message,
    encode_message,
)

Received = list[tuple[str, str, bytes]]


@pytest.fixture(params=["in-process", "redis"])
async def pair(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[FanOut, Received, FanOut, Received]]:
    """Two started instances of one bus, each with the list of what it received."""
    if request.param == "in-process":
        hub = InProcessHub()
        a: FanOut = InProcessFanOut(hub)
        b: FanOut = InProcessFanOut(hub)
    else:
        url = request.getfixturevalue("redis_url")
        prefix = f"skytill-test-{uuid.uuid4().hex[:8]}"
        a, b = RedisFanOut(url, prefix), RedisFanOut(url, prefix)
    got_a: Received = []
    got_b: Received = []
    await a.start(lambda shop, doc, update: got_a.append((shop, doc, update)))
    await b.start(lambda shop, doc, update: got_b.append((shop, doc, update)))
    yield a, got_a, b, got_b
    await a.close()
    await b.close()


async def test_others_receive_in_order_and_the_publisher_never_does(
    pair: tuple[FanOut, Received, FanOut, Received],
) -> None:
    a, got_a, b, got_b = pair
    sent = [(f"shop-{i % 3}", "catalogue", bytes([i]) * (i + 1)) for i in range(50)]
    for shop, doc, update in sent:
        await a.publish(shop, doc, update)
    await b.publish("shop-x", "settings", b"\x00\x01")
    await eventually(lambda: len(got_b) == 50 and len(got_a) == 1)
    assert got_b == sent
    assert got_a == [("shop-x", "settings", b"\x00\x01")]


async def test_a_closed_instance_receives_nothing(
    pair: tuple[FanOut, Received, FanOut, Received],
) -> None:
    a, _, b, got_b = pair
    await b.close()
    await a.publish("shop", "catalogue", b"\x01")
    await a.publish("shop", "catalogue", b"\x02")
    c_got: Received = []
    if isinstance(a, InProcessFanOut):
        c: FanOut = InProcessFanOut(a.hub)
    else:
        assert isinstance(a, RedisFanOut)
        c = RedisFanOut(a.url, a.prefix)
    await c.start(lambda shop, doc, update: c_got.append((shop, doc, update)))
    await a.publish("shop", "catalogue", b"\x03")
    await eventually(lambda: len(c_got) == 1)
    assert got_b == [] and c_got == [("shop", "catalogue", b"\x03")]
    await c.close()


def test_messages_round_trip_and_garbage_is_refused() -> None:
    data = encode_message("i", "shop", "doc", b"\x00\xff")
    assert decode_message(data) == ("i", "shop", "doc", b"\x00\xff")
    for bad in (b"", data[:-1], data + b"\x00", b"\xff\xff\xff"):
        with pytest.raises(FrameError):
            decode_message(bad)


async def test_a_cut_redis_connection_is_reconnected_and_closes_cleanly(redis_url: str) -> None:
    """Redis drops the subscriber's connection (CLIENT KILL of that connection only): the
    subscriber reconnects and resubscribes, receives later updates, and closes cleanly."""
    import redis.asyncio as redis

    prefix = f"skytill-test-{uuid.uuid4().hex[:8]}"
    a, b = RedisFanOut(redis_url, prefix), RedisFanOut(redis_url, prefix)
    got: Received = []
    await a.start(lambda *_: None)
    await b.start(lambda shop, doc, update: got.append((shop, doc, update)))
    admin = redis.Redis.from_url(redis_url)
    try:
        await a.publish("shop", "catalogue", b"\x01")
        await eventually(lambda: len(got) == 1)
        host, port = b._pubsub.connection._writer.get_extra_info("sockname")[:2]
        assert await admin.client_kill_filter(_id=None, addr=f"{host}:{port}") == 1

        async def received_after_the_cut() -> bool:
            await a.publish("shop", "catalogue", b"\x02")
            await asyncio.sleep(0.05)
            return got[-1] == ("shop", "catalogue", b"\x02")

        end = time.monotonic() + DEADLINE
        while not await received_after_the_cut():
            assert time.monotonic() < end, "no update received after the cut"
        assert got[0] == ("shop", "catalogue", b"\x01")
    finally:
        await admin.aclose()
        await a.close()
        await b.close()
