"""The device sync engine: the till's and the manager's link to the relay (no Qt).

- :mod:`.engine` -- :class:`SyncEngine`: one asyncio loop on a background
  thread; pushes local changes and sales, stores relay updates, reconnects.
- :mod:`.docs` -- :class:`DocBridge`: the app's Docs <-> the engine's replicas.
- :mod:`.link` -- :class:`RelayLink`: one websocket running a ``SyncSession``.
- :mod:`.status` -- :class:`SyncStatus` snapshots for the UI, :class:`SyncOutcome`.
- :mod:`.backoff` -- reconnection delays with jitter.
- :mod:`.provisioning` -- a till's first login (licence + password), logout guard.
- :mod:`.errors` -- :class:`SyncError` and its subclasses.
"""

from app.core.sync.backoff import Backoff
from app.core.sync.docs import DocBridge, OwnerCall
from app.core.sync.engine import SyncEngine, SyncTimings
from app.core.sync.errors import (
    AlreadyProvisionedError,
    LoginRefusedError,
    NotProvisionedError,
    RelayUnreachableError,
    RequestRefusedError,
    SyncError,
    UnacknowledgedSalesError,
)
from app.core.sync.link import LinkClosed, LinkTimings, RelayLink
from app.core.sync.provisioning import (
    RELAY_PEER,
    Provisioned,
    ensure_may_forget,
    login_owner,
    login_till,
    logout,
    provision,
    relay_allows_signup,
    signup_owner,
)
from app.core.sync.status import LinkState, StatusBoard, SyncOutcome, SyncStatus

__all__ = [
    "RELAY_PEER",
    "AlreadyProvisionedError",
    "Backoff",
    "DocBridge",
    "LinkClosed",
    "LinkState",
    "LinkTimings",
    "LoginRefusedError",
    "NotProvisionedError",
    "OwnerCall",
    "Provisioned",
    "RelayLink",
    "RelayUnreachableError",
    "RequestRefusedError",
    "StatusBoard",
    "SyncEngine",
    "SyncError",
    "SyncOutcome",
    "SyncStatus",
    "SyncTimings",
    "UnacknowledgedSalesError",
    "ensure_may_forget",
    "login_owner",
    "login_till",
    "logout",
    "provision",
    "relay_allows_signup",
    "signup_owner",
]
