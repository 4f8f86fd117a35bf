"""Fixtures for the manager's tests: a real device store in tmp_path, English by default,
and a real relay subprocess (:mod:`relay_fixture`) for the tests that ask for one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from relay_fixture import Relay, running_relay

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


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[Relay]:
    with running_relay(tmp_path) as running:
        yield running
