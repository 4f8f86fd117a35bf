"""Fixtures for the shop documents: a demo shop and an empty one."""

from __future__ import annotations

import pytest

from crdt_models.documents import DemoShop, ShopDocuments, build_demo_shop


@pytest.fixture
def empty_shop() -> ShopDocuments:
    return ShopDocuments.open("device-a")


@pytest.fixture
def demo() -> tuple[ShopDocuments, DemoShop]:
    shop = ShopDocuments.open("device-a")
    return shop, build_demo_shop(shop)


@pytest.fixture
def shop(demo: tuple[ShopDocuments, DemoShop]) -> ShopDocuments:
    return demo[0]


@pytest.fixture
def ids(demo: tuple[ShopDocuments, DemoShop]) -> DemoShop:
    return demo[1]
