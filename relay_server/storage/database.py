"""Opening the relay database: one URL, SQLite by default, PostgreSQL when it must scale.

Call :func:`open_storage` once per process; it creates or upgrades the tables
with Alembic (``migrations/``) and refuses a database migrated by a newer relay. The returned
:class:`Storage` is thread-safe (one SQLAlchemy engine with its pool) and is
what every other part of the relay is given.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from relay_server.errors import StorageError
from relay_server.storage.accounts import Accounts
from relay_server.storage.documents import Documents
from relay_server.storage.journal import JournalStore

__all__ = ["Storage", "normalize_url", "open_storage"]

logger = logging.getLogger(__name__)

_PG_LOCK_KEY = 0x5359_5449_4C4C  # "SYTILL": serializes migrations across relay processes


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


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def _migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision, one process at a time."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Several relay processes may start at once on a new database.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        script = ScriptDirectory.from_config(_alembic_config(connection))
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise StorageError(
                f"database schema revision {current!r} is unknown to this relay: "
                "use a relay of the matching version"
            )
        command.upgrade(_alembic_config(connection), "head")


def open_storage(url: str) -> Storage:
    """Open the relay database at ``url``, creating or upgrading its tables (Alembic).

    ``url`` is an SQLAlchemy URL: ``sqlite:///path/relay.db`` or
    ``postgresql://user@host:5432/name``. Raises :class:`StorageError` when the
    database was migrated by a newer relay (a revision this code does not know).
    """
    url = normalize_url(url)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    logger.debug("opened %s storage", engine.dialect.name)
    return Storage(engine)
