"""Shops, owners, tills, manager devices and device tokens.

Values come back as frozen dataclasses, never live ORM objects, so callers in
other threads hold nothing bound to a session. Secrets arrive already hashed
(see :mod:`relay_server.auth`).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crdt_models.ids import new_id
from relay_server.errors import StorageError
from relay_server.storage.schema import DeviceToken, ManagerDevice, Owner, Shop, Till, TillStatus

__all__ = [
    "Accounts",
    "OwnerInfo",
    "ShopInfo",
    "TillInfo",
    "TillStatusInfo",
    "TokenInfo",
    "new_lan_secret",
]

ROLES = ("owner", "till")


def new_lan_secret() -> str:
    """A fresh random LAN secret for a shop (256 bits, hex)."""
    return secrets.token_hex(32)


@dataclass(frozen=True)
class ShopInfo:
    id: str
    name: str
    lan_secret: str


@dataclass(frozen=True)
class OwnerInfo:
    id: str
    shop_id: str
    email: str
    password_hash: str


@dataclass(frozen=True)
class TillInfo:
    id: str
    shop_id: str
    number: int
    name: str
    licence_key: str
    password_hash: str | None
    public_key: bytes | None
    revoked: bool


@dataclass(frozen=True)
class TillStatusInfo:
    """A till's last report: ``version``, ``pending`` (its changes not yet acknowledged),
    ``reported_at`` (unix s) and ``connected`` (a relay process held its connection then)."""

    till_id: str
    version: str
    pending: int
    reported_at: int
    connected: bool


@dataclass(frozen=True)
class TokenInfo:
    """A device token as stored (the token itself is never stored)."""

    id: str
    shop_id: str
    role: str
    till_id: str | None
    owner_id: str | None
    manager_device_id: str | None
    revoked: bool

    @property
    def device_id(self) -> str:
        """The till id or the manager device id this token belongs to."""
        device = self.till_id or self.manager_device_id
        assert device is not None
        return device


def _shop(row: Shop) -> ShopInfo:
    return ShopInfo(row.id, row.name, row.lan_secret)


def _owner(row: Owner) -> OwnerInfo:
    return OwnerInfo(row.id, row.shop_id, row.email, row.password_hash)


def _till(row: Till) -> TillInfo:
    return TillInfo(
        row.id,
        row.shop_id,
        row.number,
        row.name,
        row.licence_key,
        row.password_hash,
        row.public_key,
        row.revoked,
    )


def _token(row: DeviceToken) -> TokenInfo:
    return TokenInfo(
        row.id,
        row.shop_id,
        row.role,
        row.till_id,
        row.owner_id,
        row.manager_device_id,
        row.revoked,
    )


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding blanks."""
    return email.strip().lower()


class Accounts:
    """Repository of the tenant and device tables."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- shops ---------------------------------------------------------------

    def create_shop(self, name: str) -> ShopInfo:
        """Create a shop; :class:`StorageError` if the name is taken."""
        row = Shop(id=new_id(), name=name, lan_secret=new_lan_secret(), created_at=int(time.time()))
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError as exc:
            raise StorageError(f"a shop named {name!r} already exists") from exc
        return _shop(row)

    def shop(self, shop_id: str) -> ShopInfo:
        """The shop with this id; :class:`StorageError` if there is none."""
        with self._sessions() as session:
            row = session.get(Shop, shop_id)
            if row is None:
                raise StorageError(f"no shop {shop_id!r}")
            return _shop(row)

    def shop_by_name(self, name: str) -> ShopInfo | None:
        """The shop with this name, if any."""
        with self._sessions() as session:
            row = session.scalar(select(Shop).where(Shop.name == name))
            return None if row is None else _shop(row)

    def create_shop_with_owner(
        self, shop_name: str, email: str, password_hash: str
    ) -> tuple[ShopInfo, OwnerInfo]:
        """A new shop and its first owner, both or neither (a sign-up).

        :class:`StorageError` if the shop name or the email is taken.
        """
        shop = Shop(
            id=new_id(), name=shop_name, lan_secret=new_lan_secret(), created_at=int(time.time())
        )
        owner = Owner(
            id=new_id(), shop_id=shop.id, email=normalize_email(email), password_hash=password_hash
        )
        try:
            with self._sessions.begin() as session:
                session.add(shop)
                session.flush()
                session.add(owner)
        except IntegrityError as exc:
            taken = self.owner_by_email(email) is not None
            raise StorageError(
                "this email already has an account"
                if taken
                else f"a shop named {shop_name!r} already exists"
            ) from exc
        return _shop(shop), _owner(owner)

    # -- owners --------------------------------------------------------------

    def add_owner(self, shop_id: str, email: str, password_hash: str) -> OwnerInfo:
        """Add an owner account; :class:`StorageError` if the email is taken."""
        row = Owner(
            id=new_id(), shop_id=shop_id, email=normalize_email(email), password_hash=password_hash
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError as exc:
            raise StorageError(
                "this email already has an account (or the shop is unknown)"
            ) from exc
        return _owner(row)

    def owner_by_email(self, email: str) -> OwnerInfo | None:
        """The owner account with this email, if any."""
        with self._sessions() as session:
            row = session.scalar(select(Owner).where(Owner.email == normalize_email(email)))
            return None if row is None else _owner(row)

    def owner(self, owner_id: str) -> OwnerInfo:
        """The owner with this id; :class:`StorageError` if there is none."""
        with self._sessions() as session:
            row = session.get(Owner, owner_id)
            if row is None:
                raise StorageError(f"no owner {owner_id!r}")
            return _owner(row)

    # -- tills ---------------------------------------------------------------

    def add_till(
        self, shop_id: str, name: str, licence_key: str, password_hash: str | None
    ) -> TillInfo:
        """Add a till numbered after the shop's last one."""
        with self._sessions.begin() as session:
            last = session.scalar(select(func.max(Till.number)).where(Till.shop_id == shop_id))
            row = Till(
                id=new_id(),
                shop_id=shop_id,
                number=(last or 0) + 1,
                name=name,
                licence_key=licence_key,
                password_hash=password_hash,
                public_key=None,
                revoked=False,
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError as exc:
                raise StorageError(
                    "could not add the till (unknown shop or licence reuse)"
                ) from exc
        return _till(row)

    def till(self, till_id: str) -> TillInfo:
        """The till with this id; :class:`StorageError` if there is none."""
        with self._sessions() as session:
            row = session.get(Till, till_id)
            if row is None:
                raise StorageError(f"no till {till_id!r}")
            return _till(row)

    def till_by_licence(self, licence_key: str) -> TillInfo | None:
        """The till with this licence key, if any."""
        with self._sessions() as session:
            row = session.scalar(select(Till).where(Till.licence_key == licence_key))
            return None if row is None else _till(row)

    def tills(self, shop_id: str) -> list[TillInfo]:
        """Every till of the shop, by number."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Till).where(Till.shop_id == shop_id).order_by(Till.number)
            )
            return [_till(row) for row in rows]

    def set_till_password(self, till_id: str, password_hash: str) -> None:
        """Set or reset a till's password (an owner's action)."""
        with self._sessions.begin() as session:
            session.execute(
                update(Till).where(Till.id == till_id).values(password_hash=password_hash)
            )

    def register_till_key(self, till_id: str, public_key: bytes) -> None:
        """Bind the till's Ed25519 public key (first login); an existing key is never replaced."""
        with self._sessions.begin() as session:
            row = session.get(Till, till_id, with_for_update=True)
            if row is None:
                raise StorageError(f"no till {till_id!r}")
            if row.public_key is None:
                row.public_key = public_key
            elif row.public_key != public_key:
                raise StorageError("this till is already bound to another signing key")

    def revoke_till(self, till_id: str) -> ShopInfo:
        """Revoke a till and its tokens and rotate its shop's LAN secret; return the shop."""
        with self._sessions.begin() as session:
            till = session.get(Till, till_id)
            if till is None:
                raise StorageError(f"no till {till_id!r}")
            till.revoked = True
            session.execute(
                update(DeviceToken).where(DeviceToken.till_id == till_id).values(revoked=True)
            )
            shop = session.get(Shop, till.shop_id)
            assert shop is not None
            shop.lan_secret = new_lan_secret()
            return _shop(shop)

    # -- till status ----------------------------------------------------------

    def record_till_status(self, till_id: str, version: str, pending: int, now: int) -> None:
        """Keep what a connected till just reported (it is connected: it reported)."""
        for attempt in range(2):  # two first reports of one till may race to insert
            try:
                with self._sessions.begin() as session:
                    row = session.get(TillStatus, till_id)
                    if row is None:
                        row = TillStatus(till_id=till_id)
                        session.add(row)
                    row.version, row.pending, row.reported_at = version, pending, now
                    row.connected = True
                return
            except IntegrityError as exc:
                if attempt:
                    raise StorageError(f"could not record the status of till {till_id!r}") from exc

    def till_disconnected(self, till_id: str) -> None:
        """The till's connection to this relay process ended."""
        with self._sessions.begin() as session:
            session.execute(
                update(TillStatus).where(TillStatus.till_id == till_id).values(connected=False)
            )

    def till_statuses(self, shop_id: str) -> dict[str, TillStatusInfo]:
        """The last report of every till of the shop that has reported, by till id."""
        with self._sessions() as session:
            rows = session.scalars(
                select(TillStatus)
                .join(Till, Till.id == TillStatus.till_id)
                .where(Till.shop_id == shop_id)
            )
            return {
                row.till_id: TillStatusInfo(
                    row.till_id, row.version, row.pending, row.reported_at, row.connected
                )
                for row in rows
            }

    # -- manager devices and tokens -------------------------------------------

    def add_manager_device(self, shop_id: str, owner_id: str, name: str) -> str:
        """Record a manager installation; return its id."""
        device_id = new_id()
        with self._sessions.begin() as session:
            session.add(ManagerDevice(id=device_id, shop_id=shop_id, owner_id=owner_id, name=name))
        return device_id

    def add_token(
        self,
        token_hash: str,
        shop_id: str,
        role: str,
        *,
        till_id: str | None = None,
        owner_id: str | None = None,
        manager_device_id: str | None = None,
    ) -> TokenInfo:
        """Store the digest of a new device token."""
        if role not in ROLES or (role == "till") != (till_id is not None):
            raise StorageError(f"bad token role {role!r}")
        row = DeviceToken(
            id=new_id(),
            token_hash=token_hash,
            shop_id=shop_id,
            role=role,
            till_id=till_id,
            owner_id=owner_id,
            manager_device_id=manager_device_id,
            revoked=False,
            created_at=int(time.time()),
        )
        with self._sessions.begin() as session:
            session.add(row)
        return _token(row)

    def token_by_hash(self, token_hash: str) -> TokenInfo | None:
        """The token with this digest, if any (revoked ones included: check ``revoked``)."""
        with self._sessions() as session:
            row = session.scalar(select(DeviceToken).where(DeviceToken.token_hash == token_hash))
            return None if row is None else _token(row)

    def revoke_token(self, token_id: str) -> None:
        """Revoke one device token."""
        with self._sessions.begin() as session:
            session.execute(
                update(DeviceToken).where(DeviceToken.id == token_id).values(revoked=True)
            )

    def revoked_among(self, token_ids: list[str]) -> set[str]:
        """The ids among ``token_ids`` that are revoked (or whose till is)."""
        if not token_ids:
            return set()
        with self._sessions() as session:
            rows = session.execute(
                select(DeviceToken.id, DeviceToken.revoked, Till.revoked)
                .outerjoin(Till, Till.id == DeviceToken.till_id)
                .where(DeviceToken.id.in_(token_ids))
            ).all()
        return {row[0] for row in rows if row[1] or row[2]}
