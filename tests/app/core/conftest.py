"""Fixtures of the device store tests: a store in a temporary data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.store import DeviceStore


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "till"


@pytest.fixture
def store(data_dir: Path) -> Iterator[DeviceStore]:
    with DeviceStore.open(data_dir, till_id="till-1") as opened:
        yield opened
