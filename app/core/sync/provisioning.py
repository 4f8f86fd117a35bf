"""A till's first login: licence + password in, device token and identity stored.

The owner creates a till in the manager and gives the cashier its licence key
and password. On first start the till calls :func:`login_till` (from the
engine's loop or any coroutine) or :func:`provision` (blocking, outside a
loop): it authenticates once with ``{"method": "till", "licence",
"password", "public_key"}`` (the relay registers the till's journal signing
key on its first login), receives the device token, the till's id, number and
name, the shop id and the shop's LAN secret, and stores them in the
:class:`~app.core.store.DeviceStore` identity. The engine then resumes with
the token (:meth:`~app.core.sync.engine.SyncEngine.credentials_changed`).
A manager does the same with the owner's e-mail and password
(:func:`login_owner`), or creates a new shop and its first owner when the
relay allows sign-ups (:func:`relay_allows_signup`, :func:`signup_owner`).

:func:`logout` forgets the token, but never while this till has records the
relay has not acknowledged, unless ``force=True`` (the UI warns first).
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit, urlunsplit

from app.core.errors import TillIdInUseError
from app.core.store import CHAINS, DeviceStore
from app.core.sync.errors import (
    AlreadyProvisionedError,
    LoginRefusedError,
    UnacknowledgedSalesError,
)
from app.core.sync.link import DEFAULT_TIMINGS, LinkTimings, RelayLink
from app.core.sync.pending import unacknowledged_records
from crdt_models.sync.payloads import JsonObject

__all__ = [
    "RELAY_PEER",
    "Provisioned",
    "ensure_may_forget",
    "login_owner",
    "login_till",
    "logout",
    "provision",
    "relay_allows_signup",
    "signup_owner",
]

#: The peer id under which the store's sync bookkeeping records the relay's acks.
RELAY_PEER = "relay"


@dataclass(frozen=True)
class Provisioned:
    """What a successful till login stored (the token itself stays in the store)."""

    shop_id: str
    till_id: str
    till_number: int | None
    till_name: str | None
    relay_url: str


async def login_till(
    store: DeviceStore,
    relay_url: str,
    licence: str,
    password: str,
    *,
    timings: LinkTimings = DEFAULT_TIMINGS,
) -> Provisioned:
    """Log this device in as the till ``licence`` and store what the relay grants.

    Raises :class:`~.errors.LoginRefusedError` (wrong licence or password,
    revoked till, too many attempts: the message says which),
    :class:`~.errors.RelayUnreachableError`, or
    :class:`~.errors.AlreadyProvisionedError` when this device already
    recorded sales as another till (a device that sold before any login is
    refused before the relay is even asked).
    """
    identity = store.identity
    if identity.shop_id is None and any(store.head(chain).seq for chain in CHAINS):
        # Checked before the relay binds this device's key to the till.
        raise AlreadyProvisionedError(identity.till_id, "a till of the shop")
    auth: JsonObject = {
        "method": "till",
        "licence": licence.strip(),
        "password": password,
        "public_key": store.identity.public_key.hex(),
    }
    payload = await _login(store, relay_url, auth, timings)
    till = payload.get("till")
    if not isinstance(till, dict) or not isinstance(till.get("id"), str):
        raise LoginRefusedError("auth.unexpected", "the server's answer names no till")
    till_id = str(till["id"])
    number, name = till.get("number"), till.get("name")
    provisioned = Provisioned(
        shop_id=str(payload["shop_id"]),
        till_id=till_id,
        till_number=number if isinstance(number, int) else None,
        till_name=name if isinstance(name, str) else None,
        relay_url=relay_url,
    )
    await _save(store, provisioned, payload)
    return provisioned


async def login_owner(
    store: DeviceStore,
    relay_url: str,
    email: str,
    password: str,
    *,
    device_name: str = "manager",
    timings: LinkTimings = DEFAULT_TIMINGS,
) -> Provisioned:
    """Log a manager device in as the shop's owner and store its device token.

    The device keeps its own id (``till_id`` stays the store's: a manager
    records no sales). Raises like :func:`login_till`.
    """
    auth: JsonObject = {
        "method": "owner",
        "email": email.strip(),
        "password": password,
        "device_name": device_name,
    }
    return await _manager_login(store, relay_url, auth, timings)


async def signup_owner(
    store: DeviceStore,
    relay_url: str,
    shop: str,
    email: str,
    password: str,
    *,
    device_name: str = "manager",
    timings: LinkTimings = DEFAULT_TIMINGS,
) -> Provisioned:
    """Create the shop ``shop`` and its first owner on the relay, then log in as
    :func:`login_owner` does.

    Raises :class:`~.errors.LoginRefusedError` whose ``code`` says why:
    ``signup.disabled`` (the relay does not allow it), ``signup.email_taken``,
    ``signup.shop_taken``, ``signup.password_short``, ``signup.invalid``,
    ``auth.throttled``; or :class:`~.errors.RelayUnreachableError`.
    """
    auth: JsonObject = {
        "method": "signup",
        "shop": shop.strip(),
        "email": email.strip(),
        "password": password,
        "device_name": device_name,
    }
    return await _manager_login(store, relay_url, auth, timings)


async def relay_allows_signup(relay_url: str, timeout: float = 5.0) -> bool:
    """Whether the relay at ``relay_url`` (``ws://`` or ``wss://``) says it takes new
    shops, from its ``/healthz``; False when it cannot be asked."""
    parts = urlsplit(relay_url)
    if parts.scheme not in ("ws", "wss") or not parts.netloc:
        return False
    scheme = "https" if parts.scheme == "wss" else "http"
    health = urlunsplit((scheme, parts.netloc, "/healthz", "", ""))

    def ask() -> bool:
        with urllib.request.urlopen(health, timeout=timeout) as response:
            body = json.loads(response.read(4096))
        return isinstance(body, dict) and body.get("signup") is True

    try:
        return await asyncio.to_thread(ask)
    except (OSError, ValueError, HTTPException):  # unreachable, HTTP error, not JSON
        return False


async def _manager_login(
    store: DeviceStore, relay_url: str, auth: JsonObject, timings: LinkTimings
) -> Provisioned:
    payload = await _login(store, relay_url, auth, timings)
    provisioned = Provisioned(
        shop_id=str(payload["shop_id"]),
        till_id=store.identity.till_id,
        till_number=None,
        till_name=None,
        relay_url=relay_url,
    )
    await _save(store, provisioned, payload)
    return provisioned


async def _login(
    store: DeviceStore, relay_url: str, auth: JsonObject, timings: LinkTimings
) -> JsonObject:
    link = RelayLink(relay_url, auth, timings=timings)
    try:
        payload = await link.connect()
    finally:
        await link.close()
    if not all(isinstance(payload.get(key), str) for key in ("token", "shop_id", "lan_secret")):
        raise LoginRefusedError("auth.unexpected", "the server's answer is incomplete")
    return payload


def _lan_secret(payload: JsonObject) -> bytes:
    secret = str(payload["lan_secret"])
    try:
        return bytes.fromhex(secret)
    except ValueError:
        return secret.encode("utf-8")


def remember_lan_secret(store: DeviceStore, payload: JsonObject) -> bool:
    """Keep the shop's LAN secret the relay sent at login, if it changed (it rotates
    when a till is revoked, so that the revoked till is shut out of the LAN too).
    Returns whether it changed; a LAN node notices the new secret by itself."""
    if not isinstance(payload.get("lan_secret"), str):
        return False
    secret = _lan_secret(payload)
    identity = store.identity
    if secret == identity.lan_secret or identity.shop_id is None:
        return False
    store.provision(
        shop_id=identity.shop_id,
        relay_url=identity.relay_url,
        relay_token=identity.relay_token,
        lan_secret=secret,
    )
    return True


async def _save(store: DeviceStore, provisioned: Provisioned, payload: JsonObject) -> None:
    lan_secret = _lan_secret(payload)
    try:
        await asyncio.to_thread(
            store.provision,
            till_id=provisioned.till_id,
            shop_id=provisioned.shop_id,
            relay_url=provisioned.relay_url,
            relay_token=str(payload["token"]),
            lan_secret=lan_secret,
        )
    except TillIdInUseError:
        raise AlreadyProvisionedError(store.identity.till_id, provisioned.till_id) from None


def provision(
    store: DeviceStore,
    relay_url: str,
    licence: str,
    password: str,
    *,
    timings: LinkTimings = DEFAULT_TIMINGS,
) -> Provisioned:
    """:func:`login_till`, blocking; call it outside any running event loop."""
    return asyncio.run(login_till(store, relay_url, licence, password, timings=timings))


def ensure_may_forget(store: DeviceStore, *, force: bool = False) -> None:
    """Raise :class:`~.errors.UnacknowledgedSalesError` if this till holds unacknowledged records.

    Call before anything that would lose local data or the means to upload it
    (logout, reset, purge). ``force=True`` skips the check: only after the
    user confirmed a warning. Nothing here deletes anything.
    """
    if force:
        return
    count = unacknowledged_records(store, RELAY_PEER)
    if count:
        raise UnacknowledgedSalesError(count)


def logout(store: DeviceStore, *, force: bool = False) -> None:
    """Forget the device token (the journal and documents stay on the device).

    Refused with :class:`~.errors.UnacknowledgedSalesError` while the relay has
    not acknowledged every record of this till, unless ``force=True``. Stop the
    engine first (or call :meth:`~app.core.sync.engine.SyncEngine.logout`).
    """
    ensure_may_forget(store, force=force)
    store.forget_relay_token()
