"""The closings, integrity and reprint of the Closings & journal section, with a real relay.

A till (its own store and sync engine) sells and closes its day; the manager
copies its journal from the relay subprocess, lists the closing, checks
every till's chain (then again after a record is altered in the relay's
database), and reprints a sale as a duplicate.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from column_fit import columns_beyond, unfit_cells
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from relay_fixture import OWNER_EMAIL, OWNER_PASSWORD, Relay, Till

from app.core.sync import LinkState
from app.manager.context import ManagerContext
from app.manager.journal_page import JournalPage
from app.manager.relay_connection import RelayConnection
from app.manager.window import ManagerWindow
from app.qt import i18n
from app.qt.bridge import AsyncBridge
from app.qt.formatting import format_money, format_percent_bp
from crdt_models.journal import Payment, Record, SaleLine, build_sale_body, ticket_number
from crdt_models.journal.closing import next_closing_body
from crdt_models.journal.sale import CASH, QTY_ONE

LEFT = Qt.MouseButton.LeftButton
WAIT = 20_000


@pytest.fixture
def connection(qtbot: QtBot, context: ManagerContext, relay: Relay) -> Iterator[RelayConnection]:
    conn = RelayConnection(AsyncBridge(), context, relay.url)
    done: list[str | None] = []
    conn.sign_in(relay.url, OWNER_EMAIL, OWNER_PASSWORD, done.append)
    qtbot.waitUntil(lambda: done == [None], timeout=WAIT)
    yield conn
    conn.close()


def _ask(qtbot: QtBot, conn: RelayConnection, name: str, payload: dict[str, Any]) -> Any:
    answers: list[Any] = []
    conn.request(name, payload, answers.append, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=WAIT)
    return answers[0]


def _sell_and_close(till: Till) -> tuple[list[Record], Record]:
    """Two sales (€3.90 by card, €1.50 cash) and the day's Z, acknowledged by the relay."""
    store = till.store
    baskets = [
        ([("Croissant", 2, 120, 550), ("Coffee", 1, 150, 1000)], Payment("card", 390)),
        ([("Coffee", 1, 150, 1000)], Payment(CASH, 200)),
    ]
    sales = []
    for items, payment in baskets:
        lines = [SaleLine(n, n, q * QTY_ONE, p, v) for n, q, p, v in items]
        body = build_sale_body(
            ticket=ticket_number(till.number, store.head().seq + 1),
            cashier="c1",
            lines=lines,
            payments=[payment],
        )
        sales.append(store.validate_sale(body))
    label = datetime.now().date().isoformat()
    closing = store.append("sales", "closing", next_closing_body(store.records(), "day", label))
    till.engine.journal_changed()
    return sales, closing


def _wait_relay_holds(qtbot: QtBot, conn: RelayConnection, last: Record) -> None:
    """Until the relay's head of ``last``'s chain is ``last``."""

    def holds() -> bool:
        page = _ask(qtbot, conn, "journal", {"till_id": last.till_id, "after": 0, "limit": 1})
        return bool(page["head"]["seq"] == last.seq)

    qtbot.waitUntil(holds, timeout=WAIT)


@pytest.fixture
def closed_day(
    qtbot: QtBot, connection: RelayConnection, relay: Relay, tmp_path: Path
) -> tuple[list[Record], Record]:
    """A till added by the owner sold twice and closed its day; the relay holds it all."""
    licence = _ask(qtbot, connection, "add_till", {"name": "Caisse 1", "password": "till-pw-123"})
    till = Till(tmp_path / "till", relay, str(licence["licence_key"]), "till-pw-123")
    try:
        qtbot.waitUntil(lambda: till.engine.status.state is LinkState.ONLINE, timeout=WAIT)
        sales, closing = _sell_and_close(till)
        _wait_relay_holds(qtbot, connection, closing)
    finally:
        till.close()
    return sales, closing


def test_closings_integrity_and_reprint(
    qtbot: QtBot,
    context: ManagerContext,
    connection: RelayConnection,
    relay: Relay,
    closed_day: tuple[list[Record], Record],
    tmp_path: Path,
) -> None:
    sales, closing = closed_day
    window = ManagerWindow(context, connection)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    window.show_section("journal")
    page = window.pages["journal"]
    assert isinstance(page, JournalPage)

    # Refresh copies the till's records from the relay: the closing is listed with its totals.
    QTest.mouseClick(page.refresh_button, LEFT)
    qtbot.waitUntil(lambda: page.closings.model.rowCount() == 1, timeout=WAIT)
    model = page.closings.model
    assert model.entry(0) == closing
    cells = {
        str(model.headerData(c, Qt.Orientation.Horizontal)): model.index(0, c).data()
        for c in range(model.columnCount())
    }
    body = closing.body
    assert cells["Till"] == "Caisse 1"
    assert cells["Closing"] == f"Z closing {body['label']}"
    assert cells["Tickets"] == str(body["tickets"]) == "2"
    assert cells["Total incl. VAT"] == format_money(body["total"], "en") == "€5.40"
    assert cells["VAT"] == format_money(sum(v["vat"] for v in body["vat"]), "en")
    assert cells["Per VAT rate"] == " · ".join(
        f"{format_percent_bp(v['rate_bp'], 'en')}: {format_money(v['vat'], 'en')}"
        for v in body["vat"]
    )
    assert cells["Per VAT rate"] == "5.5%: €0.13 · 10%: €0.28"
    # No such methods in this shop: the journal's names.
    assert cells["Per payment method"] == "card €3.90 · cash €1.50"
    assert cells["Grand total"] == format_money(body["grand_total"], "en") == "€5.40"
    page.tabs.setCurrentWidget(page.closings)
    page.closings.table.selectRow(0)
    detail = page.closings.detail.toPlainText()
    assert f"Z closing {body['label']}" in detail and "€5.40" in detail

    # In the window at 1440x900, every column fits its contents; till, closing, tickets,
    # total and grand total are in view beside the detail pane, in English and in French.
    for lang in ("en", "fr"):
        i18n.set_language(lang)
        assert unfit_cells(page.closings.table) == [], lang
        assert columns_beyond(page.closings.table, 5) == [], lang
    i18n.set_language("en")

    # The integrity check: intact, 3 records, the closing's hash as head.
    integrity = page.integrity
    with qtbot.waitSignal(integrity.finished, timeout=WAIT):
        QTest.mouseClick(integrity.check_button, LEFT)
    (check,) = integrity.results
    assert (check.ok, check.count, check.head_hash) == (True, 3, closing.hash)
    assert integrity.model.index(0, 1).data() == "✔ Intact"
    assert integrity.model.index(0, 3).data() == closing.hash[:12]
    assert integrity.status.text() == "✔ Every till's journal is intact (1 checked)."

    # Someone alters sale 2 in the relay's database: the check names the till and the record.
    db = sqlite3.connect(relay.db_url.removeprefix("sqlite:///"))
    try:
        (line,) = db.execute(
            "SELECT line FROM journal_records WHERE till_id = ? AND seq = 2", (sales[1].till_id,)
        ).fetchone()
        altered = bytes(line).replace(b'"total":150', b'"total":100')
        assert altered != bytes(line)
        db.execute(
            "UPDATE journal_records SET line = ? WHERE till_id = ? AND seq = 2",
            (altered, sales[1].till_id),
        )
        db.commit()
    finally:
        db.close()
    with qtbot.waitSignal(integrity.finished, timeout=WAIT):
        QTest.mouseClick(integrity.check_button, LEFT)
    (check,) = integrity.results
    assert (check.ok, check.bad_seq, check.reason, check.count) == (False, 2, "edited", 1)
    assert integrity.model.index(0, 1).data() == "⚠ Broken"
    assert integrity.model.index(0, 4).data() == "2"
    assert integrity.status.text() == (
        "⚠ The journal of Caisse 1 is broken at record 2: changed after it was signed."
    )

    # A sale reprinted from the journal tab: marked DUPLICATE, the same total, recorded nowhere.
    page.table.selectRow(page.model.row_of(sales[0].hash) or 0)
    assert page.reprint_button.isEnabled()
    dialog = page.reprint()
    assert dialog is not None
    qtbot.addWidget(dialog)
    text = dialog.ticket.toPlainText()
    assert "DUPLICATE" in text and "€3.90" in text and sales[0].body["ticket"] in text
    assert "not recorded" in dialog.note.text()
    pdf = dialog.save_pdf(tmp_path / "duplicate.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    i18n.set_language("fr")
    assert "DUPLICATA" in page.reprint(sales[0]).receipt.to_text()  # type: ignore[union-attr]
    held = context.store.records(till_id=sales[0].till_id)
    assert [r.kind for r in held] == ["sale", "sale", "closing"]  # no duplicate recorded


def _alter_local(context: ManagerContext, sql: str, *args: object) -> None:
    """Run ``sql`` on the manager's own SQLite store, behind the store's back."""
    db = sqlite3.connect(context.store.path)
    try:
        assert db.execute(sql, args).rowcount == 1
        db.commit()
    finally:
        db.close()


def test_signed_out_the_integrity_check_verifies_this_computers_copy(
    qtbot: QtBot,
    context: ManagerContext,
    connection: RelayConnection,
    relay: Relay,
    closed_day: tuple[list[Record], Record],
) -> None:
    sales, closing = closed_day
    page = JournalPage(context, connection)
    qtbot.addWidget(page)
    page.resize(1200, 800)  # the page's room in the manager's window
    page.show()
    qtbot.waitUntil(lambda: not page.fetching, timeout=WAIT)
    QTest.mouseClick(page.refresh_button, LEFT)  # copies the records (and the till's key)
    qtbot.waitUntil(lambda: page.closings.model.rowCount() == 1 and not page.fetching, timeout=WAIT)
    connection.sign_out()
    qtbot.waitUntil(lambda: not connection.signed_in, timeout=WAIT)
    integrity = page.integrity
    page.tabs.setCurrentWidget(integrity)
    assert integrity.check_button.text() == "Check this computer's copy"

    def check() -> list[str]:
        with qtbot.waitSignal(integrity.finished, timeout=WAIT):
            QTest.mouseClick(integrity.check_button, LEFT)
        assert integrity.checked_here
        return integrity.status.text().splitlines()

    # Intact, and said to be this computer's copy as of the refresh, not the relay's.
    verdict, scope = check()
    (result,) = integrity.results
    assert (result.ok, result.count, result.head_hash) == (True, 3, closing.hash)
    assert verdict == "✔ This computer's copy of every till's journal is intact (1 checked)."
    assert scope.startswith("This checked the copy on this computer as of the last refresh (today ")
    assert scope.endswith("), not the relay's journal: sign in to the relay to check that.")
    assert integrity.model.index(0, 0).data() == "Caisse 1"

    # Someone alters sale 2 in this computer's database: the till and the record are named.
    held = context.store.record(2, till_id=sales[1].till_id)
    assert held is not None
    line = held.to_json_line()
    altered = line.replace(b'"total":150', b'"total":100')
    assert altered != line
    where = "WHERE till_id = ? AND chain = 'sales' AND seq = ?"
    _alter_local(context, f"UPDATE journal_records SET line = ? {where}", altered, held.till_id, 2)
    verdict, scope = check()
    (result,) = integrity.results
    assert (result.ok, result.bad_seq, result.reason, result.count) == (False, 2, "edited", 1)
    assert verdict == (
        "⚠ This computer's copy of the journal of Caisse 1 is broken at record 2: "
        "changed after it was signed."
    )
    assert scope.startswith("This checked the copy on this computer as of the last refresh")
    assert [integrity.model.index(0, c).data() for c in (1, 4)] == ["⚠ Broken", "2"]
    assert unfit_cells(integrity.table) == []
    i18n.set_language("fr")
    assert integrity.status.text().splitlines()[0] == (
        "⚠ La copie du journal de Caisse 1 sur cet ordinateur est altérée à "
        "l'enregistrement 2 : modifié après sa signature."
    )
    assert integrity.check_button.text() == "Vérifier la copie de cet ordinateur"
    i18n.set_language("en")

    # Put back, then the closing deleted: the refresh saw a record 3, so it is missing.
    _alter_local(context, f"UPDATE journal_records SET line = ? {where}", line, held.till_id, 2)
    _alter_local(context, f"DELETE FROM journal_records {where}", held.till_id, 3)
    check()
    (result,) = integrity.results
    assert (result.ok, result.bad_seq, result.reason) == (False, 3, "removed")
