"""The screenshot tool runs and every screen fits 1280x800 (nothing scrolls sideways)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.qt import i18n
from app.till.screenshots import take_screenshots


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    before = i18n.language()
    yield
    i18n.set_language(before)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_screen_fits_1280x800(qtbot: QtBot, tmp_path: Path, lang: str) -> None:
    saved = take_screenshots(tmp_path, lang)
    windows = ("cashier", "selling", "customer", "unknown-barcode", "payment", "receipt")
    dialogs = ("product-info", "cash-count", "events")
    assert sorted(p.name for p in saved) == sorted(
        f"till-{screen}-{lang}.png" for screen in windows + dialogs
    )
    for path in saved:
        image = QImage(str(path))
        if path.name.removeprefix("till-").removesuffix(f"-{lang}.png") in windows:
            assert (image.width(), image.height()) == (1280, 800), path.name
        else:  # a dialog opens over the window and fits in it
            assert image.width() <= 1280 and image.height() <= 800, path.name
