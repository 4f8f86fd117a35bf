"""Fixtures of the sync engine tests: a real relay subprocess with one shop and two tills."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sync_harness import TILL_PASSWORD, RelayProcess, free_port

from relay_server.provisioning import add_till, provision_shop
from relay_server.storage import TillInfo, open_storage


@dataclass
class Shop:
    """The relay process and the shop's two tills (licence keys, ids)."""

    relay: RelayProcess
    till_a: TillInfo
    till_b: TillInfo


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    """A running relay (SQLite in tmp_path, a fixed free port) with shop A and tills A1, A2."""
    db_url = f"sqlite:///{tmp_path / 'relay.db'}"
    provision_shop(db_url, "Shop A", "a@x.test", "owner secret")
    storage = open_storage(db_url)
    try:
        till_a = add_till(storage, "Shop A", "A1", TILL_PASSWORD)
        till_b = add_till(storage, "Shop A", "A2", TILL_PASSWORD)
    finally:
        storage.close()
    relay = RelayProcess(db_url, free_port())
    relay.start()
    try:
        yield Shop(relay, till_a, till_b)
    finally:
        relay.stop()
