"""Password hashing: Argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1).

Hashing and verifying take tens of milliseconds on purpose: call them off the
event loop (``asyncio.to_thread``).
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "DUMMY_HASH",
    "MIN_PASSWORD_LENGTH",
    "hash_password",
    "password_problem",
    "verify_password",
]

#: The shortest owner password accepted (``relay add-owner``, a sign-up).
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)

#: Verified against when the account does not exist, so that the answer takes as long.
DUMMY_HASH = _hasher.hash("not a real password")


def password_problem(password: str) -> str | None:
    """Why ``password`` may not be a new owner password, or None if it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password has at least {MIN_PASSWORD_LENGTH} characters"
    return None


def hash_password(password: str) -> str:
    """The Argon2id hash (PHC string) to store for ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (never raises on a bad hash)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
