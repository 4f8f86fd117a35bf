"""Ed25519 keys of a till's journal, as raw 32-byte strings.

A till generates its key once at provisioning (:func:`generate_signing_key`),
keeps the private bytes in its store and gives :func:`public_key_of` to the
relay, which checks every record against it.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = ["generate_signing_key", "public_key_of", "sign_digest", "verify_digest"]

_RAW = serialization.Encoding.Raw


def generate_signing_key() -> bytes:
    """A new random Ed25519 private key as 32 raw bytes (call once per till)."""
    return Ed25519PrivateKey.generate().private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


@lru_cache(maxsize=8)
def _private(private: bytes) -> Ed25519PrivateKey:
    if len(private) != 32:
        raise ValueError("an Ed25519 private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(private)


@lru_cache(maxsize=64)
def _public(public: bytes) -> Ed25519PublicKey:
    if len(public) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(public)


def public_key_of(private: bytes) -> bytes:
    """The 32 raw bytes of the public key matching ``private``."""
    return _private(private).public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def sign_digest(private: bytes, digest: bytes) -> bytes:
    """Sign ``digest`` (a record's 32-byte hash) with ``private``; 64 bytes."""
    return _private(private).sign(digest)


def verify_digest(public: bytes, digest: bytes, signature: bytes) -> bool:
    """True if ``signature`` is ``public``'s signature of ``digest``.

    Raises ``ValueError`` if ``public`` is not a 32-byte key.
    """
    try:
        _public(public).verify(signature, digest)
    except InvalidSignature:
        return False
    return True
