"""The exception tree of ``app.core.lan``.

- :class:`LanLinkError` -- a LAN connection could not be set up: the peer was
  unreachable, too slow, or failed the mutual authentication (``code`` says
  which: ``lan.unreachable``, ``lan.timeout``, ``lan.handshake``,
  ``lan.refused``, ``lan.closed``).

Nothing here reaches a user directly: a LAN link that fails is retried, and
the status shows how many peers are connected.
"""

from __future__ import annotations

from app.core.errors import CoreError

__all__ = ["LanLinkError"]


class LanLinkError(CoreError):
    """A LAN link could not be set up (``code`` is stable, the message is for logs)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
