"""The device store's tables (the head schema), as SQLAlchemy 2 typed ORM classes.

Schema changes go through a new Alembic revision in ``migrations/versions``;
these classes always describe the head revision.

- :class:`StoreMeta` -- the marker that says "this file is a Skytill device
  store" (together with ``PRAGMA application_id``), and this device's own
  settings (its hardware, e.g. the receipt printer).
- :class:`DeviceIdentityRow` -- exactly one row: who this device is.
- :class:`DocUpdate` / :class:`DocSnapshot` -- each document's update log and
  its compacted snapshot.
- :class:`JournalRecordRow` -- journal records of this till and of the other
  tills it carries (store and forward).
- :class:`PeerJournalAck` / :class:`PeerDocState` -- sync bookkeeping: what
  each peer has acknowledged.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "DeviceIdentityRow",
    "DocSnapshot",
    "DocUpdate",
    "JournalRecordRow",
    "PeerDocState",
    "PeerJournalAck",
    "StoreMeta",
]


class Base(DeclarativeBase):
    pass


class StoreMeta(Base):
    """Key/value facts about the store itself (``format`` marks the file as ours) and
    settings of this device alone (:meth:`DeviceStore.device_setting`)."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class DeviceIdentityRow(Base):
    """The single row naming this device, its till and its signing key.

    ``shop_id``, ``relay_url``, ``relay_token`` and ``lan_secret`` are filled at
    provisioning (later); they are empty on a fresh device.
    """

    __tablename__ = "device_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    device_id: Mapped[str] = mapped_column(String(36), unique=True)
    till_id: Mapped[str] = mapped_column(String(64))
    private_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[int] = mapped_column(Integer)
    shop_id: Mapped[str | None] = mapped_column(String(64), default=None)
    relay_url: Mapped[str | None] = mapped_column(String(512), default=None)
    relay_token: Mapped[str | None] = mapped_column(String(512), default=None)
    lan_secret: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class DocUpdate(Base):
    """One pycrdt update appended to a document's log, in arrival order."""

    __tablename__ = "doc_updates"
    # AUTOINCREMENT: ids are never reused after compaction deletes the highest ones,
    # so "id > snapshot.last_update_id" always means "appended after the snapshot".
    __table_args__ = (Index("ix_doc_updates_doc_id", "doc", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc: Mapped[str] = mapped_column(String(64))
    update: Mapped[bytes] = mapped_column(LargeBinary)


class DocSnapshot(Base):
    """A document's updates up to ``last_update_id``, merged into one update."""

    __tablename__ = "doc_snapshots"

    doc: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    last_update_id: Mapped[int] = mapped_column(Integer)


class JournalRecordRow(Base):
    """One journal record, stored as its canonical JSON line plus query columns."""

    __tablename__ = "journal_records"
    __table_args__ = (
        UniqueConstraint("till_id", "chain", "seq", name="uq_journal_records_position"),
        Index("ix_journal_records_ts", "ts"),
        Index("ix_journal_records_kind_ts", "kind", "ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    till_id: Mapped[str] = mapped_column(String(64))
    chain: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    ts: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    line: Mapped[bytes] = mapped_column(LargeBinary)


class PeerJournalAck(Base):
    """The highest record of (till_id, chain) that ``peer_id`` acknowledged."""

    __tablename__ = "peer_journal_acks"

    peer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    till_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chain: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)


class PeerDocState(Base):
    """The last state vector of ``doc`` that ``peer_id`` confirmed holding."""

    __tablename__ = "peer_doc_states"

    peer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    doc: Mapped[str] = mapped_column(String(64), primary_key=True)
    state_vector: Mapped[bytes] = mapped_column(LargeBinary)
