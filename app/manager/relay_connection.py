"""The relay as the manager's pages see it: signed in or not, and requests with callbacks.

:class:`RelayConnection` lives on the GUI thread and drives the device sync
engine (:class:`app.core.sync.SyncEngine`) on the :class:`~app.qt.bridge.AsyncBridge`
loop. Signing in is the engine's owner login (:func:`app.core.sync.login_owner`),
which stores a device token in the store: the next start connects by itself.
While the engine is online it syncs the shop's documents both ways (its
:class:`~app.core.sync.DocBridge` applies the relay's updates on the GUI
thread with the RELAY origin, so views refresh) and answers control requests
(``tills``, ``add_till``, ``set_till_password``, ``revoke_till``...).
Results and errors come back to the GUI thread as callbacks;
``state_changed(bool)`` says when the link is online or not.
"""

from __future__ import annotations

import concurrent.futures
import logging
import socket
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.lan import LanNode, start_lan, stop_lan
from app.core.sync import (
    DocBridge,
    LinkState,
    LoginRefusedError,
    RelayUnreachableError,
    RequestRefusedError,
    SyncEngine,
    SyncStatus,
    login_owner,
    relay_allows_signup,
    signup_owner,
)
from app.manager.context import ManagerContext
from app.qt.bridge import AsyncBridge
from app.qt.i18n import tr
from crdt_models.sync.payloads import JsonObject

__all__ = ["RelayConnection", "relay_error_text"]

logger = logging.getLogger(__name__)


def relay_error_text(error: BaseException) -> str:
    """What to tell the owner about a failed sign-in or request."""
    if isinstance(error, LoginRefusedError):
        return tr("The relay refused the e-mail or the password.")
    if isinstance(error, RelayUnreachableError):
        return tr("The relay cannot be reached: check the address and the internet.")
    if isinstance(error, RequestRefusedError):
        return tr("The relay refused: {reason}", reason=str(error))
    logger.error("relay request failed", exc_info=error)
    return tr("Something went wrong while talking to the relay.")


class RelayConnection(QObject):
    """The manager's sync engine, seen from the GUI; ``state_changed(online)``."""

    state_changed = Signal(bool)
    _status = Signal(object)

    def __init__(
        self,
        bridge: AsyncBridge,
        context: ManagerContext,
        url: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.context = context
        self.url = url or context.store.identity.relay_url or ""
        self.email = ""
        self.online = False
        self._waiting: Callable[[str | None], None] | None = None
        self.engine = SyncEngine(context.store)
        self._status.connect(self._on_status)
        self._unsubscribe = self.engine.subscribe(self._status.emit)
        self.engine.start(bridge.loop)
        context.stop_saving()  # from now on the engine's (or LAN node's) bridge stores them
        self.lan: LanNode | None = None
        self._doc_bridge: DocBridge = self.engine.attach(
            context.shop.docs, bridge.to_gui, after_remote=context.shop.settle
        )
        self._start_lan()
        context.shop.inventory.repair_all()  # in case it stopped between a merge and its repair

    def _start_lan(self) -> None:
        """The shop network too, once this computer holds the shop's LAN secret (signed in):
        the documents then sync through the LAN node, which relays to the engine."""
        if self.lan is not None:
            return
        self.lan = start_lan(self.context.store, self.engine, self.bridge.loop, role="manager")
        if self.lan is not None:
            self._doc_bridge.close()
            self._doc_bridge = self.lan.attach(
                self.context.shop.docs, self.bridge.to_gui, after_remote=self.context.shop.settle
            )

    @property
    def signed_in(self) -> bool:
        """True while the link to the relay is up."""
        return self.online

    @property
    def status(self) -> SyncStatus:
        return self.engine.status

    def sign_in(
        self, url: str, email: str, password: str, on_done: Callable[[str | None], None]
    ) -> None:
        """Log in as the owner; ``on_done(None)`` once online, ``on_done(message)`` on failure."""
        device = f"manager on {socket.gethostname()}"
        login = login_owner(self.context.store, url, email, password, device_name=device)
        self._log_in(login, url, email, on_done, relay_error_text)

    def sign_up(
        self,
        url: str,
        shop: str,
        email: str,
        password: str,
        on_done: Callable[[str | None], None],
        error_text: Callable[[BaseException], str],
    ) -> None:
        """Create the shop and its first owner on the relay, then go on as :meth:`sign_in`;
        a refusal is told with ``error_text(error)``."""
        device = f"manager on {socket.gethostname()}"
        store = self.context.store
        signup = signup_owner(store, url, shop, email, password, device_name=device)
        self._log_in(signup, url, email, on_done, error_text)

    def check_signup(self, url: str, on_result: Callable[[bool], None]) -> None:
        """``on_result(True)`` if the relay at ``url`` takes new shops (False if not, or
        if it cannot be asked)."""
        self.bridge.submit(
            relay_allows_signup(url), on_result=on_result, on_error=lambda _e: on_result(False)
        )

    def _log_in(
        self,
        login: Coroutine[Any, Any, object],
        url: str,
        email: str,
        on_done: Callable[[str | None], None],
        error_text: Callable[[BaseException], str],
    ) -> None:
        def logged_in(_result: object) -> None:
            self.url, self.email = url, email
            self._waiting = on_done
            self.engine.credentials_changed()
            self._start_lan()  # the login gave this computer the shop's LAN secret
            if self.online:
                self._finish_sign_in()

        def failed(error: BaseException) -> None:
            on_done(error_text(error))

        self.bridge.submit(login, on_result=logged_in, on_error=failed)

    def _finish_sign_in(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting(None)

    def _on_status(self, status: SyncStatus) -> None:
        online = status.state is LinkState.ONLINE
        if online:
            self._finish_sign_in()
        if online != self.online:
            self.online = online
            self.state_changed.emit(online)

    def sign_out(self) -> None:
        """Forget the device token and stop syncing (the pages show what this computer holds)."""
        self.engine.logout(force=True)
        self.engine.start(self.bridge.loop)  # stays NOT_CONFIGURED until the next sign-in
        if self.online:
            self.online = False
            self.state_changed.emit(False)

    def request(
        self,
        name: str,
        payload: JsonObject | None,
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> None:
        """Ask the relay ``name``; the answer (a JSON object) or an error message comes back."""
        if not self.online:
            on_error(tr("Sign in to the relay first."))
            return

        def done(future: concurrent.futures.Future[JsonObject]) -> None:
            error = future.exception()
            if error is None:
                answer = future.result()
                self.bridge.to_gui(lambda: on_result(answer))
            else:
                self.bridge.to_gui(lambda: on_error(relay_error_text(error)))

        self.engine.request(name, payload).add_done_callback(done)

    def close(self) -> None:
        """Stop the engine and the background loop (the token stays for the next start)."""
        self._unsubscribe()
        self._doc_bridge.close()
        if self.lan is not None:
            stop_lan(self.lan, self.bridge.loop)
        self.engine.stop()
        self.bridge.close()
