"""The manager's editor panels: a title, a form, Save and Archive/Restore.

:class:`EditorPanel` is the shell every editor shares (catalogue and settings
entries alike); a subclass fills the form and implements :meth:`~EditorPanel.new`,
:meth:`~EditorPanel.edit`, :meth:`~EditorPanel.write`, :meth:`~EditorPanel.archived`,
:meth:`~EditorPanel.set_archived` and :meth:`~EditorPanel.titles`.
:class:`EntryEditor` is the panel of one settings entry (``kind`` says which).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.manager.context import ManagerContext
from app.manager.forms import Form
from app.qt.i18n import tr, translator
from crdt_models.documents import EntryKind
from crdt_models.errors import ValidationError

__all__ = ["EditorPanel", "EntryEditor"]


class EditorPanel(QWidget):
    """A small editor panel: a title, a form, Save and Archive/Restore.

    ``saved(entry_id)`` after a write or an archive/restore; a value the
    documents refuse shows next to its field and nothing is written.
    """

    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry_id: str | None = None
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.form = Form()
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton()
        self.archive_button.clicked.connect(self.toggle_archived)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.form)
        self._layout.addLayout(buttons)
        self._layout.addStretch(1)
        translator().changed.connect(self._on_language)

    def _on_language(self, _lang: str) -> None:
        self.retranslate()

    def save(self) -> bool:
        self.form.clear_errors()
        try:
            self.entry_id = self.write()
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        self.retranslate()
        self.saved.emit(self.entry_id)
        return True

    def new(self) -> None:
        """Empty the form to create an entry."""
        raise NotImplementedError

    def edit(self, entry_id: str) -> None:
        """Load entry ``entry_id`` into the form."""
        raise NotImplementedError

    def write(self) -> str:
        """Create or update the entry from the form; returns its id."""
        raise NotImplementedError

    def archived(self) -> bool:
        """Whether the entry shown is archived."""
        raise NotImplementedError

    def set_archived(self, archived: bool) -> None:
        """Archive (or restore) the entry shown; may raise ValidationError."""
        raise NotImplementedError

    def toggle_archived(self) -> None:
        """Archive the entry shown, or restore it if it is archived."""
        if self.entry_id is None:
            return
        self.form.clear_errors()
        try:
            self.set_archived(not self.archived())
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        self.retranslate()
        self.saved.emit(self.entry_id)

    def titles(self) -> tuple[str, str]:
        """(title for a new entry, title for the entry shown)."""
        raise NotImplementedError

    def retranslate(self) -> None:
        self.save_button.setText(tr("Save"))
        new_title, title = self.titles()
        if self.entry_id is None:
            self.title.setText(new_title)
            self.archive_button.hide()
            return
        self.title.setText(title)
        self.archive_button.setText(tr("Restore") if self.archived() else tr("Archive"))
        self.archive_button.show()


class EntryEditor(EditorPanel):
    """The panel of one settings entry of ``kind`` (VAT rate, payment method...)."""

    def __init__(
        self, context: ManagerContext, kind: EntryKind, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind

    def set_archived(self, archived: bool) -> None:
        assert self.entry_id is not None
        if archived:
            self.context.settings.archive(self.kind, self.entry_id)
        else:
            self.context.settings.restore(self.kind, self.entry_id)
