"""What the selling screen shows of the catalogue: tiles by category, barcode and
text lookup, all from the shop's documents.

:class:`TillCatalogue` reads :class:`~crdt_models.documents.catalogue.CatalogueDocument`
(and the settings' VAT rates) into :class:`ProductTile` values once, sorted by
folded name in every category, and keeps a barcode index. A manager's edit to a
few products arriving is applied with :meth:`TillCatalogue.update` (each product
placed by a binary search); a category or VAT rate changing, or a large batch,
rebuilds everything with :meth:`TillCatalogue.refresh`. The basket is not touched.

Search looks in one :class:`SearchField` within a category tab. Names are
folded (case, accents) at refresh; descriptions only on the first search in
them, since most tills never search there and start-up with 100,000
products must stay fast.
"""

from __future__ import annotations

import bisect
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
from crdt_models.gc_pause import paused_gc

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

#: A batch of more product changes than this is re-read whole. Placing one product
#: costs about 0.1 ms at 100,000 products (list inserts), sorting them all again about
#: 0.8 s: even, near 8,000.
REBUILD_BATCH = 5_000


def _key(tile: ProductTile) -> tuple[str, str]:
    """Where a tile sorts in every list: by folded name, then id."""
    return _fold(tile.name), tile.id


def _index(tiles: list[ProductTile], tile: ProductTile) -> int:
    """Where ``tile`` (or the tile of the same product in the same place) is in ``tiles``."""
    i = bisect.bisect_left(tiles, _key(tile), key=_key)
    if i == len(tiles) or tiles[i].id != tile.id:
        raise LookupError(f"product {tile.id} is not where its name sorts")
    return i


def _same_place(old: ProductTile, new: ProductTile) -> bool:
    """True when ``new`` sorts where ``old`` is, in the same category list."""
    return old.category == new.category and _fold(old.name) == _fold(new.name)


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
        """Re-read these products (a manager's edit arriving), each one put in, taken
        out of or moved in the sorted lists by a binary search on its (folded name, id).

        True when what a list or a search shows may differ (a product came, went, was
        renamed, moved to another category, changed barcode or indexed description):
        refill what is shown; False when only tiles changed in place (a price, a
        colour): repaint them. A batch of more than :data:`REBUILD_BATCH` is re-read
        whole with :meth:`refresh` (True). Categories or VAT rates that changed need
        :meth:`refresh`.
        """
        if len(product_ids) > REBUILD_BATCH:
            self.refresh()
            return True
        rates, categories, colors = self._lookups()
        moved = False
        barcodes: set[str] = set()
        for product_id in product_ids:
            old = self._tiles.get(product_id)
            try:
                product: Product | None = self._catalogue.product(product_id)
            except DomainError:
                product = None  # deleted, or unreadable: not on sale
            tile = None if product is None else self._tile(product, rates, colors)
            if old is None and tile is None:
                continue
            if old is not None and tile is not None and _same_place(old, tile):
                self._replace(old, tile)
                moved |= old.barcode != tile.barcode
            else:
                if old is not None:
                    self._remove(old)
                if tile is not None:
                    self._insert(tile)
                moved = True
            barcodes.update(t.barcode for t in (old, tile) if t is not None and t.barcode)
            if self._descriptions is not None:
                moved |= self._index_description(product_id, product if tile else None)
        for code in barcodes:
            self._index_barcode(code)
        self.categories = self._tabs(categories, colors)
        return moved

    def _replace(self, old: ProductTile, tile: ProductTile) -> None:
        """Put ``tile`` where ``old`` (same product, name and category) is."""
        self._tiles[tile.id] = tile
        i = _index(self._by_category[ALL_CATEGORY], old)
        self._by_category[ALL_CATEGORY][i] = tile
        self._folded[i] = (self._folded[i][0], tile)
        if tile.category:
            group = self._by_category[tile.category]
            group[_index(group, old)] = tile

    def _remove(self, old: ProductTile) -> None:
        del self._tiles[old.id]
        i = _index(self._by_category[ALL_CATEGORY], old)
        del self._by_category[ALL_CATEGORY][i]
        del self._folded[i]
        if old.category:
            group = self._by_category[old.category]
            del group[_index(group, old)]
            if not group:
                del self._by_category[old.category]  # its tab goes

    def _insert(self, tile: ProductTile) -> None:
        self._tiles[tile.id] = tile
        key = _key(tile)
        ordered = self._by_category[ALL_CATEGORY]
        i = bisect.bisect_left(ordered, key, key=_key)
        ordered.insert(i, tile)
        self._folded.insert(i, (key[0], tile))
        if tile.category:
            bisect.insort_left(self._by_category.setdefault(tile.category, []), tile, key=_key)

    def _index_barcode(self, code: str) -> None:
        """Point ``code`` at the product a rebuild would: the last by name of those
        on sale with it (two products share one only after a conflict)."""
        try:
            found = self._catalogue.find_by_barcode(code)
        except ValidationError:
            found = []  # a peer's malformed code: never found, since lookups check it
        tiles = [t for p in found if p.barcode == code and (t := self._tiles.get(p.id))]
        if tiles:
            self._by_barcode[code] = max(tiles, key=_key)
        else:
            self._by_barcode.pop(code, None)

    def _index_description(self, product_id: str, product: Product | None) -> bool:
        """Keep the description index (once made) in step; True when its entry changed."""
        assert self._descriptions is not None
        before = self._descriptions.pop(product_id, "")
        if product is not None and product.description:
            self._descriptions[product_id] = _fold_text(product.description)
        return self._descriptions.get(product_id, "") != before

    def _tabs(self, categories: list[Category], colors: Mapping[str, str]) -> list[CategoryTab]:
        """The tabs of the categories that have products on sale, in the manager's order."""
        by_category = self._by_category
        return [CategoryTab(c.id, c.name, colors[c.id]) for c in categories if c.id in by_category]

    def refresh(self) -> None:
        """Re-read the documents (cheap: their reads are cached per entry)."""
        with paused_gc():  # some 400,000 objects made at 100,000 products
            self._rebuild()

    def _rebuild(self) -> None:
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
        self._tiles = tiles
        self._by_category = by_category
        self.categories = self._tabs(categories, colors)
        self._by_barcode = {t.barcode: t for t in ordered if t.barcode}
        self._folded = [(f, t) for f, _id, t in folded]
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
