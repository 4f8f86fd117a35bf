"""Screenshots of the till's main screens for ``docs/screenshots/``.

Run ``QT_QPA_PLATFORM=offscreen python -m app.till.screenshots docs/screenshots``:
it opens the demo shop in a temporary directory, rings up a realistic sale and
saves ``till-<screen>-<lang>.png`` at 1280x800 in French and English.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.qt.i18n import set_language, tr
from app.till.cash_count import CashCountDialog
from app.till.session import TillSession
from app.till.window import TillWindow
from crdt_models.documents import EntryKind
from crdt_models.documents.settings import PaymentKind

__all__ = ["take_screenshots"]

SIZE = (1280, 800)


def take_screenshots(out_dir: Path, lang: str) -> list[Path]:
    """Save the cashier, selling, payment and receipt screens in ``lang``; return the files."""
    app = QApplication.instance()
    assert app is not None, "create a QApplication first"
    set_language(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        session = TillSession.open(Path(tmp), demo=True)
        window = TillWindow(session)
        try:
            window.resize(*SIZE)
            window.show()

            def shot(name: str, widget: QWidget = window) -> None:
                app.processEvents()
                path = out_dir / f"till-{name}-{lang}.png"
                widget.grab().save(str(path))
                saved.append(path)

            def dialog_shot(name: str, dialog: QDialog | None) -> None:
                assert dialog is not None
                shot(name, dialog)
                dialog.close()

            shot("cashier")
            window.cashier_screen.choose(session.shop.settings.cashiers()[0])
            selling = window.selling
            coca = session.catalogue.by_barcode("5449000000996")
            assert coca is not None
            selling.grid.select_category(coca.category)
            for code in ("5449000000996", "5449000000996", "8000500037560"):
                selling.scan(code)
            for name in ("Croissant", "Cappuccino", "Pain au chocolat"):
                selling.add_tile(session.catalogue.search(name)[0])
            selling.increment()  # a second pain au chocolat
            shot("selling")
            dialog_shot("product-info", selling.show_product_info())
            shop = session.shop
            regular = shop.customers.create_customer(first_name="Léa", last_name="Martin")
            visits = shop.settings.loyalty().visits
            shop.inventory.add(EntryKind.LOYALTY, regular.entry_id, visits)
            selling.attach_customer(regular.entry_id)  # a regular who earned the reward: ★
            shot("customer")
            selling.attach_customer("")
            selling.scan("3000000000007")  # not in the catalogue
            shot("unknown-barcode")
            window.messages.hide()
            selling.request_pay()
            payment = window.payment
            payment.set_tendered(500)
            payment.pay_with(payment.method(PaymentKind.CARD))
            payment.set_tendered(2000)
            shot("payment")
            payment.pay_with(payment.method(PaymentKind.CASH))
            window.messages.hide()
            shot("receipt")
            count = CashCountDialog(
                tr("Cash count before the closing"),
                session.store.identity.till_id,
                session.count_sheet(),
                skippable=True,
                parent=window,
            )
            count.open()
            dialog_shot("cash-count", count)
            dialog_shot("events", window.show_events())
        finally:
            window.close()
            window.deleteLater()
            session.close()
    return saved


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication(argv[:1])
    out = Path(argv[1]) if len(argv) > 1 else Path("docs/screenshots")
    for lang in ("fr", "en"):
        for path in take_screenshots(out, lang):
            print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
