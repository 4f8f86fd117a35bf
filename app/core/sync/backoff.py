"""Reconnection delays: exponential backoff with full jitter.

One :class:`Backoff` per link. Call :meth:`Backoff.next_delay` after each
failed or lost connection and sleep that long; call :meth:`Backoff.reset` once
a connection is authenticated, so the next loss retries quickly.
"""

from __future__ import annotations

import random

__all__ = ["Backoff"]


class Backoff:
    """Delays that double from ``first`` up to ``cap`` seconds, each drawn with jitter.

    The n-th delay is uniform in ``[max(first, ceiling / 2), ceiling]`` where
    ``ceiling = min(cap, first * 2**n)``: always between ``first`` and ``cap``,
    never below half the ceiling (a flapping relay is not hammered), and spread
    so that a shop's tills do not all reconnect in the same millisecond after
    a relay restart.
    """

    def __init__(
        self, first: float = 0.5, cap: float = 30.0, *, rng: random.Random | None = None
    ) -> None:
        if not 0 < first <= cap:
            raise ValueError("need 0 < first <= cap")
        self.first = first
        self.cap = cap
        self._rng = rng or random.Random()
        self._attempts = 0

    @property
    def attempts(self) -> int:
        """Failed attempts since the last :meth:`reset`."""
        return self._attempts

    def ceiling(self) -> float:
        """The largest delay the next call may return."""
        return min(self.cap, self.first * 2.0 ** min(self._attempts, 32))

    def next_delay(self) -> float:
        """The delay before the next attempt; each call counts one more failure."""
        ceiling = self.ceiling()
        self._attempts += 1
        delay: float = self._rng.uniform(max(self.first, ceiling / 2), ceiling)
        return delay

    def reset(self) -> None:
        """Start again from ``first`` (call it once a connection succeeded)."""
        self._attempts = 0
