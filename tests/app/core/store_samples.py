"""Sample data for the device store tests (not a test module)."""

from __future__ import annotations

from typing import Any

from crdt_models.journal import Payment, SaleLine, build_sale_body, ticket_number


def make_sale_body(seq: int, price: int = 250) -> dict[str, Any]:
    """A valid sale of two lines paid in cash, with the ticket number of ``seq``."""
    return build_sale_body(
        ticket=ticket_number(1, seq),
        cashier="cashier-1",
        lines=[
            SaleLine("p-1", "Coffee", 1000, price, 1000),
            SaleLine("p-2", "Bun", 2000, 150, 550),
        ],
        payments=[Payment("cash", price + 400)],
    )
