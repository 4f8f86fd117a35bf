"""The Tills section: the shop's tills, with what this computer knows of their
activity (when its latest record here was made, today's tickets and revenue).

Signed in to the relay, the list is the relay's till accounts, each with what
the till last reported to the relay (online or not, last sync, changes not yet
synced, software version), asked again every :data:`POLL_MS` while the page
is shown; the panel beside it adds a till (showing its licence key), sets a
till's password and revokes a till. Not signed in, the list is the tills of
the settings document, which the owner can rename and renumber.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.periods import Period, shop_today
from app.manager.context import ManagerContext
from app.manager.entry_editor import EntryEditor
from app.manager.entry_list import EntryList
from app.manager.relay_connection import RelayConnection
from app.manager.relay_tills import RelaySignIn, RelayTill, RelayTillPanel, relay_tills
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_money, format_number, format_recent
from app.qt.i18n import language, tr, translator
from crdt_models.documents import ChangeSummary, EntryKind, Till
from crdt_models.journal import Record

__all__ = ["POLL_MS", "TillActivity", "TillsPage", "till_activity"]

#: How often the relay's till list is asked again while the page is shown.
POLL_MS = 5000


@dataclass(frozen=True, slots=True)
class TillActivity:
    """What the local journal says about one till."""

    last_ts: int | None
    tickets_today: int
    revenue_today: int


def till_activity(latest: Mapping[str, int], today: list[Record]) -> dict[str, TillActivity]:
    """Per till id: its ``latest`` record's time and ``today``'s sales and refunds."""
    tickets: dict[str, int] = {}
    revenue: dict[str, int] = {}
    for record in today:
        if record.kind in ("sale", "refund"):
            revenue[record.till_id] = revenue.get(record.till_id, 0) + record.body["total"]
        if record.kind == "sale":
            tickets[record.till_id] = tickets.get(record.till_id, 0) + 1
    return {
        till: TillActivity(latest.get(till), tickets.get(till, 0), revenue.get(till, 0))
        for till in set(latest) | set(tickets)
    }


class TillEditor(EntryEditor):
    """Name and number of a till (its number prints on every ticket number)."""

    def __init__(self, context: ManagerContext, parent: QWidget | None = None) -> None:
        super().__init__(context, EntryKind.TILL, parent)
        self.name = self.form.add("name", lambda: tr("Name"), QLineEdit())
        self.number = self.form.add("number", lambda: tr("Number"), QSpinBox())
        self.number.setRange(1, 999)
        self.new()

    def new(self) -> None:
        self.entry_id = None
        self.name.clear()
        used = [t.number for t in self.context.settings.tills(include_archived=True)]
        self.number.setValue(1 + max(used, default=0))
        self.form.clear_errors()
        self.retranslate()

    def edit(self, entry_id: str) -> None:
        till = self.context.settings.till(entry_id)
        self.entry_id = entry_id
        self.name.setText(till.name)
        self.number.setValue(till.number)
        self.form.clear_errors()
        self.retranslate()

    def write(self) -> str:
        settings = self.context.settings
        if self.entry_id is None:
            return settings.create_till(name=self.name.text(), number=self.number.value()).entry_id
        settings.update_till(self.entry_id, name=self.name.text(), number=self.number.value())
        return self.entry_id

    def archived(self) -> bool:
        return self.entry_id is not None and self.context.settings.till(self.entry_id).archived

    def titles(self) -> tuple[str, str]:
        return tr("New till"), tr("Till")


class TillsPage(QWidget):
    """The shop's tills and their activity as seen from this computer."""

    def __init__(
        self,
        context: ManagerContext,
        relay: RelayConnection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.relay = relay
        self.activity: dict[str, TillActivity] = {}
        self.model = EntryTableModel(
            [
                Column(
                    lambda: tr("No."),
                    lambda t: str(t.number),
                    lambda t: t.number,
                    numeric=True,
                    width=None,
                    tooltip=lambda: tr("The till's number (it starts every ticket number)"),
                ),
                Column(lambda: tr("Name"), lambda t: t.name, lambda t: t.name.casefold()),
                Column(
                    lambda: tr("Last activity"),
                    self._last_text,
                    self._last_ts,
                    width=None,
                    tooltip=lambda: tr(
                        "When the till made its latest record that this computer has received"
                    ),
                ),
                Column(
                    lambda: tr("Tickets today"),
                    lambda t: format_number(self._activity(t).tickets_today, language()),
                    lambda t: self._activity(t).tickets_today,
                    numeric=True,
                    width=None,
                ),
                Column(
                    lambda: tr("Revenue today"),
                    lambda t: format_money(self._activity(t).revenue_today, language()),
                    lambda t: self._activity(t).revenue_today,
                    numeric=True,
                    width=None,
                ),
                Column(
                    lambda: tr("Status"),
                    _status,
                    lambda t: (t.archived, not _reported(t).online),
                    width=None,
                ),
                Column(
                    lambda: tr("Last sync"),
                    self._last_sync_text,
                    lambda t: _reported(t).last_sync or 0,
                    width=None,
                    tooltip=lambda: tr(
                        "When the till last synced with the relay, as the relay says"
                    ),
                ),
                Column(
                    lambda: tr("To send"),
                    _pending_text,
                    lambda t: _reported(t).pending or 0,
                    numeric=True,
                    emphasis=lambda t: bool(_reported(t).pending),
                    width=None,
                    tooltip=lambda: tr(
                        "Changes the till had not sent to the relay when it last reported"
                    ),
                ),
                Column(
                    lambda: tr("Version"),
                    lambda t: _reported(t).version or "—",
                    lambda t: _reported(t).version or "",
                    width=None,
                ),
            ],
            entry_id=lambda t: t.id,
            search_text=lambda t: f"{t.number} {t.name}",
            is_dimmed=lambda t: t.archived,
            parent=self,
        )
        self.model.sort(0, Qt.SortOrder.AscendingOrder)
        self.editor = TillEditor(context)
        self.panel = RelayTillPanel(relay) if relay is not None else None
        self.editors = QStackedWidget()
        self.editors.addWidget(self.editor)
        if self.panel is not None:
            self.editors.addWidget(self.panel)
            self.panel.changed.connect(self.refresh)
        self.sign_in = RelaySignIn(relay) if relay is not None else None
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "hint")
        self.list = EntryList(
            self.model,
            self.editors,
            search_hint=lambda: tr("Search tills"),
            is_archived=lambda t: t.archived,
            stretch=1,
        )
        self.new_button = self.list.add_button(QPushButton())
        self.refresh_button = self.list.add_button(QPushButton())
        self.new_button.clicked.connect(self.new_till)
        self.refresh_button.clicked.connect(self.refresh)
        self.list.selected.connect(self._on_selected)
        self.editor.saved.connect(self.list.select)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        if self.sign_in is not None:
            layout.addWidget(self.sign_in)
        layout.addWidget(self.notice)
        layout.addWidget(self.list, 1)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self._polling = False  # a "tills" request is on its way
        self._poll_again = False  # asked for meanwhile: the answer on its way may be older
        self._relay_ids: set[str] | None = None  # the tills listed, while they are the relay's
        context.settings_feed.changed.connect(self._on_settings)
        if relay is not None:
            relay.state_changed.connect(self._on_relay_state)
        translator().changed.connect(self._on_language)
        self.editors.setCurrentIndex(1 if self.online else 0)  # signed in before it opened
        self.refresh()
        self._retranslate()

    @property
    def online(self) -> bool:
        """True while signed in to the relay (the list is then the relay's)."""
        return self.relay is not None and self.relay.signed_in

    def refresh(self) -> None:
        """Re-read the tills (from the relay when signed in) and their local activity."""
        now = int(self.context.clock())
        zone = self.context.settings.zone()
        today = shop_today(now, zone)
        start, end = Period(today, today).bounds(zone)
        self.activity = till_activity(
            self.context.latest_record_times(), self.context.journal_records(start, end)
        )
        if self.online:
            self.poll()
        else:
            self._relay_ids = None
            self.model.reset(self.context.settings.tills(include_archived=True))

    def poll(self) -> None:
        """Ask the relay for its till list (and what each till reported), unless already asking."""
        if self.relay is None or not self.relay.signed_in:
            return
        if self._polling:
            self._poll_again = True
            return
        self._polling = True
        self.relay.request("tills", None, self._show_relay_tills, self._relay_failed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.poll()
        self.poll_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.poll_timer.stop()
        super().hideEvent(event)

    def new_till(self) -> None:
        if self.panel is not None and self.online:
            self.panel.new_name.setFocus()
        else:
            self.editor.new()

    def _answered(self) -> None:
        self._polling = False
        if self._poll_again:
            self._poll_again = False
            self.poll()

    def _show_relay_tills(self, answer: Any) -> None:
        self._answered()
        if not self.online:
            return  # signed out meanwhile: the list is the settings' again
        tills = relay_tills(answer)
        ids = {t.id for t in tills}
        if ids == self._relay_ids:
            self.model.upsert(tills)  # the same tills: rows and selection stay put
            return
        self._relay_ids = ids
        self.model.reset(tills)
        if self.panel is not None and self.panel.till is not None:
            self.list.select(self.panel.till.id)

    def _relay_failed(self, message: str) -> None:
        self._answered()
        if self.panel is not None:
            self.panel.status.setText("⚠ " + message)

    def _on_relay_state(self, signed_in: bool) -> None:
        self.editors.setCurrentIndex(1 if signed_in else 0)
        self._retranslate()
        self.refresh()

    def _on_selected(self, till_id: str) -> None:
        if self.panel is not None and self.online:
            row = self.model.row_of(till_id)
            self.panel.show_till(self.model.entry(row) if row is not None else None)
        else:
            self.editor.edit(till_id)

    def _on_settings(self, summary: ChangeSummary) -> None:
        if summary.touches(EntryKind.TILL) and not self.online:
            ids = summary.ids(EntryKind.TILL)
            tills = self.context.settings.tills(include_archived=True)
            self.model.upsert(t for t in tills if t.id in ids)

    def _activity(self, till: Till | RelayTill) -> TillActivity:
        return self.activity.get(till.id, TillActivity(None, 0, 0))

    def _last_ts(self, till: Till | RelayTill) -> int:
        return self._activity(till).last_ts or 0

    def _last_text(self, till: Till | RelayTill) -> str:
        ts = self._activity(till).last_ts
        return format_recent(ts, language(), self.context.clock()) if ts else tr("None yet")

    def _last_sync_text(self, till: Till | RelayTill) -> str:
        if not isinstance(till, RelayTill):
            return "—"
        if till.last_sync is None:
            return tr("Never")
        return format_recent(till.last_sync, language(), self.context.clock())

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(tr("Tills"))
        self.new_button.setText(tr("New till"))
        self.refresh_button.setText(tr("Refresh"))
        if self.online:
            notice = tr(
                "These are the till accounts on the relay, with what each till last told it. "
                "Activity is what this computer has received."
            )
        else:
            notice = tr(
                "Sign in to the relay to add tills, set their passwords or revoke them. "
                "Activity is what this computer has received."
            )
        self.notice.setText("ℹ " + notice)
        self.model.refresh_all()


def _status(till: Till | RelayTill) -> str:
    if isinstance(till, RelayTill):
        if till.revoked:
            return tr("Revoked")
        return "● " + tr("Online") if till.online else "○ " + tr("Offline")
    return tr("Archived") if till.archived else tr("Active")


_NOT_REPORTED = RelayTill("", 0, "", False)


def _reported(till: Till | RelayTill) -> RelayTill:
    """What the relay says of ``till`` (nothing for a till of the settings document)."""
    return till if isinstance(till, RelayTill) else _NOT_REPORTED


def _pending_text(till: Till | RelayTill) -> str:
    """How many of the till's changes the relay does not hold yet (— before it ever synced)."""
    pending = _reported(till).pending
    if pending is None:
        return "—"
    text = format_number(pending, language())
    return f"⚠ {text}" if pending else text
