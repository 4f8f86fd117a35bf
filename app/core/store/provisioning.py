"""Saving what a till receives when it logs in to the relay (and forgetting the token).

Additive to :class:`~app.core.store.DeviceStore`: the provisioning fields of
the identity row (shop, relay address, device token, LAN secret) and, on a
till that has not recorded anything yet, the till id the relay assigned. The
sync package's :mod:`app.core.sync.provisioning` calls these; nothing else
should.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import update

from app.core.errors import StoreError
from app.core.store.device_store import DeviceStore
from app.core.store.identity import DeviceIdentity
from app.core.store.models import DeviceIdentityRow
from crdt_models.journal import ChainHead

__all__ = ["TillIdInUseError", "clear_relay_token", "save_provisioning"]


class TillIdInUseError(StoreError):
    """The store already holds records under its current till id; it cannot change."""


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

    The till id may change only while this till's chains are empty (a fresh
    device taking the id the relay gave it); otherwise
    :class:`TillIdInUseError` and nothing is changed.
    """
    with store._append_lock:  # no sale may be appended under the old id meanwhile
        current = store._identity
        if till_id != current.till_id and any(h.seq > 0 for h in store._heads.values()):
            raise TillIdInUseError(f"this device already recorded sales as till {current.till_id}")
        with store._write_session() as session, session.begin():
            session.execute(
                update(DeviceIdentityRow).values(
                    till_id=till_id,
                    shop_id=shop_id,
                    relay_url=relay_url,
                    relay_token=relay_token,
                    lan_secret=lan_secret,
                )
            )
        store._identity = dataclasses.replace(
            current,
            till_id=till_id,
            shop_id=shop_id,
            relay_url=relay_url,
            relay_token=relay_token,
            lan_secret=lan_secret,
        )
        if till_id != current.till_id:
            store._heads = {chain: ChainHead.genesis(till_id, chain) for chain in store._heads}
        return store._identity


def clear_relay_token(store: DeviceStore) -> DeviceIdentity:
    """Forget the device token (a logout); the journal and documents stay."""
    with store._append_lock:
        with store._write_session() as session, session.begin():
            session.execute(update(DeviceIdentityRow).values(relay_token=None))
        store._identity = dataclasses.replace(store._identity, relay_token=None)
        return store._identity
