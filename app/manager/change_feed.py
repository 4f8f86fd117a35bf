"""Change summaries delivered to the GUI thread, merged per turn of the event loop.

A document's :class:`~crdt_models.documents.changes.ChangeTracker` calls its
listeners inside pycrdt's commit, on whatever thread wrote (the GUI for the
owner's edits, the sync loop for a peer's update). Views must neither touch
widgets from another thread nor read the document inside its commit, so
:class:`ChangeFeed` queues the summary and emits ``changed`` once on the GUI
thread, with every summary that arrived meanwhile merged (``|``): a burst of
remote updates redraws once.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from crdt_models.documents.changes import ChangeSummary, ChangeTracker

__all__ = ["ChangeFeed"]


class ChangeFeed(QObject):
    """Re-emits one tracker's summaries on the thread this object lives in (the GUI)."""

    changed = Signal(object)
    _wake = Signal()

    def __init__(self, tracker: ChangeTracker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: ChangeSummary | None = None
        self._wake.connect(self._flush, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = tracker.subscribe(self._on_summary)

    def _on_summary(self, summary: ChangeSummary) -> None:
        with self._lock:
            first = self._pending is None
            self._pending = summary if self._pending is None else self._pending | summary
        if first:
            self._wake.emit()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            summary, self._pending = self._pending, None
        if summary is not None and not summary.is_empty:
            self.changed.emit(summary)

    def close(self) -> None:
        """Stop listening to the tracker."""
        self._unsubscribe()
