"""What the selling screen shows of the catalogue: tiles by category, barcode and
text lookup, all from the shop's documents.

:class:`TillCatalogue` reads :class:`~crdt_models.documents.catalogue.CatalogueDocument`
(and the settings' VAT rates) into :class:`ProductTile` values once, keeps a
barcode index, and is rebuilt with :meth:`TillCatalogue.refresh` when the
documents change (a manager's edit arriving); the basket is not touched.

Search looks in one :class:`SearchField` within a category tab. Names are
folded (case, accents) at refresh; descriptions only on the first search in
them, since most tills never search there and start-up with 100,000
products must stay fast.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from crdt_models.barcode import normalize_barcode
from crdt_models.documents import Category, Product
from crdt_models.documents.catalogue import CatalogueDocument
from crdt_models.errors import DomainError, ValidationError

__all__ = ["ALL_CATEGORY", "CategoryTab", "ProductTile", "SearchField", "TillCatalogue"]

#: The id of the "everything" tab, and of products without a category.
ALL_CATEGORY = ""
DEFAULT_COLOR = "#9aa5b1"


class SearchField(StrEnum):
    """What the search text is looked for in."""

    NAME = "name"  # every word in the name, or the start of the barcode
    BARCODE = "barcode"  # the start of the barcode only
    DESCRIPTION = "description"  # every word in the description


@dataclass(frozen=True, slots=True)
class CategoryTab:
    id: str
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class ProductTile:
    """A product as a button shows it, with its VAT rate resolved to basis points."""

    id: str
    name: str
    price: int
    vat_bp: int
    color: str
    category: str
    barcode: str


def _fold_text(text: str) -> str:
    """Lower case without accents or ligatures, for search as the cashier types ("cafe"
    finds "Café")."""
    if text.isascii():
        return text.lower()  # most names: nothing to strip, and 10 times faster
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("œ", "oe").replace("æ", "ae")  # "oeuf" finds "œuf"


#: Names rarely change: a catalogue refresh reuses them (descriptions, long and
#: each one different, are folded with :func:`_fold_text` and kept by the catalogue).
_fold = functools.lru_cache(maxsize=1 << 18)(_fold_text)


class TillCatalogue:
    """The till's read model of the catalogue, and the stock of tracked products.

    Stock moves with every sale, so it is kept apart from the tiles:
    :meth:`set_stock` is cheap, :meth:`refresh` re-reads every product.
    """

    def __init__(
        self, catalogue: CatalogueDocument, stock: Mapping[str, int] | None = None
    ) -> None:
        self._catalogue = catalogue
        self._stock: dict[str, int] = dict(stock or {})
        self.categories: list[CategoryTab] = []
        self._tiles: dict[str, ProductTile] = {}
        self._by_category: dict[str, list[ProductTile]] = {}
        self._by_barcode: dict[str, ProductTile] = {}
        self._folded: list[tuple[str, ProductTile]] = []
        self._position: dict[str, int] = {}
        self._descriptions: dict[str, str] | None = None  # folded, on the first search
        self.refresh()

    def _lookups(self) -> tuple[dict[str, int], list[Category], dict[str, str]]:
        rates = {r.id: r.rate_bp for r in self._catalogue.settings.vat_rates(include_archived=True)}
        categories = self._catalogue.categories()
        colors = {c.id: c.color or DEFAULT_COLOR for c in categories}
        return rates, categories, colors

    @staticmethod
    def _tile(
        p: Product, rates: Mapping[str, int], colors: Mapping[str, str]
    ) -> ProductTile | None:
        if p.archived or p.vat not in rates:
            return None  # a product without a known VAT rate cannot be sold
        category = p.category if p.category and p.category in colors else ALL_CATEGORY
        color = p.color or colors.get(category, DEFAULT_COLOR)
        return ProductTile(p.id, p.name, p.price, rates[p.vat], color, category, p.barcode)

    def update(self, product_ids: Collection[str]) -> bool:
        """Refresh only these products' tiles, in place; False when that cannot be
        done (a product came, went, was renamed or moved: call :meth:`refresh`).

        A manager's price change on a 100,000-product catalogue then costs the
        till a few dictionary writes instead of a rebuild.
        """
        rates, _categories, colors = self._lookups()
        new: dict[str, ProductTile] = {}
        for product_id in product_ids:
            old = self._tiles.get(product_id)
            try:
                tile = self._tile(self._catalogue.product(product_id), rates, colors)
            except DomainError:
                tile = None
            if old is None or tile is None:
                return False  # it came or went
            if (tile.name, tile.category) != (old.name, old.category):
                return False  # it moves in the sorted lists
            new[product_id] = tile
        for product_id, tile in new.items():
            if self._descriptions is not None:
                self._descriptions[product_id] = self._folded_description(product_id)
            old = self._tiles[product_id]
            self._tiles[product_id] = tile
            i = self._position[product_id]
            ordered = self._by_category[ALL_CATEGORY]
            ordered[i] = tile
            self._folded[i] = (self._folded[i][0], tile)
            if tile.category:
                group = self._by_category[tile.category]
                group[group.index(old)] = tile
            if old.barcode and self._by_barcode.get(old.barcode) is old:
                del self._by_barcode[old.barcode]
            if tile.barcode:
                self._by_barcode[tile.barcode] = tile
        return True

    def refresh(self) -> None:
        """Re-read the documents (cheap: their reads are cached per entry)."""
        rates, categories, colors = self._lookups()
        tiles: dict[str, ProductTile] = {}
        for p in self._catalogue.products():
            tile = self._tile(p, rates, colors)
            if tile is not None:
                tiles[p.id] = tile
        folded = sorted((_fold(t.name), t.id, t) for t in tiles.values())
        ordered = [t for _f, _id, t in folded]
        by_category: dict[str, list[ProductTile]] = {ALL_CATEGORY: ordered}
        for tile in ordered:
            if tile.category:
                by_category.setdefault(tile.category, []).append(tile)
        self.categories = [
            CategoryTab(c.id, c.name, colors[c.id]) for c in categories if c.id in by_category
        ]
        self._tiles = tiles
        self._by_category = by_category
        self._by_barcode = {t.barcode: t for t in ordered if t.barcode}
        self._folded = [(f, t) for f, _id, t in folded]
        self._position = {t.id: i for i, t in enumerate(ordered)}
        self._descriptions = None

    def set_stock(self, stock: Mapping[str, int]) -> None:
        """The stock of every tracked product (the inventory's counters)."""
        self._stock = dict(stock)

    def stock(self, product_id: str) -> int | None:
        """A product's stock, or None when its stock is not tracked."""
        return self._stock.get(product_id)

    def __len__(self) -> int:
        return len(self._tiles)

    def tile(self, product_id: str) -> ProductTile | None:
        return self._tiles.get(product_id)

    def in_category(self, category_id: str) -> list[ProductTile]:
        """Tiles of one category by name; :data:`ALL_CATEGORY` gives every product."""
        return self._by_category.get(category_id, [])

    def by_barcode(self, code: str) -> ProductTile | None:
        """The product with this barcode (UPC-A finds its EAN-13 form), or None."""
        try:
            return self._by_barcode.get(normalize_barcode(code))
        except ValidationError:
            return None

    def _folded_description(self, product_id: str) -> str:
        try:
            return _fold_text(self._catalogue.product(product_id).description)
        except DomainError:
            return ""

    def _description_index(self) -> dict[str, str]:
        """Folded descriptions of the products on sale that have one, made on first use."""
        if self._descriptions is None:
            products = self._catalogue.products_by_id()
            self._descriptions = {
                i: _fold_text(p.description)
                for i in self._tiles
                if (p := products.get(i)) is not None and p.description
            }
        return self._descriptions

    def search(
        self,
        text: str,
        category_id: str = ALL_CATEGORY,
        limit: int = 60,
        field: SearchField = SearchField.NAME,
    ) -> list[ProductTile]:
        """Products of a category (:data:`ALL_CATEGORY`: all) that ``text`` finds in
        ``field``, in name order: every word of ``text`` in the name or description
        (accents and case ignored); for the name, or only for the barcode, a
        barcode that starts with ``text``."""
        code = "".join(text.split())
        if not code:
            return self.in_category(category_id)[:limit]
        if field is SearchField.NAME:
            return self._search_names(text, code, category_id, limit)
        tiles = self.in_category(category_id)
        if field is SearchField.BARCODE:
            found = (t for t in tiles if t.barcode.startswith(code))
        else:
            words = _fold_text(text).split()
            descriptions = self._description_index()
            found = (t for t in tiles if all(w in descriptions.get(t.id, "") for w in words))
        return list(itertools.islice(found, limit))

    def _search_names(
        self, text: str, code: str, category_id: str, limit: int
    ) -> list[ProductTile]:
        words = _fold(text).split()
        out = []
        for folded, tile in self._folded:
            if category_id and tile.category != category_id:
                continue
            if all(w in folded for w in words) or tile.barcode.startswith(code):
                out.append(tile)
                if len(out) >= limit:
                    break
        return out
