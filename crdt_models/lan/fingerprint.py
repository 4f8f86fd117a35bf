"""What a device may say about its shop in a zeroconf announcement.

The TXT record of ``_skytill._tcp.local.`` carries :func:`shop_fingerprint`,
an HMAC of a fixed label under the shop's LAN secret, truncated: peers of one
shop compute the same value and so know whom to dial, while an outsider can
neither learn the shop from it nor forge it for another shop. It changes when
the secret rotates (a revoked till keeps announcing the old one, and nobody
dials it). It is only a hint: a connection is trusted after the handshake of
:mod:`crdt_models.lan.channel`, never because of an announcement.
"""

from __future__ import annotations

import hashlib
import hmac
import os

__all__ = ["FINGERPRINT_LABEL", "new_instance_id", "shop_fingerprint"]

FINGERPRINT_LABEL = b"skytill-lan-v1 fingerprint"


def shop_fingerprint(secret: bytes) -> str:
    """16 hex characters that peers of the shop holding ``secret`` share."""
    return hmac.new(secret, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def new_instance_id() -> str:
    """A random id for one run of a LAN endpoint (announced instead of any real device id)."""
    return os.urandom(8).hex()
