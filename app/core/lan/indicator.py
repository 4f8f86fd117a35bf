"""The sync indicator's three states: through the relay, LAN only, offline."""

from __future__ import annotations

from enum import StrEnum

from app.core.lan.node import LanStatus
from app.core.sync.status import SyncStatus

__all__ = ["Connectivity", "connectivity"]


class Connectivity(StrEnum):
    """What the UI's sync indicator shows ("LAN only" with the peer count)."""

    RELAY = "relay"
    LAN_ONLY = "lan_only"
    OFFLINE = "offline"


def connectivity(relay: SyncStatus, lan: LanStatus) -> tuple[Connectivity, int]:
    """The indicator state and the number of LAN peers, from both statuses."""
    if relay.online:
        return Connectivity.RELAY, lan.peer_count
    if lan.peer_count:
        return Connectivity.LAN_ONLY, lan.peer_count
    return Connectivity.OFFLINE, 0
