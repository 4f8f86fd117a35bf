"""A real till on a real store: the demo shop in a temporary data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.qt import i18n
from app.till.session import TillSession
from app.till.window import TillWindow


@pytest.fixture
def english() -> Iterator[None]:
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[TillSession]:
    s = TillSession.open(tmp_path / "till", demo=True)
    yield s
    s.close()


@pytest.fixture
def window(qtbot: QtBot, session: TillSession, english: None) -> TillWindow:
    """The till window, 1280x800, with the first cashier signed in."""
    w = TillWindow(session)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.cashier_screen.choose(session.shop.settings.cashiers()[0])
    assert w.stack.currentWidget() is w.selling
    return w
