"""The integrity tab: check every till's signed journal, as the relay holds it, here.

Signed in, one button fetches each till's sales chain from the relay with the
till's public key and verifies it from its first record (hashes, links,
signatures, sequence, closing totals: :func:`app.manager.relay_journal.check_chain`)
on the background loop, so a large journal never freezes the window; verified
records are kept on this computer for the journal and closings tabs. Not
signed in, the same button verifies this computer's copies instead
(:func:`app.manager.relay_journal.check_local_journals`), with the keys and
heads the relay gave at the last refresh, and says so: it vouches for this
computer's copy as of then, not for the relay's journal.

The table then says, per till (in the order of their names): intact with its
record count and the start of its head hash, or the first broken record's
number and why.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.manager.context import ManagerContext
from app.manager.relay_connection import RelayConnection, relay_error_text
from app.manager.relay_journal import (
    NO_KEY,
    NO_LOCAL_KEY,
    LocalChecks,
    TillCheck,
    check_journals,
    check_local_journals,
    relay_asker,
)
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_number, format_recent
from app.qt.i18n import language, tr, translator
from crdt_models.journal.verify import (
    BAD_SIGNATURE,
    EDITED,
    GRAND_TOTAL_MISMATCH,
    INSERTED,
    INVALID_BODY,
    REMOVED,
    REORDERED,
    SEQUENCE_GAP,
)

__all__ = ["IntegrityView", "reason_text"]

#: Characters of the head hash shown (enough to compare with a till's screen or an export).
HASH_PREFIX = 12


def reason_text(reason: str) -> str:
    """The verifier's reason as the owner reads it."""
    texts = {
        EDITED: lambda: tr("changed after it was signed"),
        REMOVED: lambda: tr("missing"),
        INSERTED: lambda: tr("inserted or duplicated"),
        BAD_SIGNATURE: lambda: tr("not signed by this till"),
        REORDERED: lambda: tr("out of order"),
        SEQUENCE_GAP: lambda: tr("a number is skipped"),
        INVALID_BODY: lambda: tr("invalid content"),
        GRAND_TOTAL_MISMATCH: lambda: tr("its totals do not add up"),
        NO_KEY: lambda: tr("the relay has no key for this till"),
        NO_LOCAL_KEY: lambda: tr("this computer kept no key for this till: sign in and refresh"),
    }
    text = texts.get(reason)
    return text() if text is not None else reason


def unverifiable(check: TillCheck) -> bool:
    """True when there was no key to check the till's journal with (not a broken one)."""
    return check.reason in (NO_KEY, NO_LOCAL_KEY)


class IntegrityView(QWidget):
    """A Check button and one row per till; ``finished`` once a check's results show."""

    finished = Signal()

    def __init__(
        self,
        context: ManagerContext,
        relay: RelayConnection | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.relay = relay
        self.results: list[TillCheck] = []
        self.checked_here = False  # the results are of this computer's copies, not the relay's
        self.as_of: int | None = None  # those copies' (oldest) refresh from the relay
        self.check_button = QPushButton()
        self.check_button.setMinimumHeight(40)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.model = EntryTableModel(
            [
                Column(lambda: tr("Till"), self.till_name, self.till_name, width=None),
                Column(lambda: tr("Result"), self.result_text, lambda c: c.ok, width=None),
                Column(
                    lambda: tr("Records verified"),
                    lambda c: format_number(c.count, language()),
                    lambda c: c.count,
                    numeric=True,
                    width=None,
                ),
                Column(
                    lambda: tr("Head"),
                    lambda c: c.head_hash[:HASH_PREFIX],
                    lambda c: c.head_hash,
                    width=None,
                ),
                Column(
                    lambda: tr("First broken record"),
                    lambda c: "" if c.bad_seq is None else str(c.bad_seq),
                    lambda c: c.bad_seq or 0,
                    numeric=True,
                    width=None,
                ),
                Column(lambda: tr("Why"), self.why_text, self.why_text, width=320),
            ],
            entry_id=lambda c: c.till_id,
            search_text=lambda c: c.name,
            parent=self,
        )
        self.model.sort(0, Qt.SortOrder.AscendingOrder)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.model.configure_view(self.table, stretch=5)
        top = QHBoxLayout()
        top.addWidget(self.check_button)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.check_button.clicked.connect(self.run_check)
        if relay is not None:
            relay.state_changed.connect(lambda _signed_in: self._retranslate())
        translator().changed.connect(self._on_language)
        self._retranslate()

    # -- cells -------------------------------------------------------------

    def till_name(self, check: TillCheck) -> str:
        return check.name or self.context.till_name(check.till_id)

    def result_text(self, check: TillCheck) -> str:
        if unverifiable(check):
            return "⚠ " + tr("Not checked")
        if not check.ok:
            return "⚠ " + tr("Broken")
        if check.local_problem:
            return "⚠ " + tr("Intact on the relay, not here")
        return "✔ " + tr("Intact")

    def why_text(self, check: TillCheck) -> str:
        if not check.ok:
            reason = reason_text(check.reason)
            return f"{reason} ({check.detail})" if check.detail else reason
        if check.local_problem:
            return tr("This computer's copy differs: {problem}", problem=check.local_problem)
        return ""

    # -- checking ----------------------------------------------------------

    @property
    def online(self) -> bool:
        """True while signed in: the check reads the relay's journals."""
        return self.relay is not None and self.relay.signed_in

    def run_check(self) -> None:
        """Verify every till's journal in the background (the relay's when signed in, else
        this computer's copies); results come in the table."""
        self.check_button.setEnabled(False)
        relay = self.relay
        if relay is not None and relay.signed_in:
            self.status.setText(tr("Checking every till's journal…"))
            relay.bridge.submit(
                check_journals(relay_asker(relay), self.context.store, self.context.clock),
                on_result=self._checked_relay,
                on_error=self._failed,
            )
            return
        self.status.setText(tr("Checking this computer's copy of every till's journal…"))
        till_ids = [t.id for t in self.context.settings.tills(include_archived=True)]
        if relay is None:  # no background loop: a small manager of tests and demos
            self._checked_here(check_local_journals(self.context.store, till_ids))
            return
        relay.bridge.submit(
            asyncio.to_thread(check_local_journals, self.context.store, till_ids),
            on_result=self._checked_here,
            on_error=self._failed,
        )

    def _checked_relay(self, results: list[TillCheck]) -> None:
        self._show_results(results, here=False, as_of=None)

    def _checked_here(self, checks: LocalChecks) -> None:
        self._show_results(checks.results, here=True, as_of=checks.as_of)

    def _show_results(self, results: list[TillCheck], *, here: bool, as_of: int | None) -> None:
        self.results = results
        self.checked_here = here
        self.as_of = as_of
        self.check_button.setEnabled(True)
        self.model.reset(results)
        self._show_summary()
        self.finished.emit()

    def _failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.status.setText("⚠ " + relay_error_text(error))
        self.finished.emit()

    def _show_summary(self) -> None:
        self.status.setText(self._verdict() + (f"\n{self._scope()}" if self.checked_here else ""))

    def _verdict(self) -> str:
        """What the last check found, first the first broken journal."""
        broken = [c for c in self.results if not c.ok and not unverifiable(c)]
        unchecked = [c for c in self.results if unverifiable(c)]
        here = self.checked_here
        if broken:
            first = broken[0]
            fields = {
                "till": self.till_name(first),
                "seq": first.bad_seq,
                "reason": reason_text(first.reason),
            }
            if here:
                text = tr(
                    "This computer's copy of the journal of {till} is broken at record {seq}: "
                    "{reason}.",
                    **fields,
                )
            else:
                text = tr("The journal of {till} is broken at record {seq}: {reason}.", **fields)
            return "⚠ " + text
        if unchecked:
            first = unchecked[0]
            return "⚠ " + tr(
                "The journal of {till} could not be checked: {reason}.",
                till=self.till_name(first),
                reason=reason_text(first.reason),
            )
        if any(c.local_problem for c in self.results):
            return "⚠ " + tr(
                "Every journal is intact on the relay, but this computer's copy differs."
            )
        n = format_number(len(self.results), language())
        if self.results and here:
            return "✔ " + tr(
                "This computer's copy of every till's journal is intact ({n} checked).", n=n
            )
        if self.results:
            return "✔ " + tr("Every till's journal is intact ({n} checked).", n=n)
        if here:
            return tr("This computer holds no till's journal yet.")
        return tr("The relay knows no till yet.")

    def _scope(self) -> str:
        """What a check of this computer's copies vouches for (and what not)."""
        if self.as_of is None:
            return tr(
                "This checked the copy on this computer, not the relay's journal: "
                "sign in to the relay to check that."
            )
        return tr(
            "This checked the copy on this computer as of the last refresh ({when}), not the "
            "relay's journal: sign in to the relay to check that.",
            when=format_recent(self.as_of, language(), self.context.clock()),
        )

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        if self.online:
            self.check_button.setText(tr("Check every till's journal"))
            self.check_button.setToolTip(
                tr(
                    "Fetches each till's journal from the relay and verifies every record's "
                    "hash, link and signature with the till's key, and the closings' totals."
                )
            )
        else:
            self.check_button.setText(tr("Check this computer's copy"))
            self.check_button.setToolTip(
                tr(
                    "Verifies the tills' records this computer holds, as of the last refresh, "
                    "with the keys the relay gave then: every record's hash, link and "
                    "signature, and the closings' totals. Sign in to check the relay's journal."
                )
            )
        if self.results:
            self._show_summary()
        elif not self.status.text().startswith("⚠"):
            self.status.setText(tr("Not checked yet."))
        self.model.refresh_all()
