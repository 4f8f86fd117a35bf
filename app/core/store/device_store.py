"""The device store: where a validated sale becomes durable.

One :class:`DeviceStore` per data directory and per process, opened with
:meth:`DeviceStore.open` at start-up and closed at exit. It holds:

- the device identity (device id, till id, Ed25519 signing key);
- the shared documents' update logs (load at start-up, append each update,
  compact now and then);
- the journal: this till's two chains (``sales``, ``events``), and the records
  of other tills it carries (store and forward);
- the sync bookkeeping (what each peer acknowledged).

A journal append (:meth:`DeviceStore.append`, :meth:`DeviceStore.validate_sale`)
makes the record with ``crdt_models.journal.append_record``, stores it in one
SQLite transaction committed with ``synchronous=FULL``, and only then moves
the in-memory chain head and returns. If the commit fails (disk full, I/O
error) it raises :class:`~app.core.errors.StoreWriteError`, nothing of the
record remains and the head does not move: the next attempt gets the same
sequence number.

Every method is safe to call from any thread; appends are serialised.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from pycrdt import Doc
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import (
    RollbackDetectedError,
    StoreError,
    StoreWriteError,
    TillIdInUseError,
)
from app.core.store import bookkeeping, doclog, journal_store
from app.core.store.database import (
    DATABASE_FILE_NAME,
    FileState,
    create_store_engine,
    head_revision,
    inspect_file,
    migrate,
)
from app.core.store.headfile import HeadFile, HeadFileError, read_head_file, write_head_file
from app.core.store.identity import DeviceIdentity, ensure_identity
from app.core.store.lock import DataDirLock
from app.core.store.models import DeviceIdentityRow, StoreMeta
from crdt_models.journal import (
    ChainHead,
    ChainLinkError,
    HeadComparison,
    Record,
    append_record,
    compare_heads,
    head_after,
    verify_record_link,
)

__all__ = ["CHAINS", "DeviceStore"]

logger = logging.getLogger(__name__)

#: This till's own chains.
CHAINS = ("sales", "events")

Body = Mapping[str, Any] | Callable[[int], Mapping[str, Any]]

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL = 5, 8, 10, 11, 13


def _check_setting_key(key: str) -> None:
    if not key or len(key) > 64 or key == "format":  # "format" marks the file as ours
        raise ValueError(f"{key!r} cannot name a device setting")


def _reason(exc: DBAPIError) -> str:
    """What went wrong, in words a cashier can act on."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    return {
        _SQLITE_FULL: "the disk is full",
        _SQLITE_IOERR: "the disk reported a write error",
        _SQLITE_READONLY: "the data directory is read-only",
        _SQLITE_BUSY: "the database is busy",
        _SQLITE_CORRUPT: "the database is damaged",
    }.get(primary if primary is not None else -1, f"the database refused it ({exc.orig})")


class DeviceStore:
    """A device's local store on one data directory (see the module docstring).

    Do not instantiate directly: call :meth:`open`.
    """

    def __init__(
        self,
        data_dir: Path,
        lock: DataDirLock,
        engine: Engine,
        identity: DeviceIdentity,
        heads: dict[str, ChainHead],
    ) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DATABASE_FILE_NAME
        self._lock = lock
        self._engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._identity = identity
        self._heads = heads
        self._append_lock = threading.Lock()
        self._rollback: str | None = None
        self._closed = False

    # -- opening and closing -------------------------------------------------------

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str], *, till_id: str | None = None, check: bool = True
    ) -> DeviceStore:
        """Open (creating or migrating if needed) the store in ``data_dir``.

        Takes the data directory lock first and keeps it until :meth:`close`.
        ``till_id`` names the till on a fresh store (default: the new device
        id). ``check`` reads the whole file once to detect damage.

        Raises :class:`~app.core.errors.StoreLockedError` (another process has
        the directory), :class:`~app.core.errors.StoreCorruptError`,
        :class:`~app.core.errors.ForeignDatabaseError`,
        :class:`~app.core.errors.SchemaTooNewError` -- in those three cases
        the file is left untouched -- or :class:`~app.core.errors.StoreWriteError`
        if creating or migrating the file fails. A restored (older) database
        still opens, for reading, but refuses appends (:attr:`rollback_detected`).
        """
        directory = Path(data_dir)
        directory.mkdir(parents=True, exist_ok=True)
        lock = DataDirLock(directory)
        lock.acquire()
        try:
            path = directory / DATABASE_FILE_NAME
            state, revision = inspect_file(path, check=check)
            engine = create_store_engine(path)
            try:
                writer = engine.execution_options(sqlite_begin="IMMEDIATE")
                with Session(writer) as session, session.begin():
                    if state is FileState.NEW or revision != head_revision():
                        migrate(session.connection(), new=state is FileState.NEW)
                    identity = ensure_identity(session, till_id)
                    heads = {
                        chain: journal_store.stored_head(session, identity.till_id, chain)
                        for chain in CHAINS
                    }
            except DBAPIError as exc:
                engine.dispose()
                raise StoreWriteError("store", _reason(exc)) from exc
            except BaseException:
                engine.dispose()
                raise
            store = cls(directory, lock, engine, identity, heads)
            try:
                store._check_head_file()
            except BaseException:
                store.close()
                raise
        except BaseException:
            lock.release()
            raise
        logger.debug("opened %s (till %s)", path, identity.till_id)
        return store

    def close(self) -> None:
        """Release the database and the directory lock; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._engine.dispose()
        self._lock.release()

    def __enter__(self) -> DeviceStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _session(self) -> Session:
        if self._closed:
            raise StoreError("the device store is closed")
        return Session(self._engine)

    def _write_session(self) -> Session:
        if self._closed:
            raise StoreError("the device store is closed")
        return Session(self._writer)

    # -- identity --------------------------------------------------------------------

    @property
    def identity(self) -> DeviceIdentity:
        """Who this device is (device id, till id, signing key, provisioning)."""
        return self._identity

    def provision(
        self,
        *,
        shop_id: str,
        relay_url: str | None = None,
        relay_token: str | None = None,
        lan_secret: bytes | None = None,
        till_id: str | None = None,
    ) -> DeviceIdentity:
        """Record what pairing with a shop gave this device; returns the new identity.

        ``till_id`` (the id the relay assigned) replaces the current one only
        while this till's chains are empty; once a record exists under the
        current id it raises :class:`~app.core.errors.TillIdInUseError` and
        nothing changes.
        """
        with self._append_lock:  # no record may be appended under the old id meanwhile
            current = self._identity
            new_till = till_id or current.till_id
            if new_till != current.till_id and any(h.seq > 0 for h in self._heads.values()):
                raise TillIdInUseError(current.till_id)
            with self._write_session() as session, session.begin():
                row = session.get(DeviceIdentityRow, 1)
                assert row is not None  # created at open
                row.till_id, row.shop_id, row.relay_url = new_till, shop_id, relay_url
                row.relay_token, row.lan_secret = relay_token, lan_secret
            self._identity = replace(
                current,
                till_id=new_till,
                shop_id=shop_id,
                relay_url=relay_url,
                relay_token=relay_token,
                lan_secret=lan_secret,
            )
            if new_till != current.till_id:
                self._heads = {chain: ChainHead.genesis(new_till, chain) for chain in CHAINS}
            return self._identity

    def forget_relay_token(self) -> DeviceIdentity:
        """Forget the device token (a logout); the journal, documents and key stay."""
        with self._write_session() as session, session.begin():
            row = session.get(DeviceIdentityRow, 1)
            assert row is not None
            row.relay_token = None
        self._identity = replace(self._identity, relay_token=None)
        return self._identity

    # -- device settings ----------------------------------------------------------------

    def device_setting(self, key: str) -> str | None:
        """A setting of this device alone (its hardware, e.g. ``printer``), or None."""
        _check_setting_key(key)
        with self._session() as session:
            row = session.get(StoreMeta, key)
            return None if row is None else row.value

    def set_device_setting(self, key: str, value: str | None) -> None:
        """Store (None: forget) a setting of this device alone; not synced, not journaled."""
        _check_setting_key(key)
        if value is not None and len(value) > 256:
            raise ValueError(f"setting {key!r} is longer than 256 characters")
        try:
            with self._write_session() as session, session.begin():
                row = session.get(StoreMeta, key)
                if value is None:
                    if row is not None:
                        session.delete(row)
                elif row is None:
                    session.add(StoreMeta(key=key, value=value))
                else:
                    row.value = value
        except DBAPIError as exc:
            raise StoreWriteError("setting", _reason(exc)) from exc

    # -- rollback detection ------------------------------------------------------------

    @property
    def rollback_detected(self) -> str | None:
        """Why appends are refused (the database is older than ``head.json``), or None."""
        return self._rollback

    def _check_head_file(self) -> None:
        witnessed = None
        try:
            witnessed = read_head_file(self.data_dir)
        except HeadFileError as exc:
            self._rollback = str(exc)
        else:
            self._rollback = self._rollback_problem(witnessed)
        if self._rollback is not None:
            logger.error("rollback detected in %s: %s", self.data_dir, self._rollback)
        elif witnessed is None or witnessed.heads != self._witness().heads:
            self._write_head_file()

    def _rollback_problem(self, witnessed: HeadFile | None) -> str | None:
        """Why the database is older than ``head.json`` says, or None if it is not."""
        if witnessed is None:
            if any(head.seq > 0 for head in self._heads.values()):
                return "the journal holds records but head.json is missing"
            return None
        if witnessed.device_id != self._identity.device_id:
            return "head.json belongs to another device"
        till = self._identity.till_id
        with self._session() as session:
            for chain, (seq, digest) in sorted(witnessed.heads.items()):
                if chain not in self._heads:
                    return f"head.json names an unknown chain {chain!r}"
                local = self._heads[chain]
                seen = ChainHead(till_id=till, chain=chain, seq=seq, hash=digest)
                at_seen = journal_store.record_at(session, till, chain, seq)
                verdict = compare_heads(local, seen, None if at_seen is None else at_seen.hash)
                if verdict is HeadComparison.ROLLED_BACK:
                    return f"the {chain} chain ends at {local.seq}, but {seq} was already validated"
                if verdict is not HeadComparison.SAME and verdict is not HeadComparison.AHEAD:
                    return f"record {seq} of the {chain} chain differs from the one validated"
        return None

    def _witness(self) -> HeadFile:
        heads = {c: (h.seq, h.hash) for c, h in self._heads.items() if h.seq > 0}
        return HeadFile(self._identity.device_id, heads)

    def _write_head_file(self) -> None:
        """Record the current heads beside the database; a failure only lets it lag."""
        try:
            write_head_file(self.data_dir, self._witness())
        except OSError as exc:
            logger.warning("could not update head.json in %s: %s", self.data_dir, exc)

    # -- journal -----------------------------------------------------------------------

    def head(self, chain: str = "sales") -> ChainHead:
        """This till's head of ``chain`` (what the next record follows)."""
        return self._heads[chain]

    def append(self, chain: str, kind: str, body: Body, *, ts: int | None = None) -> Record:
        """Append a record to this till's ``chain`` and store it durably, then return it.

        ``body`` is the record body, or a function of the sequence number the
        record will get (a sale body carries its ticket number, made from that
        seq) called under the append lock. ``ts`` defaults to now.

        Raises ``ValidationError`` (from the journal) for a body the journal
        refuses, :class:`~app.core.errors.RollbackDetectedError` after a
        rollback, :class:`~app.core.errors.StoreWriteError` when the record
        could not be stored; in every case nothing was recorded.
        """
        if chain not in self._heads:
            raise ValueError(f"unknown chain {chain!r}; this till writes {CHAINS}")
        with self._append_lock:
            if self._rollback is not None:
                raise RollbackDetectedError(self.path, self._rollback)
            head = self._heads[chain]
            content = body(head.seq + 1) if callable(body) else body
            when = int(time.time()) if ts is None else ts
            record = append_record(head, kind, dict(content), when, self._identity.private_key)
            what = "sale" if chain == "sales" else "record"
            try:
                with self._write_session() as session, session.begin():
                    journal_store.insert_record(session, record)
            except IntegrityError:
                raise  # a second writer on this chain: a bug, not a disk problem
            except DBAPIError as exc:
                logger.error("could not store %s %d: %s", chain, record.seq, exc)
                raise StoreWriteError(what, _reason(exc)) from exc
            self._heads[chain] = head_after(record)
            self._write_head_file()
            return record

    def validate_sale(self, body: Body, *, ts: int | None = None) -> Record:
        """Validate a sale: append it to the sales chain durably (see :meth:`append`)."""
        return self.append("sales", "sale", body, ts=ts)

    def record(
        self, seq: int, *, chain: str = "sales", till_id: str | None = None
    ) -> Record | None:
        """The record at ``seq`` (a ticket's record on the sales chain), or None."""
        with self._session() as session:
            return journal_store.record_at(session, till_id or self._identity.till_id, chain, seq)

    def records(
        self,
        *,
        till_id: str | None = None,
        chain: str = "sales",
        after_seq: int = 0,
        limit: int | None = None,
    ) -> list[Record]:
        """Records of (till_id, chain) after ``after_seq``, in order (default: this till)."""
        with self._session() as session:
            return list(
                journal_store.iter_records(
                    session,
                    till_id or self._identity.till_id,
                    chain,
                    after_seq=after_seq,
                    limit=limit,
                )
            )

    def records_between(
        self, start_ts: int, end_ts: int, *, till_id: str | None = None, kind: str | None = None
    ) -> list[Record]:
        """Records with ``start_ts <= ts < end_ts`` (one business day), of every till held."""
        with self._session() as session:
            return journal_store.records_between(
                session, start_ts, end_ts, till_id=till_id, kind=kind
            )

    def journal_heads(self) -> list[ChainHead]:
        """The head of every (till, chain) held: what to announce in a heads exchange."""
        with self._session() as session:
            return journal_store.stored_heads(session)

    def export_journal(
        self, path: str | os.PathLike[str], *, till_id: str | None = None, chain: str = "sales"
    ) -> int:
        """Write one chain of a till's journal (default: this till's sales) as JSON Lines.

        The file is written beside ``path`` then renamed over it, so a reader
        never sees half an export. Returns the number of records written.
        """
        target = Path(path)
        tmp = target.with_name(f".{target.name}.tmp")
        with self._session() as session, tmp.open("wb") as out:
            count = journal_store.export_lines(
                session, till_id or self._identity.till_id, chain, out
            )
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
        return count

    def receive_records(self, records: Iterable[Record], public_key: bytes) -> int:
        """Store records of one till that a peer sent (store and forward); returns how many are new.

        Records are taken in order; each must continue what is stored for its
        (till, chain) (checked with ``verify_record_link`` against
        ``public_key``, the till's key). A copy of a stored record is skipped.
        At the first record that does not fit, the ones before it are kept
        and :class:`~crdt_models.journal.ChainLinkError` is raised. Records of
        this very till (the relay sending back what a restored database lost)
        move its heads, and clear :attr:`rollback_detected` once the journal
        is back at or past what ``head.json`` witnessed.
        """
        problem: ChainLinkError | None = None
        stored = 0
        with self._append_lock:
            try:
                with self._write_session() as session, session.begin():
                    heads: dict[tuple[str, str], ChainHead] = {}
                    for record in records:
                        key = (record.till_id, record.chain)
                        head = heads.get(key) or journal_store.stored_head(session, *key)
                        if record.seq <= head.seq:
                            held = journal_store.record_at(session, *key, record.seq)
                            if held is not None and held.hash == record.hash:
                                continue
                        try:
                            verify_record_link(head, record, public_key)
                        except ChainLinkError as exc:
                            problem = exc
                            break
                        journal_store.insert_record(session, record)
                        heads[key] = head_after(record)
                        stored += 1
            except IntegrityError:
                raise
            except DBAPIError as exc:
                raise StoreWriteError("records", _reason(exc)) from exc
            self._catch_up(heads)
        if problem is not None:
            raise problem
        return stored

    def _catch_up(self, heads: Mapping[tuple[str, str], ChainHead]) -> None:
        """After receiving records: move this till's heads, re-check a detected rollback."""
        own = {chain: h for (till, chain), h in heads.items() if till == self._identity.till_id}
        if not own:
            return
        self._heads.update(own)
        if self._rollback is not None:
            self._check_head_file()
        else:
            self._write_head_file()

    def purge_journal(self, peer_id: str, before_ts: int) -> int:
        """Delete from this device the records ``peer_id`` (the relay) acknowledged that
        are older than ``before_ts``; returns how many. Never anything unacknowledged,
        nor a chain's head, nor what the next closings need
        (:func:`~app.core.store.journal_store.purge_acknowledged`)."""
        with self._append_lock:
            try:
                with self._write_session() as session, session.begin():
                    acks = bookkeeping.journal_acks(session, peer_id)
                    removed = journal_store.purge_acknowledged(session, acks, before_ts)
            except DBAPIError as exc:
                raise StoreWriteError("records", _reason(exc)) from exc
        if removed:
            logger.info("purged %d acknowledged records older than %d", removed, before_ts)
        return removed

    # -- documents -----------------------------------------------------------------------

    def append_update(self, doc: str, update: bytes) -> None:
        """Store one pycrdt update of ``doc`` durably (call it for every local or remote update)."""
        try:
            with self._write_session() as session, session.begin():
                doclog.append_update(session, doc, update)
        except DBAPIError as exc:
            raise StoreWriteError("change", _reason(exc)) from exc

    def load_doc(self, doc: str, into: Doc[Any] | None = None) -> Doc[Any]:
        """``doc`` as stored (snapshot + log tail), in a new Doc or applied to ``into``."""
        with self._session() as session:
            return doclog.load_doc(session, doc, into)

    def load_docs(self) -> dict[str, Doc[Any]]:
        """Every stored document, loaded: what a device calls at start-up."""
        with self._session() as session:
            return {name: doclog.load_doc(session, name) for name in doclog.doc_names(session)}

    def doc_names(self) -> list[str]:
        """The names of every stored document."""
        with self._session() as session:
            return doclog.doc_names(session)

    def pending_updates(self, doc: str) -> int:
        """How many updates of ``doc`` wait in its log (compact past a few hundred)."""
        with self._session() as session:
            return doclog.update_count(session, doc)

    def compact(self, doc: str) -> int:
        """Fold ``doc``'s log into its snapshot in one transaction; returns updates folded."""
        try:
            with self._write_session() as session, session.begin():
                return doclog.compact(session, doc)
        except DBAPIError as exc:
            raise StoreWriteError("document", _reason(exc)) from exc

    # -- sync bookkeeping ----------------------------------------------------------------

    def record_journal_ack(self, peer_id: str, till_id: str, chain: str, seq: int) -> None:
        """Remember that ``peer_id`` holds (till_id, chain) up to ``seq`` (never moves back)."""
        with self._write_session() as session, session.begin():
            bookkeeping.record_journal_ack(session, peer_id, till_id, chain, seq)

    def journal_acks(self, peer_id: str) -> dict[tuple[str, str], int]:
        """(till_id, chain) -> the highest seq ``peer_id`` acknowledged."""
        with self._session() as session:
            return bookkeeping.journal_acks(session, peer_id)

    def record_doc_state(self, peer_id: str, doc: str, state_vector: bytes) -> None:
        """Remember the state vector of ``doc`` that ``peer_id`` confirmed."""
        with self._write_session() as session, session.begin():
            bookkeeping.record_doc_state(session, peer_id, doc, state_vector)

    def doc_state(self, peer_id: str, doc: str) -> bytes | None:
        """The last state vector of ``doc`` that ``peer_id`` confirmed, or None."""
        with self._session() as session:
            return bookkeeping.doc_state(session, peer_id, doc)

    # -- maintenance ---------------------------------------------------------------------

    def settings(self) -> dict[str, int | str]:
        """The SQLite settings every connection runs with (for a support screen and tests)."""
        names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "application_id")
        with self._session() as session:
            return {name: session.execute(text(f"PRAGMA {name}")).scalar_one() for name in names}

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check``: ``["ok"]`` on a healthy file."""
        with self._session() as session:
            return [str(row[0]) for row in session.execute(text("PRAGMA integrity_check"))]
