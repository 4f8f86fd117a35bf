"""The side panel that creates and edits one category (name, colour, position)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.manager.colour_field import ColourField
from app.manager.forms import Form
from app.qt.i18n import tr, translator
from crdt_models.documents.catalogue import CatalogueDocument
from crdt_models.errors import ValidationError

__all__ = ["CategoryEditor"]


class CategoryEditor(QWidget):
    """Edit a category (:meth:`edit`) or create one (:meth:`new`); ``saved`` gives its id."""

    saved = Signal(str)

    def __init__(self, catalogue: CatalogueDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.category_id: str | None = None
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.form = Form()
        self.name = QLineEdit()
        self.colour = ColourField()
        self.position = QSpinBox()
        self.position.setRange(0, 1_000_000)
        self.form.add("name", lambda: tr("Name"), self.name)
        self.form.add("color", lambda: tr("Colour"), self.colour)
        self.form.add("position", lambda: tr("Position on the till"), self.position)
        self.form.add("category", lambda: "", QWidget())  # archive errors show here
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton()
        self.archive_button.clicked.connect(self.toggle_archived)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.name.returnPressed.connect(self.save)
        translator().changed.connect(self._retranslate)
        self.new()

    def new(self) -> None:
        """Empty the form to create a category (placed last)."""
        self.category_id = None
        self.name.clear()
        self.colour.set_text("")
        existing = self.catalogue.categories(include_archived=True)
        self.position.setValue(1 + max((c.position for c in existing), default=0))
        self.form.clear_errors()
        self._retranslate()

    def edit(self, category_id: str) -> None:
        category = self.catalogue.category(category_id)
        self.category_id = category_id
        self.name.setText(category.name)
        self.colour.set_text(category.color)
        self.position.setValue(category.position)
        self.form.clear_errors()
        self._retranslate()

    def save(self) -> bool:
        """Validate and write; a refused value shows next to its field."""
        self.form.clear_errors()
        try:
            if self.category_id is None:
                self.category_id = self.catalogue.create_category(
                    name=self.name.text(), color=self.colour.text(), position=self.position.value()
                ).entry_id
            else:
                self.catalogue.update_category(
                    self.category_id,
                    name=self.name.text(),
                    color=self.colour.text(),
                    position=self.position.value(),
                )
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        self._retranslate()
        self.saved.emit(self.category_id)
        return True

    def toggle_archived(self) -> None:
        """Archive the category (refused while active products are in it) or restore it."""
        if self.category_id is None:
            return
        self.form.clear_errors()
        try:
            if self.catalogue.category(self.category_id).archived:
                self.catalogue.restore_category(self.category_id)
            else:
                self.catalogue.archive_category(self.category_id)
        except ValidationError as exc:
            self.form.show_error(exc)
            return
        self._retranslate()
        self.saved.emit(self.category_id)

    def _retranslate(self, _lang: str = "") -> None:
        self.save_button.setText(tr("Save"))
        if self.category_id is None:
            self.title.setText(tr("New category"))
            self.archive_button.hide()
            return
        archived = self.catalogue.category(self.category_id).archived
        self.title.setText(tr("Archived category") if archived else tr("Category"))
        self.archive_button.setText(tr("Restore") if archived else tr("Archive"))
        self.archive_button.show()
