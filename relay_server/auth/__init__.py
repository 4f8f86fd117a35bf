"""Authentication: password hashing, device tokens, login throttling, grants."""

from relay_server.auth.keys import new_licence_key, new_token, token_digest
from relay_server.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    password_problem,
    verify_password,
)
from relay_server.auth.service import Authenticator, Grant
from relay_server.auth.throttle import LoginThrottle

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Authenticator",
    "Grant",
    "LoginThrottle",
    "hash_password",
    "new_licence_key",
    "new_token",
    "password_problem",
    "token_digest",
    "verify_password",
]
