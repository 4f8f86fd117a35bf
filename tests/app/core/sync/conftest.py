"""Fixtures of the sync engine tests: a real relay subprocess with one shop and two tills."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sync_harness import TILL_PASSWORD, RelayProcess, Shop, free_port

from relay_server.provisioning import add_till, provision_shop
from relay_server.storage import TillInfo, open_storage


@dataclass
class _Template:
    path: Path
    till_a: TillInfo
    till_b: TillInfo


@pytest.fixture(scope="session")
def _shop_template(tmp_path_factory: pytest.TempPathFactory) -> _Template:
    """A relay database with shop A and tills A1, A2, made once (Argon2 is slow) and copied."""
    path = tmp_path_factory.mktemp("relay-template") / "relay.db"
    db_url = f"sqlite:///{path}"
    provision_shop(db_url, "Shop A", "a@x.test", "owner secret")
    storage = open_storage(db_url)
    try:
        till_a = add_till(storage, "Shop A", "A1", TILL_PASSWORD)
        till_b = add_till(storage, "Shop A", "A2", TILL_PASSWORD)
    finally:
        storage.close()
    assert not path.with_name("relay.db-wal").exists()
    return _Template(path, till_a, till_b)


@pytest.fixture
def shop(tmp_path: Path, _shop_template: _Template) -> Iterator[Shop]:
    """A running relay (its own copy of the shop's database, a fixed free port)."""
    path = tmp_path / "relay.db"
    shutil.copyfile(_shop_template.path, path)
    relay = RelayProcess(f"sqlite:///{path}", free_port())
    for attempt in range(3):  # another socket may take the free port in between
        try:
            relay.start()
            break
        except AssertionError:
            if attempt == 2:
                raise
            relay.port = free_port()
    try:
        yield Shop(relay, _shop_template.till_a, _shop_template.till_b)
    finally:
        relay.stop()
