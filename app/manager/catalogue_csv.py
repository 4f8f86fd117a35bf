"""Catalogue CSV: export every product, import new products all or nothing (no Qt).

Import is two steps. :func:`plan_import` reads the whole file and checks
every row against the catalogue as it is (names, prices, VAT rates, barcodes
-- against each other and against the products already on sale --,
categories, colours) and returns an :class:`ImportPlan` holding every row's
values for a preview and every error by row. Only a plan without errors can
be applied (:func:`apply_import`), and it is written in one transaction
(``CatalogueDocument.create_products``): a file with one bad row imports
nothing.

Columns (header row required, any order, ``,`` or ``;`` separated, UTF-8):
``name``, ``price`` (``12.50`` or ``12,50``), ``vat`` (a rate in percent such
as ``20`` or ``5,5``, or a rate's name), and optionally ``barcode``,
``category`` (an active category's name), ``color`` (``#rrggbb``). French
headers (nom, prix, tva, code-barres, catégorie, couleur) are accepted. The
``id`` and ``archived`` columns that :func:`export_csv` writes are ignored on
import: importing an export into another shop recreates its products.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from crdt_models.documents.catalogue import CatalogueDocument, Product, ProductSpec
from crdt_models.documents.validation import check_barcode, check_color, check_name, check_price
from crdt_models.errors import ValidationError
from crdt_models.money import parse_money

__all__ = ["EXPORT_COLUMNS", "ImportPlan", "RowError", "apply_import", "export_csv", "plan_import"]

#: The columns :func:`export_csv` writes, in order.
EXPORT_COLUMNS = ("id", "name", "price", "vat", "barcode", "category", "color", "archived")

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
}
_REQUIRED = ("name", "price", "vat")

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
class ImportPlan:
    """The checked content of a file: ``specs`` to create when ``errors`` is empty."""

    rows: list[ImportRow]
    specs: list[ProductSpec]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        """True when every row is valid and there is at least one."""
        return not self.errors and bool(self.specs)

    def errors_on(self, line: int) -> list[ValidationError]:
        """The errors of the row on file line ``line``."""
        return [e.error for e in self.errors if e.line == line]


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
    taken = {p.barcode for p in catalogue.products() if p.barcode}
    seen: dict[str, int] = {}
    specs: list[ProductSpec] = []
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
        if barcode and barcode in taken:
            row_errors.append(
                ValidationError("barcode", "barcode.duplicate", f"{barcode} is already on sale")
            )
        elif barcode and barcode in seen:
            row_errors.append(
                ValidationError(
                    "barcode",
                    "csv.duplicate_barcode",
                    f"{barcode} is also on line {seen[barcode]}",
                )
            )
        elif barcode:
            seen[barcode] = row.line
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
        if row_errors:
            errors.extend(RowError(row.line, e) for e in row_errors)
            continue
        assert name is not None and price is not None and vat is not None
        specs.append(
            ProductSpec(
                name=name,
                price=price,
                vat=vat,
                barcode=barcode or "",
                category=category_id,
                color=color or "",
            )
        )
    return ImportPlan(rows, specs, errors)


def apply_import(plan: ImportPlan, catalogue: CatalogueDocument) -> list[str]:
    """Create the plan's products in one transaction; returns their ids.

    Raises ValueError for a plan with errors, and the documents'
    ValidationError if the catalogue changed since the plan was made so that
    a row no longer fits (then nothing is written either).
    """
    if not plan.ok:
        raise ValueError("only a plan without errors can be imported")
    ids, _changes = catalogue.create_products(plan.specs)
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
                "1" if p.archived else "0",
            ]
        )
    return out.getvalue()
