"""Keyboard-wedge barcode scanners: digits then Enter, whatever has focus.

A scanner is a keyboard that types fast. :class:`ScannerFilter` watches every
key press in the application; digits are collected and Enter emits
``scanned(code)``, and those keys are swallowed so that a button with focus
does not fire. Inside a text field the cashier is typing in, keys are left
alone: the field's owner decides (the till's search field treats an
all-digit Enter as a scan).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit

__all__ = ["ScannerFilter"]

#: Shorter than this is a typing slip, not a barcode (EAN-8 is the shortest we sell).
MIN_LENGTH = 4
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_typing_field(widget: QObject | None) -> bool:
    """True for an editable text field, where keys belong to the cashier."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QAbstractSpinBox)


class ScannerFilter(QObject):
    """Install on the QApplication with :meth:`install`; ``enabled`` gates it
    (the payment screen turns it off)."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buffer = ""
        self.enabled = True

    def install(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) or not self.enabled:
            return False
        # Key events are offered to every widget up the parent chain: look only
        # once, when they reach the widget that has focus.
        focus = QApplication.focusWidget()
        if focus is not None and watched is not focus:
            return False
        if focus is None and not watched.isWidgetType():
            return False
        if is_typing_field(focus):
            self._buffer = ""
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.ShortcutOverride:
            # Enter ending a scan is ours, not a window shortcut's: accepting the
            # override makes Qt deliver it as a key press.
            if event.key() in _ENTER and self._buffer:
                event.accept()
                return True
            return False
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self._buffer += text
            return True
        if event.key() in _ENTER and self._buffer:
            code, self._buffer = self._buffer, ""
            if len(code) >= MIN_LENGTH:
                self.scanned.emit(code)
            return True
        self._buffer = ""
        return False
