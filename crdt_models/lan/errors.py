"""The exception tree of ``crdt_models.lan``.

Everything derives from :class:`LanError` (a :class:`~crdt_models.errors.DomainError`).
Each class has a stable ``code`` for logs and for the close reason a LAN
endpoint sends:

- :class:`HandshakeError` (``lan.handshake``) -- the peer did not prove it
  holds the shop's LAN credential (wrong or rotated secret, another shop, a
  replayed handshake) or sent a malformed handshake message.
- :class:`FrameAuthError` (``lan.frame``) -- an encrypted frame that does not
  decrypt under the next expected counter: tampered, replayed, reordered,
  truncated or over-long.
- :class:`ChannelStateError` (``lan.state``) -- raised to the *owner* of a
  channel that sends before the handshake finished or after it failed.

A :class:`~crdt_models.lan.channel.SecureChannel` never raises the first two on
bad input: it reports a :class:`~crdt_models.lan.channel.ChannelFailed` event
and closes.
"""

from __future__ import annotations

from typing import ClassVar

from crdt_models.errors import DomainError

__all__ = ["ChannelStateError", "FrameAuthError", "HandshakeError", "LanError"]


class LanError(DomainError):
    """Base of the LAN secure channel's errors."""

    code: ClassVar[str] = "lan.error"


class HandshakeError(LanError):
    """The peer failed the mutual authentication or sent a malformed handshake."""

    code: ClassVar[str] = "lan.handshake"


class FrameAuthError(LanError):
    """An encrypted frame failed authentication (tampered, replayed, reordered)."""

    code: ClassVar[str] = "lan.frame"


class ChannelStateError(LanError):
    """The owner sent on a channel that is not established (or already failed)."""

    code: ClassVar[str] = "lan.state"
