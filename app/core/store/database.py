"""Opening the SQLite file: recognise it, refuse what is not ours, migrate, tune.

:func:`open_database` is the only way the store gets an engine. Before
anything may write to the file it is inspected read-only
(:func:`inspect_file`): a damaged file or an SQLite database that Skytill did
not create is refused with nothing changed (no table created, no migration
run, not even the WAL switch). A store written by an older Skytill is
migrated with Alembic, in the same transaction that checks it.

Every connection runs in WAL mode with ``synchronous=FULL`` (a committed
transaction survives a power cut), foreign keys on and a busy timeout.
Transactions are started explicitly (``BEGIN`` / ``BEGIN IMMEDIATE``) rather
than by the sqlite3 module, so that DDL is transactional too.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import logging
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event

from app.core.errors import ForeignDatabaseError, SchemaTooNewError, StoreCorruptError

__all__ = [
    "APPLICATION_ID",
    "DATABASE_FILE_NAME",
    "FileState",
    "create_store_engine",
    "head_revision",
    "inspect_file",
    "migrate",
]

logger = logging.getLogger(__name__)

DATABASE_FILE_NAME = "skytill.sqlite"
#: ``PRAGMA application_id`` of a Skytill device store: "SkTl".
APPLICATION_ID = 0x536B546C
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000


class FileState(enum.Enum):
    """What :func:`inspect_file` found."""

    NEW = "new"  # absent, empty, or an SQLite file with no schema at all
    OURS = "ours"  # a Skytill device store, at ``revision`` (None before the first migration)


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The schema revision this code writes."""
    head = _script().get_current_head()
    assert head is not None
    return head


def inspect_file(path: Path, *, check: bool = True) -> tuple[FileState, str | None]:
    """Look at ``path`` read-only and say whether the store may open it.

    Returns ``(FileState.NEW, None)`` or ``(FileState.OURS, revision)``; raises
    :class:`StoreCorruptError` for a damaged file, :class:`ForeignDatabaseError`
    for an SQLite database that is not a device store and
    :class:`SchemaTooNewError` for one written by a newer Skytill. With
    ``check`` the whole file is read once (``PRAGMA quick_check``).
    """
    if not path.exists() or path.stat().st_size == 0:
        return FileState.NEW, None
    with path.open("rb") as raw:
        magic = raw.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise StoreCorruptError(path, "it does not start like an SQLite database")
    # A read-only connection to a WAL database creates empty -wal/-shm files:
    # remove the ones this inspection created, so a refused file is left as found.
    created = [p for p in (_sibling(path, "-wal"), _sibling(path, "-shm")) if not p.exists()]
    try:
        state, revision = _inspect_sqlite(path, check)
    finally:
        for sibling in created:
            with contextlib.suppress(FileNotFoundError):
                sibling.unlink()
    if state is FileState.OURS and revision is not None and not _known(revision):
        raise SchemaTooNewError(path, revision)
    return state, revision


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _inspect_sqlite(path: Path, check: bool) -> tuple[FileState, str | None]:
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreCorruptError(path, str(exc)) from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if app_id != APPLICATION_ID:
            if not tables:
                return FileState.NEW, None
            raise ForeignDatabaseError(path, f"application id {app_id:#x}, tables {sorted(tables)}")
        if check:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise StoreCorruptError(path, "; ".join(problems[:3]))
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return FileState.OURS, revision
    except sqlite3.DatabaseError as exc:
        raise StoreCorruptError(path, str(exc)) from exc
    finally:
        conn.close()


def _known(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except CommandError:
        return False


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def create_store_engine(path: Path) -> Engine:
    """An engine on ``path`` with the store's pragmas; only after :func:`inspect_file`.

    ``engine.execution_options(sqlite_begin="IMMEDIATE")`` gives an engine
    whose transactions take the write lock at once (use it for writes).
    """
    engine = create_engine(f"sqlite:///{path}", pool_size=4, max_overflow=4)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def migrate(conn: Connection, *, new: bool, revision: str = "head") -> None:
    """Bring the schema on ``conn`` to ``revision`` (head), inside the caller's transaction.

    For a ``new`` file this also stamps ``PRAGMA application_id`` first, so the
    file is recognised as ours exactly when its schema exists (both commit
    together). Runs the packaged ``migrations/env.py`` on this connection.
    """
    if new:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    config = _config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)
