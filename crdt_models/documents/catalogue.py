"""The ``catalogue`` document: products and categories.

Prices are integer cents, tax included; ``vat`` names a rate of the settings
document, ``category`` a category of this one. Writes check those references
(the rate must exist and be active, the category too) and that no other
active product has the same barcode; what concurrent peers can still get
wrong is reported after merge by :func:`crdt_models.documents.find_conflicts`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc

from crdt_models.documents._base import UNSET, Created, DocumentBase, Unset
from crdt_models.documents.changes import ChangeSummary
from crdt_models.documents.origin import LOCAL, Origin
from crdt_models.documents.reading import Raw, read_cents, read_flag, read_int, read_ref, read_text
from crdt_models.documents.schema import CATALOGUE
from crdt_models.documents.settings import SettingsDocument
from crdt_models.documents.validation import (
    check_barcode,
    check_color,
    check_int,
    check_name,
    check_price,
    check_text,
)
from crdt_models.errors import NotFoundError, ValidationError
from crdt_models.money import MAX_CENTS

__all__ = ["CatalogueDocument", "Category", "Product", "ProductSpec"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Product:
    """A product as the till sells it. ``barcode``, ``color`` and ``description`` are
    ``""`` when unset (``description``: free text, may span lines, e.g. ingredients)."""

    id: str
    name: str
    price: int  # cents, tax included
    vat: str  # VatRate id
    barcode: str
    category: str | None
    color: str
    archived: bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    color: str
    position: int
    archived: bool


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """The fields of a product, for :meth:`CatalogueDocument.import_products`."""

    name: str
    price: int
    vat: str
    barcode: str = ""
    category: str | None = None
    color: str = ""
    description: str = ""


def _product(entry_id: str, raw: Raw) -> Product:
    """A product from its fields: the direct way when every field has the type the
    readers would accept as is (what this app writes), else :func:`_checked_product`
    (same result, or the reason it does not parse)."""
    get = raw.get
    name, price, vat, barcode = get("name"), get("price"), get("vat"), get("barcode")
    category, color, archived = get("category"), get("color"), get("archived")
    description = get("description")
    if (
        type(name) is str
        and type(price) is int
        and -MAX_CENTS <= price <= MAX_CENTS
        and type(vat) is str
        and vat
        and type(barcode) is str
        and (category is None or type(category) is str)
        and type(color) is str
        and type(archived) is bool
        and (description is None or type(description) is str)
    ):
        return Product(
            id=entry_id,
            name=name,
            price=price,
            vat=vat,
            barcode=barcode,
            category=category or None,
            color=color,
            archived=archived,
            description=description or "",
        )
    return _checked_product(entry_id, raw)


def _checked_product(entry_id: str, raw: Raw) -> Product:
    """A product from fields of any type, through the readers of
    :mod:`crdt_models.documents.reading`; ValidationError if one does not parse."""
    vat = read_ref(raw, "vat")
    if vat is None:
        raise ValidationError("vat", "field.missing", "vat is missing")
    return Product(
        id=entry_id,
        name=read_text(raw, "name"),
        price=read_cents(raw, "price"),
        vat=vat,
        barcode=read_text(raw, "barcode"),
        category=read_ref(raw, "category"),
        color=read_text(raw, "color"),
        archived=read_flag(raw),
        description=read_text(raw, "description"),
    )


def _category(entry_id: str, raw: Raw) -> Category:
    return Category(
        id=entry_id,
        name=read_text(raw, "name"),
        color=read_text(raw, "color"),
        position=read_int(raw, "position", 0),
        archived=read_flag(raw),
    )


class CatalogueDocument(DocumentBase):
    """Typed reads and validated writes of the ``catalogue`` document.

    ``settings`` is the shop's settings document, consulted for VAT rates.
    Every write takes an ``origin`` (default :data:`LOCAL`), runs in one
    transaction and returns a :class:`ChangeSummary` (``create_*``:
    :class:`Created`). Reads are served from a cache that is refreshed only
    for the entries a transaction touched, so listing every product again
    after a change costs only the changed entries.
    """

    document_name = CATALOGUE

    def __init__(self, doc: Doc[Any] | None = None, *, settings: SettingsDocument) -> None:
        super().__init__(doc)
        self.settings = settings
        self._products = self._table("products", _product)
        self._categories = self._table("categories", _category)
        self._by_barcode: dict[str, set[str]] = {}  # active products only
        self._barcode_of: dict[str, str] = {}
        self._products.on_refresh(self._reindex)

    # -- reads -------------------------------------------------------------

    def products_by_id(self) -> Mapping[str, Product]:
        """Every readable product, archived included, by id: the fast bulk read.

        A read-only view of the cache: do not keep it across writes.
        """
        return self._products.all()

    def products(self, *, include_archived: bool = False) -> list[Product]:
        """Products in no particular order (sort for display)."""
        values = self._products.all().values()
        return [p for p in values if include_archived or not p.archived]

    def product(self, product_id: str) -> Product:
        """One product, archived or not; NotFoundError, or ValidationError if malformed."""
        return self._products.get(product_id)

    def find_by_barcode(self, code: str) -> list[Product]:
        """Active products with this barcode (normally one; more is a conflict).

        ``code`` is normalised as when stored, so a UPC-A finds its EAN-13 form.
        Raises ValidationError if ``code`` is not a valid barcode.
        """
        wanted = check_barcode(code)
        products = self._products.all()  # refreshes the index too
        return [products[i] for i in sorted(self._by_barcode.get(wanted, ()))] if wanted else []

    def _reindex(self, products: Mapping[str, Product], changed: Collection[str] | None) -> None:
        """Keep the barcode index in step with the cache, touching only what changed."""
        if changed is None:
            self._by_barcode.clear()
            self._barcode_of.clear()
            changed = products.keys()
        for product_id in changed:
            old = self._barcode_of.pop(product_id, None)
            if old is not None:
                holders = self._by_barcode[old]
                holders.discard(product_id)
                if not holders:
                    del self._by_barcode[old]
            product = products.get(product_id)
            if product is not None and product.barcode and not product.archived:
                self._barcode_of[product_id] = product.barcode
                self._by_barcode.setdefault(product.barcode, set()).add(product_id)

    def categories(self, *, include_archived: bool = False) -> list[Category]:
        """Categories in display order (position, then name)."""
        values = self._categories.all().values()
        chosen = [c for c in values if include_archived or not c.archived]
        return sorted(chosen, key=lambda c: (c.position, c.name, c.id))

    def category(self, category_id: str) -> Category:
        """One category, archived or not."""
        return self._categories.get(category_id)

    def categories_by_id(self) -> Mapping[str, Category]:
        """Every readable category, archived included, by id."""
        return self._categories.all()

    def malformed(self) -> dict[tuple[str, str], ValidationError]:
        """Entries another client wrote that do not parse, by (root, id)."""
        return {
            **{("products", i): e for i, e in self._products.malformed().items()},
            **{("categories", i): e for i, e in self._categories.malformed().items()},
        }

    # -- checks ------------------------------------------------------------

    def _check_vat(self, vat: object) -> str:
        if not isinstance(vat, str) or not vat:
            raise ValidationError("vat", "vat.unknown", "choose a VAT rate")
        try:
            rate = self.settings.vat_rate(vat)
        except (NotFoundError, ValidationError):
            raise ValidationError("vat", "vat.unknown", f"no VAT rate {vat!r}") from None
        if rate.archived:
            raise ValidationError("vat", "vat.archived", f"VAT rate {rate.name!r} is archived")
        return vat

    def _check_category(self, category: object) -> str:
        if category is None or category == "":
            return ""
        if not isinstance(category, str):
            raise ValidationError("category", "category.unknown", "category must be an id")
        try:
            found = self.category(category)
        except (NotFoundError, ValidationError):
            raise ValidationError(
                "category", "category.unknown", f"no category {category!r}"
            ) from None
        if found.archived:
            raise ValidationError(
                "category", "category.archived", f"category {found.name!r} is archived"
            )
        return category

    def _check_barcode_free(self, barcode: str, product_id: str | None) -> None:
        """``barcode`` is already normalised."""
        self._products.all()
        if barcode and any(i != product_id for i in self._by_barcode.get(barcode, ())):
            raise ValidationError(
                "barcode", "barcode.duplicate", f"another product already has barcode {barcode}"
            )

    def _product_fields(self, spec: ProductSpec) -> dict[str, object]:
        return {
            "name": check_name(spec.name),
            "price": check_price(spec.price),
            "vat": self._check_vat(spec.vat),
            "barcode": check_barcode(spec.barcode),
            "category": self._check_category(spec.category),
            "color": check_color(spec.color),
            "description": check_text(spec.description, "description"),
            "archived": False,
        }

    # -- product writes ----------------------------------------------------

    def create_product(
        self,
        *,
        name: str,
        price: int,
        vat: str,
        barcode: str = "",
        category: str | None = None,
        color: str = "",
        description: str = "",
        origin: Origin = LOCAL,
    ) -> Created:
        """A new active product. ValidationError on any bad field (nothing is written)."""
        spec = ProductSpec(name, price, vat, barcode, category, color, description)
        fields = self._product_fields(spec)
        self._check_barcode_free(str(fields["barcode"]), None)
        return self._create("products", fields, origin)

    def create_products(
        self, specs: Sequence[ProductSpec], *, origin: Origin = LOCAL
    ) -> tuple[list[str], ChangeSummary]:
        """Create many products in one transaction (see :meth:`import_products`)."""
        return self.import_products(specs, {}, origin=origin)

    def import_products(
        self,
        new: Sequence[ProductSpec],
        updates: Mapping[str, ProductSpec],
        *,
        origin: Origin = LOCAL,
    ) -> tuple[list[str], ChangeSummary]:
        """Create ``new`` products and give the products ``updates`` names the fields of
        their spec, in one transaction (an import). Everything is checked first --
        barcodes as they will be once the import is done, against each other and
        the other active products -- so a bad row writes nothing. Archived
        products stay archived. The new ids come back in ``new`` order."""
        rows = [self._product_fields(spec) for spec in new]
        changes: dict[str, dict[str, object]] = {}
        for product_id, spec in updates.items():
            self.product(product_id)
            fields = self._product_fields(spec)
            del fields["archived"]
            changes[product_id] = fields
        products = self._products.all()
        holder: dict[str, str] = {}  # barcode -> the active product (or new row) holding it
        for product in products.values():
            if product.barcode and not product.archived and product.id not in changes:
                holder.setdefault(product.barcode, product.id)
        writes = [(i, f) for i, f in changes.items() if not products[i].archived]
        writes += [(f"new {n}", f) for n, f in enumerate(rows)]
        for owner, fields in writes:
            code = str(fields["barcode"])
            if code and holder.setdefault(code, owner) != owner:
                raise ValidationError(
                    "barcode", "barcode.duplicate", f"another product already has barcode {code}"
                )
        return self._write_many("products", rows, changes, origin)

    def update_product(
        self,
        product_id: str,
        *,
        name: str | Unset = UNSET,
        price: int | Unset = UNSET,
        vat: str | Unset = UNSET,
        barcode: str | Unset = UNSET,
        category: str | Unset | None = UNSET,
        color: str | Unset = UNSET,
        description: str | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Change the given fields only; the fields not given are neither checked nor
        rewritten (so a concurrent edit of another field by a peer survives)."""
        self.product(product_id)
        fields: dict[str, object] = {}
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(price, Unset):
            fields["price"] = check_price(price)
        if not isinstance(vat, Unset):
            fields["vat"] = self._check_vat(vat)
        if not isinstance(barcode, Unset):
            fields["barcode"] = code = check_barcode(barcode)
            self._check_barcode_free(code, product_id)
        if not isinstance(category, Unset):
            fields["category"] = self._check_category(category)
        if not isinstance(color, Unset):
            fields["color"] = check_color(color)
        if not isinstance(description, Unset):
            fields["description"] = check_text(description, "description")
        return self._update("products", product_id, fields, origin)

    def archive_product(self, product_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Take a product off sale; old sales still resolve it."""
        self.product(product_id)
        return self._set_archived("products", product_id, True, origin)

    def restore_product(self, product_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Put an archived product back on sale. Refused while another active product has
        its barcode (``barcode.duplicate``) or its category is archived."""
        product = self.product(product_id)
        self._check_barcode_free(product.barcode, product_id)
        if product.category is not None:
            self._check_category(product.category)
        return self._set_archived("products", product_id, False, origin)

    def clear_barcodes(
        self, product_ids: Sequence[str], *, origin: Origin = LOCAL
    ) -> ChangeSummary:
        """Remove the barcode of each given product, in one transaction (conflict fixes)."""
        for product_id in product_ids:
            self.product(product_id)
        return self._update_many("products", {i: {"barcode": ""} for i in product_ids}, origin)

    # -- category writes ---------------------------------------------------

    def create_category(
        self,
        *,
        name: str,
        color: str = "",
        position: int | None = None,
        origin: Origin = LOCAL,
    ) -> Created:
        """A new category, last in the display order unless ``position`` is given."""
        if position is None:
            existing = self.categories(include_archived=True)
            position = 1 + max((c.position for c in existing), default=0)
        fields = {
            "name": check_name(name),
            "color": check_color(color),
            "position": check_int(position, "position", 0, 1_000_000),
            "archived": False,
        }
        return self._create("categories", fields, origin)

    def update_category(
        self,
        category_id: str,
        *,
        name: str | Unset = UNSET,
        color: str | Unset = UNSET,
        position: int | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Change the given fields only."""
        self.category(category_id)
        fields: dict[str, object] = {}
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(color, Unset):
            fields["color"] = check_color(color)
        if not isinstance(position, Unset):
            fields["position"] = check_int(position, "position", 0, 1_000_000)
        return self._update("categories", category_id, fields, origin)

    def archive_category(self, category_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Archive an empty category; ``category.in_use`` while active products are in it
        (move or archive them first)."""
        self.category(category_id)
        in_use = [p for p in self.products() if p.category == category_id]
        if in_use:
            raise ValidationError(
                "category",
                "category.in_use",
                f"{len(in_use)} active product(s) are still in this category",
            )
        return self._set_archived("categories", category_id, True, origin)

    def restore_category(self, category_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        self.category(category_id)
        return self._set_archived("categories", category_id, False, origin)
