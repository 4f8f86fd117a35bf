"""First start against a relay: the till's licence key and password.

The owner creates the till in the manager and hands over its licence key and
password; :class:`LoginDialog` logs in once
(:func:`app.core.sync.login_till`, run on the background loop) and the store
keeps the device token, so later starts go straight to the cashier chooser.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.store import DeviceStore
from app.core.sync import Provisioned, SyncError, login_till
from app.qt.bridge import AsyncBridge
from app.qt.i18n import tr

__all__ = ["LoginDialog"]


class LoginDialog(QDialog):
    """Accepted once the relay granted this till; shows the reason otherwise."""

    def __init__(
        self, store: DeviceStore, relay_url: str, bridge: AsyncBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.relay_url = relay_url
        self.bridge = bridge
        self.provisioned: Provisioned | None = None
        self.setWindowTitle(tr("Connect this till to the shop"))
        self.licence = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.connect_till)
        self.status = QLabel(tr("Type the licence key and password given by the shop owner."))
        self.status.setWordWrap(True)
        self.connect_button = QPushButton(tr("Connect"))
        self.connect_button.setObjectName("validateButton")
        self.connect_button.clicked.connect(self.connect_till)
        form = QFormLayout()
        form.addRow(tr("Licence key"), self.licence)
        form.addRow(tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Relay: {url}", url=relay_url)))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.connect_button)
        self.resize(560, 320)

    def connect_till(self) -> None:
        """Log in on the background loop; the dialog stays responsive meanwhile."""
        self.connect_button.setEnabled(False)
        self.status.setText(tr("Connecting…"))
        self.bridge.submit(
            login_till(self.store, self.relay_url, self.licence.text(), self.password.text()),
            self._granted,
            self._refused,
        )

    def _granted(self, provisioned: Provisioned) -> None:
        self.provisioned = provisioned
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.connect_button.setEnabled(True)
        reason = str(error) if isinstance(error, SyncError) else type(error).__name__
        self.status.setText(tr("The till could not connect: {reason}", reason=reason))
