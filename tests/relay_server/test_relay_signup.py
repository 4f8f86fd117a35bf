"""Sign-up through a real relay subprocess: only when the relay allows it, a new shop and
its first owner, clear refusals, throttled per address, malformed requests refused."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from relay_client import NativeClient, eventually
from relay_process import RelayProcess, relay_subprocess

from crdt_models.sync import AuthRejected
from relay_server.auth import verify_password
from relay_server.storage import DOC_NAMES


@pytest.fixture(scope="module")
def open_relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayProcess]:
    """A relay that allows sign-ups (its own subprocess and database)."""
    with relay_subprocess(tmp_path_factory, "--allow-signup") as running:
        yield running


def url(relay: RelayProcess) -> str:
    return f"ws://{relay.host}:{relay.port}/"


def healthz(relay: RelayProcess) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://{relay.host}:{relay.port}/healthz", timeout=10) as r:
        body: dict[str, Any] = json.loads(r.read())
    return body


def signup(**fields: Any) -> dict[str, Any]:
    unique = uuid.uuid4().hex[:8]
    payload: dict[str, Any] = {
        "method": "signup",
        "shop": f"Fournil {unique}",
        "email": f"owner-{unique}@fournil.example",
        "password": "pain-au-levain",
        "device_name": "test manager",
    }
    payload.update(fields)
    return payload


async def answer(relay: RelayProcess, auth: dict[str, Any]) -> NativeClient:
    """Send ``auth`` first; the client once the relay has accepted or refused it."""
    client = await NativeClient.connect(url(relay), auth)
    await eventually(lambda: client.auth is not None or client.rejected is not None)
    return client


async def refusal(relay: RelayProcess, auth: dict[str, Any]) -> AuthRejected:
    client = await answer(relay, auth)
    try:
        assert client.rejected is not None, client.auth
        assert await client.close_code() == 1008
        return client.rejected
    finally:
        await client.close()


async def test_a_sign_up_creates_a_shop_and_its_owner_who_can_log_in(
    open_relay: RelayProcess,
) -> None:
    assert healthz(open_relay)["signup"] is True
    auth = signup()
    client = await answer(open_relay, auth)
    try:
        granted = client.auth
        assert granted is not None, client.rejected
        assert granted["role"] == "owner" and isinstance(granted["token"], str)
        shop_id = str(granted["shop_id"])
    finally:
        await client.close()
    accounts = open_relay.storage.accounts
    shop = accounts.shop(shop_id)
    assert shop.name == auth["shop"] and len(shop.lan_secret) == 64
    owner = accounts.owner_by_email(auth["email"].upper())
    assert owner is not None and owner.shop_id == shop_id
    assert owner.password_hash.startswith("$argon2id$")
    assert verify_password(owner.password_hash, "pain-au-levain")
    assert accounts.tills(shop_id) == []
    assert all(open_relay.storage.documents.load(shop_id, doc) == [] for doc in DOC_NAMES)

    login = {"method": "owner", "email": auth["email"], "password": "pain-au-levain"}
    again = await answer(open_relay, login)
    try:
        assert again.auth is not None and again.auth["shop_id"] == shop_id
    finally:
        await again.close()


async def test_taken_emails_and_shop_names_and_short_passwords_are_refused_clearly(
    open_relay: RelayProcess,
) -> None:
    first = signup()
    client = await answer(open_relay, first)
    assert client.auth is not None
    await client.close()

    taken = await refusal(open_relay, signup(email=first["email"].title()))
    assert (taken.code, taken.message) == (
        "signup.email_taken",
        "this e-mail already has an account",
    )
    same_shop = await refusal(open_relay, signup(shop=first["shop"]))
    assert same_shop.code == "signup.shop_taken"
    short = await refusal(open_relay, signup(password="1234567"))
    assert (short.code, short.message) == (
        "signup.password_short",
        "a password has at least 8 characters",
    )
    not_email = await refusal(open_relay, signup(email="owner at fournil"))
    assert not_email.code == "signup.invalid"
    # Nothing was made by the refused ones.
    assert open_relay.storage.accounts.shop_by_name(signup()["shop"]) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"shop": None},
        {"shop": ""},
        {"shop": 12},
        {"shop": "x" * 1025},
        {"shop": " " * 201 + "x" * 201},
        {"email": ["a@b"]},
        {"email": None},
        {"password": True},
        {"password": "p" * 1025},
        {"device_name": {"a": 1}},  # ignored: the device is named "manager"
    ],
    ids=str,
)
async def test_malformed_sign_ups_are_refused_and_the_relay_goes_on(
    open_relay: RelayProcess, fields: dict[str, Any]
) -> None:
    auth = signup(**fields)
    client = await answer(open_relay, auth)
    try:
        if "device_name" in fields:
            assert client.auth is not None
        else:
            assert client.rejected is not None and client.auth is None
            assert client.rejected.code in ("auth.failed", "signup.invalid")
    finally:
        await client.close()
    assert healthz(open_relay)["status"] == "ok"


async def test_sign_up_is_refused_when_the_relay_does_not_allow_it(
    relay_process: RelayProcess,
) -> None:
    assert healthz(relay_process)["signup"] is False  # the default
    auth = signup()
    refused = await refusal(relay_process, auth)
    assert refused.code == "signup.disabled"
    assert "does not take new shops" in refused.message
    assert relay_process.storage.accounts.owner_by_email(auth["email"]) is None


async def test_sign_ups_are_throttled_per_address(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with relay_subprocess(tmp_path_factory, "--allow-signup", "--address-failures", "2") as relay:
        for _ in range(2):
            client = await answer(relay, signup())
            assert client.auth is not None
            await client.close()
        throttled = await refusal(relay, signup())
        assert throttled.code == "auth.throttled"
        assert throttled.message.startswith("too many failed logins")
