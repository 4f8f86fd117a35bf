"""Screenshots of every manager section, in French and English.

Run ``QT_QPA_PLATFORM=offscreen python -m app.manager.screenshots docs/screenshots``
after changing a screen; it writes ``manager-<section>-<lang>.png`` at 1440x900,
in two parts:

- the demo shop filled in this computer's store (:func:`app.manager.demo.fill_demo`)
  on a fixed day, so that those pictures only change when the screens do: the
  dashboard, catalogue, customers and settings;
- a real day on a real relay (:mod:`app.demo_day`, run as a child process: a
  relay with the demo shop, Caisse 1 still selling and online, Caisse 2 closed
  and switched off) and the manager signed in to it, now: the tills as the relay
  lists them (``tills``), the tills' journals copied from the relay
  (``journal``), the Z closing (``closings``) and the integrity check
  (``integrity``).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

__all__ = ["SIZE", "ScreenshotError", "Screenshots", "take_screenshots"]

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.manager.relay_tills import RelayTill
    from app.manager.window import ManagerWindow

#: The manager's screenshot size (docs/UI.md).
SIZE = (1440, 900)
#: The demo's "now": a Friday afternoon.
DEMO_NOW = datetime(2026, 11, 27, 17, 45).timestamp()
#: The sections taken on the live relay rather than on the demo store.
LIVE_SECTIONS = ("tills", "journal")
#: How long the shop's day may take, and then each wait of the manager (seconds).
DAY_TIMEOUT = 300.0
WAIT = 60.0
#: What :mod:`app.demo_day` prints once its day is done (then its tills as JSON).
_READY = "ready "


class ScreenshotError(RuntimeError):
    """The live part could not be set up (the message says what did not happen)."""


@dataclass(frozen=True)
class Screenshots:
    """The files written, and the Tills page's rows when its live picture was taken."""

    files: list[Path]
    relay_tills: list[RelayTill]


def take_screenshots(out_dir: Path, *, languages: tuple[str, ...] = ("en", "fr")) -> Screenshots:
    """Render each section (the demo store's, then the live relay's) and save it."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    from app.manager.strings_fr import install_french

    install_french()
    out_dir.mkdir(parents=True, exist_ok=True)
    files = _demo_screenshots(app, out_dir, languages)
    live_files, relay_tills = _live_screenshots(app, out_dir, languages)
    return Screenshots(files + live_files, relay_tills)


def _demo_screenshots(app: QApplication, out_dir: Path, languages: tuple[str, ...]) -> list[Path]:
    """The sections that show the demo store's documents, on its fixed day."""
    from app.manager.context import ManagerContext
    from app.manager.demo import fill_demo
    from app.manager.relay_connection import RelayConnection
    from app.manager.window import SECTIONS, ManagerWindow
    from app.qt.bridge import AsyncBridge
    from app.qt.i18n import set_language

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        context = ManagerContext.open(Path(tmp) / "manager", clock=lambda: DEMO_NOW)
        relay = RelayConnection(AsyncBridge(), context, "wss://relay.skytill.example/")
        try:
            fill_demo(context)
            for lang in languages:
                set_language(lang)
                with _shown(app, ManagerWindow(context, relay)) as window:
                    _select_examples(window)
                    for key, _title in SECTIONS:
                        if key not in LIVE_SECTIONS:
                            window.show_section(key)
                            written.append(_save(app, window, out_dir, key, lang))
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


def _live_screenshots(
    app: QApplication, out_dir: Path, languages: tuple[str, ...]
) -> tuple[list[Path], list[RelayTill]]:
    """The tills and journal sections, the owner signed in to the relay of a real day."""
    from app.manager.context import ManagerContext
    from app.manager.relay_connection import RelayConnection
    from app.manager.window import ManagerWindow
    from app.qt.bridge import AsyncBridge
    from app.qt.i18n import set_language

    written: list[Path] = []
    relay_tills: list[RelayTill] = []
    with (
        tempfile.TemporaryDirectory(prefix="skytill-shop-day-") as tmp,
        _shop_day(Path(tmp)) as day,
    ):
        tills: list[dict[str, Any]] = day["tills"]
        context = ManagerContext.open(Path(tmp) / "manager")
        relay = RelayConnection(AsyncBridge(), context, day["relay"])
        try:
            # The owner signs in on this computer, as at the Tills page's sign-in row.
            answers: list[str | None] = []
            relay.sign_in(day["relay"], day["owner_email"], day["owner_password"], answers.append)
            _wait(app, lambda: bool(answers), "the owner signed in to the relay")
            if answers[0] is not None:
                raise ScreenshotError(f"the owner's sign-in failed: {answers[0]}")
            names = {str(t["name"]) for t in tills}
            _wait(
                app,
                lambda: names <= {t.name for t in context.settings.tills()},
                f"the manager received the shop's settings naming {', '.join(sorted(names))}",
            )
            for lang in languages:
                set_language(lang)
                with _shown(app, ManagerWindow(context, relay)) as window:
                    written += _shoot_journal(app, window, tills, out_dir, lang)
                    shot, relay_tills = _shoot_tills(app, window, tills, out_dir, lang)
                    written.append(shot)
        finally:
            relay.close()
            context.close()
    return written, relay_tills


def _shoot_journal(
    app: QApplication,
    window: ManagerWindow,
    tills: list[dict[str, Any]],
    out_dir: Path,
    lang: str,
) -> list[Path]:
    """The journal, Z closings and integrity tabs once the tills' journals are copied."""
    from PySide6.QtWidgets import QTableView

    from app.manager.journal_page import JournalPage
    from crdt_models.journal import SALES

    page = window.pages["journal"]
    assert isinstance(page, JournalPage)
    window.show_section("journal")
    store = window.context.store
    heads = {str(t["id"]): int(t["head"]) for t in tills}

    def copied() -> bool:
        held = {h.till_id: h.seq for h in store.journal_heads() if h.chain == SALES}
        return not page.fetching and all(held.get(t, 0) >= seq for t, seq in heads.items())

    _wait(app, copied, "the journal page copied every till's journal from the relay")
    page.tabs.setCurrentIndex(0)
    refunds = [r for r in range(page.model.rowCount()) if page.model.entry(r).kind == "refund"]
    if refunds:  # the day's refund, amid the sales
        page.table.selectRow(refunds[0])
        page.table.scrollTo(page.model.index(refunds[0], 0), QTableView.ScrollHint.PositionAtCenter)
    written = [_save(app, window, out_dir, "journal", lang)]
    page.tabs.setCurrentIndex(1)
    closings = page.closings
    if closings.model.rowCount() == 0:
        raise ScreenshotError("the Z closings tab lists no closing")
    closings.table.selectRow(0)
    written.append(_save(app, window, out_dir, "closings", lang))
    page.tabs.setCurrentIndex(2)
    integrity = page.integrity
    integrity.run_check()
    _wait(
        app,
        lambda: len(integrity.results) == len(tills) and integrity.check_button.isEnabled(),
        "the integrity check of every till's journal",
    )
    written.append(_save(app, window, out_dir, "integrity", lang))
    return written


def _shoot_tills(
    app: QApplication,
    window: ManagerWindow,
    tills: list[dict[str, Any]],
    out_dir: Path,
    lang: str,
) -> tuple[Path, list[RelayTill]]:
    """The Tills page with the relay's list: each till's report, one online, one not."""
    from app.manager.tills_page import TillsPage

    page = window.pages["tills"]
    assert isinstance(page, TillsPage)
    window.show_section("tills")
    page.refresh()  # the activity of the records the journal page copied
    first = str(tills[0]["name"])

    def listed() -> list[RelayTill]:
        return [page.model.entry(row) for row in range(page.model.rowCount())]

    def reported() -> bool:
        rows = listed()
        return (
            len(rows) == len(tills)
            and all(t.version and t.pending is not None for t in rows)
            and [t.name for t in rows if t.online] == [first]
        )

    _wait(app, reported, f"the relay listing every till's report, only {first} online")
    return _save(app, window, out_dir, "tills", lang), listed()


@contextlib.contextmanager
def _shop_day(tmp: Path) -> Iterator[dict[str, Any]]:
    """:mod:`app.demo_day` in ``tmp / "shop"`` as a child process, until the block ends;
    yields what it printed (relay, owner, tills). Its log is ``tmp / "shop-day.log"``."""
    log = tmp / "shop-day.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.demo_day", str(tmp / "shop")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
            start_new_session=True,  # with its relay: stopped together if it must be killed
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            lines: queue.Queue[str] = queue.Queue()
            stdout = process.stdout
            threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
            try:
                line = lines.get(timeout=DAY_TIMEOUT)
            except queue.Empty:
                raise ScreenshotError(
                    f"the shop's day did not end within {DAY_TIMEOUT:.0f} s:\n{_tail(log)}"
                ) from None
            if not line.startswith(_READY):
                raise ScreenshotError(f"the shop's day failed:\n{_tail(log)}")
            day: dict[str, Any] = json.loads(line.removeprefix(_READY))
            yield day
        finally:
            process.stdin.close()  # the child stops its tills and its relay
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            process.stdout.close()


def _tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _wait(app: QApplication, predicate: Callable[[], bool], what: str) -> None:
    """Process Qt events until ``predicate()``; :class:`ScreenshotError` after :data:`WAIT`."""
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            raise ScreenshotError(f"not reached within {WAIT:.0f} s: {what}")
        app.processEvents()
        time.sleep(0.02)


@contextlib.contextmanager
def _shown(app: QApplication, window: ManagerWindow) -> Iterator[ManagerWindow]:
    """``window`` at the screenshot size, shown until the block ends."""
    window.resize(*SIZE)
    window.show()
    try:
        yield window
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _save(app: QApplication, window: ManagerWindow, out_dir: Path, key: str, lang: str) -> Path:
    app.processEvents()
    path = out_dir / f"manager-{key}-{lang}.png"
    if not window.grab().save(str(path)):
        raise ScreenshotError(f"could not write {path}")
    return path


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    for written_path in take_screenshots(target).files:
        print(written_path)
