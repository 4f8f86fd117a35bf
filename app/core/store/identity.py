"""The device identity: who this device is, which till it runs, and its signing key.

Created once, in the transaction that creates the store, and never changed
afterwards except for the provisioning fields (shop, relay, LAN secret) that
pairing fills in later. The Ed25519 private key signs this till's journal;
its public key is what the relay learns at provisioning.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.store.models import DeviceIdentityRow
from crdt_models.ids import new_id
from crdt_models.journal import generate_signing_key, public_key_of

__all__ = ["DeviceIdentity", "ensure_identity", "load_identity"]


@dataclass(frozen=True)
class DeviceIdentity:
    """This device as the store knows it (``repr`` hides the secrets)."""

    device_id: str
    till_id: str
    private_key: bytes
    shop_id: str | None = None
    relay_url: str | None = None
    relay_token: str | None = None
    lan_secret: bytes | None = None

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key that verifies this till's journal."""
        return public_key_of(self.private_key)

    def __repr__(self) -> str:
        return (
            f"DeviceIdentity(device_id={self.device_id!r}, till_id={self.till_id!r}, "
            f"shop_id={self.shop_id!r})"
        )


def _from_row(row: DeviceIdentityRow) -> DeviceIdentity:
    return DeviceIdentity(
        device_id=row.device_id,
        till_id=row.till_id,
        private_key=bytes(row.private_key),
        shop_id=row.shop_id,
        relay_url=row.relay_url,
        relay_token=row.relay_token,
        lan_secret=None if row.lan_secret is None else bytes(row.lan_secret),
    )


def load_identity(session: Session) -> DeviceIdentity | None:
    """The stored identity, or None on a store that has none yet."""
    row = session.scalars(select(DeviceIdentityRow)).one_or_none()
    return None if row is None else _from_row(row)


def ensure_identity(session: Session, till_id: str | None = None) -> DeviceIdentity:
    """Load the identity, creating it (new device id, new key) when absent.

    ``till_id`` names the till on a fresh store (default: the new device id);
    on an existing store it is ignored, the stored one wins.
    """
    existing = load_identity(session)
    if existing is not None:
        return existing
    device_id = new_id()
    row = DeviceIdentityRow(
        id=1,
        device_id=device_id,
        till_id=till_id or device_id,
        private_key=generate_signing_key(),
        created_at=int(time.time()),
    )
    session.add(row)
    session.flush()
    return _from_row(row)
