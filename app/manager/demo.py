"""``skytill manager --demo``: a demo shop with customers and a day of sales to look at.

The documents come from :func:`crdt_models.documents.build_demo_shop`. The
sales are real journal records (built and checked by the journal API)
appended to this computer's own journal, since a manager that does not sync
yet receives none from the tills; the dashboard shows them as "This computer".
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from app.manager.context import ManagerContext
from crdt_models.documents import EntryKind, build_demo_shop
from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number
from crdt_models.journal.sale import CASH, QTY_ONE

__all__ = ["DEMO_TILL_NUMBER", "fill_demo"]

#: The till number the demo sales carry in their ticket numbers.
DEMO_TILL_NUMBER = 9

_CUSTOMERS = (
    ("Marie", "Dupont", "marie.dupont@example.fr", "06 12 34 56 78", 9, 0),
    ("Marie", "Dupont", "", "06 12 34 56 78", 3, 500),
    ("Karim", "Benali", "karim@example.fr", "", 12, 0),
    ("Sophie", "Martin", "", "07 98 76 54 32", 5, 1250),
)


def fill_demo(context: ManagerContext, *, sales_per_day: int = 80, seed: int = 7) -> None:
    """Fill an empty shop: settings, catalogue, customers, today's and last week's sales."""
    if context.catalogue.products(include_archived=True):
        return
    demo = build_demo_shop(context.shop)
    for first, last, email, phone, visits, balance in _CUSTOMERS:
        customer = context.customers.create_customer(
            first_name=first, last_name=last, email=email, phone=phone
        ).entry_id
        context.inventory.add(EntryKind.LOYALTY, customer, visits)
        context.inventory.add(EntryKind.BALANCE, customer, balance)
    card = demo.payment_methods.get("Carte bancaire", "card")
    rng = random.Random(seed)
    products = context.catalogue.products()
    rates = context.settings.vat_rates_by_id()
    now = datetime.fromtimestamp(context.clock())
    for day_offset in (7, 0):
        day = now - timedelta(days=day_offset)
        opening = day.replace(hour=7, minute=30, second=0, microsecond=0)
        closing = day.replace(hour=19, minute=30) if day_offset else now
        if closing <= opening:
            continue
        seconds = int((closing - opening).total_seconds())
        times = sorted(
            int(opening.timestamp()) + rng.randrange(seconds) for _ in range(sales_per_day)
        )
        for ts in times:
            chosen = rng.sample(products, rng.randint(1, 4))
            lines = [
                SaleLine(
                    product=p.id,
                    label=p.name,
                    qty=rng.randint(1, 3) * QTY_ONE,
                    unit_price=p.price,
                    vat_bp=rates[p.vat].rate_bp,
                )
                for p in chosen
            ]
            total = sum(line.qty * line.unit_price // QTY_ONE for line in lines)
            if rng.random() < 0.45:
                tendered = -(-total // 500) * 500
                payments = [Payment(CASH, tendered)]
            else:
                payments = [Payment(card, total)]

            def body(
                seq: int, lines: list[SaleLine] = lines, payments: list[Payment] = payments
            ) -> dict[str, Any]:
                return build_sale_body(
                    ticket=ticket_number(DEMO_TILL_NUMBER, seq),
                    cashier=demo.cashiers["Léo"],
                    lines=lines,
                    payments=payments,
                )

            context.store.validate_sale(body, ts=ts)
