"""Storage conformance: every test runs against SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pycrdt
import pytest
from sqlalchemy import text

from relay_server.auth import hash_password, new_licence_key, token_digest
from relay_server.errors import StorageError
from relay_server.storage import Storage, open_storage


def test_shop_names_are_unique(storage: Storage) -> None:
    shop = storage.accounts.create_shop("Bakery")
    assert storage.accounts.shop_by_name("Bakery") == shop
    assert storage.accounts.shop(shop.id) == shop
    assert len(shop.lan_secret) == 64
    with pytest.raises(StorageError):
        storage.accounts.create_shop("Bakery")
    assert storage.accounts.shop_by_name("Other") is None


def test_owner_email_is_unique_and_case_insensitive(storage: Storage) -> None:
    shop = storage.accounts.create_shop("Bakery")
    owner = storage.accounts.add_owner(shop.id, " Anna@Example.test ", "h")
    assert owner.email == "anna@example.test"
    assert storage.accounts.owner_by_email("ANNA@example.test") == owner
    with pytest.raises(StorageError):
        storage.accounts.add_owner(shop.id, "anna@example.test", "h2")


def test_tills_are_numbered_per_shop_and_keys_bind_once(storage: Storage) -> None:
    a = storage.accounts.create_shop("A")
    b = storage.accounts.create_shop("B")
    t1 = storage.accounts.add_till(a.id, "Front", new_licence_key(), None)
    t2 = storage.accounts.add_till(a.id, "Back", new_licence_key(), None)
    tb = storage.accounts.add_till(b.id, "Only", new_licence_key(), None)
    assert (t1.number, t2.number, tb.number) == (1, 2, 1)
    assert storage.accounts.till_by_licence(t2.licence_key) == t2
    assert [t.id for t in storage.accounts.tills(a.id)] == [t1.id, t2.id]
    with pytest.raises(StorageError):
        storage.accounts.add_till(a.id, "Dup", t1.licence_key, None)

    storage.accounts.set_till_password(t1.id, "hash")
    storage.accounts.register_till_key(t1.id, b"k" * 32)
    storage.accounts.register_till_key(t1.id, b"k" * 32)
    with pytest.raises(StorageError):
        storage.accounts.register_till_key(t1.id, b"x" * 32)
    reread = storage.accounts.till(t1.id)
    assert (reread.password_hash, reread.public_key) == ("hash", b"k" * 32)


def test_revoking_a_till_revokes_its_tokens_and_rotates_the_lan_secret(storage: Storage) -> None:
    shop = storage.accounts.create_shop("A")
    till = storage.accounts.add_till(shop.id, "Front", new_licence_key(), None)
    other = storage.accounts.add_till(shop.id, "Back", new_licence_key(), None)
    mine = storage.accounts.add_token(token_digest("t1"), shop.id, "till", till_id=till.id)
    theirs = storage.accounts.add_token(token_digest("t2"), shop.id, "till", till_id=other.id)
    assert storage.accounts.token_by_hash(token_digest("t1")) == mine

    after = storage.accounts.revoke_till(till.id)

    assert after.lan_secret != shop.lan_secret
    assert storage.accounts.till(till.id).revoked
    revoked = storage.accounts.token_by_hash(token_digest("t1"))
    assert revoked is not None and revoked.revoked
    assert storage.accounts.token_by_hash(token_digest("t2")) == theirs


def test_owner_tokens_name_their_manager_device(storage: Storage) -> None:
    shop = storage.accounts.create_shop("A")
    owner = storage.accounts.add_owner(shop.id, "o@x.test", hash_password("pw"))
    device = storage.accounts.add_manager_device(shop.id, owner.id, "laptop")
    token = storage.accounts.add_token(
        token_digest("tok"), shop.id, "owner", owner_id=owner.id, manager_device_id=device
    )
    assert token.device_id == device
    storage.accounts.revoke_token(token.id)
    again = storage.accounts.token_by_hash(token_digest("tok"))
    assert again is not None and again.revoked
    with pytest.raises(StorageError):
        storage.accounts.add_token(token_digest("x"), shop.id, "till")


def test_document_updates_append_load_and_compact(storage: Storage) -> None:
    a = storage.accounts.create_shop("A")
    b = storage.accounts.create_shop("B")
    doc: pycrdt.Doc[Any] = pycrdt.Doc()
    products = doc.get("products", type=pycrdt.Map)
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    for i in range(5):
        products[f"p{i}"] = pycrdt.Map({"name": f"Product {i}", "price": 100 * i})
    for u in updates:
        storage.documents.append(a.id, "catalogue", u)
    storage.documents.append(b.id, "catalogue", updates[0])

    assert storage.documents.load(a.id, "catalogue") == updates
    assert storage.documents.count(a.id, "catalogue") == 5
    assert storage.documents.compact(a.id, "catalogue") == 5
    assert storage.documents.count(a.id, "catalogue") == 1
    assert storage.documents.count(b.id, "catalogue") == 1
    assert storage.documents.load(a.id, "customers") == []

    rebuilt: pycrdt.Doc[Any] = pycrdt.Doc()
    for u in storage.documents.load(a.id, "catalogue"):
        rebuilt.apply_update(u)
    assert rebuilt.get("products", type=pycrdt.Map).to_py() == products.to_py()


def test_reopening_keeps_data_and_refuses_another_schema_version(db_url: str) -> None:
    first = open_storage(db_url)
    shop = first.accounts.create_shop("A")
    first.close()
    second = open_storage(db_url)
    assert second.accounts.shop(shop.id) == shop
    with second.session() as session, session.begin():
        session.execute(text("UPDATE alembic_version SET version_num = 'r9999'"))
    second.close()
    with pytest.raises(StorageError, match="r9999"):
        open_storage(db_url)
