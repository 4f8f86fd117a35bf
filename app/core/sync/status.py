"""What the UI shows about sync: an immutable :class:`SyncStatus` and who to tell.

The engine replaces its status with :meth:`StatusBoard.update` (on its loop
thread); readers take :attr:`StatusBoard.current` from any thread, or
:meth:`StatusBoard.subscribe` a callback that gets every new snapshot. The Qt
layer's callback only emits a queued signal, so the GUI redraws on its own
thread.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["LinkState", "StatusBoard", "SyncOutcome", "SyncStatus"]

logger = logging.getLogger(__name__)


class LinkState(StrEnum):
    """Where the link to the relay stands."""

    NOT_CONFIGURED = "not_configured"  # no relay or token: the till was never logged in
    STOPPED = "stopped"  # the engine is not running
    CONNECTING = "connecting"  # trying (again); ``retry_in`` says when the next try is
    ONLINE = "online"  # authenticated and syncing
    OFFLINE = "offline"  # the last attempt failed or the link died; retrying by itself
    REFUSED = "refused"  # the relay refused this device (revoked, token unknown): no retry


@dataclass(frozen=True)
class SyncStatus:
    """One snapshot of the sync state, safe to hand to any thread.

    ``last_sync`` is the unix time of the last completed exchange with the
    relay (every document's state vector answered, journal acks recorded);
    ``pending_sales`` counts this till's records the relay has not
    acknowledged (both chains); ``pending_changes`` counts local document
    changes not yet confirmed by a state-vector exchange (a document changed
    before this process started counts as one); ``error`` says why the link
    is offline or refused, in words a cashier can read.
    """

    state: LinkState = LinkState.STOPPED
    last_sync: float | None = None
    pending_sales: int = 0
    pending_changes: int = 0
    error: str | None = None

    @property
    def online(self) -> bool:
        """True while the relay link is authenticated."""
        return self.state is LinkState.ONLINE

    @property
    def pending(self) -> int:
        """Everything not yet acknowledged (what the indicator's badge shows)."""
        return self.pending_sales + self.pending_changes


@dataclass(frozen=True)
class SyncOutcome:
    """The result of "sync now": ``ok``, or the reason it failed."""

    ok: bool
    reason: str | None = None
    status: SyncStatus = SyncStatus()


class StatusBoard:
    """Holds the current :class:`SyncStatus` and calls subscribers on each change."""

    def __init__(self, initial: SyncStatus | None = None) -> None:
        self._status = initial or SyncStatus()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[SyncStatus], None]] = []

    @property
    def current(self) -> SyncStatus:
        """The latest snapshot (any thread)."""
        return self._status

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call ``listener(status)`` on every change (on the engine's thread).

        Returns a function that unsubscribes. A listener must not block: the
        Qt layer's emits a queued signal and returns.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def update(self, **changes: object) -> SyncStatus:
        """Replace fields of the status; tells the listeners if anything changed."""
        with self._lock:
            new = dataclasses.replace(self._status, **changes)  # type: ignore[arg-type]
            if new == self._status:
                return new
            self._status = new
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(new)
            except Exception:  # a broken view must not stop the sync
                logger.exception("sync status listener %r failed", listener)
        return new
