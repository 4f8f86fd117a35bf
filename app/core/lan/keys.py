"""The till signing keys a LAN node knows: to check records it carries for other tills.

Peers of the shop tell each other, in their hello and before forwarding a
till's records, the public key of each till they know (their own first).
Trust is on first use within the shop: only devices that proved the shop's
LAN secret can teach a key, and a key once learned for a till id is never
replaced (a different one is logged and ignored). The relay still checks
every record against the key the till registered at its first login, so a
wrong key here can only make this device refuse to carry records, never make
the relay accept a forged one. Learned keys are kept in ``lan_keys.json`` in
the data directory so a restarted device can still carry records.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path

__all__ = ["KEYS_FILE_NAME", "TillKeys"]

logger = logging.getLogger(__name__)

KEYS_FILE_NAME = "lan_keys.json"


class TillKeys:
    """till id -> 32-byte Ed25519 public key, persisted beside the device store."""

    def __init__(self, path: Path, own_till: str, own_key: bytes) -> None:
        self.path = path
        self._lock = threading.Lock()  # learn() runs on worker threads, possibly two at once
        self._keys: dict[str, bytes] = {}
        try:
            stored = json.loads(path.read_text("utf-8"))
            for till, key in dict(stored).items():
                self._keys[str(till)] = bytes.fromhex(str(key))
        except FileNotFoundError:
            pass
        except (ValueError, TypeError, OSError):
            logger.warning("ignoring an unreadable %s", path)
        self._keys[own_till] = own_key

    def get(self, till_id: str) -> bytes | None:
        """The key of ``till_id``, or None if no peer told us."""
        return self._keys.get(till_id)

    def as_hex(self, tills: list[str] | None = None) -> dict[str, str]:
        """The keys (of ``tills``, or all) as hex, for a hello or a ``keys`` control request."""
        keys = dict(self._keys)
        names = keys if tills is None else [t for t in tills if t in keys]
        return {t: keys[t].hex() for t in names}

    def learn(self, offered: Mapping[str, object]) -> bool:
        """Add keys a peer offered (hex); returns True if any was new (then saved)."""
        with self._lock:
            return self._learn(offered)

    def _learn(self, offered: Mapping[str, object]) -> bool:
        changed = False
        for till, value in offered.items():
            try:
                key = bytes.fromhex(str(value))
            except ValueError:
                continue
            if len(key) != 32:
                continue
            known = self._keys.get(till)
            if known is None:
                self._keys[till] = key
                changed = True
            elif known != key:
                logger.warning("a peer offered a different key for till %s: ignored", till)
        if changed:
            self._save()
        return changed

    def _save(self) -> None:
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(self.as_hex(), sort_keys=True), "utf-8")
        os.replace(tmp, self.path)
