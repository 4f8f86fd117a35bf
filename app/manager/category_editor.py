"""The side panel that creates and edits one category (name, colour, position)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from app.manager.colour_field import ColourField
from app.manager.entry_editor import EditorPanel
from app.qt.i18n import tr
from crdt_models.documents.catalogue import CatalogueDocument

__all__ = ["CategoryEditor"]


class CategoryEditor(EditorPanel):
    """Edit a category (:meth:`edit`) or create one (:meth:`new`); ``saved`` gives its id."""

    def __init__(self, catalogue: CatalogueDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.name = QLineEdit()
        self.colour = ColourField()
        self.position = QSpinBox()
        self.position.setRange(0, 1_000_000)
        self.form.add("name", lambda: tr("Name"), self.name)
        self.form.add("color", lambda: tr("Colour"), self.colour)
        self.form.add("position", lambda: tr("Position on the till"), self.position)
        self.form.add("category", lambda: "", QWidget())  # archive errors show here
        self.name.returnPressed.connect(self.save)
        self.new()

    def new(self) -> None:
        """Empty the form to create a category (placed last)."""
        self.entry_id = None
        self.name.clear()
        self.colour.set_text("")
        existing = self.catalogue.categories(include_archived=True)
        self.position.setValue(1 + max((c.position for c in existing), default=0))
        self.form.clear_errors()
        self.retranslate()

    def edit(self, entry_id: str) -> None:
        category = self.catalogue.category(entry_id)
        self.entry_id = entry_id
        self.name.setText(category.name)
        self.colour.set_text(category.color)
        self.position.setValue(category.position)
        self.form.clear_errors()
        self.retranslate()

    def write(self) -> str:
        name, color, position = self.name.text(), self.colour.text(), self.position.value()
        catalogue = self.catalogue
        if self.entry_id is None:
            return catalogue.create_category(name=name, color=color, position=position).entry_id
        catalogue.update_category(self.entry_id, name=name, color=color, position=position)
        return self.entry_id

    def archived(self) -> bool:
        return self.entry_id is not None and self.catalogue.category(self.entry_id).archived

    def set_archived(self, archived: bool) -> None:
        """Archiving is refused while active products are in the category."""
        assert self.entry_id is not None
        if archived:
            self.catalogue.archive_category(self.entry_id)
        else:
            self.catalogue.restore_category(self.entry_id)

    def titles(self) -> tuple[str, str]:
        current = tr("Archived category") if self.archived() else tr("Category")
        return tr("New category"), current
