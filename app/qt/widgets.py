"""Widgets both apps use: a non-modal message bar, a numeric keypad, the sync badge
(and :func:`refill_combo`, :func:`clear_layout`).

They are plain widgets with signals; none of them reaches into a window or
a service. Text goes through :func:`app.qt.i18n.tr` and is refreshed on a
language switch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app.qt.i18n import language, tr, translator

__all__ = [
    "MessageBar",
    "NumericKeypad",
    "SyncBadge",
    "SyncState",
    "clear_layout",
    "refill_combo",
]


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget of ``layout`` now (hidden at once: a
    ``deleteLater`` alone leaves them painted until the event loop runs)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def refill_combo(combo: QComboBox, items: Iterable[tuple[str, Any]]) -> None:
    """Replace ``combo``'s items by ``items`` (text, data), keeping the item chosen
    (by its data; the first one when it is gone), without firing its signals."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)


class MessageBar(QWidget):
    """A strip that tells the cashier something without stopping them.

    Never modal: scanning and tapping go on while it shows. It hides itself
    after ``timeout_ms`` or when closed; an optional action button (e.g.
    "Search") emits ``action_clicked``.
    """

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None, timeout_ms: int = 6000) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._label = QLabel()
        self._label.setObjectName("messageText")
        self._label.setWordWrap(True)
        self._action = QPushButton()
        self._action.setObjectName("messageAction")
        self._action.clicked.connect(self.action_clicked)
        self._close = QPushButton("✕")
        self._close.setObjectName("messageClose")
        self._close.setFixedSize(44, 44)
        self._close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 2, 4, 2)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, level: str = "info", action: str | None = None) -> None:
        """Show ``text`` (level ``info``, ``warning`` or ``error`` picks the style and
        a sign, so the state is not told by colour alone)."""
        sign = {"info": "ℹ", "warning": "⚠", "error": "⛔"}.get(level, "ℹ")
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self._label.setText(f"{sign}  {text}")
        self._action.setVisible(action is not None)
        if action is not None:
            self._action.setText(action)
        self.show()
        self._timer.start()

    def text(self) -> str:
        return self._label.text()


class NumericKeypad(QWidget):
    """Digits, a decimal comma, backspace and clear, sized for a thumb.

    Edits its own ``value`` text, always with a ``,`` for the decimal mark
    (what :func:`crdt_models.money.parse_money` reads) whatever the key shows;
    ``changed`` fires on every key.
    """

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, decimal: bool = True) -> None:
        super().__init__(parent)
        self._value = ""
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "," if decimal else "", "0", "⌫"]
        self.buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(keys):
            if not key:
                continue
            button = QPushButton(key)
            if key == ",":
                button.setText("," if language() == "fr" else ".")
            button.setObjectName("keypadKey")
            button.setMinimumSize(72, 64)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button

    @property
    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        self._value = value
        self.changed.emit(value)

    def press(self, key: str) -> None:
        """Apply one key: a digit, ``,`` (once), ``⌫`` or ``C``."""
        if key == "⌫":
            value = self._value[:-1]
        elif key == "C":
            value = ""
        elif key == ",":
            value = self._value if "," in self._value else (self._value or "0") + ","
        elif key.isdigit():
            decimals = self._value.split(",")[1] if "," in self._value else None
            if decimals is not None and len(decimals) >= 2:
                return
            value = self._value + key
        else:
            return
        self.set_value(value)


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the sync badge shows: ``mode`` is ``relay``, ``lan`` or ``offline``."""

    mode: str
    pending: int = 0
    detail: str = ""


class SyncBadge(QLabel):
    """The corner indicator: a sign and a word (never colour alone) plus pending count.

    Offline is calm: grey, not red; selling goes on.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBadge")
        self._state = SyncState("offline")
        translator().changed.connect(self.retranslate)
        self.set_state(self._state)

    def retranslate(self, _lang: str = "") -> None:
        self.set_state(self._state)

    @property
    def state(self) -> SyncState:
        return self._state

    def set_state(self, state: SyncState) -> None:
        self._state = state
        words = {
            "relay": ("●", tr("Online")),
            "lan": ("◐", tr("Shop network only")),
            "offline": ("○", tr("Offline")),
        }
        sign, word = words.get(state.mode, words["offline"])
        text = f"{sign} {word}"
        if state.pending:
            text += " · " + tr("{n} to send", n=state.pending)
        self.setText(text)
        self.setToolTip(state.detail)
        self.setProperty("mode", state.mode)
        self.style().unpolish(self)
        self.style().polish(self)
