"""Verified journal records, stored exactly once, and their statistics facts."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

__all__ = ["JournalStore"]


class JournalStore:
    """Repository of the ``journal_records`` table and the sale fact tables."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
