"""A token bucket: how many frames a connection may send per second.

The relay does not close a connection that goes over its rate: it stops
reading from it for as long as the bucket needs to refill, so TCP pushes the
pressure back to the sender. A burst (a till replaying offline edits) is
slowed down, never refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["TokenBucket"]


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved; ``clock`` is for tests."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = burst
        self._last = clock()

    def reserve(self, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens; return how many seconds to wait before acting (0: at once)."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        self._tokens -= cost
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate
