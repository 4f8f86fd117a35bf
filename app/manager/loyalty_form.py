"""The Loyalty tab of the settings: how many visits earn a reward, and what it is.

A visit is a sale with the customer attached (the till counts it); the till's
star lights up once the customer has enough. 0 visits: no loyalty programme.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.manager.context import ManagerContext
from app.manager.forms import Form
from app.qt.i18n import tr, translator
from crdt_models.documents.settings import LOYALTY_VISITS_MAX
from crdt_models.errors import ValidationError

__all__ = ["LoyaltyForm"]


class LoyaltyForm(QWidget):
    """The loyalty programme's two fields and a Save button."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.form = Form()
        self.visits = self.form.add(
            "loyalty_visits", lambda: tr("Visits that earn a reward"), QSpinBox()
        )
        self.visits.setRange(0, LOYALTY_VISITS_MAX)
        self.reward = self.form.add("loyalty_reward", lambda: tr("Reward"), QLineEdit())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "hint")
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "hint")
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved_label)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.form)
        layout.addLayout(row)
        layout.addStretch(1)
        translator().changed.connect(self._retranslate)
        self.load()
        self._retranslate()

    def load(self) -> None:
        loyalty = self.context.settings.loyalty()
        self.visits.setValue(loyalty.visits)
        self.reward.setText(loyalty.reward)

    def save(self) -> bool:
        self.form.clear_errors()
        self.saved_label.clear()
        try:
            self.context.settings.update_loyalty(
                visits=self.visits.value(), reward=self.reward.text()
            )
        except ValidationError as exc:
            self.form.show_error(exc)
            return False
        self.saved_label.setText("✔ " + tr("Saved."))
        return True

    def _retranslate(self, _lang: str = "") -> None:
        self.hint.setText(
            tr(
                "A visit is a sale with the customer attached. When a customer has enough "
                "visits, the till's star lights up; giving the reward uses those visits. "
                "0 visits: no loyalty programme."
            )
        )
        self.visits.setSpecialValueText(tr("No loyalty programme"))
        self.reward.setPlaceholderText(tr("A free coffee"))
        self.save_button.setText(tr("Save"))
