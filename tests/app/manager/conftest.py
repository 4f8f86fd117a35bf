"""Fixtures for the manager's tests: a real device store in tmp_path, English by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.manager.context import ManagerContext
from app.manager.strings_fr import install_french
from app.qt import i18n


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    install_french()
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def context(tmp_path: Path) -> Iterator[ManagerContext]:
    ctx = ManagerContext.open(tmp_path / "manager")
    yield ctx
    ctx.close()
