"""The schema of the shop's shared documents: the contract with every Yjs client.

A third-party client (web dashboard, script) reads and writes these exact
names; nothing else in the package spells them. Every root is a Map. In an
"entries" root each key is an entry id (:func:`crdt_models.ids.new_id`) and
each value a nested Map of fields, so that fields merge independently. In a
"counters" root each value is a nested Map ``device_id -> int`` whose sum is
the counter. The ``shop`` root is a flat Map of fields.

Values: text fields are strings (``""`` when empty), money is integer cents,
rates are basis points, ``archived`` is a boolean. Numbers may come back as
floats (pycrdt, JavaScript); readers convert them. Entries are never removed:
``archived`` is set to true instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CATALOGUE",
    "CUSTOMERS",
    "DOCUMENT_NAMES",
    "INVENTORY",
    "ROOTS",
    "SETTINGS",
    "EntryKind",
    "RootShape",
    "RootSpec",
    "roots_of",
]

CATALOGUE = "catalogue"
CUSTOMERS = "customers"
SETTINGS = "settings"
INVENTORY = "inventory"
#: The four documents of a shop, by name (the name the sync protocol carries).
DOCUMENT_NAMES: tuple[str, ...] = (CATALOGUE, CUSTOMERS, SETTINGS, INVENTORY)


class EntryKind(StrEnum):
    """What an entry id names; used in change summaries and conflicts."""

    PRODUCT = "product"
    CATEGORY = "category"
    CUSTOMER = "customer"
    SHOP = "shop"
    TILL = "till"
    CASHIER = "cashier"
    PAYMENT_METHOD = "payment_method"
    VAT_RATE = "vat_rate"
    STOCK = "stock"
    LOYALTY = "loyalty"
    BALANCE = "balance"


class RootShape(StrEnum):
    """How a root Map is laid out."""

    ENTRIES = "entries"  # id -> Map of fields
    COUNTERS = "counters"  # id -> Map device_id -> int
    FIELDS = "fields"  # a flat Map of fields


@dataclass(frozen=True, slots=True)
class RootSpec:
    """One root Map of one document."""

    document: str
    name: str
    kind: EntryKind
    shape: RootShape
    fields: tuple[str, ...] = ()


ROOTS: tuple[RootSpec, ...] = (
    RootSpec(
        CATALOGUE,
        "products",
        EntryKind.PRODUCT,
        RootShape.ENTRIES,
        ("name", "price", "vat", "barcode", "category", "color", "description", "archived"),
    ),
    RootSpec(
        CATALOGUE,
        "categories",
        EntryKind.CATEGORY,
        RootShape.ENTRIES,
        ("name", "color", "position", "archived"),
    ),
    RootSpec(
        CUSTOMERS,
        "customers",
        EntryKind.CUSTOMER,
        RootShape.ENTRIES,
        ("first_name", "last_name", "email", "phone", "address", "notes", "archived"),
    ),
    RootSpec(
        SETTINGS,
        "shop",
        EntryKind.SHOP,
        RootShape.FIELDS,
        (
            "name",
            "address",
            "phone",
            "email",
            "legal_id",
            "vat_number",
            "receipt_header",
            "receipt_footer",
            "timezone",  # IANA name; absent: Europe/Paris
            "loyalty_visits",  # visits that earn the reward; absent or 0: no programme
            "loyalty_reward",  # what the reward is, as the till shows it
            "cash_count",  # settings.CashCountMode; absent: off
            "purge_days",  # days a till keeps acknowledged records; absent: 90
        ),
    ),
    RootSpec(SETTINGS, "tills", EntryKind.TILL, RootShape.ENTRIES, ("name", "number", "archived")),
    RootSpec(
        SETTINGS,
        "cashiers",
        EntryKind.CASHIER,
        RootShape.ENTRIES,
        ("name", "pin_hash", "role", "archived"),
    ),
    RootSpec(
        SETTINGS,
        "payment_methods",
        EntryKind.PAYMENT_METHOD,
        RootShape.ENTRIES,
        ("name", "kind", "position", "archived"),
    ),
    RootSpec(
        SETTINGS,
        "vat_rates",
        EntryKind.VAT_RATE,
        RootShape.ENTRIES,
        ("name", "rate_bp", "archived"),
    ),
    RootSpec(INVENTORY, "stock", EntryKind.STOCK, RootShape.COUNTERS),
    RootSpec(INVENTORY, "loyalty", EntryKind.LOYALTY, RootShape.COUNTERS),
    RootSpec(INVENTORY, "balance", EntryKind.BALANCE, RootShape.COUNTERS),
)


def roots_of(document: str) -> tuple[RootSpec, ...]:
    """The root Maps of ``document`` (one of :data:`DOCUMENT_NAMES`)."""
    specs = tuple(spec for spec in ROOTS if spec.document == document)
    if not specs:
        raise ValueError(f"unknown document {document!r}")
    return specs
