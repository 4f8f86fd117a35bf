"""The exception tree of ``relay_server``.

Every error the relay raises on purpose derives from :class:`RelayError`:

- :class:`StorageError` -- the database refused an operation (unknown shop,
  duplicate email or licence, schema of another version).
- :class:`AuthError` -- a login or a token was refused. Its message is safe to
  send to the client: it never says whether the account exists.
- :class:`ThrottledError` (an :class:`AuthError`) -- too many failed logins for
  this account or address; ``retry_after`` says in how many seconds to retry.
- :class:`SignupRefused` (an :class:`AuthError`) -- a sign-up was refused;
  ``code`` says why (``signup.disabled``, ``signup.email_taken``...).
- :class:`PermissionDenied` -- an authenticated device asked for something its
  role may not do (a till writing settings, a till revoking another).

Protocol errors of the native sync protocol are ``crdt_models.sync`` errors;
journal errors are ``crdt_models.journal`` errors.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "PermissionDenied",
    "RelayError",
    "SignupRefused",
    "StorageError",
    "ThrottledError",
]


class RelayError(Exception):
    """Base of every error the relay raises on purpose."""


class StorageError(RelayError):
    """The database refused an operation."""


class AuthError(RelayError):
    """A login or a token was refused (the message is safe to show the client)."""


class ThrottledError(AuthError):
    """Too many failed logins: retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed logins: retry in {retry_after:.0f} s")
        self.retry_after = retry_after


class SignupRefused(AuthError):
    """A sign-up was refused; ``code`` is sent to the client with the message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PermissionDenied(RelayError):
    """The device's role does not allow this operation."""
