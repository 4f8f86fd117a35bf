"""Limits of an in-process relay on real sockets: quota, rate, connections, slow readers,
idle rooms."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from pycrdt import Doc, Map
from relay_client import NativeClient, eventually

from crdt_models.sync import ControlResponded
from relay_server.config import RelayConfig
from relay_server.logcontext import ConnectionLog
from relay_server.outbox import Outbox
from relay_server.provisioning import add_owner, mint_owner_token
from relay_server.ratelimit import TokenBucket
from relay_server.server import RelayServer
from relay_server.storage import open_storage

Relay = tuple[RelayServer, str, str]


@asynccontextmanager
async def running(tmp_path: Path, **limits: Any) -> AsyncIterator[Relay]:
    """An in-process relay with ``limits``; yields (server, url, owner token)."""
    storage = open_storage(f"sqlite:///{tmp_path / 'relay.db'}")
    add_owner(storage, "Shop", "o@x.test", "pw")
    token = mint_owner_token(storage, "o@x.test")
    relay = RelayServer(storage, dataclasses.replace(RelayConfig(), **limits))
    try:
        async with relay.listening("127.0.0.1", 0) as (host, port):
            yield relay, f"ws://{host}:{port}/", token
    finally:
        storage.close()


async def owner(url: str, token: str) -> NativeClient:
    client = await NativeClient.connect(url, {"method": "token", "token": token})
    await client.authenticated()
    return client


def big_product(pid: str, size: int) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        doc.get("products", type=Map)[pid] = Map({"name": "x" * size})

    return change


def test_token_bucket_says_how_long_to_wait() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3.0, clock=lambda: now[0])
    assert [bucket.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 0.5, 1.0]
    now[0] += 1.0  # two tokens back: the debt of two is paid
    assert bucket.reserve() == 0.5
    now[0] += 100.0  # never more than the burst saved
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]


async def test_a_document_over_its_quota_is_refused_and_not_stored(tmp_path: Path) -> None:
    async with running(tmp_path, max_doc_bytes=20_000) as (relay, url, token):
        client = await owner(url, token)
        await client.edit("catalogue", big_product("small", 1_000))
        await eventually(
            lambda: relay.storage.documents.count(client_shop(client), "catalogue") == 1
        )
        await client.edit("catalogue", big_product("huge", 30_000))
        assert await client.close_code() == 1008
        late = await owner(url, token)
        await eventually(lambda: "small" in late.docs["catalogue"].get("products", type=Map))
        assert "huge" not in late.docs["catalogue"].get("products", type=Map)
        await late.close()


def client_shop(client: NativeClient) -> str:
    assert client.auth is not None
    shop = client.auth["shop_id"]
    assert isinstance(shop, str)
    return shop


async def test_a_connection_over_its_frame_rate_is_slowed_not_closed(tmp_path: Path) -> None:
    async with running(tmp_path, frames_per_second=50.0, frame_burst=5.0) as (_, url, token):
        client = await owner(url, token)

        def answered() -> int:
            return sum(1 for e in client.events if isinstance(e, ControlResponded) and e.ok)

        for _ in range(30):
            client.session.send_control_request("whoami")
        await client.flush()
        await eventually(lambda: answered() == 30)
        assert not client.closed.is_set()
        await client.close()


async def test_a_shop_over_its_connection_count_is_refused(tmp_path: Path) -> None:
    async with running(tmp_path, max_connections_per_shop=2) as (_, url, token):
        first, second = await owner(url, token), await owner(url, token)
        third = await NativeClient.connect(url, {"method": "token", "token": token})
        assert await third.close_code() == 1013
        await first.close()
        await second.close()


class StuckSocket:
    """A websocket whose peer never reads: every send waits forever."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.closed_with: tuple[int, str] | None = None

    async def send(self, data: bytes) -> None:
        self.sent.append(data)
        await asyncio.Event().wait()

    async def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


async def test_a_reader_that_stops_reading_is_evicted() -> None:
    stuck = StuckSocket()
    log = ConnectionLog(logging.getLogger("test"), 1, "127.0.0.1")
    outbox = Outbox(stuck, 1000, log)  # type: ignore[arg-type]
    outbox.put(b"x" * 5000)  # one message bigger than the bound still goes
    await eventually(lambda: len(stuck.sent) == 1)
    for _ in range(2):
        outbox.put(b"y" * 400)
    assert not outbox.closing
    outbox.put(b"z" * 400)  # 1200 bytes would wait behind a send that never ends
    assert outbox.closing
    await outbox.aclose(grace=5)
    assert stuck.sent == [b"x" * 5000]
    assert stuck.closed_with == (1008, "too slow: send queue over its limit")


async def test_an_idle_room_leaves_memory_and_comes_back_from_storage(tmp_path: Path) -> None:
    async with running(tmp_path, room_idle_seconds=0.05) as (relay, url, token):
        client = await owner(url, token)
        await client.edit("catalogue", big_product("kept", 10))
        await eventually(
            lambda: relay.storage.documents.count(client_shop(client), "catalogue") == 1
        )
        await client.close()
        await eventually(lambda: not relay.rooms.rooms)
        again = await owner(url, token)
        await eventually(lambda: "kept" in again.docs["catalogue"].get("products", type=Map))
        await again.close()
