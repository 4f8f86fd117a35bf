"""Creating a shop from the manager: its name and its first owner's e-mail and password.

Offered by the sign-in row only when the relay says it takes new shops
(``relay serve --allow-signup``); ``skytill relay add-owner`` is the scripted
way. Once the relay has created the shop, the manager is signed in as its
owner, as after a sign-in, and the dialog closes.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.sync import LoginRefusedError
from app.manager.forms import Form
from app.manager.relay_connection import RelayConnection, relay_error_text
from app.qt.i18n import tr

__all__ = ["MIN_OWNER_PASSWORD", "SignUpDialog", "signup_error_text"]

#: The relay's rule for an owner password (``relay_server.auth.MIN_PASSWORD_LENGTH``).
MIN_OWNER_PASSWORD = 8


def signup_error_text(error: BaseException) -> str:
    """What to tell the owner about a refused sign-up."""
    if isinstance(error, LoginRefusedError):
        if error.code == "signup.disabled":
            return tr("This relay does not take new shops: ask its administrator for an account.")
        if error.code == "signup.email_taken":
            return tr("This e-mail already has an account: sign in with it instead.")
        if error.code == "signup.shop_taken":
            return tr("A shop already has this name on this relay: choose another name.")
        if error.code == "signup.password_short":
            return tr("The password needs at least {n} characters.", n=MIN_OWNER_PASSWORD)
        if error.code == "auth.throttled":
            return tr("Too many attempts from this computer: try again later.")
        return tr("The relay refused: {reason}", reason=error.reason)
    return relay_error_text(error)


class SignUpDialog(QDialog):
    """Shop name, e-mail, password twice; "Create the shop" asks the relay at ``url``."""

    def __init__(self, relay: RelayConnection, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relay = relay
        self.url = url
        self.setWindowTitle(tr("Create a shop"))
        intro = QLabel(
            tr("The shop is created on {url}; you will be its owner, signed in here.", url=url)
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")
        self.form = Form()
        self.shop = self.form.add("shop", lambda: tr("Shop name"), QLineEdit())
        self.email = self.form.add("email", lambda: tr("Owner e-mail"), QLineEdit())
        self.password = self.form.add("password", lambda: tr("Password"), QLineEdit())
        self.again = self.form.add("again", lambda: tr("Password again"), QLineEdit())
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.create_button = QPushButton(tr("Create the shop"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_shop)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def create_shop(self) -> None:
        """Check the fields here, then ask the relay; its refusal shows above the fields."""
        self.form.clear_errors()
        shop, email = self.shop.text().strip(), self.email.text().strip()
        password = self.password.text()
        if not shop:
            self.form.show_message("shop", tr("Enter the shop's name."))
        elif "@" not in email:
            self.form.show_message("email", tr("Enter an e-mail address."))
        elif len(password) < MIN_OWNER_PASSWORD:
            self.form.show_message(
                "password", tr("The password needs at least {n} characters.", n=MIN_OWNER_PASSWORD)
            )
        elif self.again.text() != password:
            self.form.show_message("again", tr("The two passwords differ."))
        else:
            self.create_button.setEnabled(False)
            self.relay.sign_up(self.url, shop, email, password, self._done, signup_error_text)

    def _done(self, error: str | None) -> None:
        self.create_button.setEnabled(True)
        if error is None:
            self.accept()
        else:
            self.form.show_message("relay", error)
