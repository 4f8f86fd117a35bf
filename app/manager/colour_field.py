"""A colour editor: ``#rrggbb`` text, a swatch, and a button that opens the colour picker."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.qt.i18n import tr, translator

__all__ = ["ColourField"]


class ColourField(QWidget):
    """Edits a colour as text (``""`` for none); the swatch shows what the till will show."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("#1e88e5")
        self.edit.setMaxLength(7)
        self.swatch = QLabel()
        self.swatch.setFixedSize(28, 28)
        self.button = QPushButton()
        self.button.clicked.connect(self._pick)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.swatch)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.edit.textChanged.connect(self._on_text)
        translator().changed.connect(self._retranslate)
        self._retranslate()
        self._on_text("")

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, value: str) -> None:
        self.edit.setText(value)

    def _on_text(self, value: str) -> None:
        color = QColor(value.strip())
        shown = color.name() if value.strip() and color.isValid() else "transparent"
        self.swatch.setStyleSheet(f"background: {shown}; border: 1px solid #6b7280;")
        self.changed.emit(value)

    def _pick(self) -> None:
        start = QColor(self.text()) if self.text() else QColor("#1e88e5")
        chosen = QColorDialog.getColor(start, self, tr("Choose a colour"))
        if chosen.isValid():
            self.edit.setText(chosen.name())

    def _retranslate(self, _lang: str = "") -> None:
        self.button.setText(tr("Choose…"))
