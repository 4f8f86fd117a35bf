"""A relay that sends garbage: the link closes with an error, nothing local is lost or changed.

The "relay" here is a small websockets server in the test (a real socket on
127.0.0.1), speaking just enough of the protocol to let the engine in before
it misbehaves.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map, YSyncMessageType
from sync_harness import Till, eventually, product_name, set_product
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from app.core.store import DeviceStore
from app.core.sync import LinkState
from crdt_models.sync import (
    AuthOkFrame,
    DocFrame,
    ErrorFrame,
    JournalHeadsFrame,
    JournalRecordsFrame,
    decode_frame,
    encode_frame,
)


@dataclass
class FakeRelay:
    """Accepts any token, announces empty heads, then sends ``bad`` once records arrive."""

    bad: bytes
    port: int = 0
    connections: int = 0
    records_seen: int = 0
    errors_received: list[ErrorFrame] = field(default_factory=list)
    close_codes: list[int | None] = field(default_factory=list)

    async def handler(self, ws: ServerConnection) -> None:
        self.connections += 1
        try:
            auth = await ws.recv()
            assert isinstance(auth, bytes)
            decode_frame(auth)
            await ws.send(encode_frame(AuthOkFrame({"shop_id": "s", "role": "till"})))
            await ws.send(encode_frame(JournalHeadsFrame(())))
            async for message in ws:
                assert isinstance(message, bytes)
                frame = decode_frame(message)
                if isinstance(frame, JournalRecordsFrame):
                    self.records_seen += len(frame.records)
                    await ws.send(self.bad)
                elif isinstance(frame, ErrorFrame):
                    self.errors_received.append(frame)
        except ConnectionClosed:
            pass
        self.close_codes.append(ws.close_code)


@pytest.fixture
def fake_relay(request: pytest.FixtureRequest) -> Iterator[FakeRelay]:
    fake = FakeRelay(bad=request.param)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = threading.Event()

    async def main() -> None:
        async with serve(fake.handler, "127.0.0.1", 0) as server:
            fake.port = next(iter(server.sockets)).getsockname()[1]
            started.set()
            while not stop.is_set():
                await asyncio.sleep(0.02)

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(10)
    yield fake
    stop.set()
    thread.join(10)
    loop.close()


def _bad_update() -> bytes:
    doc: Doc[Any] = Doc()
    doc.get("products", type=Map)["p-9"] = Map({"name": "Evil"})
    update = doc.get_update()
    return update[:-3] + b"\xff\xff\xff"  # truncated and corrupted


GARBAGE = [
    pytest.param(b"\x63\x00\x01", id="unknown-kind"),
    pytest.param(b"\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", id="overlong-varint"),
    pytest.param(
        encode_frame(DocFrame("catalogue", YSyncMessageType.SYNC_UPDATE, _bad_update())),
        id="invalid-update",
    ),
    pytest.param(
        encode_frame(DocFrame("nope", YSyncMessageType.SYNC_UPDATE, b"\x00\x00")),
        id="unknown-doc",
    ),
]


@pytest.mark.parametrize("fake_relay", GARBAGE, indirect=True)
def test_garbage_from_the_relay_closes_the_link_and_loses_nothing(
    fake_relay: FakeRelay, tmp_path: Path
) -> None:
    data_dir = tmp_path / "till"
    with DeviceStore.open(data_dir) as store:
        store.provision(
            till_id=store.identity.till_id,
            shop_id="s",
            relay_url=f"ws://127.0.0.1:{fake_relay.port}/",
            relay_token="t" * 40,
            lan_secret=b"k" * 32,
        )
    till = Till.open(data_dir)
    try:
        till.edit("catalogue", set_product("p-1", "Croissant", 120))
        till.sell(3)
        eventually(lambda: fake_relay.records_seen >= 3, what="records sent")
        eventually(lambda: bool(fake_relay.errors_received), what="an ERROR frame")
        eventually(lambda: bool(fake_relay.close_codes), what="closed")

        assert fake_relay.errors_received[0].fatal
        assert fake_relay.close_codes[0] == 1002
        eventually(lambda: "bad data" in (till.engine.status.error or ""), what="the error shown")
        assert till.engine.status.state is not LinkState.REFUSED  # it keeps retrying
        eventually(lambda: fake_relay.connections >= 2, what="reconnects by itself")

        # Nothing lost, nothing of the garbage applied.
        assert [r.seq for r in till.store.records()] == [1, 2, 3]
        assert till.engine.status.pending_sales == 3
        assert till.read("catalogue", product_name("p-1")) == "Croissant"
        assert till.read("catalogue", product_name("p-9")) is None
        assert product_name("p-9")(till.store.load_doc("catalogue")) is None
    finally:
        till.close()
