"""Start the till: open the session, show the window, run Qt's loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import StoreError
from app.core.lan import start_lan, stop_lan
from app.core.sync import SyncEngine
from app.qt.bridge import AsyncBridge
from app.qt.i18n import set_language, tr
from app.till.login import LoginDialog
from app.till.printing.service import load_printer, save_printer
from app.till.printing.transport import PrinterConfig
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.errors import DomainError

__all__ = ["default_data_dir", "run_till"]


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("skytill", appauthor=False)) / "till"


def run_till(
    *,
    data_dir: str | None = None,
    relay: str | None = None,
    lang: str | None = None,
    demo: bool = False,
    printer: str | None = None,
) -> int:
    """Run the till until its window closes; returns the process exit code.

    With ``relay`` on a till never logged in, the login dialog comes first.
    A till logged in to a relay syncs with it in the background. ``printer``
    (``tcp://HOST:PORT``, a device path or ``none``) becomes this till's
    receipt printer, kept for the next starts.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    if lang:
        set_language(lang)
    directory = Path(data_dir) if data_dir else default_data_dir()
    try:
        session = TillSession.open(directory, demo=demo)
    except (StoreError, DomainError) as exc:
        return _cannot_start(str(exc), demo)
    if printer is not None:
        try:
            columns = load_printer(session.store).columns
            save_printer(session.store, PrinterConfig.parse(printer, columns))
        except (StoreError, ValueError) as exc:
            session.close()
            return _cannot_start(str(exc), demo)
    bridge = AsyncBridge()
    try:
        if relay and not session.provisioned:
            login = LoginDialog(session.store, relay, bridge)
            if login.exec() != LoginDialog.DialogCode.Accepted:
                return 1
        engine = lan = None
        if session.provisioned:
            engine = SyncEngine(session.store)
            engine.start(bridge.loop)
            lan = start_lan(session.store, engine, bridge.loop)
            session.attach_sync(engine, bridge.to_gui, lan)
        else:
            try:
                session.till()
            except DomainError as exc:
                return _cannot_start(str(exc), demo)
        window = TillWindow(session)
        if engine is not None:
            window.attach_sync(engine, bridge, lan)
        window.resize(1280, 800)
        window.show()
        return app.exec()
    finally:
        if session.lan is not None:
            stop_lan(session.lan, bridge.loop)
        session.close()
        bridge.close()


def _cannot_start(reason: str, demo: bool) -> int:
    hint = "" if demo else "\n" + tr("To try the till, start it with --demo.")
    text = tr("The till cannot start: {reason}", reason=reason) + hint
    QMessageBox.critical(None, tr("Skytill till"), text)
    return 1
