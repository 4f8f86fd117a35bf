"""Opening a data directory: a fresh store, a reopened one, and files that are not ours."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from store_samples import make_sale_body

from app.core.errors import ForeignDatabaseError, SchemaTooNewError, StoreCorruptError
from app.core.store import DeviceStore, device_store
from app.core.store.database import (
    APPLICATION_ID,
    DATABASE_FILE_NAME,
    FileState,
    head_revision,
    inspect_file,
)


def _fingerprint(directory: Path) -> dict[str, str]:
    """Every file in ``directory`` (but the lock file) with its content hash."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.name != "skytill.lock"
    }


def test_a_fresh_store_is_ours_in_wal_mode_with_an_identity(data_dir: Path) -> None:
    with DeviceStore.open(data_dir, till_id="till-7") as store:
        identity = store.identity
        assert identity.till_id == "till-7"
        assert len(identity.private_key) == 32 and len(identity.public_key) == 32
        assert store.head().seq == 0
        assert store.integrity_check() == ["ok"]
        assert store.settings() == {
            "journal_mode": "wal",
            "synchronous": 2,  # FULL: a committed sale survives a power cut
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "application_id": APPLICATION_ID,
        }
    conn = sqlite3.connect(data_dir / DATABASE_FILE_NAME)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
    finally:
        conn.close()
    with DeviceStore.open(data_dir, till_id="ignored") as again:
        assert again.identity.device_id == identity.device_id
        assert again.identity.till_id == "till-7"
        assert again.identity.private_key == identity.private_key


def test_an_empty_file_is_a_new_store(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DATABASE_FILE_NAME).touch()
    with DeviceStore.open(data_dir) as store:
        assert store.identity.device_id


def test_garbage_is_refused_as_damaged_and_left_alone(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DATABASE_FILE_NAME).write_bytes(os.urandom(8192))
    before = _fingerprint(data_dir)
    with pytest.raises(StoreCorruptError) as info:
        DeviceStore.open(data_dir)
    assert "damaged" in str(info.value) and DATABASE_FILE_NAME in str(info.value)
    assert _fingerprint(data_dir) == before


def test_a_damaged_page_is_found_and_nothing_is_changed(data_dir: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        for _ in range(30):
            store.validate_sale(make_sale_body)
    path = data_dir / DATABASE_FILE_NAME
    page_size = 4096
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * page_size
    data[2 * page_size : 4 * page_size] = os.urandom(2 * page_size)  # pages 3 and 4
    path.write_bytes(bytes(data))
    before = _fingerprint(data_dir)
    with pytest.raises(StoreCorruptError):
        DeviceStore.open(data_dir)
    assert _fingerprint(data_dir) == before


def test_a_foreign_sqlite_file_is_refused_untouched(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / DATABASE_FILE_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    conn.execute("INSERT INTO invoices (amount) VALUES (1200)")
    conn.commit()
    conn.close()
    before = _fingerprint(data_dir)
    with pytest.raises(ForeignDatabaseError) as info:
        DeviceStore.open(data_dir)
    assert "not a Skytill device store" in str(info.value)
    assert "invoices" in str(info.value)
    assert _fingerprint(data_dir) == before
    conn = sqlite3.connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert tables == {"invoices"}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_a_store_from_a_newer_skytill_is_refused_untouched(data_dir: Path) -> None:
    DeviceStore.open(data_dir).close()
    conn = sqlite3.connect(data_dir / DATABASE_FILE_NAME)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = _fingerprint(data_dir)
    with pytest.raises(SchemaTooNewError) as info:
        DeviceStore.open(data_dir)
    assert "9999" in str(info.value)
    assert _fingerprint(data_dir) == before


def test_creating_a_store_is_all_or_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def power_cut(*_args: object) -> None:
        raise OSError("power cut after the schema was created")

    monkeypatch.setattr(device_store, "ensure_identity", power_cut)
    with pytest.raises(OSError, match="power cut"):
        DeviceStore.open(data_dir)
    monkeypatch.undo()
    # Neither the application id nor a single table survived the failed creation.
    assert inspect_file(data_dir / DATABASE_FILE_NAME) == (FileState.NEW, None)
    with DeviceStore.open(data_dir) as store:
        assert store.identity.device_id
