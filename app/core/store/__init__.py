"""The device's local store: one SQLite file per data directory.

Open it once per process with :meth:`DeviceStore.open`; everything else is a
method of the store. See ``device_store`` for what a durable sale means.
"""

from app.core.store.device_store import CHAINS, DeviceStore
from app.core.store.identity import DeviceIdentity

__all__ = ["CHAINS", "DeviceIdentity", "DeviceStore"]
