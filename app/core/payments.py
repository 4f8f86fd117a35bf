"""How the journal names payment methods, and what a ticket prints for them.

The journal says ``cash`` for the cash method (the one that gives change), so
a closing can add up cash whatever the shop called it; every other method is
named by its id in the settings document.
"""

from __future__ import annotations

from crdt_models.documents.settings import PaymentKind, PaymentMethod, SettingsDocument
from crdt_models.journal import CASH

__all__ = ["journal_method", "journal_method_names"]


def journal_method(method: PaymentMethod) -> str:
    """``cash`` for the cash method, the method's id otherwise."""
    return CASH if method.kind is PaymentKind.CASH else method.id


def journal_method_names(settings: SettingsDocument) -> dict[str, str]:
    """Journal method -> the name a ticket prints (archived methods included: old
    tickets name them too)."""
    return {journal_method(m): m.name for m in settings.payment_methods(include_archived=True)}
