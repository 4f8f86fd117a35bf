"""Logging this till out of the relay, with the confirmation it deserves.

A logout forgets the till's relay token (the journal and documents stay on the
device, nothing is deleted). When the relay has not acknowledged everything,
the dialog says how many sales and changes would stay only on this till, and
asks twice: the cashier types the confirmation word, then confirms again.
``confirmed(force)`` fires with ``force`` True when pending data was accepted.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.qt.i18n import tr

__all__ = ["LogoutDialog"]


class LogoutDialog(QDialog):
    """Confirm the logout of this till; ``pending`` records or changes are unacknowledged."""

    confirmed = Signal(bool)

    def __init__(self, pending: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pending = pending
        self._armed = False
        self.setWindowTitle(tr("Log out this till"))
        self.setModal(True)
        title = QLabel(tr("Log out this till?"))
        title.setObjectName("screenTitle")
        text = QLabel(
            tr(
                "The till will ask for its licence and password at the next start. "
                "Its sales and settings stay on it."
            )
        )
        text.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("messageText")
        self.warning.setWordWrap(True)
        self.word = QLineEdit()
        self.word.setPlaceholderText(tr("LOG OUT"))
        self.word.textChanged.connect(self._check_word)
        self.confirm_button = QPushButton(tr("Log out"))
        self.confirm_button.clicked.connect(self.confirm)
        cancel = QPushButton(tr("Cancel"))
        cancel.setObjectName("validateButton")  # the safe choice is the big one
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        if pending:
            box = QWidget()
            box.setObjectName("messageBar")
            box.setProperty("level", "error")
            inner = QVBoxLayout(box)
            self.warning.setText(
                "⚠ "
                + tr(
                    "{n} sale(s) or change(s) have not reached the relay yet. If you log "
                    "out now they stay only on this till until it logs in again: do not "
                    "reset or replace it. Better: connect to the internet and sync first.",
                    n=pending,
                )
            )
            inner.addWidget(self.warning)
            inner.addWidget(QLabel(tr("To log out anyway, type {word}:", word=tr("LOG OUT"))))
            inner.addWidget(self.word)
            layout.addWidget(box)
            self.confirm_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.confirm_button)
        row.addWidget(cancel, 1)
        layout.addStretch(1)
        layout.addLayout(row)
        self.resize(640, 420 if pending else 260)

    def _check_word(self, text: str) -> None:
        self._armed = False
        self.confirm_button.setText(tr("Log out"))
        self.confirm_button.setEnabled(text.strip().casefold() == tr("LOG OUT").casefold())

    def confirm(self) -> None:
        """Log out: at once when nothing is pending; otherwise on a second press,
        after the word was typed."""
        if self.pending and not self._armed:
            if not self.confirm_button.isEnabled():
                return
            self._armed = True
            self.confirm_button.setText(tr("Really log out ({n} not sent)", n=self.pending))
            return
        self.confirmed.emit(bool(self.pending))
        self.accept()
