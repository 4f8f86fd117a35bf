"""The till with a receipt printer: a cashier sells, reprints, prints a provisional
ticket, and the printer fails without ever costing a sale.

A real TCP "printer" on 127.0.0.1, a real file standing for a USB device, the
real till window offscreen and its real store.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from printer_server import decode_job, printer_server, refused_port
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_cashier_flow import COCA, open_past_ticket, scan, sell_one_coca

from app.qt import i18n
from app.till.cli import register
from app.till.printer_dialog import PrinterDialog
from app.till.printing.transport import PrinterConfig, PrinterKind
from app.till.session import TillSession
from app.till.window import TillWindow


def use_printer(window: TillWindow, spec: str, timeout: float = 30.0) -> None:
    window.printer.configure(PrinterConfig.parse(spec))
    window.printer.timeout = timeout


def wait_printed(qtbot: QtBot, window: TillWindow) -> None:
    qtbot.waitUntil(lambda: window.printer.pending == 0, timeout=30_000)


def test_sale_then_duplicate_print_on_the_network_printer(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    with printer_server() as server:
        use_printer(window, server.spec)
        sell_one_coca(qtbot, window, session)
        # the sale is shown at once; the ticket prints in the background
        assert window.printer.pending == 1 and window.receipt.print_state == "sent"
        [job] = server.wait_jobs(1)
        wait_printed(qtbot, window)
        printed = decode_job(job)
        assert "Ticket T001-00000001" in printed.text and "Coca-Cola 33 cl" in printed.text
        assert [line for line, big in printed.lines if big] == ["TOTAL".ljust(18) + " €2.50"]
        assert job.endswith(b"\x1dV\x01")
        assert window.receipt.print_state == "printed"
        assert not window.receipt.print_button.isVisibleTo(window)  # no second original
        assert f"Printed on 127.0.0.1:{server.port}." in window.messages.text()
        QTest.keyClick(window, Qt.Key.Key_F9)  # nor with the shortcut
        assert "print a duplicate instead" in window.messages.text()
        assert window.printer.pending == 0

        i18n.set_language("fr")
        QTest.keyClick(window.receipt.new_sale, Qt.Key.Key_Return)
        open_past_ticket(window)
        QTest.mouseClick(window.receipt.duplicate_button, Qt.MouseButton.LeftButton)
        duplicate = decode_job(server.wait_jobs(2)[1])
        wait_printed(qtbot, window)
        assert "DUPLICATA n° 1" in [line for line, big in duplicate.lines if big]
        assert "Ticket T001-00000001" in duplicate.text and "2,50 €" in duplicate.text
    assert [r.kind for r in session.store.records()] == ["sale", "duplicate"]


def test_provisional_ticket_records_nothing(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    assert not window.selling.provisional_button.isEnabled()  # empty basket
    scan(qtbot, window, COCA)
    scan(qtbot, window, COCA)
    events = session.store.head("events").seq  # start, login
    with printer_server() as server:
        use_printer(window, server.spec)
        QTest.mouseClick(window.selling.provisional_button, Qt.MouseButton.LeftButton)
        printed = decode_job(server.wait_jobs(1)[0])
        wait_printed(qtbot, window)
    lines = printed.text.splitlines()
    assert "PROVISIONAL TICKET - NOT A RECEIPT" in lines  # at the foot, full width
    assert [line for line, big in printed.lines if big][-1] == "TOTAL".ljust(18) + " €5.00"
    assert "Coca-Cola 33 cl" in printed.text and "Ticket T" not in printed.text
    assert session.store.records() == []  # no sale, no duplicate
    assert session.store.head("events").seq == events  # and no technical event
    assert [ln.quantity for ln in session.basket.lines] == [2]  # the sale goes on

    use_printer(window, "none")  # without a printer: a PDF
    window.selling.print_provisional()
    pdfs = list((session.store.data_dir / "receipts").glob("provisional-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert session.store.records() == []


def test_refused_printer_keeps_the_sale_and_can_retry(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    port = refused_port()
    use_printer(window, f"tcp://127.0.0.1:{port}")
    sell_one_coca(qtbot, window, session)
    wait_printed(qtbot, window)
    assert window.messages.text().endswith(
        f"Printer not reachable at 127.0.0.1:{port} — the sale is saved; "
        "print it again (F9) or from past tickets (F8)."
    )
    assert window.messages.property("level") == "error"
    sale = session.store.record(1)
    assert sale is not None and sale.kind == "sale"  # saved before printing
    assert window.receipt.print_button.isVisibleTo(window)  # retry offered

    with printer_server() as server:  # the printer is back (or fixed in the dialog)
        use_printer(window, server.spec)
        QTest.keyClick(window, Qt.Key.Key_F9)
        printed = decode_job(server.wait_jobs(1)[0])
        wait_printed(qtbot, window)
    assert "Ticket T001-00000001" in printed.text and "DUPLICATE" not in printed.text
    assert not window.receipt.print_button.isVisibleTo(window)
    assert [r.kind for r in session.store.records()] == ["sale"]


def test_a_printer_that_never_reads_does_not_block_the_till(
    qtbot: QtBot, window: TillWindow, session: TillSession
) -> None:
    with printer_server(reading=False) as server:
        use_printer(window, server.spec, timeout=0.5)
        sell_one_coca(qtbot, window, session)
        # validate returned and the receipt is on screen while the job still runs
        assert window.printer.pending == 1
        assert window.stack.currentWidget() is window.receipt
        scan(qtbot, window, COCA)  # the next customer already
        assert window.stack.currentWidget() is window.selling
        assert [ln.label for ln in session.basket.lines] == ["Coca-Cola 33 cl"]
        wait_printed(qtbot, window)
        assert server.accepted.is_set()
    assert f"The printer at 127.0.0.1:{server.port} did not take the ticket" in (
        window.messages.text()
    )
    assert "the sale is saved" in window.messages.text()
    assert [r.kind for r in session.store.records()] == ["sale"]


def test_usb_device_file(
    qtbot: QtBot, window: TillWindow, session: TillSession, tmp_path: Path
) -> None:
    missing = tmp_path / "usb" / "lp9"
    use_printer(window, str(missing))
    sell_one_coca(qtbot, window, session)
    wait_printed(qtbot, window)
    assert f"No printer at {missing} (unplugged or switched off?)" in window.messages.text()
    assert not missing.exists()
    assert [r.kind for r in session.store.records()] == ["sale"]

    device = tmp_path / "lp0"  # plugged in: print it again
    device.write_bytes(b"")
    use_printer(window, str(device))
    QTest.mouseClick(window.receipt.print_button, Qt.MouseButton.LeftButton)
    wait_printed(qtbot, window)
    printed = decode_job(device.read_bytes())
    assert "Ticket T001-00000001" in printed.text
    assert [r.kind for r in session.store.records()] == ["sale"]


def test_printer_dialog(qtbot: QtBot, window: TillWindow, session: TillSession) -> None:
    window.printer_action.trigger()
    dialog = window.findChild(PrinterDialog)
    assert isinstance(dialog, PrinterDialog) and dialog.isVisible()
    assert dialog.kinds[PrinterKind.NONE].isChecked()
    assert not dialog.test_button.isEnabled()
    QTest.mouseClick(dialog.kinds[PrinterKind.NETWORK], Qt.MouseButton.LeftButton)
    assert dialog.host.isVisibleTo(dialog) and not dialog.path.isVisibleTo(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setText("no")
    dialog.save()
    assert dialog.error.text() == "The port is a number such as 9100."
    assert window.printer.config.kind is PrinterKind.NONE  # nothing saved

    with printer_server() as server:
        dialog.port.setText(str(server.port))
        QTest.mouseClick(dialog.widths[32], Qt.MouseButton.LeftButton)
        QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)  # before saving
        page = decode_job(server.wait_jobs(1)[0])
        wait_printed(qtbot, window)
    assert "TEST PAGE" in [line for line, big in page.lines if big]
    assert "12345678901234567890123456789012" in page.text.splitlines()
    assert window.printer.config.kind is PrinterKind.NONE  # a test page saves nothing
    dialog.save()
    assert not dialog.isVisible()
    config = window.printer.config
    assert (config.target, config.columns) == (f"tcp://127.0.0.1:{server.port}", 32)
    assert session.store.records() == []

    again = window.ask_printer()
    assert again.kinds[PrinterKind.NETWORK].isChecked() and again.widths[32].isChecked()
    again.reject()


def test_printer_option_of_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="skytill")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["till", "--printer", "tcp://192.168.1.50:9100"])
    assert args.printer == "tcp://192.168.1.50:9100"
    bad = parser.parse_args(["till", "--printer", "lp0"])
    assert bad.handler(bad) == 2
    assert "--printer:" in capsys.readouterr().err
