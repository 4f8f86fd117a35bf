"""ESC/POS bytes of a real receipt: text, double-size total, code page, width, cut."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from printer_server import decode_job

from app.core.ticket_layout import RULE, Row, TicketLayout
from app.qt import i18n
from app.qt.receipt import Receipt
from app.till.printing.documents import printer_test_layout, provisional_layout
from app.till.printing.escpos import (
    CODE_PAGE,
    CUT,
    DOUBLE_SIZE,
    INIT,
    printable,
    render_escpos,
)
from app.till.printing.transport import PrinterConfig
from app.till.session import TillSession
from crdt_models.documents.settings import PaymentKind

ECLAIR, COCA = "Éclair au chocolat", "5449000000996"


@pytest.fixture
def french() -> Iterator[None]:
    before = i18n.language()
    i18n.set_language("fr")
    yield
    i18n.set_language(before)


def sell(session: TillSession) -> Receipt:
    """Two éclairs with 10 % off, a Coca-Cola, 1 € off the sale; 5 € by card, the rest
    in cash with change."""
    from app.core.basket import Discount

    session.cashier = session.shop.settings.cashiers()[0]
    eclair = session.catalogue.search(ECLAIR)[0]
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None
    basket = session.basket
    line = basket.add_product(eclair.id, eclair.name, eclair.price, eclair.vat_bp)
    basket.change_quantity(line, +1)
    basket.set_line_discount(line, Discount.percent(1000))
    basket.add_product(coca.id, coca.name, coca.price, coca.vat_bp)
    basket.set_discount(Discount.amount(100))
    card = next(m for m in session.payment_methods() if m.kind is PaymentKind.CARD)
    basket.pay(card.id, 500)
    basket.pay("cash", 2000, gives_change=True)
    return session.receipt(session.validate())


def test_receipt_bytes_french(session: TillSession, french: None) -> None:
    receipt = sell(session)
    data = render_escpos(receipt.layout(), columns=48)
    assert data.startswith(INIT + CODE_PAGE)
    assert data.endswith(CUT)
    printed = decode_job(data)
    text = printed.text

    # the same content as the HTML receipt, in French
    for expected in (
        "Boulangerie du Canal",
        "12 quai de Jemmapes",
        "SIRET 123 456 789 00012",
        "Boulangerie du Canal - depuis 1998",  # the em dash has no CP858 glyph
        ECLAIR,
        "2 × 3,20 €",
        "remise -0,64 €",
        "Coca-Cola 33 cl",
        "Remise sur la vente",
        "TVA 5,5 % sur",
        "Rendu",
        "Ticket T001-00000001",
        "Caisse : Caisse 1",
        "Vendeur : Camille",
        "Merci de votre visite !",
    ):
        assert expected in text, expected
    assert "Skytill " in text
    total = receipt.body["total"]
    big = [line for line, is_big in printed.lines if is_big]
    assert len(big) == 1 and big[0].startswith("TOTAL")
    assert big[0].endswith(f"{total // 100},{total % 100:02d} €")
    assert DOUBLE_SIZE in printed.commands
    assert b"\xd5" in data  # € in code page 858
    assert "€".encode() not in data  # never UTF-8
    for line, is_big in printed.lines:  # the paper's width, halved at double size
        assert len(line) <= (24 if is_big else 48), line
    assert "DUPLICATA" not in text


def test_duplicate_banner_and_58mm(session: TillSession, english: None) -> None:
    original = sell(session)
    duplicate = session.reprint(original.record)
    printed = decode_job(render_escpos(duplicate.layout(), columns=32))
    assert next(line for line, big in printed.lines if big) == "DUPLICATE no. 1"
    assert "€" in printed.text and "Ticket T001-00000001" in printed.text
    assert all(len(line) <= (16 if big else 32) for line, big in printed.lines)
    assert printed.text == duplicate.layout().translated(printable).to_text(32)

    i18n.set_language("fr")
    printed = decode_job(render_escpos(duplicate.layout(), columns=32))
    assert "DUPLICATA n° 1" in [line for line, big in printed.lines if big]


def test_characters_outside_the_code_page_never_raise() -> None:
    layout = TicketLayout(
        title="t",
        header=("Crêperie « Chez Zoë » – ok…",),
        rows=(
            Row("Œuf bio 😀 ŝ", "1,00\u202f€"),
            Row("x" * 100),
            RULE,
            Row("a very long label that has to wrap over two lines", "€1,234.50", strong=True),
            Row("\x1b@ injected", "\x1dV\x00"),
        ),
    )
    data = render_escpos(layout, columns=32)
    printed = decode_job(data)
    text = printed.text
    assert "Crêperie « Chez Zoë » - ok..." in text
    assert "OEuf bio ? s" in text
    assert "\x1b" not in text and printed.commands.count(CUT) == 1  # no injected command
    assert all(len(line) <= (16 if big else 32) for line, big in printed.lines)
    assert "x" * 32 in text  # long words are broken, not lost
    assert sum(line.count("x") for line, _ in printed.lines) == 100
    assert printable("Ąę€") == "Ae€"


def test_provisional_ticket_and_test_page(session: TillSession, french: None) -> None:
    coca = session.catalogue.by_barcode(COCA)
    assert coca is not None
    line = session.basket.add_product(coca.id, coca.name, coca.price, coca.vat_bp)
    session.basket.set_line_note(line, "bien frais")
    layout = provisional_layout(
        session.basket.totals(), session.shop.settings.shop(), "Caisse 1", ""
    )
    printed = decode_job(render_escpos(layout, 48))
    assert "TICKET PROVISOIRE - NE VAUT PAS TICKET DE CAISSE" in printed.text.splitlines()
    assert "bien frais" in printed.text and "2,50 €" in printed.text
    assert "Ticket T" not in printed.text  # no ticket number

    config = PrinterConfig.parse("tcp://10.0.0.9", columns=32)
    page = decode_job(
        render_escpos(printer_test_layout(config, session.shop.settings.shop(), "C1"), 32)
    )
    assert "12345678901234567890123456789012" in page.text.splitlines()
    assert "Imprimante : 10.0.0.9:9100" in page.text
    assert "àâçéèêëîïôùûü ÀÇÉÈ oe € ×" in page.text
