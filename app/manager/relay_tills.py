"""Till accounts on the relay: add a till (its licence key), set its password, revoke it.

:class:`RelaySignIn` is the owner's sign-in row (with "Create a shop…" when
the relay takes new shops); :class:`RelayTillPanel` is the editor beside the
tills table while signed in. Every action is a request
on the :class:`~app.manager.relay_connection.RelayConnection`; answers come
back as callbacks on the GUI thread. A revoked till's live connection is
closed by the relay at once and its password stops working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.manager.forms import Form
from app.manager.relay_connection import RelayConnection
from app.manager.signup_dialog import SignUpDialog
from app.qt.i18n import tr, translator

__all__ = ["RelaySignIn", "RelayTill", "RelayTillPanel", "relay_tills"]

#: The shortest till password the panel accepts.
MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class RelayTill:
    """A till account as the relay lists it, with what the till last reported.

    ``version``, ``pending`` (its changes the relay has not acknowledged) and
    ``last_sync`` (unix s of its last report) are None until the till first
    syncs; ``online`` is whether it is connected to the relay now.
    """

    id: str
    number: int
    name: str
    revoked: bool
    version: str | None = None
    pending: int | None = None
    last_sync: int | None = None
    online: bool = False

    @property
    def archived(self) -> bool:
        return self.revoked


def _optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def relay_tills(answer: Any) -> list[RelayTill]:
    """The ``tills`` answer of the relay as :class:`RelayTill` values."""
    return [
        RelayTill(
            str(t["id"]),
            int(t["number"]),
            str(t["name"]),
            bool(t["revoked"]),
            version=t["version"] if isinstance(t.get("version"), str) else None,
            pending=_optional_int(t.get("pending")),
            last_sync=_optional_int(t.get("last_sync")),
            online=t.get("online") is True,
        )
        for t in answer["tills"]
    ]


class RelaySignIn(QWidget):
    """Relay address, e-mail and password, Sign in / Sign out, and what happened.

    "Create a shop…" shows only while the relay at the typed address says it
    takes new shops (asked when the address is entered).
    """

    def __init__(self, relay: RelayConnection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relay = relay
        self.url = QLineEdit(relay.url)
        self.url.setPlaceholderText("wss://relay.example.com/")
        self.email = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in_button = QPushButton()
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button = QPushButton()
        self.sign_out_button.clicked.connect(relay.sign_out)
        self.create_button = QPushButton()
        self.create_button.clicked.connect(self.create_shop)
        self.signup_url: str | None = None  # the address whose relay takes new shops
        self.signup_checked: str | None = None  # the address last asked, once it answered
        self.signup_dialog: SignUpDialog | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.url, self.email, self.password):
            row.addWidget(widget, 1)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.create_button)
        row.addWidget(self.sign_out_button)
        row.addWidget(self.status, 2)
        self.password.returnPressed.connect(self.sign_in)
        self.url.editingFinished.connect(self.check_signup)
        relay.state_changed.connect(self._on_state)
        translator().changed.connect(self._on_language)
        self._on_state(relay.signed_in)
        self.check_signup()

    def check_signup(self) -> None:
        """Ask the relay at the typed address whether it takes new shops."""
        url = self.url.text().strip()
        if url:
            self.relay.check_signup(url, lambda allowed: self._signup_answer(url, allowed))

    def _signup_answer(self, url: str, allowed: bool) -> None:
        self.signup_checked = url
        if url == self.url.text().strip():
            self.signup_url = url if allowed else None
            self._on_state(self.relay.signed_in)

    def create_shop(self) -> None:
        """Open the dialog that creates a shop (and its owner) on the typed relay."""
        self.signup_dialog = SignUpDialog(self.relay, self.url.text().strip(), self)
        self.signup_dialog.open()

    def sign_in(self) -> None:
        """Sign in with what the owner typed; the result shows in the status line."""
        self.sign_in_button.setEnabled(False)
        self.status.setText(tr("Signing in…"))
        self.relay.sign_in(
            self.url.text().strip(), self.email.text().strip(), self.password.text(), self._done
        )

    def _done(self, error: str | None) -> None:
        self.sign_in_button.setEnabled(True)
        self.password.clear()
        if error is not None:
            self.status.setText("⚠ " + error)

    def _on_state(self, signed_in: bool) -> None:
        for widget in (self.url, self.email, self.password, self.sign_in_button):
            widget.setVisible(not signed_in)
        self.create_button.setVisible(not signed_in and self.signup_url is not None)
        self.sign_out_button.setVisible(signed_in)
        self._retranslate()

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.email.setPlaceholderText(tr("Owner e-mail"))
        self.password.setPlaceholderText(tr("Password"))
        self.sign_in_button.setText(tr("Sign in to the relay"))
        self.sign_out_button.setText(tr("Sign out"))
        self.create_button.setText(tr("Create a shop…"))
        if self.relay.signed_in and self.relay.email:
            self.status.setText(
                "✔ "
                + tr("Signed in as {email} on {url}", email=self.relay.email, url=self.relay.url)
            )
        elif self.relay.signed_in:  # with the token of an earlier sign-in
            self.status.setText("✔ " + tr("Signed in on {url}", url=self.relay.url))
        elif not self.status.text().startswith("⚠"):
            self.status.setText(tr("Not signed in: showing what this computer holds."))


class RelayTillPanel(QWidget):
    """Add a till, and set the password of or revoke the selected one."""

    changed = Signal()

    def __init__(self, relay: RelayConnection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relay = relay
        self.till: RelayTill | None = None
        self.licence_key = ""
        self.new_title = QLabel()
        self.new_title.setProperty("role", "pageTitle")
        self.new_form = Form()
        self.new_name = self.new_form.add("name", lambda: tr("Name"), QLineEdit())
        self.new_password = self.new_form.add("password", lambda: tr("Till password"), QLineEdit())
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_till)
        self.licence = QLabel()
        self.licence.setWordWrap(True)
        self.licence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licence.hide()

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        self.till_title = QLabel()
        self.till_title.setProperty("role", "pageTitle")
        self.till_form = Form()
        self.reset_password = self.till_form.add(
            "password", lambda: tr("New password"), QLineEdit()
        )
        self.reset_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.set_password_button = QPushButton()
        self.set_password_button.clicked.connect(self.set_password)
        self.revoke_button = QPushButton()
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.confirm_revoke_button = QPushButton()
        self.confirm_revoke_button.clicked.connect(self.revoke)
        self.confirm_revoke_button.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.new_title)
        layout.addWidget(self.new_form)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.licence)
        layout.addWidget(line)
        layout.addWidget(self.till_title)
        layout.addWidget(self.till_form)
        buttons = QHBoxLayout()
        for button in (self.set_password_button, self.revoke_button, self.confirm_revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        translator().changed.connect(self._on_language)
        self.show_till(None)

    def show_till(self, till: RelayTill | None) -> None:
        """Act on ``till`` (None: nothing selected)."""
        self.till = till
        self.reset_password.clear()
        self.confirm_revoke_button.hide()
        self.till_form.clear_errors()
        for widget in (self.till_form, self.set_password_button, self.revoke_button):
            widget.setEnabled(till is not None and not till.revoked)
        self._retranslate()

    # -- actions -----------------------------------------------------------

    def add_till(self) -> None:
        """Create a till account on the relay; its licence key is shown once it answers."""
        self.new_form.clear_errors()
        name = self.new_name.text().strip()
        password = self.new_password.text()
        if not name:
            self.new_form.show_message("name", tr("Enter a name."))
            return
        if len(password) < MIN_PASSWORD:
            self.new_form.show_message(
                "password", tr("A till password has at least {n} characters.", n=MIN_PASSWORD)
            )
            return
        self.add_button.setEnabled(False)

        def added(answer: Any) -> None:
            self.add_button.setEnabled(True)
            self.licence_key = str(answer["licence_key"])
            self.licence.setText(
                "🔑 "
                + tr(
                    "Licence key of {name}: {key} — type it on the till with its password.",
                    name=name,
                    key=self.licence_key,
                )
            )
            self.licence.show()
            self.new_name.clear()
            self.new_password.clear()
            self.changed.emit()

        self.relay.request("add_till", {"name": name, "password": password}, added, self._failed)

    def set_password(self) -> None:
        """Give the selected till a new password (the till signs in with it next time)."""
        if self.till is None:
            return
        self.till_form.clear_errors()
        password = self.reset_password.text()
        if len(password) < MIN_PASSWORD:
            self.till_form.show_message(
                "password", tr("A till password has at least {n} characters.", n=MIN_PASSWORD)
            )
            return
        name = self.till.name

        def done(_answer: Any) -> None:
            self.reset_password.clear()
            self.status.setText("✔ " + tr("New password set for {name}.", name=name))

        self.relay.request(
            "set_till_password", {"till_id": self.till.id, "password": password}, done, self._failed
        )

    def ask_revoke(self) -> None:
        """First click: ask for confirmation next to the button."""
        self.confirm_revoke_button.show()

    def revoke(self) -> None:
        """Revoke the selected till: the relay cuts it off at once, for good."""
        if self.till is None:
            return
        name = self.till.name

        def done(_answer: Any) -> None:
            self.status.setText("✔ " + tr("{name} is revoked: it can no longer sync.", name=name))
            self.confirm_revoke_button.hide()
            self.changed.emit()

        self.relay.request("revoke_till", {"till_id": self.till.id}, done, self._failed)

    def _failed(self, message: str) -> None:
        self.add_button.setEnabled(True)
        self.status.setText("⚠ " + message)

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.new_title.setText(tr("New till"))
        self.add_button.setText(tr("Add the till"))
        self.set_password_button.setText(tr("Set the password"))
        self.revoke_button.setText(tr("Revoke…"))
        self.confirm_revoke_button.setText(tr("Yes, revoke it now"))
        if self.till is None:
            self.till_title.setText(tr("Select a till"))
        elif self.till.revoked:
            self.till_title.setText(tr("{name} (revoked)", name=self.till.name))
        else:
            self.till_title.setText(self.till.name)
