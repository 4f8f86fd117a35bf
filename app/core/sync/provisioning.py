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

:func:`logout` forgets the token, but never while this till has records the
relay has not acknowledged, unless ``force=True`` (the UI warns first).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.core.store import DeviceStore
from app.core.store.provisioning import TillIdInUseError, clear_relay_token, save_provisioning
from app.core.sync.errors import (
    AlreadyProvisionedError,
    LoginRefusedError,
    UnacknowledgedSalesError,
)
from app.core.sync.link import DEFAULT_TIMINGS, LinkTimings, RelayLink
from app.core.sync.pending import unacknowledged_records

__all__ = [
    "RELAY_PEER",
    "Provisioned",
    "ensure_may_forget",
    "login_till",
    "logout",
    "provision",
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
    recorded sales as another till.
    """
    auth = {
        "method": "till",
        "licence": licence.strip(),
        "password": password,
        "public_key": store.identity.public_key.hex(),
    }
    link = RelayLink(relay_url, auth, timings=timings)  # type: ignore[arg-type]
    payload = await link.connect()
    await link.close()
    token, shop_id, secret = payload.get("token"), payload.get("shop_id"), payload.get("lan_secret")
    till = payload.get("till")
    if not (
        isinstance(token, str)
        and isinstance(shop_id, str)
        and isinstance(secret, str)
        and isinstance(till, dict)
        and isinstance(till.get("id"), str)
    ):
        raise LoginRefusedError("auth.unexpected", "the server's answer is incomplete")
    till_id = str(till["id"])
    try:
        lan_secret = bytes.fromhex(secret)
    except ValueError:
        lan_secret = secret.encode("utf-8")
    try:
        await asyncio.to_thread(
            save_provisioning,
            store,
            till_id=till_id,
            shop_id=shop_id,
            relay_url=relay_url,
            relay_token=token,
            lan_secret=lan_secret,
        )
    except TillIdInUseError:
        raise AlreadyProvisionedError(store.identity.till_id, till_id) from None
    number, name = till.get("number"), till.get("name")
    return Provisioned(
        shop_id=shop_id,
        till_id=till_id,
        till_number=number if isinstance(number, int) else None,
        till_name=name if isinstance(name, str) else None,
        relay_url=relay_url,
    )


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
    clear_relay_token(store)
