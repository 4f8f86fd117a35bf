"""Opening the relay database: one URL, SQLite by default, PostgreSQL when it must scale.

Call :func:`open_storage` once per process; it creates the tables on a new
database and refuses one written by another schema version. The returned
:class:`Storage` is thread-safe (one SQLAlchemy engine with its pool) and is
what every other part of the relay is given.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from relay_server.errors import StorageError
from relay_server.storage.accounts import Accounts
from relay_server.storage.documents import Documents
from relay_server.storage.journal import JournalStore
from relay_server.storage.schema import SCHEMA_VERSION, Base, SchemaVersion

__all__ = ["Storage", "normalize_url", "open_storage"]

logger = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Map ``postgresql://`` and ``postgres://`` to the psycopg 3 driver; leave others alone."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Storage:
    """The relay's storage: ``accounts``, ``documents`` and ``journal``, over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.accounts = Accounts(self._sessions)
        self.documents = Documents(self._sessions)
        self.journal = JournalStore(self._sessions)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def session(self) -> Session:
        """A new session (for tests and one-off queries; the repositories open their own)."""
        return self._sessions()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def open_storage(url: str) -> Storage:
    """Open (and on first use create) the relay database at ``url``.

    ``url`` is an SQLAlchemy URL: ``sqlite:///path/relay.db`` or
    ``postgresql://user@host:5432/name``. Raises :class:`StorageError` when the
    database holds tables of another schema version.
    """
    url = normalize_url(url)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        versions = list(session.scalars(select(SchemaVersion.version)))
        if not versions:
            session.add(SchemaVersion(version=SCHEMA_VERSION))
    if versions and versions != [SCHEMA_VERSION]:
        engine.dispose()
        raise StorageError(
            f"database schema version {versions} is not {SCHEMA_VERSION}: "
            "use a relay of the matching version"
        )
    logger.debug("opened %s storage", engine.dialect.name)
    return Storage(engine)
