"""The loyalty programme at the till: a paid sale with a customer attached is a visit,
and the visits the owner set (:meth:`~crdt_models.documents.SettingsDocument.loyalty`)
earn a reward.

Visits are the customer's ``loyalty`` counter in the inventory document: each
device adds through its own key, so visits counted on two tills at once all
stay. A refund does not take the visit back: the customer came. Granting the
reward takes its visits off the counter; the cashier gives the reward itself
(a 100 % discount on the line, say).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crdt_models.documents.schema import EntryKind
from crdt_models.documents.shop import ShopDocuments
from crdt_models.errors import ValidationError
from crdt_models.journal import Record

__all__ = ["LoyaltyStatus", "count_visit", "grant_reward", "loyalty_status"]


@dataclass(frozen=True, slots=True)
class LoyaltyStatus:
    """Where one customer stands: ``visits`` counted, ``needed`` for ``reward``."""

    customer_id: str
    visits: int
    needed: int
    reward: str

    @property
    def earned(self) -> bool:
        return self.visits >= self.needed


def loyalty_status(shop: ShopDocuments, customer_id: str | None) -> LoyaltyStatus | None:
    """The customer's standing, or None when no customer is attached or the shop
    has no loyalty programme."""
    if not customer_id:  # the selling screen asks at every scan: no settings read then
        return None
    programme = shop.settings.loyalty()
    if not programme.active:
        return None
    visits = shop.inventory.value(EntryKind.LOYALTY, customer_id)
    return LoyaltyStatus(customer_id, visits, programme.visits, programme.reward)


def count_visit(shop: ShopDocuments, record: Record) -> bool:
    """Add one visit to the customer of ``record`` when it is a sale of more than
    nothing and the programme is on; True when it did."""
    customer = record.body.get("customer")
    if record.kind != "sale" or not customer or record.body["total"] <= 0:
        return False
    if not shop.settings.loyalty().active:
        return False
    shop.inventory.add(EntryKind.LOYALTY, customer, 1)
    return True


def grant_reward(shop: ShopDocuments, customer_id: str) -> LoyaltyStatus:
    """Use one reward's visits; returns the standing after. ValidationError
    ``loyalty.not_earned`` when the customer has not enough visits (or the
    programme is off)."""
    status = loyalty_status(shop, customer_id)
    if status is None or not status.earned:
        raise ValidationError("loyalty", "loyalty.not_earned", "no reward earned yet")
    shop.inventory.add(EntryKind.LOYALTY, customer_id, -status.needed)
    return replace(status, visits=shop.inventory.value(EntryKind.LOYALTY, customer_id))
