"""``skytill till``: the subcommand parses, and a real process starts the demo till."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.errors import StoreLockedError
from app.core.store import DeviceStore
from app.core.store.database import DATABASE_FILE_NAME
from app.till.cli import register


def test_register_adds_the_till_command() -> None:
    parser = argparse.ArgumentParser(prog="skytill")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["till", "--data-dir", "/x", "--lang", "fr", "--demo"])
    assert (args.data_dir, args.lang, args.demo, args.relay) == ("/x", "fr", True, None)
    assert callable(args.handler)


def test_the_demo_till_starts_in_a_process(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    code = (
        "import argparse, sys; from app.till.cli import register; "
        "p = argparse.ArgumentParser(); register(p.add_subparsers()); "
        "a = p.parse_args(sys.argv[1:]); sys.exit(a.handler(a))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "till", "--demo", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        # the demo shop is written into the store: the session is open
        while not _has_docs(data_dir):
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else b""
            assert time.monotonic() < deadline, "the till did not start"
            time.sleep(0.05)
        assert proc.poll() is None  # still running: its window is up
        with pytest.raises(StoreLockedError):  # and it holds its till's data
            DeviceStore.open(data_dir)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def _has_docs(data_dir: Path) -> bool:
    import sqlite3
    from contextlib import closing

    try:
        uri = f"file:{data_dir / DATABASE_FILE_NAME}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            return bool(db.execute("select count(*) from doc_updates").fetchone()[0])
    except sqlite3.Error:
        return False
