"""Every write is validated before anything is written, with a field and a stable code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pycrdt import Map

from crdt_models.documents import (
    DEFAULT_TIMEZONE,
    CashierRole,
    DemoShop,
    EntryKind,
    PaymentKind,
    ShopDocuments,
)
from crdt_models.documents.validation import MAX_PRICE_CENTS
from crdt_models.errors import NotFoundError, ValidationError


def _raises(field: str, code: str, call: Callable[[], Any]) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code), repr(info.value)


def _product(shop: ShopDocuments, ids: DemoShop, **changes: Any) -> Any:
    fields: dict[str, Any] = {"name": "Tartelette", "price": 350, "vat": ids.vat_rates[550]}
    fields.update(changes)
    return shop.catalogue.create_product(**fields)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"price": -1}, "price", "price.negative"),
        ({"price": MAX_PRICE_CENTS + 1}, "price", "price.absurd"),
        ({"price": 3.5}, "price", "price.type"),
        ({"price": True}, "price", "price.type"),
        ({"price": "350"}, "price", "price.type"),
        ({"name": ""}, "name", "name.empty"),
        ({"name": "   "}, "name", "name.empty"),
        ({"name": "x" * 121}, "name", "name.too_long"),
        ({"name": "two\nlines"}, "name", "name.control"),
        ({"name": 12}, "name", "name.type"),
        ({"vat": "no-such-rate"}, "vat", "vat.unknown"),
        ({"vat": ""}, "vat", "vat.unknown"),
        ({"barcode": "5449000000997"}, "barcode", "barcode.check_digit"),
        ({"barcode": "12 34"}, "barcode", "barcode.format"),
        ({"barcode": "5449000000996"}, "barcode", "barcode.duplicate"),  # the demo's Coca-Cola
        ({"category": "no-such-category"}, "category", "category.unknown"),
        ({"color": "red"}, "color", "color.format"),
        ({"color": "#12345"}, "color", "color.format"),
        ({"color": "#12345G"}, "color", "color.format"),
    ],
)
def test_create_product_refuses(
    shop: ShopDocuments, ids: DemoShop, changes: dict[str, Any], field: str, code: str
) -> None:
    before = shop.catalogue.doc.get_state()
    _raises(field, code, lambda: _product(shop, ids, **changes))
    assert shop.catalogue.doc.get_state() == before  # nothing was written


def test_archived_vat_rate_and_category_are_refused(shop: ShopDocuments, ids: DemoShop) -> None:
    shop.settings.archive(EntryKind.VAT_RATE, ids.vat_rates[2000])
    _raises("vat", "vat.archived", lambda: _product(shop, ids, vat=ids.vat_rates[2000]))
    empty = shop.catalogue.create_category(name="Saisonnier").entry_id
    shop.catalogue.archive_category(empty)
    _raises("category", "category.archived", lambda: _product(shop, ids, category=empty))


def test_valid_product_is_stored_normalised(shop: ShopDocuments, ids: DemoShop) -> None:
    created = _product(shop, ids, name="  Tartelette  ", barcode=" 036000291452 ", color="#AABBCC")
    product = shop.catalogue.product(created.entry_id)
    assert product.name == "Tartelette"
    assert product.barcode == "0036000291452"  # UPC-A stored in its EAN-13 form
    assert product.color == "#aabbcc"
    assert product.category is None
    assert shop.catalogue.find_by_barcode("036000291452") == [product]


def test_update_checks_only_given_fields(shop: ShopDocuments, ids: DemoShop) -> None:
    pid = ids.products["Croissant"]
    _raises("price", "price.negative", lambda: shop.catalogue.update_product(pid, price=-5))
    _raises("name", "name.empty", lambda: shop.catalogue.update_product(pid, name=""))
    coca = ids.products["Coca-Cola 33 cl"]
    _raises(
        "barcode",
        "barcode.duplicate",
        lambda: shop.catalogue.update_product(pid, barcode="5449000000996"),
    )
    shop.catalogue.update_product(coca, barcode="5449000000996")  # its own code: fine
    shop.catalogue.update_product(pid, category=None)
    assert shop.catalogue.product(pid).category is None
    with pytest.raises(NotFoundError):
        shop.catalogue.update_product("missing", price=1)


def test_restore_product_refuses_taken_barcode(shop: ShopDocuments, ids: DemoShop) -> None:
    coca = ids.products["Coca-Cola 33 cl"]
    shop.catalogue.archive_product(coca)
    _product(shop, ids, name="Coca-Cola 33 cl (new)", barcode="5449000000996")
    _raises("barcode", "barcode.duplicate", lambda: shop.catalogue.restore_product(coca))


def test_create_products_checks_the_batch(shop: ShopDocuments, ids: DemoShop) -> None:
    from crdt_models.documents import ProductSpec

    rate = ids.vat_rates[550]
    specs = [ProductSpec("A", 100, rate, "96385074"), ProductSpec("B", 100, rate, "96385074")]
    _raises("barcode", "barcode.duplicate", lambda: shop.catalogue.create_products(specs))
    bad = [ProductSpec("A", 100, rate), ProductSpec("", 100, rate)]
    _raises("name", "name.empty", lambda: shop.catalogue.create_products(bad))


def test_category_rules(shop: ShopDocuments, ids: DemoShop) -> None:
    cat = ids.categories["Pains"]
    _raises("category", "category.in_use", lambda: shop.catalogue.archive_category(cat))
    _raises("name", "name.empty", lambda: shop.catalogue.create_category(name=""))
    _raises("color", "color.format", lambda: shop.catalogue.create_category(name="X", color="x"))
    _raises(
        "position", "position.range", lambda: shop.catalogue.create_category(name="X", position=-1)
    )
    _raises("position", "position.type", lambda: shop.catalogue.update_category(cat, position=1.5))  # type: ignore[arg-type]


def test_customer_rules(empty_shop: ShopDocuments) -> None:
    customers = empty_shop.customers
    _raises("last_name", "name.empty", lambda: customers.create_customer(email="a@b.fr"))
    _raises("email", "email.format", lambda: customers.create_customer(last_name="Roy", email="x"))
    _raises("phone", "phone.format", lambda: customers.create_customer(last_name="Roy", phone="?"))
    _raises(
        "notes", "text.too_long", lambda: customers.create_customer(last_name="R", notes="n" * 2001)
    )
    _raises("first_name", "name.too_long", lambda: customers.create_customer(first_name="n" * 121))
    created = customers.create_customer(first_name="Ana", phone="+33 6 12 34 56 78")
    _raises(
        "last_name",
        "name.empty",
        lambda: customers.update_customer(created.entry_id, first_name=""),
    )
    customers.update_customer(created.entry_id, last_name="Roy", first_name="")
    assert customers.customer(created.entry_id).display_name == "Roy"


def test_settings_rules(empty_shop: ShopDocuments) -> None:
    settings = empty_shop.settings
    _raises("rate_bp", "vat.range", lambda: settings.create_vat_rate(name="x", rate_bp=10_001))
    _raises("rate_bp", "vat.range", lambda: settings.create_vat_rate(name="x", rate_bp=-1))
    _raises("rate_bp", "vat.type", lambda: settings.create_vat_rate(name="x", rate_bp=5.5))  # type: ignore[arg-type]
    _raises("number", "number.range", lambda: settings.create_till(name="T", number=0))
    till = settings.create_till(name="T1", number=1).entry_id
    _raises("number", "till.number_taken", lambda: settings.create_till(name="T", number=1))
    settings.archive(EntryKind.TILL, till)
    other = settings.create_till(name="T1 bis", number=1).entry_id
    _raises("number", "till.number_taken", lambda: settings.restore(EntryKind.TILL, till))
    settings.update_till(other, number=2)
    settings.restore(EntryKind.TILL, till)
    _raises(
        "pin_hash",
        "pin_hash.empty",
        lambda: settings.create_cashier(name="Léo", pin_hash=" ", role=CashierRole.CASHIER),
    )
    _raises(
        "role",
        "role.unknown",
        lambda: settings.create_cashier(name="Léo", pin_hash="h", role="boss"),  # type: ignore[arg-type]
    )
    _raises(
        "kind",
        "kind.unknown",
        lambda: settings.create_payment_method(name="Bitcoin", kind="crypto"),  # type: ignore[arg-type]
    )
    _raises("email", "email.format", lambda: settings.update_shop(email="nope"))
    _raises("name", "name.empty", lambda: settings.update_shop(name=""))
    method = settings.create_payment_method(name="Carte", kind=PaymentKind.CARD)
    assert settings.payment_method(method.entry_id).position == 1
    with pytest.raises(KeyError):
        settings.archive(EntryKind.PRODUCT, method.entry_id)


def test_shop_timezone_defaults_to_paris_and_takes_only_known_names(
    empty_shop: ShopDocuments,
) -> None:
    settings = empty_shop.settings
    assert settings.timezone() == DEFAULT_TIMEZONE == "Europe/Paris"
    before = settings.doc.get_state()
    bad_names: list[Any] = ["Mars/Olympus", "", "localtime", "../etc/passwd", 1]
    for bad in bad_names:
        with pytest.raises(ValidationError) as info:
            settings.update_shop(timezone=bad)
        assert (info.value.field, info.value.code) == ("timezone", "timezone.unknown")
    assert settings.doc.get_state() == before  # nothing was written
    settings.update_shop(timezone="America/Montreal")
    assert settings.timezone() == "America/Montreal"
    assert str(settings.zone()) == "America/Montreal"
    # A name another client wrote that this machine does not know reads as the default.
    settings.doc.get("shop", type=Map)["timezone"] = "Nowhere/Land"
    assert settings.timezone() == DEFAULT_TIMEZONE
