"""Conflicts a CRDT cannot judge, found after merge and shown to the owner.

Each peer's writes were valid where they were made; merged, they may not be:
two tills gave the same barcode to two products, a product was moved into a
category that the owner archived meanwhile, a product names a VAT rate the
owner archived (or that another client never created), or another client
wrote an entry this code cannot read. :func:`find_conflicts` lists them; every
conflict says in ``fix`` how the manager resolves it, with the ordinary
document methods (``update_product``, ``archive_product``,
``restore_category``...), and :func:`resolve_duplicate_barcode` does the common
fix of a duplicate in one transaction.

The result depends only on the documents' state, so every replica that holds
the same state lists the same conflicts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from crdt_models.documents.catalogue import CatalogueDocument
from crdt_models.documents.changes import ChangeSummary
from crdt_models.documents.customers import CustomersDocument
from crdt_models.documents.origin import LOCAL, Origin
from crdt_models.documents.schema import EntryKind
from crdt_models.errors import ValidationError

__all__ = [
    "Conflict",
    "DuplicateBarcode",
    "MalformedEntry",
    "ProductInArchivedCategory",
    "ProductWithInvalidVat",
    "VatProblem",
    "find_conflicts",
    "resolve_duplicate_barcode",
]


@dataclass(frozen=True, slots=True)
class DuplicateBarcode:
    """Several active products share ``barcode``: the till cannot tell which was scanned."""

    barcode: str
    product_ids: tuple[str, ...]  # sorted, at least two
    fix = "keep one product: give the others another barcode, clear it, or archive them"


@dataclass(frozen=True, slots=True)
class ProductInArchivedCategory:
    """An active product sits in a category that is archived (or was never created)."""

    product_id: str
    category_id: str
    fix = "move the product to an active category, restore the category, or archive the product"


class VatProblem(StrEnum):
    UNKNOWN = "unknown"  # no such rate in the settings document
    ARCHIVED = "archived"


@dataclass(frozen=True, slots=True)
class ProductWithInvalidVat:
    """An active product names a VAT rate that is unknown or archived: it cannot be sold."""

    product_id: str
    vat_id: str
    problem: VatProblem
    fix = "choose an active VAT rate for the product (update_product(vat=...))"


@dataclass(frozen=True, slots=True)
class MalformedEntry:
    """An entry another client wrote cannot be read (``code`` says which field is wrong)."""

    kind: EntryKind
    entry_id: str
    field: str
    code: str
    fix = "rewrite the field with a valid value, or archive the entry"


Conflict = DuplicateBarcode | ProductInArchivedCategory | ProductWithInvalidVat | MalformedEntry

_ROOT_KINDS = {
    "products": EntryKind.PRODUCT,
    "categories": EntryKind.CATEGORY,
    "customers": EntryKind.CUSTOMER,
    "tills": EntryKind.TILL,
    "cashiers": EntryKind.CASHIER,
    "payment_methods": EntryKind.PAYMENT_METHOD,
    "vat_rates": EntryKind.VAT_RATE,
}


def find_conflicts(
    catalogue: CatalogueDocument, customers: CustomersDocument | None = None
) -> list[Conflict]:
    """Every conflict in the catalogue (against ``catalogue.settings``), and malformed
    entries of the settings and, if given, the customers. Deterministic order."""
    conflicts: list[Conflict] = []
    products = sorted(catalogue.products(), key=lambda p: p.id)
    by_barcode: dict[str, list[str]] = defaultdict(list)
    for product in products:
        if product.barcode:
            by_barcode[product.barcode].append(product.id)
    conflicts += [
        DuplicateBarcode(code, tuple(ids))
        for code, ids in sorted(by_barcode.items())
        if len(ids) > 1
    ]
    categories = catalogue.categories_by_id()
    rates = catalogue.settings.vat_rates_by_id()
    for product in products:
        category = categories.get(product.category) if product.category else None
        if product.category and (category is None or category.archived):
            conflicts.append(ProductInArchivedCategory(product.id, product.category))
        rate = rates.get(product.vat)
        if rate is None or rate.archived:
            problem = VatProblem.UNKNOWN if rate is None else VatProblem.ARCHIVED
            conflicts.append(ProductWithInvalidVat(product.id, product.vat, problem))
    malformed: dict[tuple[str, str], ValidationError] = {
        **catalogue.malformed(),
        **catalogue.settings.malformed(),
        **(customers.malformed() if customers is not None else {}),
    }
    conflicts += [
        MalformedEntry(_ROOT_KINDS[root], entry_id, error.field, error.code)
        for (root, entry_id), error in sorted(malformed.items())
    ]
    return conflicts


def resolve_duplicate_barcode(
    catalogue: CatalogueDocument,
    conflict: DuplicateBarcode,
    keep: str,
    *,
    origin: Origin = LOCAL,
) -> ChangeSummary:
    """Keep the barcode on product ``keep`` and clear it on the others, in one transaction."""
    if keep not in conflict.product_ids:
        raise ValidationError("keep", "conflict.keep", "keep one of the conflicting products")
    others = [i for i in conflict.product_ids if i != keep]
    return catalogue.clear_barcodes(others, origin=origin)
