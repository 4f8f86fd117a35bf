"""Counting what the relay has not acknowledged yet, from the device store."""

from __future__ import annotations

from app.core.store import CHAINS, DeviceStore

__all__ = ["unacknowledged_records"]


def unacknowledged_records(
    store: DeviceStore, peer_id: str, chains: tuple[str, ...] = CHAINS
) -> int:
    """This till's records (of ``chains``) that ``peer_id`` has not acknowledged."""
    till = store.identity.till_id
    acks = store.journal_acks(peer_id)
    return sum(max(0, store.head(chain).seq - acks.get((till, chain), 0)) for chain in chains)
