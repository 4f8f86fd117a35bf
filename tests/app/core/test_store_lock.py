"""One process per data directory: a second instance is refused, naming the holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.core.errors import StoreLockedError
from app.core.store import DeviceStore

HOLDER = """
import sys
from app.core.store import DeviceStore
store = DeviceStore.open(sys.argv[1])
print("READY", flush=True)
sys.stdin.read()
store.close()
"""


@contextmanager
def holder_process(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds ``data_dir`` open until its stdin closes."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        try:
            yield proc
        finally:
            proc.kill()


def test_second_open_in_the_same_process_is_refused(data_dir: Path) -> None:
    with DeviceStore.open(data_dir):
        with pytest.raises(StoreLockedError) as info:
            DeviceStore.open(data_dir)
        assert info.value.pid == os.getpid()
        assert str(data_dir) in str(info.value)
    DeviceStore.open(data_dir).close()  # released on close


def test_another_process_holding_the_directory_is_named(data_dir: Path) -> None:
    with holder_process(data_dir) as holder:
        with pytest.raises(StoreLockedError) as info:
            DeviceStore.open(data_dir)
        assert info.value.pid == holder.pid
        assert f"process {holder.pid}" in str(info.value)
        assert str(data_dir) in str(info.value)
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0
    DeviceStore.open(data_dir).close()


def test_a_killed_holder_leaves_no_stale_lock(data_dir: Path) -> None:
    with holder_process(data_dir) as holder:
        holder.send_signal(signal.SIGKILL)
        assert holder.wait(timeout=30) == -signal.SIGKILL
        with DeviceStore.open(data_dir) as store:
            assert store.identity.device_id
