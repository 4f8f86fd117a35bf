"""Running a device's LAN node beside its sync engine, from an app's thread.

The apps run their network work on one asyncio loop in a background thread
(the Qt layer's ``AsyncBridge``); these two calls start and stop the node on
that loop and wait for it. The LAN is a bonus, never a condition of selling:
a node that cannot start is logged and the device syncs through the relay only.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from app.core.lan.node import LanNode

if TYPE_CHECKING:
    from app.core.store import DeviceStore
    from app.core.sync import SyncEngine

__all__ = ["start_lan", "stop_lan"]

logger = logging.getLogger(__name__)


def start_lan(
    store: DeviceStore,
    engine: SyncEngine,
    loop: asyncio.AbstractEventLoop,
    *,
    role: str = "till",
    timeout: float = 10.0,
) -> LanNode | None:
    """Start a :class:`LanNode` relaying to ``engine`` on ``loop`` (another thread's).

    Returns None when this device holds no LAN secret yet (never logged in) or
    when the endpoint cannot start (logged).
    """
    if not store.identity.lan_secret:
        return None
    node = LanNode(store, engine=engine, role=role)
    try:
        asyncio.run_coroutine_threadsafe(node.start(), loop).result(timeout)
    except Exception:
        logger.warning("the shop-network sync could not start; relay only", exc_info=True)
        stop_lan(node, loop, timeout)
        return None
    return node


def stop_lan(node: LanNode, loop: asyncio.AbstractEventLoop, timeout: float = 10.0) -> None:
    """Stop ``node`` on ``loop`` and wait for it (its links close, its announcement ends)."""
    try:
        asyncio.run_coroutine_threadsafe(node.stop(), loop).result(timeout)
    except Exception:
        logger.warning("the shop-network sync did not stop cleanly", exc_info=True)
