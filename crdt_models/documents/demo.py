"""A demo shop: a Paris café-bakery with French VAT rates and ~40 products.

:func:`build_demo_shop` fills empty documents; ``make run`` and the apps'
first start use it, tests use it as a realistic fixture. Packaged goods carry
their real EAN-13 codes; bakery items are sold from the touch screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from crdt_models.documents.catalogue import ProductSpec
from crdt_models.documents.origin import LOCAL, Origin
from crdt_models.documents.schema import EntryKind
from crdt_models.documents.settings import CashCountMode, CashierRole, PaymentKind
from crdt_models.documents.shop import ShopDocuments

__all__ = ["DEMO_DESCRIPTIONS", "DEMO_PRODUCTS", "DemoShop", "build_demo_shop"]

# (name, colour, [(product name, price in cents, VAT bp, EAN-13 or "")])
DEMO_PRODUCTS: tuple[tuple[str, str, tuple[tuple[str, int, int, str], ...]], ...] = (
    (
        "Viennoiseries",
        "#e8a33d",
        (
            ("Croissant", 120, 550, ""),
            ("Pain au chocolat", 140, 550, ""),
            ("Pain aux raisins", 160, 550, ""),
            ("Chausson aux pommes", 180, 550, ""),
            ("Brioche", 150, 550, ""),
        ),
    ),
    (
        "Pains",
        "#a0522d",
        (
            ("Baguette tradition", 130, 550, ""),
            ("Baguette", 110, 550, ""),
            ("Pain de campagne", 320, 550, ""),
            ("Pain aux céréales", 350, 550, ""),
            ("Ficelle", 90, 550, ""),
        ),
    ),
    (
        "Pâtisseries",
        "#d46a8c",
        (
            ("Éclair au chocolat", 320, 550, ""),
            ("Tarte au citron", 380, 550, ""),
            ("Flan pâtissier", 290, 550, ""),
            ("Paris-Brest", 420, 550, ""),
            ("Macaron", 150, 550, ""),
        ),
    ),
    (
        "Boissons chaudes",
        "#6f4e37",
        (
            ("Espresso", 150, 1000, ""),
            ("Café allongé", 200, 1000, ""),
            ("Cappuccino", 350, 1000, ""),
            ("Chocolat chaud", 380, 1000, ""),
            ("Thé", 300, 1000, ""),
        ),
    ),
    (
        "Boissons fraîches",
        "#3d8be8",
        (
            ("Coca-Cola 33 cl", 250, 550, "5449000000996"),
            ("Coca-Cola zéro 33 cl", 250, 550, "5449000131805"),
            ("Orangina 50 cl", 280, 550, "3124480191182"),
            ("Oasis tropical 50 cl", 270, 550, "3124480183927"),
            ("Red Bull 25 cl", 320, 550, "9002490100070"),
            ("Evian 50 cl", 180, 550, "3068320113784"),
            ("Evian 1,5 l", 250, 550, "3068320055008"),
            ("Volvic 50 cl", 170, 550, "3057640117008"),
            ("Cristaline 50 cl", 100, 550, "3274080005003"),
        ),
    ),
    (
        "Snacking",
        "#5aa05a",
        (
            ("Sandwich jambon-beurre", 450, 1000, ""),
            ("Quiche lorraine", 480, 1000, ""),
            ("Croque-monsieur", 520, 1000, ""),
            ("Pringles original", 290, 550, "5053990101573"),
        ),
    ),
    (
        "Confiserie",
        "#b05ad4",
        (
            ("Kinder Bueno", 160, 2000, "8000500037560"),
            ("Twix", 150, 2000, "5000159459228"),
            ("Mars", 150, 2000, "5000159407236"),
            ("Snickers", 150, 2000, "5000159461122"),
            ("Haribo Tagada 120 g", 220, 2000, "3103220009581"),
            ("Lindt Excellence 70 %", 350, 550, "3046920022606"),
            ("Nutella 400 g", 450, 550, "3017620422003"),
            ("LU Petit Beurre", 190, 550, "3017760000109"),
        ),
    ),
)

#: What the shop writes about some products (ingredients, allergens), by product name.
DEMO_DESCRIPTIONS: dict[str, str] = {
    "Croissant": "Pur beurre, farine T65 — contient gluten, lait, œuf.",
    "Pain au chocolat": (
        "Pâte feuilletée pur beurre, deux barres de chocolat noir.\n"
        "Allergènes : gluten, lait, œuf, soja."
    ),
    "Baguette tradition": "Farine de blé Label Rouge, levain naturel, sel de Guérande — gluten.",
    "Pain aux céréales": "Graines de lin, tournesol, sésame et millet — gluten, sésame.",
    "Éclair au chocolat": "Pâte à choux, crème pâtissière au chocolat — gluten, lait, œuf.",
    "Tarte au citron": "Pâte sablée, crème au citron, meringue italienne — gluten, lait, œuf.",
    "Paris-Brest": "Pâte à choux, crème mousseline praliné — gluten, lait, œuf, fruits à coque.",
    "Macaron": "Poudre d'amande, blanc d'œuf, sucre — fruits à coque, œuf. Sans gluten.",
    "Sandwich jambon-beurre": (
        "Baguette tradition, jambon de Paris, beurre d'Isigny AOP — gluten, lait."
    ),
    "Quiche lorraine": "Pâte brisée, lardons, crème fraîche, œufs — gluten, lait, œuf.",
    "Croque-monsieur": "Pain de mie, jambon, béchamel, emmental — gluten, lait.",
}

_VAT_RATES = (
    ("Taux réduit 5,5 %", 550),
    ("Taux intermédiaire 10 %", 1000),
    ("Taux normal 20 %", 2000),
)


#: The category whose products have their stock tracked in the demo.
STOCKED_CATEGORY = "Boissons fraîches"


@dataclass(frozen=True, slots=True)
class DemoShop:
    """The ids the demo created, for tests and first-run screens."""

    vat_rates: dict[int, str]  # rate_bp -> id
    categories: dict[str, str]  # name -> id
    products: dict[str, str]  # name -> id
    tills: list[str]
    cashiers: dict[str, str]  # name -> id
    payment_methods: dict[str, str]  # name -> id


def build_demo_shop(shop: ShopDocuments, *, origin: Origin = LOCAL, tills: int = 2) -> DemoShop:
    """Fill ``shop`` (empty documents) with the demo café-bakery (a free coffee every 10 visits).

    ``cashiers`` get placeholder PIN hashes: the app sets real ones
    (Argon2id) before anyone logs in. ``tills`` is how many tills to list
    (numbered from 1); a shop served by a relay lists none, since the relay
    lists each till it provisions. The packaged cold drinks get stock (as
    this device's contribution to the inventory counters).
    """
    settings, catalogue = shop.settings, shop.catalogue
    settings.update_shop(
        name="Boulangerie du Canal",
        address="12 quai de Jemmapes\n75010 Paris",
        phone="01 42 00 00 00",
        email="bonjour@boulangerie-du-canal.fr",
        legal_id="123 456 789 00012",
        vat_number="FR12123456789",
        receipt_header="Boulangerie du Canal — depuis 1998",
        receipt_footer="Merci de votre visite !",
        timezone="Europe/Paris",
        origin=origin,
    )
    settings.update_loyalty(visits=10, reward="Un café offert", origin=origin)
    settings.update_till_rules(cash_count=CashCountMode.OFF, purge_days=90, origin=origin)
    rates = {
        bp: settings.create_vat_rate(name=n, rate_bp=bp, origin=origin).entry_id
        for n, bp in _VAT_RATES
    }
    till_ids = [
        settings.create_till(name=f"Caisse {n}", number=n, origin=origin).entry_id
        for n in range(1, tills + 1)
    ]
    cashiers = {
        name: settings.create_cashier(
            name=name, pin_hash="!unset", role=role, origin=origin
        ).entry_id
        for name, role in (("Camille", CashierRole.OWNER), ("Léo", CashierRole.CASHIER))
    }
    methods = {
        name: settings.create_payment_method(name=name, kind=kind, origin=origin).entry_id
        for name, kind in (
            ("Espèces", PaymentKind.CASH),
            ("Carte bancaire", PaymentKind.CARD),
            ("Chèque", PaymentKind.CHEQUE),
            ("Titre-restaurant", PaymentKind.VOUCHER),
        )
    }
    categories: dict[str, str] = {}
    specs: list[ProductSpec] = []
    for name, color, items in DEMO_PRODUCTS:
        categories[name] = catalogue.create_category(name=name, color=color, origin=origin).entry_id
        specs += [
            ProductSpec(
                pname,
                price,
                rates[bp],
                barcode,
                categories[name],
                description=DEMO_DESCRIPTIONS.get(pname, ""),
            )
            for pname, price, bp, barcode in items
        ]
    ids, _ = catalogue.create_products(specs, origin=origin)
    products = {spec.name: pid for spec, pid in zip(specs, ids, strict=True)}
    for category, _color, items in DEMO_PRODUCTS:
        if category == STOCKED_CATEGORY:
            for i, (name, *_rest) in enumerate(items):
                shop.inventory.add(EntryKind.STOCK, products[name], 24 - 5 * (i % 5), origin=origin)
    return DemoShop(rates, categories, products, till_ids, cashiers, methods)
