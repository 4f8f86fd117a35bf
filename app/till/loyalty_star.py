"""The loyalty star beside the Customer button of the selling screen.

Hidden without a customer or without a loyalty programme; grey while the
customer collects visits; gold once they earned the reward. Tapping it then
asks to give the reward (:func:`app.till.loyalty.grant_reward`) in a
:class:`RewardDialog`. It follows the documents by itself: a visit counted on
another till or a new threshold set in the manager redraws it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.qt.i18n import tr
from app.qt.widgets import MessageBar
from app.till.loyalty import LoyaltyStatus, grant_reward, loyalty_status
from crdt_models.documents.shop import ShopDocuments
from crdt_models.errors import DomainError

__all__ = ["LoyaltyStar", "RewardDialog"]

_UNLIT = "QPushButton { font-size: 32px; color: #6b6b6b; padding: 0; }"
_LIT = (
    "QPushButton { font-size: 36px; color: #7a4a00; background: #ffd54a;"
    " border: 3px solid #b07800; padding: 0; }"
)


def reward_text(status: LoyaltyStatus) -> str:
    if status.reward:
        return tr("Reward earned: {reward}", reward=status.reward)
    return tr("Reward earned")


class RewardDialog(QDialog):
    """Give the reward now? ``accepted`` means yes."""

    def __init__(self, status: LoyaltyStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Loyalty reward"))
        self.setModal(True)
        title = QLabel("★ " + reward_text(status))
        title.setObjectName("screenTitle")
        title.setWordWrap(True)
        detail = QLabel(
            tr(
                "{visits} visits counted; giving the reward uses {needed} of them. "
                "Then add the reward to the sale (a 100 % discount on its line).",
                visits=status.visits,
                needed=status.needed,
            )
        )
        detail.setWordWrap(True)
        self.give = QPushButton(tr("Give the reward"))
        self.give.setObjectName("validateButton")
        self.give.clicked.connect(self.accept)
        cancel = QPushButton(tr("Not now"))
        cancel.clicked.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(cancel)
        actions.addWidget(self.give, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(detail)
        layout.addLayout(actions)
        self.resize(520, 280)


class LoyaltyStar(QPushButton):
    """The star: :meth:`show_for` the customer attached to the sale."""

    def __init__(
        self, shop: ShopDocuments, messages: MessageBar, parent: QWidget | None = None
    ) -> None:
        super().__init__("★", parent)
        self.shop = shop
        self.messages = messages
        self.customer_id: str | None = None
        self.status: LoyaltyStatus | None = None
        self.setFixedWidth(64)
        self.clicked.connect(self.ask_reward)
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(0)
        self._redraw.timeout.connect(self.refresh)
        unsubscribe = [
            shop.inventory.tracker.subscribe(lambda _c: self._redraw.start()),
            shop.settings.tracker.subscribe(lambda _c: self._redraw.start()),
        ]
        self.destroyed.connect(lambda *_: [u() for u in unsubscribe])
        self.hide()

    @property
    def lit(self) -> bool:
        return self.status is not None and self.status.earned

    def show_for(self, customer_id: str | None) -> None:
        """Follow the customer attached to the sale (None: none)."""
        self.customer_id = customer_id
        self.refresh()

    def refresh(self) -> None:
        self.status = loyalty_status(self.shop, self.customer_id)
        status = self.status
        if status is None:
            self.hide()
            return
        if status.earned:
            self.setText("★")
            self.setStyleSheet(_LIT)
            self.setToolTip(reward_text(status))
        else:
            self.setText("☆")
            self.setStyleSheet(_UNLIT)
            self.setToolTip(
                tr("{visits} of {needed} visits", visits=status.visits, needed=status.needed)
            )
        self.setAccessibleName(self.toolTip())
        self.show()

    def ask_reward(self) -> RewardDialog | None:
        """Tapped: confirm the reward when earned, otherwise say how far it is."""
        self.refresh()
        status = self.status
        if status is None:
            return None
        if not status.earned:
            self.messages.show_message(
                tr(
                    "{visits} of {needed} visits: {left} more before the reward.",
                    visits=status.visits,
                    needed=status.needed,
                    left=status.needed - status.visits,
                )
            )
            return None
        dialog = RewardDialog(status, self.window())  # not under the star's own style
        dialog.accepted.connect(lambda: self.grant(status.customer_id))
        dialog.open()
        return dialog

    def grant(self, customer_id: str) -> None:
        try:
            after = grant_reward(self.shop, customer_id)
        except DomainError:
            self.messages.show_message(tr("No reward earned yet."), "warning")
            self.refresh()
            return
        self.messages.show_message(
            tr("Reward given: add it to the sale. {visits} visits left.", visits=after.visits)
        )
        self.refresh()
