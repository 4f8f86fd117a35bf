"""Saving what a till receives when it logs in to the relay (and forgetting the token).

The functions the sync package's :mod:`app.core.sync.provisioning` calls;
they delegate to :meth:`DeviceStore.provision` and
:meth:`DeviceStore.forget_relay_token`, which hold the rules (a till id can
change only while this till's chains are empty).
"""

from __future__ import annotations

from app.core.errors import TillIdInUseError
from app.core.store.device_store import DeviceStore
from app.core.store.identity import DeviceIdentity

__all__ = ["TillIdInUseError", "clear_relay_token", "save_provisioning"]


def save_provisioning(
    store: DeviceStore,
    *,
    till_id: str,
    shop_id: str,
    relay_url: str,
    relay_token: str,
    lan_secret: bytes,
) -> DeviceIdentity:
    """Store a till's provisioning in one transaction and return the new identity.

    Raises :class:`TillIdInUseError` (nothing changed) when ``till_id`` differs
    from the current one and this till already recorded something.
    """
    return store.provision(
        till_id=till_id,
        shop_id=shop_id,
        relay_url=relay_url,
        relay_token=relay_token,
        lan_secret=lan_secret,
    )


def clear_relay_token(store: DeviceStore) -> DeviceIdentity:
    """Forget the device token (a logout); the journal and documents stay."""
    return store.forget_relay_token()
