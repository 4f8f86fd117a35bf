"""Slowing down password guessing, per account and per client address.

Policy (in memory, per relay process): after ``free_failures`` failed logins
for one key (an account or an address), that key is locked out for
``base_delay * 2 ** (extra failures)`` seconds, capped at ``max_delay``. A
locked key is refused at once with :class:`~relay_server.errors.ThrottledError`
without checking the password, so a lockout gives no oracle. A successful
login clears the account's counter (not the address's). The table is bounded:
the oldest keys are forgotten beyond ``max_keys``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from relay_server.errors import ThrottledError

__all__ = ["LoginThrottle"]


@dataclass
class _Entry:
    failures: int
    locked_until: float


class LoginThrottle:
    """Failure counters with exponential lockout; ``clock`` is for tests."""

    def __init__(
        self,
        *,
        free_failures: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 900.0,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_keys = max_keys
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def check(self, *keys: str) -> None:
        """Raise :class:`ThrottledError` if any key is locked out now."""
        now = self._clock()
        wait = max(
            (e.locked_until - now for k in keys if (e := self._entries.get(k)) is not None),
            default=0.0,
        )
        if wait > 0:
            raise ThrottledError(wait)

    def failed(self, *keys: str) -> None:
        """Count one failed login against each key."""
        now = self._clock()
        for key in keys:
            entry = self._entries.pop(key, None) or _Entry(0, 0.0)
            entry.failures += 1
            extra = entry.failures - self.free_failures
            if extra >= 0:
                delay = min(self.base_delay * 2 ** min(extra, 30), self.max_delay)
                entry.locked_until = now + delay
            self._entries[key] = entry
        while len(self._entries) > self.max_keys:
            self._entries.popitem(last=False)

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key`` (call with the account key on a good login)."""
        self._entries.pop(key, None)
