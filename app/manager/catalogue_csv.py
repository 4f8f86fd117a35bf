"""Catalogue CSV: export every product; import new and updated products, all or nothing (no Qt).

Import is two steps. :func:`plan_import` reads the whole file and checks
every row against the catalogue as it is (names, prices, VAT rates, barcodes
-- against each other and against the products already on sale --,
categories, colours) and returns an :class:`ImportPlan`: every row's values
for a preview, what it will do (:data:`NEW`, :data:`UPDATE` with the fields
that change, :data:`UNCHANGED`) and every error by row. Only a plan without
errors can be applied (:func:`apply_import`), and it is written in one
transaction (``CatalogueDocument.import_products``): a file with one bad row
changes nothing.

Columns (header row required, any order, ``,`` or ``;`` separated, UTF-8):
``name``, ``price`` (``12.50`` or ``12,50``), ``vat`` (a rate in percent such
as ``20`` or ``5,5``, or a rate's name), and optionally ``id``, ``barcode``,
``category`` (an active category's name), ``color`` (``#rrggbb``),
``description`` (free text; a quoted cell may span lines). French headers
(nom, prix, tva, code-barres, catégorie, couleur, descriptif) are accepted.
The ``archived`` column that :func:`export_csv` writes is ignored.

Which product a row updates, first rule that finds one:

1. ``id``: the product with that id (archived included; it stays archived).
   An id this catalogue does not know is not an error: importing an export
   into another shop goes on with the next rules and creates the products;
2. ``barcode``: the active product with that barcode;
3. ``name``: the one active product with exactly that name in the row's
   category (in any category when the file has no ``category`` column); two
   such products make the row an error, to be fixed with an ``id``.

Otherwise the row is a new product. An update changes the columns the file
has and keeps the others (a file without ``color`` keeps the colours); an
empty cell in a column the file has clears that field (a barcode, a
category, a colour, a description). Two rows may not update the same product.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from crdt_models.documents.catalogue import CatalogueDocument, Product, ProductSpec
from crdt_models.documents.validation import (
    check_barcode,
    check_color,
    check_name,
    check_price,
    check_text,
)
from crdt_models.errors import ValidationError
from crdt_models.money import parse_money

__all__ = [
    "EXPORT_COLUMNS",
    "NEW",
    "UNCHANGED",
    "UPDATE",
    "FieldChange",
    "ImportPlan",
    "ImportRow",
    "RowError",
    "RowPlan",
    "apply_import",
    "export_csv",
    "plan_import",
]

#: The columns :func:`export_csv` writes, in order.
EXPORT_COLUMNS = (
    "id",
    "name",
    "price",
    "vat",
    "barcode",
    "category",
    "color",
    "description",
    "archived",
)

#: What a valid row does.
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"

_ALIASES = {
    "nom": "name",
    "prix": "price",
    "tva": "vat",
    "code-barres": "barcode",
    "code_barres": "barcode",
    "code barres": "barcode",
    "catégorie": "category",
    "categorie": "category",
    "couleur": "color",
    "colour": "color",
    "descriptif": "description",
}
_REQUIRED = ("name", "price", "vat")
#: The product fields an import sets, in the order the preview lists changes.
_FIELDS = ("name", "price", "vat", "barcode", "category", "color", "description")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong with one row: ``line`` is the file's line number (the header is 1)."""

    line: int
    error: ValidationError


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One data row as read (the preview shows these texts)."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field an update changes: ``old`` and ``new`` as stored (cents, VAT rate id,
    category id or None, text)."""

    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What a valid row does: ``action`` is NEW, UPDATE or UNCHANGED; ``product_id`` is
    the product it updates (None for NEW); ``spec`` the product as it will be."""

    line: int
    action: str
    spec: ProductSpec
    product_id: str | None = None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The checked content of a file: what each valid row does, and every error."""

    rows: list[ImportRow]
    planned: list[RowPlan]
    errors: list[RowError]

    @property
    def specs(self) -> list[ProductSpec]:
        """The products to create."""
        return [p.spec for p in self.planned if p.action == NEW]

    @property
    def updates(self) -> dict[str, ProductSpec]:
        """The products to change, by id."""
        return {p.product_id: p.spec for p in self.planned if p.product_id and p.changes}

    def count(self, action: str) -> int:
        """How many rows do ``action``."""
        return sum(1 for p in self.planned if p.action == action)

    @property
    def ok(self) -> bool:
        """True when every row is valid and at least one creates or changes a product."""
        return not self.errors and any(p.action != UNCHANGED for p in self.planned)

    def errors_on(self, line: int) -> list[ValidationError]:
        """The errors of the row on file line ``line``."""
        return [e.error for e in self.errors if e.line == line]

    def plan_of(self, line: int) -> RowPlan | None:
        """What the row on file line ``line`` does (None for a row with errors)."""
        return next((p for p in self.planned if p.line == line), None)


def _vat_text(rate_bp: int) -> str:
    whole, frac = divmod(rate_bp, 100)
    return str(whole) if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")


def _read(text: str) -> tuple[list[str], list[ImportRow]]:
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] = []
    rows: list[ImportRow] = []
    for cells in reader:
        if not header:
            header = [_ALIASES.get(c.strip().casefold(), c.strip().casefold()) for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        rows.append(ImportRow(reader.line_num, values))
    return header, rows


def _attempt(errors: list[ValidationError], check: Callable[[str], T], text: str) -> T | None:
    try:
        return check(text)
    except ValidationError as exc:
        errors.append(exc)
        return None


class _Matcher:
    """Finds the product a row updates (rules in the module docstring)."""

    def __init__(self, catalogue: CatalogueDocument, by_category: bool) -> None:
        self.products = catalogue.products_by_id()
        self.by_category = by_category
        self.by_barcode: dict[str, Product] = {}
        self.by_name: dict[tuple[str, str | None], list[Product]] = {}
        for product in self.products.values():
            if product.archived:
                continue
            if product.barcode:
                self.by_barcode.setdefault(product.barcode, product)
            key = (product.name, product.category if by_category else None)
            self.by_name.setdefault(key, []).append(product)

    def find(
        self, product_id: str, barcode: str | None, name: str | None, category: str | None
    ) -> Product | None:
        if product_id in self.products:
            return self.products[product_id]
        if barcode and barcode in self.by_barcode:
            return self.by_barcode[barcode]
        found = self.by_name.get((name or "", category if self.by_category else None), [])
        if len(found) > 1:
            raise ValidationError(
                "name", "csv.ambiguous", f"{len(found)} products are named {name!r}: add an id"
            )
        return found[0] if found else None


def _changes(product: Product, spec: ProductSpec) -> tuple[FieldChange, ...]:
    old = {
        "name": product.name,
        "price": product.price,
        "vat": product.vat,
        "barcode": product.barcode,
        "category": product.category,
        "color": product.color,
        "description": product.description,
    }
    new = {
        "name": spec.name,
        "price": spec.price,
        "vat": spec.vat,
        "barcode": spec.barcode,
        "category": spec.category,
        "color": spec.color,
        "description": spec.description,
    }
    return tuple(FieldChange(f, old[f], new[f]) for f in _FIELDS if old[f] != new[f])


def plan_import(text: str, catalogue: CatalogueDocument) -> ImportPlan:
    """Read and check a whole CSV file; nothing is written (see the module docstring)."""
    header, rows = _read(text)
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        error = ValidationError(
            missing[0], "csv.header", f"missing column(s): {', '.join(missing)}"
        )
        return ImportPlan(rows, [], [RowError(1, error)])
    rates = catalogue.settings.vat_rates()
    vat_by_text = {_vat_text(r.rate_bp): r.id for r in rates}
    vat_by_text.update({r.name.casefold(): r.id for r in rates})
    categories = {c.name.casefold(): c for c in catalogue.categories(include_archived=True)}
    matcher = _Matcher(catalogue, by_category="category" in header)
    seen_barcodes: dict[str, int] = {}
    seen_products: dict[str, int] = {}
    planned: list[RowPlan] = []
    errors: list[RowError] = []
    for row in rows:
        row_errors: list[ValidationError] = []
        v = row.values
        name = _attempt(row_errors, check_name, v.get("name", ""))
        price = _attempt(
            row_errors, lambda t: check_price(parse_money(t, "price")), v.get("price", "")
        )
        vat_key = v.get("vat", "").replace(",", ".").removesuffix("%").strip().casefold()
        vat = vat_by_text.get(vat_key)
        if vat is None:
            row_errors.append(
                ValidationError("vat", "vat.unknown", f"no VAT rate {v.get('vat')!r}")
            )
        barcode = _attempt(row_errors, check_barcode, v.get("barcode", ""))
        category_id: str | None = None
        category_name = v.get("category", "")
        if category_name:
            category = categories.get(category_name.casefold())
            if category is None:
                row_errors.append(
                    ValidationError(
                        "category", "category.unknown", f"no category {category_name!r}"
                    )
                )
            elif category.archived:
                row_errors.append(
                    ValidationError("category", "category.archived", f"{category_name} is archived")
                )
            else:
                category_id = category.id
        color = _attempt(row_errors, check_color, v.get("color", ""))
        description = _attempt(
            row_errors, lambda t: check_text(t, "description"), v.get("description", "")
        )
        product: Product | None = None
        try:
            product = matcher.find(v.get("id", ""), barcode, name, category_id)
        except ValidationError as exc:
            row_errors.append(exc)
        if product is not None and product.id in seen_products:
            row_errors.append(
                ValidationError(
                    "id",
                    "csv.duplicate_product",
                    f"also updated on line {seen_products[product.id]}",
                )
            )
        elif product is not None:
            seen_products[product.id] = row.line
        if barcode:
            holder = matcher.by_barcode.get(barcode)
            if holder is not None and (product is None or holder.id != product.id):
                row_errors.append(
                    ValidationError("barcode", "barcode.duplicate", f"{barcode} is already on sale")
                )
            elif barcode in seen_barcodes:
                row_errors.append(
                    ValidationError(
                        "barcode",
                        "csv.duplicate_barcode",
                        f"{barcode} is also on line {seen_barcodes[barcode]}",
                    )
                )
            else:
                seen_barcodes[barcode] = row.line
        if row_errors:
            row_errors.sort(key=lambda e: _FIELDS.index(e.field) if e.field in _FIELDS else -1)
            errors.extend(RowError(row.line, e) for e in row_errors)
            continue
        assert name is not None and price is not None and vat is not None
        if product is None:
            spec = ProductSpec(
                name, price, vat, barcode or "", category_id, color or "", description or ""
            )
            planned.append(RowPlan(row.line, NEW, spec))
            continue
        spec = ProductSpec(
            name=name,
            price=price,
            vat=vat,
            barcode=(barcode or "") if "barcode" in header else product.barcode,
            category=category_id if "category" in header else product.category,
            color=(color or "") if "color" in header else product.color,
            description=(description or "") if "description" in header else product.description,
        )
        changes = _changes(product, spec)
        action = UPDATE if changes else UNCHANGED
        planned.append(RowPlan(row.line, action, spec, product.id, changes))
    return ImportPlan(rows, planned, errors)


def apply_import(plan: ImportPlan, catalogue: CatalogueDocument) -> list[str]:
    """Create and update the plan's products in one transaction; returns the new ids.

    Raises ValueError for a plan with errors, and the documents'
    ValidationError if the catalogue changed since the plan was made so that
    a row no longer fits (then nothing is written either).
    """
    if not plan.ok:
        raise ValueError("only a plan without errors can be imported")
    ids, _changes = catalogue.import_products(plan.specs, plan.updates)
    return ids


def export_csv(products: Iterable[Product], catalogue: CatalogueDocument) -> str:
    """Products as CSV text (columns :data:`EXPORT_COLUMNS`), prices as ``12.50``."""
    rates = catalogue.settings.vat_rates_by_id()
    categories = catalogue.categories_by_id()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for p in sorted(products, key=lambda p: (p.name.casefold(), p.id)):
        rate = rates.get(p.vat)
        category = categories.get(p.category) if p.category else None
        writer.writerow(
            [
                p.id,
                p.name,
                f"{p.price // 100}.{p.price % 100:02d}",
                _vat_text(rate.rate_bp) if rate is not None else "",
                p.barcode,
                category.name if category is not None else "",
                p.color,
                p.description,
                "1" if p.archived else "0",
            ]
        )
    return out.getvalue()
