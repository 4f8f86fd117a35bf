"""The LAN secure channel, sans-I/O: mutual proof of the shop's LAN secret, encrypted frames.

- :mod:`.channel` -- :class:`SecureChannel`: handshake then ChaCha20-Poly1305 frames.
- :mod:`.fingerprint` -- what a zeroconf announcement may carry.
- :mod:`.errors` -- :class:`LanError` and its subclasses.

``app/core/lan`` runs it over websockets, with a
:class:`~crdt_models.sync.session.SyncSession` inside the channel.
"""

from crdt_models.lan.channel import (
    DEFAULT_MAX_FRAME,
    MIN_SECRET_BYTES,
    ChannelEstablished,
    ChannelEvent,
    ChannelFailed,
    PlaintextReceived,
    Role,
    SecureChannel,
)
from crdt_models.lan.errors import ChannelStateError, FrameAuthError, HandshakeError, LanError
from crdt_models.lan.fingerprint import FINGERPRINT_LABEL, new_instance_id, shop_fingerprint

__all__ = [
    "DEFAULT_MAX_FRAME",
    "FINGERPRINT_LABEL",
    "MIN_SECRET_BYTES",
    "ChannelEstablished",
    "ChannelEvent",
    "ChannelFailed",
    "ChannelStateError",
    "FrameAuthError",
    "HandshakeError",
    "LanError",
    "PlaintextReceived",
    "Role",
    "SecureChannel",
    "new_instance_id",
    "shop_fingerprint",
]
