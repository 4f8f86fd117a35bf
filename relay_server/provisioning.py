"""Creating shops, owners, tills and tokens: for the CLI, tests and benchmarks.

A benchmark that needs an authenticated ``/yjs/<doc>`` client does::

    from relay_server.provisioning import provision_shop
    shop = provision_shop("sqlite:///tmp/relay.db", "Bench shop", "o@x.test", "pw")
    # start `python -m relay_server serve --db sqlite:///tmp/relay.db --port 0`, then
    # connect to ws://HOST:PORT/yjs/catalogue?token=<shop.token>

These functions are blocking (SQL and Argon2): call them outside an event loop
or through ``asyncio.to_thread``.
"""

from __future__ import annotations

from dataclasses import dataclass

from relay_server.auth.keys import new_licence_key, new_token, token_digest
from relay_server.auth.passwords import hash_password
from relay_server.errors import StorageError
from relay_server.storage import OwnerInfo, ShopInfo, Storage, TillInfo, open_storage

__all__ = [
    "ProvisionedShop",
    "add_owner",
    "add_till",
    "mint_owner_token",
    "provision_shop",
    "reset_till_password",
]


@dataclass(frozen=True)
class ProvisionedShop:
    """A shop with one owner and a bearer token of that owner (role ``owner``)."""

    shop_id: str
    owner_id: str
    email: str
    token: str


def _shop_named(storage: Storage, name: str) -> ShopInfo:
    return storage.accounts.shop_by_name(name) or storage.accounts.create_shop(name)


def add_owner(storage: Storage, shop_name: str, email: str, password: str) -> OwnerInfo:
    """Add an owner to the shop named ``shop_name``, creating the shop if needed."""
    shop = _shop_named(storage, shop_name)
    return storage.accounts.add_owner(shop.id, email, hash_password(password))


def add_till(storage: Storage, shop_name: str, name: str, password: str) -> TillInfo:
    """Add a till (new licence key, password set) to an existing shop."""
    shop = storage.accounts.shop_by_name(shop_name)
    if shop is None:
        raise StorageError(f"no shop named {shop_name!r}")
    return storage.accounts.add_till(shop.id, name, new_licence_key(), hash_password(password))


def reset_till_password(storage: Storage, till_id: str, password: str) -> None:
    """Set a till's password (what an owner does from the manager)."""
    storage.accounts.set_till_password(till_id, hash_password(password))


def mint_owner_token(storage: Storage, email: str, device_name: str = "script") -> str:
    """A new owner bearer token for ``email`` (a manager device named ``device_name``)."""
    owner = storage.accounts.owner_by_email(email)
    if owner is None:
        raise StorageError(f"no owner with email {email!r}")
    device_id = storage.accounts.add_manager_device(owner.shop_id, owner.id, device_name)
    token = new_token()
    storage.accounts.add_token(
        token_digest(token), owner.shop_id, "owner", owner_id=owner.id, manager_device_id=device_id
    )
    return token


def provision_shop(db_url: str, shop_name: str, email: str, password: str) -> ProvisionedShop:
    """Create a shop + owner in the database at ``db_url`` and mint an owner token."""
    storage = open_storage(db_url)
    try:
        owner = add_owner(storage, shop_name, email, password)
        token = mint_owner_token(storage, email)
        return ProvisionedShop(owner.shop_id, owner.id, owner.email, token)
    finally:
        storage.close()
