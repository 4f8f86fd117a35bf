"""The relay as the manager's pages see it: signed in or not, and requests with callbacks.

:class:`RelayConnection` lives on the GUI thread; the :class:`~app.manager.relay_link.RelayLink`
it drives runs on the :class:`~app.qt.bridge.AsyncBridge` loop. Results and
errors come back to the GUI thread as callbacks; ``state_changed`` says when
the owner is signed in or not.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.manager.relay_link import RelayError, RelayLink
from app.qt.bridge import AsyncBridge
from app.qt.i18n import tr
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

    def __init__(self, bridge: AsyncBridge, url: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.url = url
        self.email = ""
        self._link: RelayLink | None = None

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

        def done(link: RelayLink) -> None:
            self._link, self.url, self.email = link, url, email
            self.state_changed.emit(True)
            on_done(None)

        self.bridge.submit(
            RelayLink.sign_in(url, credentials),
            on_result=done,
            on_error=lambda error: on_done(relay_error_text(error)),
        )

    def sign_out(self) -> None:
        """Close the link (the pages fall back to what this computer holds)."""
        link, self._link = self._link, None
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
                self.state_changed.emit(False)
            on_error(relay_error_text(error))

        self.bridge.submit(link.request(name, payload), on_result=on_result, on_error=failed)

    def close(self) -> None:
        """Sign out and stop the background loop."""
        self.sign_out()
        self.bridge.close()
