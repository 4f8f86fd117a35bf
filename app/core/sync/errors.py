"""The exception tree of ``app.core.sync``.

Everything derives from :class:`SyncError` (itself an
:class:`~app.core.errors.CoreError`):

- :class:`NotProvisionedError` -- the device has no relay address or device
  token yet: log in first (:func:`~app.core.sync.provisioning.provision`).
- :class:`LoginRefusedError` -- the relay refused a licence + password (or a
  token); ``code`` is the relay's (``auth.failed``, ``auth.throttled``...).
- :class:`RelayUnreachableError` -- the relay could not be reached or closed
  the connection before answering.
- :class:`AlreadyProvisionedError` -- the device already holds a till's sales
  and cannot become another till.
- :class:`RequestRefusedError` -- the relay answered a control request
  (``stats``, ``tills``...) with an error, or the link ended before it answered.
- :class:`UnacknowledgedSalesError` -- logging out or resetting would forget
  records the relay has not acknowledged; pass ``force=True`` after warning the
  user.

Messages are written for the person in front of the till.
"""

from __future__ import annotations

from app.core.errors import CoreError

__all__ = [
    "AlreadyProvisionedError",
    "LoginRefusedError",
    "NotProvisionedError",
    "RelayUnreachableError",
    "RequestRefusedError",
    "SyncError",
    "UnacknowledgedSalesError",
]


class SyncError(CoreError):
    """Base of every error the sync package raises on purpose."""


class NotProvisionedError(SyncError):
    """The device has no relay address or device token: log in first."""

    def __init__(self) -> None:
        super().__init__(
            "This till is not connected to a shop yet. Log in with the licence key and "
            "password the owner gave you."
        )


class LoginRefusedError(SyncError):
    """The relay refused the credentials; ``code`` is the relay's error code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"The server refused the login: {reason}")
        self.code = code
        self.reason = reason


class RelayUnreachableError(SyncError):
    """The relay could not be reached, or closed the connection before answering."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"The server {url} could not be reached ({reason}). Check the internet "
            "connection and try again."
        )
        self.url = url
        self.reason = reason


class AlreadyProvisionedError(SyncError):
    """The device already holds records of one till and cannot become another."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(
            f"This device already holds the journal of till {current}; it cannot become "
            f"till {wanted}. Use a new data directory for another till."
        )
        self.current = current
        self.wanted = wanted


class RequestRefusedError(SyncError):
    """A control request got no answer it could use: ``reason`` says why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"The server could not answer {name!r}: {reason}")
        self.name = name
        self.reason = reason


class UnacknowledgedSalesError(SyncError):
    """Logging out or resetting would forget records the relay has not acknowledged."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} record(s) of this till have not reached the server yet. Connect to "
            "the internet and sync first; forcing it would keep them only on this device."
        )
        self.count = count
