"""The Loyalty tab of the settings: how many visits earn a reward, and what it is.

A visit is a sale with the customer attached (the till counts it); the till's
star lights up once the customer has enough. 0 visits: no loyalty programme.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from app.manager.context import ManagerContext
from app.manager.forms import SettingsForm
from app.qt.i18n import tr
from crdt_models.documents.settings import LOYALTY_VISITS_MAX

__all__ = ["LoyaltyForm"]


class LoyaltyForm(SettingsForm):
    """The loyalty programme's two fields and a Save button."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.visits = self.form.add(
            "loyalty_visits", lambda: tr("Visits that earn a reward"), QSpinBox()
        )
        self.visits.setRange(0, LOYALTY_VISITS_MAX)
        self.reward = self.form.add("loyalty_reward", lambda: tr("Reward"), QLineEdit())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "hint")
        self._layout.insertWidget(0, self.hint)
        self.load()
        self.retranslate()

    def load(self) -> None:
        loyalty = self.context.settings.loyalty()
        self.visits.setValue(loyalty.visits)
        self.reward.setText(loyalty.reward)

    def write(self) -> None:
        self.context.settings.update_loyalty(visits=self.visits.value(), reward=self.reward.text())

    def retranslate(self) -> None:
        super().retranslate()
        self.hint.setText(
            tr(
                "A visit is a sale with the customer attached. When a customer has enough "
                "visits, the till's star lights up; giving the reward uses those visits. "
                "0 visits: no loyalty programme."
            )
        )
        self.visits.setSpecialValueText(tr("No loyalty programme"))
        self.reward.setPlaceholderText(tr("A free coffee"))
