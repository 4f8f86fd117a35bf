"""Start the till: open the session, show the window, run Qt's loop."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import StoreError
from app.qt.i18n import set_language, tr
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.errors import DomainError

__all__ = ["default_data_dir", "run_till"]

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("skytill", appauthor=False)) / "till"


def run_till(
    *,
    data_dir: str | None = None,
    relay: str | None = None,
    lang: str | None = None,
    demo: bool = False,
) -> int:
    """Run the till until its window closes; returns the process exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    if lang:
        set_language(lang)
    directory = Path(data_dir) if data_dir else default_data_dir()
    if relay:
        log.warning("relay %s given, but this till does not sync yet", relay)
    try:
        session = TillSession.open(directory, demo=demo)
        session.till()
    except (StoreError, DomainError) as exc:
        hint = "" if demo else "\n" + tr("To try the till, start it with --demo.")
        QMessageBox.critical(
            None, tr("Skytill till"), tr("The till cannot start: {reason}", reason=str(exc)) + hint
        )
        return 1
    try:
        window = TillWindow(session)
        window.resize(1280, 800)
        window.show()
        return app.exec()
    finally:
        session.close()
