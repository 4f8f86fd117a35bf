"""The integrity tab: check every till's signed journal, as the relay holds it, here.

One button fetches each till's sales chain from the relay with the till's
public key and verifies it from its first record (hashes, links, signatures,
sequence, closing totals: :func:`app.manager.relay_journal.check_chain`) on
the background loop, so a large journal never freezes the window. The table
then says, per till: intact with its record count and the start of its head
hash, or the first broken record's number and why. Verified records are kept
on this computer for the journal and closings tabs.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.manager.context import ManagerContext
from app.manager.relay_connection import RelayConnection, relay_error_text
from app.manager.relay_journal import NO_KEY, TillCheck, check_journals, relay_asker
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_number
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
    }
    text = texts.get(reason)
    return text() if text is not None else reason


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
        self.check_button = QPushButton()
        self.check_button.setMinimumHeight(40)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.model = EntryTableModel(
            [
                Column(lambda: tr("Till"), self.till_name, self.till_name, width=180),
                Column(lambda: tr("Result"), self.result_text, lambda c: c.ok, width=160),
                Column(
                    lambda: tr("Records verified"),
                    lambda c: format_number(c.count, language()),
                    lambda c: c.count,
                    numeric=True,
                    width=190,
                ),
                Column(
                    lambda: tr("Head"),
                    lambda c: c.head_hash[:HASH_PREFIX],
                    lambda c: c.head_hash,
                    width=140,
                ),
                Column(
                    lambda: tr("First broken record"),
                    lambda c: "" if c.bad_seq is None else str(c.bad_seq),
                    lambda c: c.bad_seq or 0,
                    numeric=True,
                    width=230,
                ),
                Column(lambda: tr("Why"), self.why_text, self.why_text, width=320),
            ],
            entry_id=lambda c: c.till_id,
            search_text=lambda c: c.name,
            parent=self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
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
        translator().changed.connect(self._on_language)
        self._retranslate()

    # -- cells -------------------------------------------------------------

    def till_name(self, check: TillCheck) -> str:
        return check.name or self.context.till_name(check.till_id)

    def result_text(self, check: TillCheck) -> str:
        if not check.ok:
            return "⚠ " + tr("Broken")
        if check.local_problem:
            return "⚠ " + tr("Intact on the relay, not here")
        return "✔ " + tr("Intact")

    def why_text(self, check: TillCheck) -> str:
        if not check.ok:
            return f"{reason_text(check.reason)} ({check.detail})" if check.detail else ""
        if check.local_problem:
            return tr("This computer's copy differs: {problem}", problem=check.local_problem)
        return ""

    # -- checking ----------------------------------------------------------

    def run_check(self) -> None:
        """Fetch and verify every till's journal in the background; results come in the table."""
        relay = self.relay
        if relay is None or not relay.signed_in:
            self.status.setText(
                "⚠ "
                + tr(
                    "Sign in to the relay first: it holds every till's journal and "
                    "the keys that check their signatures."
                )
            )
            return
        self.check_button.setEnabled(False)
        self.status.setText(tr("Checking every till's journal…"))
        relay.bridge.submit(
            check_journals(relay_asker(relay), self.context.store),
            on_result=self._done,
            on_error=self._failed,
        )

    def _done(self, results: list[TillCheck]) -> None:
        self.results = results
        self.check_button.setEnabled(True)
        self.model.reset(results)
        self._show_summary()
        self.finished.emit()

    def _failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.status.setText("⚠ " + relay_error_text(error))
        self.finished.emit()

    def _show_summary(self) -> None:
        broken = [c for c in self.results if not c.ok]
        if broken:
            first = broken[0]
            self.status.setText(
                "⚠ "
                + tr(
                    "The journal of {till} is broken at record {seq}: {reason}.",
                    till=self.till_name(first),
                    seq=first.bad_seq,
                    reason=reason_text(first.reason),
                )
            )
        elif any(c.local_problem for c in self.results):
            self.status.setText(
                "⚠ " + tr("Every journal is intact on the relay, but this computer's copy differs.")
            )
        elif self.results:
            self.status.setText(
                "✔ "
                + tr(
                    "Every till's journal is intact ({n} checked).",
                    n=format_number(len(self.results), language()),
                )
            )
        else:
            self.status.setText(tr("The relay knows no till yet."))

    def _on_language(self, _lang: str) -> None:
        self._retranslate()

    def _retranslate(self) -> None:
        self.check_button.setText(tr("Check every till's journal"))
        self.check_button.setToolTip(
            tr(
                "Fetches each till's journal from the relay and verifies every record's hash, "
                "link and signature with the till's key, and the closings' totals."
            )
        )
        if self.results:
            self._show_summary()
        elif not self.status.text().startswith("⚠"):
            self.status.setText(tr("Not checked yet."))
        self.model.refresh_all()
