"""The relay's SQL tables (SQLAlchemy 2.0 typed ORM), the same on SQLite and PostgreSQL.

Ids are UUIDv7 strings (:func:`crdt_models.ids.new_id`). Secrets are never
stored in the clear: passwords as Argon2id hashes, device tokens as SHA-256
digests (they are 256-bit random, so a fast hash is enough).
Every change of a table comes with an Alembic revision in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "DAY_SUMMARIES",
    "Base",
    "DayHourTotal",
    "DayMethodTotal",
    "DayProductTotal",
    "DayTillTotal",
    "DayTotal",
    "DayVatTotal",
    "DeviceToken",
    "DocUpdate",
    "JournalRow",
    "ManagerDevice",
    "Owner",
    "SaleFact",
    "SaleLineFact",
    "SalePaymentFact",
    "SaleVatFact",
    "Shop",
    "Till",
    "TillStatus",
]


class Base(DeclarativeBase):
    """Declarative base of every relay table."""


class Shop(Base):
    """A tenant. ``lan_secret`` lets its devices prove to each other they belong to it."""

    __tablename__ = "shops"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    lan_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)


class Owner(Base):
    """An owner account: logs in from a manager with email + password."""

    __tablename__ = "owners"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))


class Till(Base):
    """A till: logs in with its licence key + a password the owner sets."""

    __tablename__ = "tills"
    __table_args__ = (UniqueConstraint("shop_id", "number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    licence_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class TillStatus(Base):
    """What a till last reported: software version, changes it holds that the relay has
    not acknowledged, when (unix s), and whether a relay holds a connection of it now."""

    __tablename__ = "till_status"
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    pending: Mapped[int] = mapped_column(BigInteger)
    reported_at: Mapped[int] = mapped_column(BigInteger)
    connected: Mapped[bool] = mapped_column(Boolean)


class ManagerDevice(Base):
    """A manager installation an owner logged in from."""

    __tablename__ = "manager_devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class DeviceToken(Base):
    """A bearer token of one device (a till or a manager device)."""

    __tablename__ = "device_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    till_id: Mapped[str | None] = mapped_column(ForeignKey("tills.id"), nullable=True, index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("owners.id"), nullable=True)
    manager_device_id: Mapped[str | None] = mapped_column(
        ForeignKey("manager_devices.id"), nullable=True
    )
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)


class DocUpdate(Base):
    """One appended Yjs update of one shared document of one shop."""

    __tablename__ = "doc_updates"
    __table_args__ = (Index("ix_doc_updates_shop_doc", "shop_id", "doc", "id"),)
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"))
    doc: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class JournalRow(Base):
    """One verified journal record, stored exactly once (primary key till/chain/seq)."""

    __tablename__ = "journal_records"
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"), primary_key=True)
    chain: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    ts: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    line: Mapped[bytes] = mapped_column(LargeBinary)


class SaleFact(Base):
    """A sale (or refund, negative) materialized for statistics: one row per record."""

    __tablename__ = "sale_facts"
    __table_args__ = (Index("ix_sale_facts_shop_day", "shop_id", "day"),)
    till_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(36))
    day: Mapped[str] = mapped_column(String(10))
    hour: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(BigInteger)


class SalePaymentFact(Base):
    """Amount of one payment method in one sale."""

    __tablename__ = "sale_payment_facts"
    till_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(64))
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class SaleVatFact(Base):
    """Base and VAT of one rate in one sale."""

    __tablename__ = "sale_vat_facts"
    till_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    gross_cents: Mapped[int] = mapped_column(BigInteger)
    vat_cents: Mapped[int] = mapped_column(BigInteger)


class SaleLineFact(Base):
    """One product line of one sale."""

    __tablename__ = "sale_line_facts"
    till_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(BigInteger)
    amount_cents: Mapped[int] = mapped_column(BigInteger)


# -- daily summaries -------------------------------------------------------
# Per shop and day (the shop's local day, as the facts), kept up to date in
# the transaction that stores the facts (INSERT ... ON CONFLICT DO UPDATE, so
# that concurrent relays add up), so that statistics over a period read a few
# rows per day instead of every sale.


class DayTotal(Base):
    """One day of one shop: revenue, records counted (sales and refunds), refunds among them."""

    __tablename__ = "day_totals"
    shop_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int] = mapped_column(BigInteger)
    refunds: Mapped[int] = mapped_column(BigInteger)


class DayTillTotal(Base):
    """Revenue and records of one till on one day."""

    __tablename__ = "day_till_totals"
    shop_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    till_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int] = mapped_column(BigInteger)


class DayMethodTotal(Base):
    """What one payment method kept on one day."""

    __tablename__ = "day_method_totals"
    shop_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    method: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class DayVatTotal(Base):
    """Gross and VAT of one rate on one day."""

    __tablename__ = "day_vat_totals"
    shop_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    gross_cents: Mapped[int] = mapped_column(BigInteger)
    vat_cents: Mapped[int] = mapped_column(BigInteger)


class DayHourTotal(Base):
    """Revenue of one local hour (0..23) of one day."""

    __tablename__ = "day_hour_totals"
    shop_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    total_cents: Mapped[int] = mapped_column(BigInteger)


class DayProductTotal(Base):
    """Quantity (milli-units, refunds negative) and revenue of one product on one day."""

    __tablename__ = "day_product_totals"
    shop_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(BigInteger)
    amount_cents: Mapped[int] = mapped_column(BigInteger)


#: The daily summary tables, in the order a transaction updates them.
DAY_SUMMARIES: tuple[type[Base], ...] = (
    DayTotal,
    DayTillTotal,
    DayMethodTotal,
    DayVatTotal,
    DayHourTotal,
    DayProductTotal,
)
