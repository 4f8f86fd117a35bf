"""Schema migrations: an older store is brought to head with its rows intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pycrdt import Doc, Map
from sqlalchemy import text
from store_samples import make_sale_body

from app.core.store import DeviceStore
from app.core.store.database import (
    DATABASE_FILE_NAME,
    create_store_engine,
    head_revision,
    migrate,
)
from app.core.store.headfile import HeadFile, write_head_file
from app.core.store.models import Base
from crdt_models.journal import ChainHead, append_record, generate_signing_key, verify_chain


def _revision_1_store(data_dir: Path) -> tuple[bytes, bytes, str]:
    """A store left at revision 0001 by an older Skytill, with one of each row."""
    data_dir.mkdir()
    key = generate_signing_key()
    record = append_record(
        ChainHead.genesis("till-old", "sales"), "sale", make_sale_body(1), 1_764_316_800, key
    )
    doc: Doc[Any] = Doc()
    doc.get("products", type=Map)["p-1"] = "Coffee"
    update = doc.get_update()
    engine = create_store_engine(data_dir / DATABASE_FILE_NAME)
    with engine.begin() as conn:
        migrate(conn, new=True, revision="0001")
        conn.execute(
            text(
                "INSERT INTO device_identity (id, device_id, till_id, private_key, created_at) "
                "VALUES (1, 'dev-old', 'till-old', :key, 1764316800)"
            ),
            {"key": key},
        )
        conn.execute(
            text("INSERT INTO doc_updates (doc, \"update\") VALUES ('catalogue', :u)"),
            {"u": update},
        )
        conn.execute(
            text(
                "INSERT INTO journal_records (till_id, chain, seq, kind, ts, hash, line) "
                "VALUES (:till, :chain, :seq, :kind, :ts, :hash, :line)"
            ),
            {
                "till": record.till_id,
                "chain": record.chain,
                "seq": record.seq,
                "kind": record.kind,
                "ts": record.ts,
                "hash": record.hash,
                "line": record.to_json_line(),
            },
        )
    engine.dispose()
    write_head_file(data_dir, HeadFile("dev-old", {"sales": (record.seq, record.hash)}))
    return key, update, record.hash


def test_a_revision_1_store_is_migrated_with_its_rows(data_dir: Path) -> None:
    key, _update, first_hash = _revision_1_store(data_dir)
    conn = sqlite3.connect(data_dir / DATABASE_FILE_NAME)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    conn.close()

    with DeviceStore.open(data_dir) as store:
        identity = store.identity
        assert (identity.device_id, identity.till_id, identity.private_key) == (
            "dev-old",
            "till-old",
            key,
        )
        assert identity.shop_id is None and identity.lan_secret is None  # new columns
        assert store.head().seq == 1 and store.head().hash == first_hash
        assert store.rollback_detected is None
        assert store.load_doc("catalogue").get("products", type=Map).to_py() == {"p-1": "Coffee"}
        second = store.validate_sale(make_sale_body)
        assert second.seq == 2 and second.prev_hash == first_hash
        assert verify_chain(store.records(), identity.public_key).ok
        store.record_journal_ack("relay", "till-old", "sales", 2)  # a revision 2 table
        assert store.journal_acks("relay") == {("till-old", "sales"): 2}

    conn = sqlite3.connect(data_dir / DATABASE_FILE_NAME)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
    finally:
        conn.close()


def test_the_migrations_build_exactly_the_orm_schema(data_dir: Path) -> None:
    DeviceStore.open(data_dir).close()
    engine = create_store_engine(data_dir / DATABASE_FILE_NAME)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
