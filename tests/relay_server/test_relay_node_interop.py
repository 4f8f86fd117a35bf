"""Interop: a real Node Yjs client (yjs 13 + y-websocket 3) on the relay's /yjs endpoint.

Needs ``npm install --prefix tests/relay_server/node`` (CI does it); without the
node modules the test is skipped with that instruction, or fails under CI.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Doc, Map
from relay_client import NativeClient, eventually
from relay_process import RunningRelay

NODE_DIR = Path(__file__).parent / "node"


def _node_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_DIR / "node_modules" / "y-websocket").is_dir():
        return f"run: npm install --prefix {NODE_DIR}"
    return None


async def test_a_node_yjs_client_reads_and_edits_the_catalogue(relay: RunningRelay) -> None:
    missing = _node_ready()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    native = await NativeClient.connect(relay.url, {"method": "token", "token": relay.shop_a.token})
    await native.authenticated()

    def add(doc: Doc[Any]) -> None:
        doc.get("products", type=Map)["p1"] = Map({"name": "Croissant", "price": 120})

    await native.edit("catalogue", add)
    result = await asyncio.to_thread(
        subprocess.run,
        [
            "node",
            str(NODE_DIR / "interop.mjs"),
            f"ws://{relay.host}:{relay.port}/yjs",
            relay.shop_a.token,
            "p1",
            "Croissant au beurre",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0]) == {"seen": "Croissant"}
    products = native.docs["catalogue"].get("products", type=Map)
    await eventually(lambda: products["p1"]["name"] == "Croissant au beurre")
    await native.close()
