"""The manager's relay link against a real relay subprocess: tills added, logged in, revoked."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from relay_fixture import OWNER_EMAIL, OWNER_PASSWORD, Relay, running_relay

from app.manager.relay_link import RelayError, RelayLink
from crdt_models.journal import generate_signing_key, public_key_of
from crdt_models.sync.payloads import JsonObject

OWNER: JsonObject = {
    "method": "owner",
    "email": OWNER_EMAIL,
    "password": OWNER_PASSWORD,
    "device_name": "manager",
}


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[Relay]:
    with running_relay(tmp_path) as running:
        yield running


def _till(licence: str, password: str) -> JsonObject:
    return {
        "method": "till",
        "licence": licence,
        "password": password,
        "public_key": public_key_of(generate_signing_key()).hex(),
    }


async def test_owner_adds_a_till_that_logs_in_then_revokes_it(relay: Relay) -> None:
    owner = await RelayLink.sign_in(relay.url, OWNER)
    try:
        assert owner.grant["role"] == "owner"
        assert (await owner.request("tills"))["tills"] == []
        added: Any = await owner.request("add_till", {"name": "Caisse 1", "password": "till-pw-1"})
        licence = str(added["licence_key"])
        tills: Any = await owner.request("tills")
        (listed,) = tills["tills"]
        assert (listed["name"], listed["revoked"]) == ("Caisse 1", False)

        till = await RelayLink.sign_in(relay.url, _till(licence, "till-pw-1"))
        assert till.grant["role"] == "till"

        await owner.request("revoke_till", {"till_id": added["till_id"]})
        deadline = asyncio.get_running_loop().time() + 15
        while not till.closed:  # the relay closes the till's live connection
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.01)
        with pytest.raises(RelayError):  # the live connection is cut...
            await till.request("whoami")
        await till.close()
        with pytest.raises(RelayError) as refused:  # ...and it cannot come back
            await RelayLink.sign_in(relay.url, _till(licence, "till-pw-1"))
        assert refused.value.kind == "auth"
        tills = await owner.request("tills")
        assert tills["tills"][0]["revoked"] is True
    finally:
        await owner.close()


async def test_wrong_password_and_unreachable_relay(relay: Relay) -> None:
    with pytest.raises(RelayError) as wrong:
        await RelayLink.sign_in(relay.url, {**OWNER, "password": "nope"})
    assert wrong.value.kind == "auth"
    with pytest.raises(RelayError) as down:
        await RelayLink.sign_in("ws://127.0.0.1:9/", OWNER)
    assert down.value.kind == "unreachable"
