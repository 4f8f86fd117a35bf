"""``skytill run`` (what ``make run`` starts): relay, manager and till on the demo shop."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from app.core.errors import StoreLockedError
from app.core.store import DeviceStore
from crdt_models.documents import ShopDocuments


def _wait_for(predicate: Callable[[], bool], deadline: float, what: str) -> None:
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"not reached in time: {what}")


def _has_stored(data_dir: Path, doc: str) -> bool:
    """Whether a running device has stored an update of ``doc`` (read-only peek: the
    device holds its store's lock while it runs)."""
    path = data_dir / "skytill.sqlite"
    if not path.exists():
        return False
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            row = db.execute("SELECT count(*) FROM doc_updates WHERE doc = ?", (doc,)).fetchone()
        except sqlite3.OperationalError:  # not created yet
            return False
    return bool(row[0])


def _unlocked(data_dir: Path) -> bool:
    """Whether no process holds ``data_dir``'s lock any more."""
    try:
        DeviceStore.open(data_dir).close()
    except StoreLockedError:
        return False
    return True


def test_skytill_run_provisions_a_till_and_a_manager_on_a_local_relay(tmp_path: Path) -> None:
    env = {**os.environ, "SKYTILL_DEMO_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "run", "--lang", "en"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # the relay and the manager are its children
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("Skytill demo: relay ws://127.0.0.1:"), lines
        assert "patron@boulangerie-du-canal.fr" in lines[1] and "licence" in lines[2]
        deadline = time.monotonic() + 90
        for device in ("till", "manager"):  # each syncs the shop from the relay
            _wait_for(partial(_has_stored, tmp_path / device, "catalogue"), deadline, device)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()
    deadline = time.monotonic() + 30
    for device in ("till", "manager"):  # the children die with the group, and their locks
        _wait_for(partial(_unlocked, tmp_path / device), deadline, f"{device} unlocked")
        with DeviceStore.open(tmp_path / device) as store:
            assert store.identity.relay_token and store.identity.relay_url
            docs = store.load_docs()
            shop = ShopDocuments.open(store.identity.device_id, docs)
            assert len(shop.catalogue.products()) == 41
            if device == "till":
                till = shop.settings.till(store.identity.till_id)
                assert (till.number, till.name) == (1, "Caisse 1")
