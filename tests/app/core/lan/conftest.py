"""LAN node fixtures: device stores of one shop and nodes on 127.0.0.1 (no zeroconf)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.app.core.lan.lan_harness import Shop


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Shop]:
    opened = Shop(tmp_path)
    try:
        yield opened
    finally:
        for node in opened.nodes:
            await node.stop()
        for store in opened.stores:
            store.close()
