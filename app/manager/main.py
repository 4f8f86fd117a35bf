"""Start the manager: open the shop's documents, show the window, run Qt's loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import StoreError
from app.manager.strings_fr import install_french
from app.qt.i18n import set_language, tr
from crdt_models.errors import DomainError

__all__ = ["default_data_dir", "run_manager"]


def default_data_dir() -> Path:
    """Where the manager keeps its store when ``--data-dir`` is not given."""
    import platformdirs

    return Path(platformdirs.user_data_dir("skytill", appauthor=False)) / "manager"


def run_manager(
    *,
    data_dir: Path | None = None,
    relay_url: str | None = None,
    lang: str | None = None,
    demo: bool = False,
) -> int:
    """Run the manager until its window closes; returns the process exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_french()
    if lang:
        set_language(lang)
    from app.manager.context import ManagerContext
    from app.manager.demo import fill_demo
    from app.manager.relay_connection import RelayConnection
    from app.manager.window import ManagerWindow
    from app.qt.bridge import AsyncBridge

    try:
        context = ManagerContext.open(data_dir or default_data_dir())
    except (StoreError, DomainError) as exc:
        QMessageBox.critical(
            None,
            tr("Skytill manager"),
            tr("The manager cannot start: {reason}", reason=str(exc)),
        )
        return 1
    relay = RelayConnection(AsyncBridge(), context, relay_url or "")
    try:
        if demo:
            fill_demo(context)
        window = ManagerWindow(context, relay)
        window.show()
        return app.exec()
    finally:
        relay.close()
        context.close()
