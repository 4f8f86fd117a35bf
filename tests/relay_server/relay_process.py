"""A relay subprocess for integration tests: start it on port 0, parse its port, stop it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from relay_server.provisioning import ProvisionedShop
from relay_server.storage import Storage, TillInfo, open_storage


@dataclass
class RunningRelay:
    """A relay subprocess on a free port, over a SQLite file with two shops provisioned."""

    db_url: str
    host: str
    port: int
    process: subprocess.Popen[str]
    shop_a: ProvisionedShop
    shop_b: ProvisionedShop
    till_a1: TillInfo
    till_a2: TillInfo
    till_b1: TillInfo

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    def yjs_url(self, doc: str, token: str) -> str:
        return f"ws://{self.host}:{self.port}/yjs/{doc}?token={token}"


TILL_PASSWORD = "till secret"
OWNER_PASSWORD = "owner secret"


def start_relay(db_url: str, *extra: str) -> tuple[subprocess.Popen[str], str, int]:
    """Start ``python -m relay_server serve --port 0`` and parse the port it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "relay_server", "serve", "--port", "0", "--db", db_url, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.fullmatch(r"listening on (\S+):(\d+)\n", line)
    if match is None:
        process.kill()
        process.wait()
        raise AssertionError(f"relay did not start: {line!r}")
    return process, match.group(1), int(match.group(2))


def stop_relay(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


@dataclass
class RelayProcess:
    db_url: str
    storage: Storage
    process: subprocess.Popen[str]
    host: str
    port: int


@contextmanager
def relay_subprocess(factory: pytest.TempPathFactory, *extra: str) -> Iterator[RelayProcess]:
    """A relay subprocess over a new SQLite file, stopped at the end of the block."""
    db_url = f"sqlite:///{factory.mktemp('relay') / 'relay.db'}"
    storage = open_storage(db_url)
    process, host, port = start_relay(db_url, *extra)
    running = RelayProcess(db_url, storage, process, host, port)
    try:
        yield running
    finally:
        stop_relay(running.process)  # a test may have restarted it
        storage.close()
