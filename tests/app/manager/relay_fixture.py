"""A real relay subprocess with one shop and its owner, and a till device syncing with it,
for the manager's tests."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.store import DeviceStore
from app.core.sync import SyncEngine, provision
from app.qt.bridge import AsyncBridge
from crdt_models.documents import CatalogueDocument, ShopDocuments
from crdt_models.documents.schema import DOCUMENT_NAMES

OWNER_EMAIL = "owner@boulangerie.example"
OWNER_PASSWORD = "croissant-2026"


@dataclass(frozen=True)
class Relay:
    url: str
    db_url: str


def _relay(*args: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "relay_server", *args, "--db", db_url]


@contextmanager
def running_relay(tmp_path: Path, *serve_args: str) -> Iterator[Relay]:
    """Provision a shop and its owner with the relay's CLI, then serve on a free port
    (``serve_args``: more options of ``relay serve``, such as ``--allow-signup``)."""
    db_url = f"sqlite:///{tmp_path / 'relay.db'}"
    subprocess.run(
        _relay(
            "add-owner",
            "--shop",
            "Boulangerie du Canal",
            "--email",
            OWNER_EMAIL,
            "--password",
            OWNER_PASSWORD,
            db_url=db_url,
        ),
        check=True,
        capture_output=True,
        timeout=60,
    )
    process = subprocess.Popen(
        _relay("serve", "--port", "0", *serve_args, db_url=db_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"listening on (\S+):(\d+)\n", line)
        assert match is not None, f"relay did not start: {line!r}"
        yield Relay(f"ws://{match.group(1)}:{match.group(2)}/", db_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


class Till:
    """A till device: its own store, logged in with a licence, its engine on its own thread."""

    def __init__(self, data_dir: Path, relay: Relay, licence: str, password: str) -> None:
        self.store = DeviceStore.open(data_dir)
        self.number = provision(self.store, relay.url, licence, password).till_number or 1
        self.engine = SyncEngine(self.store)
        self.engine.start()
        self.bridge = AsyncBridge()
        self.shop = ShopDocuments.open(
            self.store.identity.device_id, {n: self.store.load_doc(n) for n in DOCUMENT_NAMES}
        )
        self.doc_bridge = self.engine.attach(self.shop.docs, self.bridge.to_gui)

    @property
    def catalogue(self) -> CatalogueDocument:
        return self.shop.catalogue

    def close(self) -> None:
        self.doc_bridge.close()
        self.engine.stop()
        self.bridge.close()
        self.store.close()
