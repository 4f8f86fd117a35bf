"""The relay as the manager's pages see it: signed in or not, requests with callbacks,
and the shop's documents kept in sync while signed in.

:class:`RelayConnection` lives on the GUI thread; the :class:`~app.manager.relay_link.RelayLink`
it drives runs on the :class:`~app.qt.bridge.AsyncBridge` loop. Results and
errors come back to the GUI thread as callbacks; ``state_changed`` says when
the owner is signed in or not.

Given the shop's documents, it syncs them while signed in: every local
transaction's update is pushed to the relay, and every update from the relay
is applied on the GUI thread in a transaction whose origin is
:data:`~crdt_models.documents.RELAY` (so views refresh, and the update is not
sent back). This is the manager's own small sync loop until the device sync
engine exists; it does not carry journal records.
"""

from __future__ import annotations

import concurrent.futures
import logging
import socket
from collections.abc import Callable
from functools import partial
from typing import Any

from pycrdt import Doc, TransactionEvent
from PySide6.QtCore import QObject, Signal

from app.manager.relay_link import RelayError, RelayLink
from app.qt.bridge import AsyncBridge
from app.qt.i18n import tr
from crdt_models.documents import RELAY, ShopDocuments
from crdt_models.documents.schema import INVENTORY
from crdt_models.sync.payloads import JsonObject

__all__ = ["RelayConnection", "relay_error_text"]

logger = logging.getLogger(__name__)


def relay_error_text(error: BaseException) -> str:
    """What to tell the owner about a failed sign-in or request."""
    if isinstance(error, RelayError):
        if error.kind == "auth":
            return tr("The relay refused the e-mail or the password.")
        if error.kind == "unreachable":
            return tr("The relay cannot be reached: check the address and the internet.")
        return tr("The relay refused: {reason}", reason=str(error))
    logger.error("relay request failed", exc_info=error)
    return tr("Something went wrong while talking to the relay.")


class RelayConnection(QObject):
    """Sign in to the relay as the owner and make requests; ``state_changed(bool)``."""

    state_changed = Signal(bool)

    def __init__(
        self,
        bridge: AsyncBridge,
        url: str = "",
        shop: ShopDocuments | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.url = url
        self.email = ""
        self.shop = shop
        self._link: RelayLink | None = None
        self._pending: list[tuple[str, bytes]] | None = None  # local updates while signing in
        self._applying_remote = False
        self._subscriptions: list[tuple[Doc[Any], Any]] = []

    @property
    def signed_in(self) -> bool:
        return self._link is not None

    def sign_in(
        self,
        url: str,
        email: str,
        password: str,
        on_done: Callable[[str | None], None],
    ) -> None:
        """Sign in; ``on_done(None)`` on success, ``on_done(message)`` on failure."""
        credentials: JsonObject = {
            "method": "owner",
            "email": email,
            "password": password,
            "device_name": f"manager on {socket.gethostname()}",
        }

        initial = self._start_syncing()

        def done(link: RelayLink) -> None:
            self._link, self.url, self.email = link, url, email
            for name, update in self._pending or ():
                self.bridge.submit(link.push(name, update))
            self._pending = None
            self.state_changed.emit(True)
            on_done(None)

        def failed(error: BaseException) -> None:
            self._stop_syncing()
            on_done(relay_error_text(error))

        self.bridge.submit(
            RelayLink.sign_in(url, credentials, initial=initial, on_update=self._on_remote),
            on_result=done,
            on_error=failed,
        )

    # -- documents ---------------------------------------------------------

    def _start_syncing(self) -> dict[str, bytes]:
        """Watch local transactions; return what this device holds, for the first exchange."""
        self._stop_syncing()
        if self.shop is None:
            return {}
        self._pending = []
        docs = self.shop.docs
        for name, doc in docs.items():
            subscription = doc.observe(partial(self._on_local, name))
            self._subscriptions.append((doc, subscription))
        return {name: doc.get_update() for name, doc in docs.items()}

    def _stop_syncing(self) -> None:
        for doc, subscription in self._subscriptions:
            doc.unobserve(subscription)
        self._subscriptions.clear()
        self._pending = None

    def _on_local(self, name: str, event: TransactionEvent) -> None:
        if self._applying_remote:
            return
        if self._link is not None:
            self.bridge.submit(self._link.push(name, event.update))
        elif self._pending is not None:
            self._pending.append((name, event.update))

    def _on_remote(self, name: str, update: bytes) -> None:
        """Called on the loop thread: apply ``update`` on the GUI thread."""
        self.bridge.to_gui(partial(self._apply_remote, name, update))

    def _apply_remote(self, name: str, update: bytes) -> None:
        if self.shop is None or (self._link is None and self._pending is None):
            return
        doc = self.shop.docs[name]
        self._applying_remote = True
        try:
            with doc.transaction(origin=RELAY):
                doc.apply_update(update)
        finally:
            self._applying_remote = False
        if name == INVENTORY:
            self.shop.inventory.repair()

    def sign_out(self) -> None:
        """Close the link (the pages fall back to what this computer holds)."""
        link, self._link = self._link, None
        self._stop_syncing()
        if link is not None:
            self.bridge.submit(link.close())
            self.state_changed.emit(False)

    def request(
        self,
        name: str,
        payload: JsonObject | None,
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> None:
        """Ask the relay ``name``; the answer (a JSON object) or an error message comes back."""
        link = self._link
        if link is None:
            on_error(tr("Sign in to the relay first."))
            return

        def failed(error: BaseException) -> None:
            if isinstance(error, RelayError) and error.kind == "unreachable":
                self._link = None
                self._stop_syncing()
                self.state_changed.emit(False)
            on_error(relay_error_text(error))

        self.bridge.submit(link.request(name, payload), on_result=on_result, on_error=failed)

    def close(self, timeout: float = 5.0) -> None:
        """Sign out (waiting for the connection to close) and stop the background loop."""
        link, self._link = self._link, None
        self._stop_syncing()
        if link is not None:
            try:
                self.bridge.submit(link.close()).result(timeout)
            except (concurrent.futures.TimeoutError, RuntimeError) as exc:
                logger.warning("the relay connection did not close cleanly: %s", exc)
        self.bridge.close()
