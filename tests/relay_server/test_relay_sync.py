"""The relay as a real subprocess: authentication, fan-out, isolation, roles, revocation."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import urllib.request
from typing import Any

import pytest
from pycrdt import Doc, Map, YSyncMessageType, create_awareness_message
from relay_client import NativeClient, YjsClient, eventually
from relay_process import (
    OWNER_PASSWORD,
    TILL_PASSWORD,
    RelayProcess,
    RunningRelay,
    start_relay,
    stop_relay,
)
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from crdt_models.sync import AuthRejected, ControlResponded, PeerErrorEvent
from crdt_models.sync.frames import DocFrame, encode_frame


def root(doc: Doc[Any], name: str) -> Map[Any]:
    found: Map[Any] = doc.get(name, type=Map)
    return found


def products(doc: Doc[Any]) -> Map[Any]:
    return root(doc, "products")


def add_product(pid: str, name: str) -> Any:
    def change(doc: Doc[Any]) -> None:
        products(doc)[pid] = Map({"name": name, "price": 250})

    return change


async def owner(relay: RunningRelay, token: str | None = None) -> NativeClient:
    client = await NativeClient.connect(
        relay.url, {"method": "token", "token": token or relay.shop_a.token}
    )
    await client.authenticated()
    return client


async def till_login(relay: RunningRelay, licence: str, key: bytes | None = None) -> NativeClient:
    auth: dict[str, Any] = {"method": "till", "licence": licence, "password": TILL_PASSWORD}
    if key is not None:
        auth["public_key"] = key.hex()
    client = await NativeClient.connect(relay.url, auth)
    await client.authenticated()
    return client


async def control(client: NativeClient, name: str, payload: dict[str, Any]) -> ControlResponded:
    request_id = client.session.send_control_request(name, payload)
    await client.flush()

    def answered() -> ControlResponded | None:
        for e in client.events:
            if isinstance(e, ControlResponded) and e.request_id == request_id:
                return e
        return None

    await eventually(lambda: answered() is not None)
    response = answered()
    assert response is not None
    return response


def test_healthz_answers_json(relay: RunningRelay) -> None:
    with urllib.request.urlopen(f"http://{relay.host}:{relay.port}/healthz", timeout=5) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/json"
        assert json.loads(resp.read())["status"] == "ok"


async def test_till_login_gives_token_identity_and_lan_secret(relay: RunningRelay) -> None:
    till = await till_login(relay, relay.till_a1.licence_key, b"k" * 32)
    auth = till.auth
    assert auth is not None
    assert auth["role"] == "till" and auth["shop_id"] == relay.shop_a.shop_id
    assert auth["till"] == {"id": relay.till_a1.id, "number": 1, "name": "A1"}
    assert isinstance(auth["lan_secret"], str) and len(auth["lan_secret"]) == 64
    token = auth["token"]
    assert isinstance(token, str)
    await till.close()

    resumed = await NativeClient.connect(relay.url, {"method": "token", "token": token})
    again = await resumed.authenticated()
    assert "token" not in again and again["device_id"] == relay.till_a1.id
    await resumed.close()


async def test_a_till_that_logs_in_is_listed_in_the_shop_settings(relay: RunningRelay) -> None:
    """A till reads its own number (for its ticket numbers) from the settings."""
    watcher = await owner(relay)
    till = await till_login(relay, relay.till_a1.licence_key)
    for client in (till, watcher):
        tills = root(client.docs["settings"], "tills")
        await eventually(lambda tills=tills: relay.till_a1.id in tills)
        entry = tills[relay.till_a1.id]
        assert (entry["name"], int(entry["number"]), entry["archived"]) == ("A1", 1, False)
    await till.close()
    again = await till_login(relay, relay.till_a1.licence_key)  # listed once, not twice
    await eventually(lambda: relay.till_a1.id in root(again.docs["settings"], "tills"))
    assert len(root(again.docs["settings"], "tills")) == 1
    for client in (again, watcher):
        await client.close()


@pytest.mark.parametrize(
    "kind", ["bad licence", "wrong owner password", "unknown owner", "bad token", "bad method"]
)
async def test_bad_credentials_are_refused_and_closed(relay: RunningRelay, kind: str) -> None:
    auth: dict[str, Any] = {
        "bad licence": {"method": "till", "licence": "WRONG-LICENCE", "password": TILL_PASSWORD},
        "wrong owner password": {"method": "owner", "email": relay.shop_a.email, "password": "x"},
        "unknown owner": {"method": "owner", "email": "no@x.test", "password": OWNER_PASSWORD},
        "bad token": {"method": "token", "token": "not-a-token"},
        "bad method": {"method": "magic"},
    }[kind]
    client = await NativeClient.connect(relay.url, auth)
    assert await client.close_code() == 1008
    assert isinstance(client.rejected, AuthRejected)
    assert client.auth is None


async def test_wrong_till_password_is_refused(relay: RunningRelay) -> None:
    auth: dict[str, Any] = {
        "method": "till",
        "licence": relay.till_a1.licence_key,
        "password": "nope",
    }
    client = await NativeClient.connect(relay.url, auth)
    assert await client.close_code() == 1008
    assert (
        client.rejected is not None and "wrong licence key or password" in client.rejected.message
    )


@pytest.mark.parametrize(
    "first",
    [
        "a text message",
        b"",
        b"\xff\xff\xff",
        encode_frame(DocFrame("catalogue", YSyncMessageType.SYNC_STEP1, b"\x00")),
    ],
)
async def test_anything_but_auth_first_closes_the_connection(
    relay: RunningRelay, first: bytes | str
) -> None:
    client = await NativeClient.connect(relay.url, None)
    await client.send_raw(first)
    assert await client.close_code() in (1003, 1008)
    assert client.auth is None


async def test_a_stranger_cannot_send_a_large_frame_before_authenticating(
    relay: RunningRelay,
) -> None:
    """Documents travel whole (up to 64 MB) once a device is known; before that, 64 KiB."""
    client = await NativeClient.connect(relay.url, None)
    await client.send_raw(b"\x04" + b"\x00" * (256 * 1024))
    assert await client.close_code() == 1009  # message too big
    assert client.auth is None


async def test_updates_fan_out_within_a_shop_and_never_cross_shops(relay: RunningRelay) -> None:
    a_owner = await owner(relay)
    a_till = await till_login(relay, relay.till_a1.licence_key)
    b_owner = await owner(relay, relay.shop_b.token)

    await a_owner.edit("catalogue", add_product("p1", "Croissant"))
    await eventually(lambda: "p1" in products(a_till.docs["catalogue"]))
    await a_till.edit("catalogue", add_product("p2", "Baguette"))
    await eventually(lambda: "p2" in products(a_owner.docs["catalogue"]))
    await b_owner.edit("catalogue", add_product("pb", "Shop B only"))

    # A fresh client of each shop gets its own shop's state and nothing else.
    late_a = await owner(relay)
    late_b = await owner(relay, relay.shop_b.token)
    await eventually(lambda: len(products(late_a.docs["catalogue"])) == 2)
    await eventually(lambda: "pb" in products(late_b.docs["catalogue"]))
    assert sorted(products(late_b.docs["catalogue"]).keys()) == ["pb"]
    assert "pb" not in products(a_owner.docs["catalogue"])
    assert sorted(products(b_owner.docs["catalogue"]).keys()) == ["pb"]
    for client in (a_owner, a_till, b_owner, late_a, late_b):
        await client.close()


async def test_settings_are_read_only_for_tills(relay: RunningRelay) -> None:
    a_owner = await owner(relay)
    a_till = await till_login(relay, relay.till_a1.licence_key)

    def set_shop(key: str, value: str) -> Any:
        def change(doc: Doc[Any]) -> None:
            doc.get("shop", type=Map)[key] = value

        return change

    def shop(client: NativeClient) -> Map[Any]:
        return root(client.docs["settings"], "shop")

    await a_till.edit("settings", set_shop("name", "hacked"))
    await eventually(
        lambda: any(isinstance(e, PeerErrorEvent) and e.doc == "settings" for e in a_till.events)
    )
    await a_owner.edit("settings", set_shop("receipt_text", "Merci"))
    await eventually(lambda: shop(a_till).get("receipt_text") == "Merci")
    # The till's own write reached nobody, and the till stays connected.
    late = await owner(relay)
    await eventually(lambda: shop(late).get("receipt_text") == "Merci")
    assert shop(late).get("name") is None
    assert shop(a_owner).get("name") is None
    assert not a_till.closed.is_set()
    for client in (a_owner, a_till, late):
        await client.close()


async def test_revoking_a_till_cuts_it_off_and_refuses_it_from_then_on(
    relay: RunningRelay,
) -> None:
    a_owner = await owner(relay)
    till = await till_login(relay, relay.till_a1.licence_key)
    other = await till_login(relay, relay.till_a2.licence_key)
    assert till.auth is not None
    token = till.auth["token"]
    before = a_owner.auth["lan_secret"] if a_owner.auth else None

    response = await control(a_owner, "revoke_till", {"till_id": relay.till_a1.id})
    assert response.ok
    assert await till.close_code() == 1008

    again = await NativeClient.connect(relay.url, {"method": "token", "token": token})
    assert await again.close_code() == 1008
    relog = await NativeClient.connect(
        relay.url,
        {"method": "till", "licence": relay.till_a1.licence_key, "password": TILL_PASSWORD},
    )
    assert await relog.close_code() == 1008
    assert not other.closed.is_set()
    fresh = await owner(relay)
    assert fresh.auth is not None and fresh.auth["lan_secret"] != before
    for client in (a_owner, other, fresh):
        await client.close()


async def test_a_till_may_not_revoke_nor_touch_another_shop(relay: RunningRelay) -> None:
    till = await till_login(relay, relay.till_a1.licence_key)
    refused = await control(till, "revoke_till", {"till_id": relay.till_a2.id})
    assert not refused.ok
    a_owner = await owner(relay)
    cross = await control(a_owner, "revoke_till", {"till_id": relay.till_b1.id})
    assert not cross.ok
    b_till = await till_login(relay, relay.till_b1.licence_key)
    assert not b_till.closed.is_set()
    for client in (till, a_owner, b_till):
        await client.close()


async def test_a_revocation_made_by_the_cli_closes_live_connections(relay: RunningRelay) -> None:
    till = await till_login(relay, relay.till_a2.licence_key)
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "relay_server",
            "revoke-till",
            "--db",
            relay.db_url,
            "--till-id",
            relay.till_a2.id,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert await till.close_code() == 1008


async def test_yjs_endpoint_interoperates_with_native_clients(relay: RunningRelay) -> None:
    native = await owner(relay)
    await native.edit("catalogue", add_product("p1", "Croissant"))
    web = await YjsClient.connect(relay.yjs_url("catalogue", relay.shop_a.token))
    await eventually(lambda: "p1" in products(web.doc))

    def rename(doc: Doc[Any]) -> None:
        products(doc)["p1"]["name"] = "Pain au chocolat"

    await web.edit(rename)
    await eventually(lambda: products(native.docs["catalogue"])["p1"]["name"] == "Pain au chocolat")
    other_shop = await YjsClient.connect(relay.yjs_url("catalogue", relay.shop_b.token))
    await asyncio.wait_for(other_shop.synced.wait(), 10)
    assert "p1" not in products(other_shop.doc)
    for client in (native, web, other_shop):
        await client.close()


async def test_yjs_awareness_reaches_the_same_document_of_the_same_shop(
    relay: RunningRelay,
) -> None:
    sender = await YjsClient.connect(relay.yjs_url("catalogue", relay.shop_a.token))
    peer = await YjsClient.connect(relay.yjs_url("catalogue", relay.shop_a.token))
    other_doc = await YjsClient.connect(relay.yjs_url("customers", relay.shop_a.token))
    other_shop = await YjsClient.connect(relay.yjs_url("catalogue", relay.shop_b.token))
    for client in (sender, peer, other_doc, other_shop):
        await asyncio.wait_for(client.synced.wait(), 10)
    message = create_awareness_message(b"\x01\x07\x01\x02{}")
    await sender.ws.send(message)
    await eventually(lambda: peer.awareness == [message] and sender.awareness == [message])
    await other_doc.ws.send(create_awareness_message(b"\x00"))  # a round trip on each
    await other_shop.ws.send(create_awareness_message(b"\x00"))
    await eventually(lambda: len(other_doc.awareness) == 1 and len(other_shop.awareness) == 1)
    assert message not in other_doc.awareness + other_shop.awareness
    for client in (sender, peer, other_doc, other_shop):
        await client.close()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/yjs/catalogue?token=nope", 401),
        ("/yjs/catalogue", 401),
        ("/yjs/../catalogue?token=x", 404),
        ("/yjs/Catalogue?token=x", 404),
        ("/yjs/catalogu%C3%A9?token=x", 404),
        ("/elsewhere", 404),
    ],
)
async def test_yjs_handshake_refuses_bad_tokens_and_documents(
    relay: RunningRelay, path: str, status: int
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"ws://{relay.host}:{relay.port}{path}"):
            pass
    assert refused.value.response.status_code == status


async def test_yjs_settings_are_read_only_for_a_till_token(relay: RunningRelay) -> None:
    till = await till_login(relay, relay.till_a1.licence_key)
    assert till.auth is not None
    token = till.auth["token"]
    assert isinstance(token, str)
    web = await YjsClient.connect(relay.yjs_url("settings", token))
    await asyncio.wait_for(web.synced.wait(), 10)

    def write(doc: Doc[Any]) -> None:
        doc.get("shop", type=Map)["name"] = "hacked"

    await web.edit(write)
    assert await web.close_code() == 1008
    late = await owner(relay)
    await eventually(lambda: late.auth is not None)
    assert late.docs["settings"].get("shop", type=Map).get("name") is None
    for client in (till, late):
        await client.close()


async def test_a_restart_loses_nothing(relay: RunningRelay, relay_process: RelayProcess) -> None:
    client = await owner(relay)
    for i in range(30):

        def add_customer(doc: Doc[Any], i: int = i) -> None:
            root(doc, "customers")[f"c{i}"] = Map({"first_name": f"N{i}"})

        await client.edit("customers", add_customer)
    probe = await owner(relay)
    await eventually(lambda: len(probe.docs["customers"].get("customers", type=Map)) == 30)
    await client.close()
    await probe.close()
    stop_relay(relay.process)
    process, host, port = await asyncio.to_thread(start_relay, relay.db_url)
    relay.process, relay.host, relay.port = process, host, port
    relay_process.process, relay_process.host, relay_process.port = process, host, port
    again = await owner(relay)
    await eventually(lambda: len(again.docs["customers"].get("customers", type=Map)) == 30)
    await again.close()
