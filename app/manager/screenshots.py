"""Screenshots of every manager section, in French and English, on the demo shop.

Run ``python -m app.manager.screenshots docs/screenshots`` (offscreen is fine)
after changing a screen; it writes ``manager-<section>-<lang>.png`` at
1440x900. The demo day is fixed so that the pictures only change when the
screens do.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

__all__ = ["SIZE", "take_screenshots"]

if TYPE_CHECKING:
    from app.manager.window import ManagerWindow

#: The manager's screenshot size (docs/UI.md).
SIZE = (1440, 900)
#: The demo's "now": a Friday afternoon.
DEMO_NOW = datetime(2026, 11, 27, 17, 45).timestamp()


def take_screenshots(out_dir: Path, *, languages: tuple[str, ...] = ("en", "fr")) -> list[Path]:
    """Render each section of a demo shop and save it; returns the files written."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.manager.context import ManagerContext
    from app.manager.demo import fill_demo
    from app.manager.relay_connection import RelayConnection
    from app.manager.strings_fr import install_french
    from app.manager.window import SECTIONS, ManagerWindow
    from app.qt.bridge import AsyncBridge
    from app.qt.i18n import set_language

    install_french()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        context = ManagerContext.open(Path(tmp) / "manager", clock=lambda: DEMO_NOW)
        relay = RelayConnection(AsyncBridge(), context, "wss://relay.skytill.example/")
        try:
            fill_demo(context)
            for lang in languages:
                set_language(lang)
                window = ManagerWindow(context, relay)
                window.resize(*SIZE)
                window.show()
                _select_examples(window)
                for key, _title in SECTIONS:
                    window.show_section(key)
                    app.processEvents()
                    path = out_dir / f"manager-{key}-{lang}.png"
                    window.grab().save(str(path))
                    written.append(path)
                window.close()
                window.deleteLater()
                app.processEvents()
        finally:
            relay.close()
            context.close()
    return written


def _select_examples(window: ManagerWindow) -> None:
    """Open an example entry in the editors, as an owner at work would have."""
    from app.manager.catalogue_page import CataloguePage
    from app.manager.customers_page import CustomersPage

    context = window.context
    catalogue = window.pages["catalogue"]
    assert isinstance(catalogue, CataloguePage)
    croissant = next(p for p in context.catalogue.products() if p.name == "Croissant")
    catalogue.products.select(croissant.id)
    customers = window.pages["customers"]
    assert isinstance(customers, CustomersPage)
    customers.list.select(next(c.id for c in context.customers.customers() if c.email))


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    for written_path in take_screenshots(target):
        print(written_path)
