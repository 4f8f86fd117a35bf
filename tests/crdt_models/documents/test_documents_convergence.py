"""Property: replicas that edit at random, with updates delivered late, duplicated,
reordered and across partitions, end with the same state, and that state keeps
every acknowledged write that no later write overrode.

The reference model records every write that changed a replica's document
(entry, field, value) with its causal context (the writer's state vector just
before). At the end, for each field, the value held everywhere must be that of
a write that no other write to the field causally follows: a write made after
seeing another one wins over it; between concurrent writes either may win, but
the same one everywhere. Counters must equal the exact sum of all increments.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map

from crdt_models.documents import (
    RELAY,
    EntryKind,
    Origin,
    ShopDocuments,
)
from crdt_models.documents.schema import CATALOGUE, CUSTOMERS, DOCUMENT_NAMES, INVENTORY, roots_of
from crdt_models.errors import ValidationError

NAMES = ["Pain", "Tarte", "Café", "Éclair", "Flan"]
BARCODES = ["", "5449000000996", "3017620422003", "96385074"]
COLORS = ["", "#aa0000", "#00bb00"]
COUNTER_IDS = ["e0", "e1"]  # shared by every replica: concurrent first writes happen
PRODUCT_FIELDS = ["name", "price", "barcode", "color", "category", "vat"]
CUSTOMER_FIELDS = ["first_name", "last_name", "email", "notes"]


def _read_varuint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _state_vector(state: bytes) -> dict[int, int]:
    """Decode a Yjs state vector: count, then (client, clock) pairs."""
    count, pos = _read_varuint(state, 0)
    out = {}
    for _ in range(count):
        client, pos = _read_varuint(state, pos)
        out[client], pos = _read_varuint(state, pos)
    return out


@dataclass(frozen=True)
class Write:
    key: tuple[str, str, str, str]  # document, root, entry id, field
    value: Any
    client: int
    end: int  # the writer's own clock after the write
    context: dict[int, int]  # the writer's state vector before the write

    def follows(self, other: Write) -> bool:
        """True when this write was made after its writer had seen ``other``."""
        return self.context.get(other.client, 0) >= other.end


@dataclass
class Message:
    src: int
    dst: int
    document: str
    update: bytes


@dataclass
class World:
    shops: list[ShopDocuments]
    seed: ShopDocuments
    writes: list[Write] = field(default_factory=list)
    increments: dict[tuple[EntryKind, str], int] = field(default_factory=dict)
    in_flight: list[Message] = field(default_factory=list)
    group: list[int] = field(default_factory=list)

    def doc(self, r: int, document: str) -> Doc[Any]:
        return self.shops[r].docs[document]

    def local(self, r: int, document: str, action: Any) -> Any:
        """Run one local write on replica ``r``; broadcast its update; None if refused."""
        doc = self.doc(r, document)
        before = doc.get_state()
        try:
            result = action()
        except ValidationError:
            return None
        after = doc.get_state()
        if after != before:
            update = doc.get_update(before)
            self.in_flight += [
                Message(r, dst, document, update) for dst in range(len(self.shops)) if dst != r
            ]
        return result, before, after

    def record(
        self, r: int, document: str, root: str, entry: str, fields: list[str], run: Any
    ) -> None:
        if run is None or run[1] == run[2]:
            return
        _, before, after = run
        doc = self.doc(r, document)
        client = doc.client_id
        raw = doc.get(root, type=Map)[entry].to_py()
        end = _state_vector(after)[client]
        context = _state_vector(before)
        self.writes += [
            Write((document, root, entry, f), raw[f], client, end, context) for f in fields
        ]

    def deliver(self, index: int, keep: bool) -> None:
        candidates = [m for m in self.in_flight if self.group[m.src] == self.group[m.dst]]
        if not candidates:
            return
        message = candidates[index % len(candidates)]
        if not keep:
            self.in_flight.remove(message)
        self.apply(message.dst, message.document, message.update, Origin.lan_peer(str(message.src)))

    def apply(self, dst: int, document: str, update: bytes, origin: Origin) -> None:
        doc = self.doc(dst, document)
        with doc.transaction(origin=origin):
            doc.apply_update(update)
        if document == INVENTORY:
            inventory = self.shops[dst].inventory
            if inventory.needs_repair:
                event("a merge dropped a counter contribution: repaired")
            self.local(dst, INVENTORY, inventory.repair)


def _make_world(n: int) -> World:
    seed = ShopDocuments.open("seed", {name: Doc(client_id=1000) for name in DOCUMENT_NAMES})
    for name, bp in (("TVA 5,5", 550), ("TVA 10", 1000), ("TVA 20", 2000)):
        seed.settings.create_vat_rate(name=name, rate_bp=bp)
    for name in ("Pains", "Boissons"):
        seed.catalogue.create_category(name=name)
    vat = seed.settings.vat_rates()[0].id
    for name in ("Baguette", "Croissant"):  # entries every replica can edit from the start
        seed.catalogue.create_product(name=name, price=100, vat=vat)
    seed.customers.create_customer(last_name="Martin")
    shops = []
    for r in range(n):
        docs: dict[str, Doc[Any]] = {}
        for name in DOCUMENT_NAMES:
            docs[name] = Doc(client_id=r + 1)
            docs[name].apply_update(seed.docs[name].get_update())
        shops.append(ShopDocuments.open(f"dev{r}", docs))
    return World(shops, seed, group=[0] * n)


def _sorted_ids(mapping: Any) -> list[str]:
    return sorted(mapping.keys())


def _run_op(world: World, op: tuple[Any, ...]) -> None:
    kind, r, *args = op
    n = len(world.shops)
    r %= n
    shop = world.shops[r]
    if kind == "deliver":
        world.deliver(r, bool(args[0]))
    elif kind == "partition":
        world.group = [g % 2 for g in args[0][:n]] + [0] * (n - len(args[0]))
    elif kind == "heal":
        world.group = [0] * n
    elif kind == "create_product":
        name, price, barcode = args
        vat = shop.settings.vat_rates()[0].id
        run = world.local(
            r,
            CATALOGUE,
            lambda: shop.catalogue.create_product(
                name=NAMES[name], price=price, vat=vat, barcode=BARCODES[barcode]
            ),
        )
        if run is not None:
            entry = run[0].entry_id
            fields = ["name", "price", "vat", "barcode", "category", "color", "archived"]
            world.record(r, CATALOGUE, "products", entry, fields, run)
    elif kind in ("edit_product", "archive_product", "restore_product"):
        ids = _sorted_ids(shop.catalogue.products_by_id())
        if not ids:
            return
        pid = ids[args[0] % len(ids)]
        if kind == "edit_product":
            fname, value = PRODUCT_FIELDS[args[1] % len(PRODUCT_FIELDS)], args[2]
            change = _product_value(shop, fname, value)
            run = world.local(r, CATALOGUE, lambda: shop.catalogue.update_product(pid, **change))
            world.record(r, CATALOGUE, "products", pid, [fname], run)
        else:
            method = getattr(shop.catalogue, kind)
            run = world.local(r, CATALOGUE, lambda: method(pid))
            world.record(r, CATALOGUE, "products", pid, ["archived"], run)
    elif kind in ("archive_category", "restore_category"):
        ids = _sorted_ids(shop.catalogue.categories_by_id())
        cid = ids[args[0] % len(ids)]
        method = getattr(shop.catalogue, kind)
        run = world.local(r, CATALOGUE, lambda: method(cid))
        world.record(r, CATALOGUE, "categories", cid, ["archived"], run)
    elif kind == "create_customer":
        run = world.local(
            r, CUSTOMERS, lambda: shop.customers.create_customer(last_name=NAMES[args[0]])
        )
        if run is not None:
            fields = ["first_name", "last_name", "email", "phone", "address", "notes", "archived"]
            world.record(r, CUSTOMERS, "customers", run[0].entry_id, fields, run)
    elif kind in ("edit_customer", "archive_customer"):
        ids = _sorted_ids(shop.customers.customers_by_id())
        if not ids:
            return
        cid = ids[args[0] % len(ids)]
        if kind == "edit_customer":
            fname = CUSTOMER_FIELDS[args[1] % len(CUSTOMER_FIELDS)]
            value = f"{NAMES[args[2] % len(NAMES)]}{args[2] % 3}"
            if fname == "email":
                value = f"{value.lower()}@example.fr".replace("é", "e")
            run = world.local(
                r, CUSTOMERS, lambda: shop.customers.update_customer(cid, **{fname: value})
            )
            world.record(r, CUSTOMERS, "customers", cid, [fname], run)
        else:
            archived = shop.customers.customer(cid).archived
            method = (
                shop.customers.restore_customer if archived else shop.customers.archive_customer
            )
            run = world.local(r, CUSTOMERS, lambda: method(cid))
            world.record(r, CUSTOMERS, "customers", cid, ["archived"], run)
    elif kind == "add":
        counter, entry, delta = args
        ck = [EntryKind.STOCK, EntryKind.LOYALTY, EntryKind.BALANCE][counter]
        eid = COUNTER_IDS[entry]
        run = world.local(r, INVENTORY, lambda: shop.inventory.add(ck, eid, delta))
        if run is not None and run[1] != run[2]:
            world.increments[(ck, eid)] = world.increments.get((ck, eid), 0) + delta
    else:  # pragma: no cover - the strategy makes only the kinds above
        raise AssertionError(kind)


def _product_value(shop: ShopDocuments, fname: str, value: int) -> dict[str, Any]:
    if fname == "name":
        return {"name": f"{NAMES[value % len(NAMES)]} {value % 4}"}
    if fname == "price":
        return {"price": value * 10}
    if fname == "barcode":
        return {"barcode": BARCODES[value % len(BARCODES)]}
    if fname == "color":
        return {"color": COLORS[value % len(COLORS)]}
    if fname == "category":
        cats = _sorted_ids(shop.catalogue.categories_by_id())
        return {"category": None if value % 3 == 0 else cats[value % len(cats)]}
    rates = [v.id for v in shop.settings.vat_rates()]
    return {"vat": rates[value % len(rates)]}


def _vectors(world: World) -> list[list[dict[int, int]]]:
    """Each replica's decoded state vectors (the encoding's order of clients may differ)."""
    return [[_state_vector(s.docs[d].get_state()) for d in DOCUMENT_NAMES] for s in world.shops]


def _converge(world: World) -> None:
    """Heal, deliver what is in flight, then anti-entropy until nothing changes."""
    world.group = [0] * len(world.shops)
    for message in reversed(world.in_flight):
        world.apply(message.dst, message.document, message.update, RELAY)
    world.in_flight.clear()
    for _ in range(10):
        states = _vectors(world)
        for document in DOCUMENT_NAMES:
            for a, b in itertools.permutations(range(len(world.shops)), 2):
                source, target = world.doc(a, document), world.doc(b, document)
                world.apply(b, document, source.get_update(target.get_state()), RELAY)
        world.in_flight.clear()  # repairs are spread by the next round
        after = _vectors(world)
        if after == states and all(s == after[0] for s in after):
            return
    raise AssertionError("replicas did not converge")


def _snapshot(doc: Doc[Any], document: str) -> dict[str, Any]:
    return {spec.name: doc.get(spec.name, type=Map).to_py() for spec in roots_of(document)}


def _check(world: World) -> None:
    first = world.shops[0]
    for document in DOCUMENT_NAMES:
        vectors = [
            _state_vector(world.doc(r, document).get_state()) for r in range(len(world.shops))
        ]
        assert all(v == vectors[0] for v in vectors), f"{document}: state vectors differ"
        snapshots = [_snapshot(world.doc(r, document), document) for r in range(len(world.shops))]
        assert all(s == snapshots[0] for s in snapshots), f"{document}: contents differ"

    by_key: dict[tuple[str, str, str, str], list[Write]] = {}
    for write in world.writes:
        by_key.setdefault(write.key, []).append(write)
    for key, writes in by_key.items():
        document, root, entry, fname = key
        stored = first.docs[document].get(root, type=Map).get(entry)
        assert isinstance(stored, Map), f"entry {key} vanished"
        value = stored.to_py().get(fname)  # type: ignore[union-attr]
        maximal = [w for w in writes if not any(o.follows(w) for o in writes if o is not w)]
        if len(maximal) > 1:
            event("concurrent writes to one field")
        if len(maximal) < len(writes):
            event("a write overrode an earlier one it had seen")
        assert any(value == w.value for w in maximal), (key, value, [w.value for w in maximal])

    for (kind, eid), total in world.increments.items():
        for shop in world.shops:
            assert shop.inventory.value(kind, eid) == total, (kind, eid)
    for shop in world.shops:
        for kind in (EntryKind.STOCK, EntryKind.LOYALTY, EntryKind.BALANCE):
            assert set(shop.inventory.values(kind)) <= {e for k, e in world.increments if k is kind}
    conflicts = [shop.conflicts() for shop in world.shops]
    assert all(c == conflicts[0] for c in conflicts), conflicts


def _ops(n: int) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    r = st.integers(0, n - 1)
    small = st.integers(0, 30)
    add = st.tuples(st.just("add"), r, st.integers(0, 2), st.integers(0, 1), st.integers(-20, 20))
    op = st.one_of(
        st.tuples(
            st.just("create_product"), r, st.integers(0, 4), st.integers(0, 5000), st.integers(0, 3)
        ),
        st.tuples(st.just("edit_product"), r, small, small, small),
        st.tuples(st.sampled_from(["archive_product", "restore_product"]), r, small),
        st.tuples(st.sampled_from(["archive_category", "restore_category"]), r, small),
        st.tuples(st.just("create_customer"), r, st.integers(0, 4)),
        st.tuples(st.sampled_from(["edit_customer", "archive_customer"]), r, small, small, small),
        add,
        add,
        st.tuples(st.just("deliver"), small, st.booleans()),
        st.tuples(st.just("deliver"), small, st.booleans()),
        st.tuples(st.just("partition"), r, st.lists(st.integers(0, 1), min_size=n, max_size=n)),
        st.tuples(st.just("heal"), r),
    )
    return st.lists(op, min_size=4, max_size=50)


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[int, list[tuple[Any, ...]]]:
    n = draw(st.integers(3, 5))
    return n, draw(_ops(n))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_scenario())
# Found by this test: out-of-order delivery made yrs delete a value and later
# integrate its replacement without an event, leaving a replica's cached reads
# stale (a product archived in the document but active in the read model).
@example(
    scenario=(
        3,
        [
            ("edit_product", 0, 0, 2, 0),
            ("archive_product", 1, 0),
            ("create_product", 1, 0, 0, 2),
            ("archive_product", 1, 2),
            ("create_product", 0, 0, 0, 0),
            ("create_product", 0, 0, 0, 0),
            ("deliver", 2, False),
            ("archive_product", 0, 0),
            ("create_product", 1, 0, 0, 2),
        ],
    )
)
def test_replicas_converge_and_keep_every_write(
    scenario: tuple[int, list[tuple[Any, ...]]],
) -> None:
    n, ops = scenario
    world = _make_world(n)
    for op in ops:
        _run_op(world, op)
    _converge(world)
    _check(world)
