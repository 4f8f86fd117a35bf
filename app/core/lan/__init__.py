"""The shop's LAN: devices of one shop sync directly, with or without the internet (no Qt).

- :mod:`.node` -- :class:`LanNode`: the endpoint, the peer links, documents and
  journal store-and-forward; attaches to the relay :class:`~app.core.sync.SyncEngine`.
- :mod:`.journal` -- :class:`JournalForwarder`: records by heads, verified, stored, forwarded.
- :mod:`.link` -- :class:`LanLink`: one websocket running the secure channel and a session.
- :mod:`.discovery` -- :class:`LanDiscovery`: zeroconf announce and browse.
- :mod:`.keys` -- :class:`TillKeys`: the till signing keys used to check carried records.
- :mod:`.indicator` -- :func:`connectivity`: "relay", "LAN only (N peers)", "offline".
- :mod:`.errors` -- :class:`LanLinkError`.
"""

from app.core.lan.discovery import SERVICE_TYPE, LanDiscovery, PeerAnnouncement
from app.core.lan.errors import LanLinkError
from app.core.lan.indicator import Connectivity, connectivity
from app.core.lan.journal import JournalForwarder, PeerJournal
from app.core.lan.keys import TillKeys
from app.core.lan.link import LanLink, LanTimings
from app.core.lan.node import LanNode, LanStatus
from app.core.lan.runner import start_lan, stop_lan

__all__ = [
    "SERVICE_TYPE",
    "Connectivity",
    "JournalForwarder",
    "LanDiscovery",
    "LanLink",
    "LanLinkError",
    "LanNode",
    "LanStatus",
    "LanTimings",
    "PeerAnnouncement",
    "PeerJournal",
    "TillKeys",
    "connectivity",
    "start_lan",
    "stop_lan",
]
