"""The ``customers`` document: the shop's customer file.

Loyalty points and account balances are counters of the ``inventory``
document (see :mod:`crdt_models.documents.inventory`), keyed by customer id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc

from crdt_models.documents._base import UNSET, Created, DocumentBase, Unset
from crdt_models.documents.changes import ChangeSummary
from crdt_models.documents.origin import LOCAL, Origin
from crdt_models.documents.reading import Raw, read_flag, read_text
from crdt_models.documents.schema import CUSTOMERS
from crdt_models.documents.validation import check_email, check_name, check_phone, check_text
from crdt_models.errors import ValidationError

__all__ = ["Customer", "CustomersDocument"]

_TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "address", "notes")


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    notes: str
    archived: bool

    @property
    def display_name(self) -> str:
        """ "First Last", or whichever of them is set."""
        return " ".join(n for n in (self.first_name, self.last_name) if n)


def _customer(entry_id: str, raw: Raw) -> Customer:
    text = {f: read_text(raw, f) for f in _TEXT_FIELDS}
    return Customer(id=entry_id, archived=read_flag(raw), **text)


def _check_fields(given: Mapping[str, str | Unset]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for key, value in given.items():
        if isinstance(value, Unset):
            continue
        if key in ("first_name", "last_name"):
            text = check_text(value, key)
            fields[key] = check_name(text, key) if text else ""
        elif key == "email":
            fields[key] = check_email(value)
        elif key == "phone":
            fields[key] = check_phone(value)
        else:
            fields[key] = check_text(value, key)
    return fields


class CustomersDocument(DocumentBase):
    """Typed reads and validated writes of the ``customers`` document.

    Every write takes an ``origin`` (default :data:`LOCAL`), runs in one
    transaction and returns a :class:`ChangeSummary` (``create_customer``:
    :class:`Created`).
    """

    document_name = CUSTOMERS

    def __init__(self, doc: Doc[Any] | None = None) -> None:
        super().__init__(doc)
        self._customers = self._table("customers", _customer)

    def customers_by_id(self) -> Mapping[str, Customer]:
        """Every readable customer, archived included, by id (bulk read)."""
        return self._customers.all()

    def customers(self, *, include_archived: bool = False) -> list[Customer]:
        """Customers by last name, then first name."""
        chosen = [c for c in self._customers.all().values() if include_archived or not c.archived]
        return sorted(chosen, key=lambda c: (c.last_name.casefold(), c.first_name.casefold(), c.id))

    def customer(self, customer_id: str) -> Customer:
        """One customer, archived or not."""
        return self._customers.get(customer_id)

    def malformed(self) -> dict[tuple[str, str], ValidationError]:
        """Entries another client wrote that do not parse, by (root, id)."""
        return {("customers", i): e for i, e in self._customers.malformed().items()}

    def create_customer(
        self,
        *,
        first_name: str = "",
        last_name: str = "",
        email: str = "",
        phone: str = "",
        address: str = "",
        notes: str = "",
        origin: Origin = LOCAL,
    ) -> Created:
        """A new customer; a first or a last name is required (``name.empty``)."""
        given = dict(
            zip(_TEXT_FIELDS, (first_name, last_name, email, phone, address, notes), strict=True)
        )
        fields = _check_fields(given)
        if not fields["first_name"] and not fields["last_name"]:
            raise ValidationError("last_name", "name.empty", "give a first or a last name")
        return self._create("customers", {**fields, "archived": False}, origin)

    def update_customer(
        self,
        customer_id: str,
        *,
        first_name: str | Unset = UNSET,
        last_name: str | Unset = UNSET,
        email: str | Unset = UNSET,
        phone: str | Unset = UNSET,
        address: str | Unset = UNSET,
        notes: str | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Change the given fields only. Clearing both names is refused (``name.empty``)."""
        current = self.customer(customer_id)
        given = dict(
            zip(_TEXT_FIELDS, (first_name, last_name, email, phone, address, notes), strict=True)
        )
        fields = _check_fields(given)
        first = fields.get("first_name", current.first_name)
        last = fields.get("last_name", current.last_name)
        if not first and not last:
            raise ValidationError("last_name", "name.empty", "give a first or a last name")
        return self._update("customers", customer_id, fields, origin)

    def archive_customer(self, customer_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Hide a customer from lists; past sales still name them."""
        self.customer(customer_id)
        return self._set_archived("customers", customer_id, True, origin)

    def restore_customer(self, customer_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        self.customer(customer_id)
        return self._set_archived("customers", customer_id, False, origin)
