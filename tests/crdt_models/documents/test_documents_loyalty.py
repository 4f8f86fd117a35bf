"""The loyalty programme in the settings document: validated on write, forgiving on read."""

from __future__ import annotations

import pytest
from pycrdt import Map

from crdt_models.documents import DemoShop, EntryKind, ShopDocuments
from crdt_models.documents.settings import LOYALTY_VISITS_MAX, Loyalty
from crdt_models.errors import ValidationError


def test_no_programme_until_the_owner_sets_one(empty_shop: ShopDocuments) -> None:
    assert empty_shop.settings.loyalty() == Loyalty(0, "")
    assert not empty_shop.settings.loyalty().active


def test_the_demo_shop_offers_a_coffee_every_ten_visits(
    demo: tuple[ShopDocuments, DemoShop],
) -> None:
    shop, _ids = demo
    assert shop.settings.loyalty() == Loyalty(10, "Un café offert")
    assert shop.settings.loyalty().active


def test_update_writes_both_fields_and_reports_the_shop_change(empty_shop: ShopDocuments) -> None:
    settings = empty_shop.settings
    summary = settings.update_loyalty(visits=8, reward="  A free coffee ")
    assert summary.touches(EntryKind.SHOP)
    assert settings.loyalty() == Loyalty(8, "A free coffee")
    assert settings.update_loyalty(visits=8).is_empty  # nothing changed, nothing written
    settings.update_loyalty(reward="")  # a programme may leave the reward unnamed
    assert settings.loyalty() == Loyalty(8, "")
    settings.update_loyalty(visits=0)
    assert not settings.loyalty().active


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"visits": -1}, "loyalty_visits", "loyalty_visits.range"),
        ({"visits": LOYALTY_VISITS_MAX + 1}, "loyalty_visits", "loyalty_visits.range"),
        ({"visits": True}, "loyalty_visits", "loyalty_visits.type"),
        ({"visits": 2.5}, "loyalty_visits", "loyalty_visits.type"),
        ({"reward": "A free\ncoffee"}, "loyalty_reward", "name.control"),
        ({"reward": "x" * 121}, "loyalty_reward", "name.too_long"),
        ({"reward": 3}, "loyalty_reward", "loyalty_reward.type"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    empty_shop: ShopDocuments, fields: dict[str, object], field: str, code: str
) -> None:
    settings = empty_shop.settings
    settings.update_loyalty(visits=5, reward="A croissant")
    before = settings.doc.get_state()
    with pytest.raises(ValidationError) as raised:
        settings.update_loyalty(**fields)  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.code) == (field, code)
    assert settings.doc.get_state() == before
    assert settings.loyalty() == Loyalty(5, "A croissant")


def test_a_negative_threshold_refused_alongside_a_good_reward_writes_neither(
    empty_shop: ShopDocuments,
) -> None:
    settings = empty_shop.settings
    with pytest.raises(ValidationError):
        settings.update_loyalty(visits=-3, reward="A free coffee")
    assert settings.loyalty() == Loyalty()


@pytest.mark.parametrize("visits", ["ten", -4, LOYALTY_VISITS_MAX + 1, 2.5])
def test_what_another_client_wrote_badly_reads_as_no_programme(
    empty_shop: ShopDocuments, visits: object
) -> None:
    root = empty_shop.settings.doc.get("shop", type=Map)
    with empty_shop.settings.doc.transaction():
        root["loyalty_visits"] = visits
        root["loyalty_reward"] = "A free coffee"
    assert empty_shop.settings.loyalty() == Loyalty()


def test_an_integral_float_from_a_javascript_client_is_read(empty_shop: ShopDocuments) -> None:
    root = empty_shop.settings.doc.get("shop", type=Map)
    with empty_shop.settings.doc.transaction():
        root["loyalty_visits"] = 6.0
    assert empty_shop.settings.loyalty() == Loyalty(6, "")
