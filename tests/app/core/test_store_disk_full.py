"""A sale that cannot be stored is refused clearly, leaves nothing behind, and the next one works.

Two ways to make the disk refuse a write: a tiny tmpfs filled to the last
byte (needs root to mount; skipped with the reason otherwise), and a child
process whose ``RLIMIT_FSIZE`` stops the WAL from growing (no root needed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_samples import make_sale_body

from app.core.errors import StoreWriteError
from app.core.store import DeviceStore
from crdt_models.journal import verify_chain

DISK_FULL = (
    "The sale could not be saved: the disk is full. Nothing was recorded; "
    "free space or call support."
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted for this test."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def _fill(path: Path) -> None:
    """Write zeros to ``path`` until the file system has no byte left."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, bytes(4096))
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC
    finally:
        os.close(fd)


def _assert_sound(data_dir: Path, expected_head: int) -> None:
    with DeviceStore.open(data_dir) as store:
        records = store.records()
        assert [r.seq for r in records] == list(range(1, expected_head + 1))
        assert verify_chain(records, store.identity.public_key).ok
        assert store.integrity_check() == ["ok"]
        assert store.rollback_detected is None


def test_a_full_disk_refuses_the_sale_and_the_next_one_succeeds(small_disk: Path) -> None:
    data_dir = small_disk / "till"
    filler = small_disk / "filler"
    with DeviceStore.open(data_dir) as store:
        for _ in range(3):
            store.validate_sale(make_sale_body)
        _fill(filler)
        with pytest.raises(StoreWriteError) as info:
            for _ in range(1000):  # the WAL may still have room for a few
                store.validate_sale(make_sale_body)
        assert str(info.value) == DISK_FULL
        stored = store.head().seq
        assert store.record(stored + 1) is None
        assert [r.seq for r in store.records()] == list(range(1, stored + 1))
        with pytest.raises(StoreWriteError, match="The change could not be saved: the disk"):
            for _ in range(1000):
                store.append_update("catalogue", b"\x00\x00")
        filler.unlink()
        assert store.validate_sale(make_sale_body).seq == stored + 1
    _assert_sound(data_dir, stored + 1)


def test_a_write_the_kernel_refuses_leaves_nothing_half_written(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    child = Path(__file__).with_name("fsize_child.py")
    done = subprocess.run(
        [sys.executable, str(child), str(data_dir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(child.parent), os.getcwd()])},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["SOLD 1", "SOLD 2", "SOLD 3"]
    assert lines[3].startswith("REFUSED The sale could not be saved: ")
    assert lines[3].endswith("Nothing was recorded; free space or call support.")
    assert lines[4:] == ["HEAD 3", "SOLD 4"]
    _assert_sound(data_dir, 4)
