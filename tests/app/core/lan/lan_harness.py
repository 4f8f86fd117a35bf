"""LAN test harness (not a test module): stores of one shop, nodes on 127.0.0.1, polling."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

from app.core.lan import LanNode, LanTimings
from app.core.store import DeviceStore

SHOP_SECRET = os.urandom(32)
FAST = LanTimings(
    redial_first=0.05, redial_cap=0.5, resync=0.5, ping_interval=0.5, handshake_timeout=2.0
)


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``condition`` until true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def on_loop(fn: Callable[[], None]) -> None:
    """An ``OwnerCall`` for Docs owned by the running loop's thread (the test's)."""
    asyncio.get_running_loop().call_soon(fn)


class Shop:
    """Opens device stores under ``tmp_path``, provisioned with one shop's LAN secret."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stores: list[DeviceStore] = []
        self.nodes: list[LanNode] = []

    def store(self, name: str, secret: bytes | None = SHOP_SECRET) -> DeviceStore:
        store = DeviceStore.open(self.root / name, till_id=f"till-{name}")
        store.provision(shop_id="shop-1", lan_secret=secret)
        self.stores.append(store)
        return store

    async def node(self, store: DeviceStore) -> LanNode:
        node = LanNode(store, host="127.0.0.1", advertise=False, timings=FAST)
        await node.start()
        self.nodes.append(node)
        return node
