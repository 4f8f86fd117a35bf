"""Joining the app's live Docs to the engine: local changes out, relay changes in.

The app's shared Docs belong to one thread (the GUI's): its views observe
them and redraw. The engine runs on its own loop thread with replicas of the
same Docs. A :class:`DocBridge` (made by
:meth:`~app.core.sync.engine.SyncEngine.attach` on the owner thread) connects
them:

- every transaction on an app Doc that the bridge did not apply itself is a
  local change (a cashier's, the owner's, this device's bookkeeping): it is
  stored durably in the device store right away (``persist_local``) and handed
  to the engine, which pushes it to the relay within a few milliseconds;
- an update received from the relay is stored by the engine, then applied to
  the app Doc on the owner thread (through ``call_in_owner``, e.g. a queued Qt
  signal) in a transaction whose origin is :data:`~crdt_models.documents.origin.RELAY`;
  the bridge ignores that transaction, so nothing is echoed or stored twice;
  then ``after_remote(name)`` runs, for the app to mend what a merge can lose
  (``ShopDocuments.settle``).

The app must not also store its Docs' updates itself when it attaches a
bridge with ``persist_local=True`` (the default).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from pycrdt import Doc, Subscription, TransactionEvent

from crdt_models.documents.origin import RELAY

if TYPE_CHECKING:
    from app.core.store import DeviceStore

__all__ = ["DocBridge", "OwnerCall"]

logger = logging.getLogger(__name__)

#: Runs a function on the thread that owns the app's Docs (soon, in order).
OwnerCall = Callable[[Callable[[], None]], None]


class DocBridge:
    """The link between the app's Docs (one owner thread) and a sync engine.

    Build it with :meth:`~app.core.sync.engine.SyncEngine.attach`; call
    :meth:`close` (owner thread) before dropping the Docs.
    """

    def __init__(
        self,
        docs: Mapping[str, Doc[Any]],
        call_in_owner: OwnerCall,
        push_local: Callable[[str, bytes], None],
        store: DeviceStore | None,
        after_remote: Callable[[str], object] | None = None,
    ) -> None:
        self.docs = dict(docs)
        self._after_remote = after_remote
        self._call_in_owner = call_in_owner
        self._push_local = push_local
        self._store = store
        self._applying = False
        self._closed = False
        self._subscriptions: dict[str, Subscription] = {
            name: doc.observe(partial(self._on_transaction, name))
            for name, doc in self.docs.items()
        }

    def _on_transaction(self, name: str, event: TransactionEvent) -> None:
        if self._applying:
            return
        update = event.update
        if self._store is not None:
            self._store.append_update(name, update)  # durable before the engine hears of it
        self._push_local(name, update)

    def deliver(self, name: str, update: bytes) -> None:
        """Apply a relay ``update`` of ``name`` on the owner thread (any thread may call it)."""
        self._call_in_owner(partial(self.apply_remote, name, update))

    def apply_remote(self, name: str, update: bytes) -> None:
        """Apply a relay update now; call on the owner thread only (``deliver`` does)."""
        doc = self.docs.get(name)
        if doc is None or self._closed:
            return
        self._applying = True
        try:
            with doc.transaction(origin=RELAY):
                doc.apply_update(update)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # the replica took it, so this is a bug: log it, keep going
            logger.exception("could not apply a relay update of %r to the app's document", name)
        finally:
            self._applying = False
        if self._after_remote is not None:
            try:  # its writes, if any, are local changes: stored and pushed as such
                self._after_remote(name)
            except Exception:
                logger.exception("after_remote(%r) failed", name)

    def close(self) -> None:
        """Stop observing the app's Docs (owner thread); later deliveries are dropped."""
        if self._closed:
            return
        self._closed = True
        for name, subscription in self._subscriptions.items():
            self.docs[name].unobserve(subscription)
        self._subscriptions.clear()
