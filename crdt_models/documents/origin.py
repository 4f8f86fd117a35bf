"""Typed transaction origins: where a change to a shared document came from.

Every write to a shop document runs in a pycrdt transaction whose origin is an
:class:`Origin`. Observers read it back (``ChangeSummary.origin``) to decide
what to do: the sync engine does not send a change back to the peer it came
from, the store does not re-save what it just loaded, the UI may flash rows a
peer changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["LOCAL", "RELAY", "STORAGE", "Origin", "OriginKind"]


class OriginKind(StrEnum):
    """The kinds of place a change comes from."""

    LOCAL = "local"  # a user of this device (or this device's own bookkeeping)
    RELAY = "relay"  # an update received from the relay
    LAN_PEER = "lan_peer"  # an update received from a peer on the shop's LAN
    STORAGE = "storage"  # the device's own stored state, loaded at start-up


@dataclass(frozen=True, slots=True)
class Origin:
    """A transaction origin. Hashable and comparable, as pycrdt requires.

    ``peer_id`` names the LAN peer's device (required for ``LAN_PEER``, absent
    otherwise), so a change can be relayed to every peer but the sender.
    """

    kind: OriginKind
    peer_id: str | None = None

    def __post_init__(self) -> None:
        if (self.kind is OriginKind.LAN_PEER) != (self.peer_id is not None):
            raise ValueError("a LAN peer origin, and only it, names a peer_id")

    @classmethod
    def lan_peer(cls, peer_id: str) -> Origin:
        """The origin of updates received from LAN peer ``peer_id``."""
        return cls(OriginKind.LAN_PEER, peer_id)

    @property
    def is_local(self) -> bool:
        """True for changes made on this device (they must be sent to peers)."""
        return self.kind is OriginKind.LOCAL

    @property
    def is_remote(self) -> bool:
        """True for changes that arrived from the relay or a LAN peer."""
        return self.kind in (OriginKind.RELAY, OriginKind.LAN_PEER)


LOCAL = Origin(OriginKind.LOCAL)
RELAY = Origin(OriginKind.RELAY)
STORAGE = Origin(OriginKind.STORAGE)
