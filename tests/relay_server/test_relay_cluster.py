"""Two relay processes on one PostgreSQL database, fanning out through Redis."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from pycrdt import Doc, Map
from relay_client import NativeClient, YjsClient, eventually
from relay_process import TILL_PASSWORD, start_relay, stop_relay

from relay_server.provisioning import add_owner, add_till, mint_owner_token
from relay_server.storage import open_storage


async def test_two_relays_share_updates_and_revocations(pg_db_url: str, redis_url: str) -> None:
    db_url = pg_db_url
    storage = open_storage(db_url)
    try:
        owner = add_owner(storage, "Cluster shop", "cluster@x.test", "pw")
        token = mint_owner_token(storage, owner.email)
        till = add_till(storage, "Cluster shop", "Front", TILL_PASSWORD)
    finally:
        storage.close()
    prefix = f"skytill-test-{uuid.uuid4().hex[:8]}"
    extra = ("--redis", redis_url, "--redis-prefix", prefix)
    (p1, h1, port1), (p2, h2, port2) = await asyncio.gather(
        asyncio.to_thread(start_relay, db_url, *extra),
        asyncio.to_thread(start_relay, db_url, *extra),
    )
    try:
        on_1 = await NativeClient.connect(
            f"ws://{h1}:{port1}/", {"method": "token", "token": token}
        )
        await on_1.authenticated()
        on_2 = await YjsClient.connect(f"ws://{h2}:{port2}/yjs/catalogue?token={token}")
        await on_2.synced.wait()
        till_2 = await NativeClient.connect(
            f"ws://{h2}:{port2}/",
            {"method": "till", "licence": till.licence_key, "password": TILL_PASSWORD},
        )
        await till_2.authenticated()

        def add(doc: Doc[Any]) -> None:
            doc.get("products", type=Map)["p1"] = Map({"name": "Across relays"})

        await on_1.edit("catalogue", add)
        await eventually(lambda: "p1" in on_2.doc.get("products", type=Map))
        await eventually(lambda: "p1" in till_2.docs["catalogue"].get("products", type=Map))

        def rename(doc: Doc[Any]) -> None:
            doc.get("products", type=Map)["p1"]["name"] = "Renamed on relay 2"

        await on_2.edit(rename)
        products = on_1.docs["catalogue"].get("products", type=Map)
        await eventually(lambda: products["p1"]["name"] == "Renamed on relay 2")

        # Revoked through relay 1, the till connected to relay 2 is cut off.
        on_1.session.send_control_request("revoke_till", {"till_id": till.id})
        await on_1.flush()
        assert await till_2.close_code() == 1008
        for client in (on_1, on_2):
            await client.close()
    finally:
        stop_relay(p1)
        stop_relay(p2)
