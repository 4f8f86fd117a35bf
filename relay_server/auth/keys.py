"""Random secrets the relay hands out: device tokens and till licence keys."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["new_licence_key", "new_token", "token_digest"]

_LICENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_token() -> str:
    """A new device token: 256 random bits, URL-safe (it may go in a ``token`` query)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored for a token: its SHA-256 (hex). Tokens are random, so no slow hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_licence_key() -> str:
    """A till licence key a person can type: ``XXXXX-XXXXX-XXXXX-XXXXX`` (100 bits)."""
    chars = "".join(secrets.choice(_LICENCE_ALPHABET) for _ in range(20))
    return "-".join(chars[i : i + 5] for i in range(0, 20, 5))
