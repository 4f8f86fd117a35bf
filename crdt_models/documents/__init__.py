"""The shop's shared documents (catalogue, customers, settings, inventory) over pycrdt.

Read side: immutable dataclasses (:class:`Product`, :class:`Customer`...).
Write side: validated methods, each one pycrdt transaction tagged with a typed
:class:`Origin`, each returning a :class:`ChangeSummary`. The schema (root and
field names) is in :mod:`crdt_models.documents.schema`: a plain Yjs client
reads the same keys.

Typical use on a device::

    shop = ShopDocuments.open(device_id, docs)       # docs: name -> pycrdt Doc
    shop.catalogue.tracker.subscribe(view.refresh)   # one summary per transaction
    created = shop.catalogue.create_product(name="Croissant", price=120, vat=rate_id)
    shop.conflicts()                                 # after merges, for the owner
"""

from crdt_models.documents._base import UNSET, Created, Unset
from crdt_models.documents.catalogue import CatalogueDocument, Category, Product, ProductSpec
from crdt_models.documents.changes import ChangeSummary, ChangeTracker, EntryRef
from crdt_models.documents.conflicts import (
    Conflict,
    DuplicateBarcode,
    MalformedEntry,
    ProductInArchivedCategory,
    ProductWithInvalidVat,
    VatProblem,
    find_conflicts,
    resolve_duplicate_barcode,
)
from crdt_models.documents.customers import Customer, CustomersDocument
from crdt_models.documents.demo import DemoShop, build_demo_shop
from crdt_models.documents.inventory import InventoryDocument
from crdt_models.documents.origin import LOCAL, RELAY, STORAGE, Origin, OriginKind
from crdt_models.documents.schema import DOCUMENT_NAMES, EntryKind
from crdt_models.documents.settings import (
    DEFAULT_TIMEZONE,
    CashCountMode,
    Cashier,
    CashierRole,
    PaymentKind,
    PaymentMethod,
    SettingsDocument,
    ShopInfo,
    Till,
    TillRules,
    VatRate,
)
from crdt_models.documents.shop import ShopDocuments

__all__ = [
    "DEFAULT_TIMEZONE",
    "DOCUMENT_NAMES",
    "LOCAL",
    "RELAY",
    "STORAGE",
    "UNSET",
    "CashCountMode",
    "Cashier",
    "CashierRole",
    "CatalogueDocument",
    "Category",
    "ChangeSummary",
    "ChangeTracker",
    "Conflict",
    "Created",
    "Customer",
    "CustomersDocument",
    "DemoShop",
    "DuplicateBarcode",
    "EntryKind",
    "EntryRef",
    "InventoryDocument",
    "MalformedEntry",
    "Origin",
    "OriginKind",
    "PaymentKind",
    "PaymentMethod",
    "Product",
    "ProductInArchivedCategory",
    "ProductSpec",
    "ProductWithInvalidVat",
    "SettingsDocument",
    "ShopDocuments",
    "ShopInfo",
    "Till",
    "TillRules",
    "Unset",
    "VatProblem",
    "VatRate",
    "build_demo_shop",
    "find_conflicts",
    "resolve_duplicate_barcode",
]
