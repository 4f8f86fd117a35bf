"""The relay's first schema: shops, accounts, tills, tokens, document log, journal, facts.

Revision ID: r0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sale_facts",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("till_id", "seq"),
    )
    op.create_index("ix_sale_facts_shop_day", "sale_facts", ["shop_id", "day"], unique=False)
    op.create_table(
        "sale_line_facts",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("till_id", "seq", "position"),
    )
    op.create_table(
        "sale_payment_facts",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("till_id", "seq", "position"),
    )
    op.create_table(
        "sale_vat_facts",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("gross_cents", sa.BigInteger(), nullable=False),
        sa.Column("vat_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("till_id", "seq", "rate_bp"),
    )
    op.create_table(
        "shops",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lan_secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "doc_updates",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("doc", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_doc_updates_shop_doc", "doc_updates", ["shop_id", "doc", "id"], unique=False
    )
    op.create_table(
        "owners",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index(op.f("ix_owners_shop_id"), "owners", ["shop_id"], unique=False)
    op.create_table(
        "tills",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("licence_key", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("licence_key"),
        sa.UniqueConstraint("shop_id", "number"),
    )
    op.create_index(op.f("ix_tills_shop_id"), "tills", ["shop_id"], unique=False)
    op.create_table(
        "journal_records",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("chain", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("line", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.ForeignKeyConstraint(
            ["till_id"],
            ["tills.id"],
        ),
        sa.PrimaryKeyConstraint("till_id", "chain", "seq"),
    )
    op.create_index(
        op.f("ix_journal_records_shop_id"), "journal_records", ["shop_id"], unique=False
    )
    op.create_table(
        "manager_devices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_manager_devices_owner_id"), "manager_devices", ["owner_id"], unique=False
    )
    op.create_index(
        op.f("ix_manager_devices_shop_id"), "manager_devices", ["shop_id"], unique=False
    )
    op.create_table(
        "device_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("shop_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("till_id", sa.String(length=36), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("manager_device_id", sa.String(length=36), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_device_id"],
            ["manager_devices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
        ),
        sa.ForeignKeyConstraint(
            ["till_id"],
            ["tills.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_device_tokens_shop_id"), "device_tokens", ["shop_id"], unique=False)
    op.create_index(op.f("ix_device_tokens_till_id"), "device_tokens", ["till_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_device_tokens_till_id"), table_name="device_tokens")
    op.drop_index(op.f("ix_device_tokens_shop_id"), table_name="device_tokens")
    op.drop_table("device_tokens")
    op.drop_index(op.f("ix_manager_devices_shop_id"), table_name="manager_devices")
    op.drop_index(op.f("ix_manager_devices_owner_id"), table_name="manager_devices")
    op.drop_table("manager_devices")
    op.drop_index(op.f("ix_journal_records_shop_id"), table_name="journal_records")
    op.drop_table("journal_records")
    op.drop_index(op.f("ix_tills_shop_id"), table_name="tills")
    op.drop_table("tills")
    op.drop_index(op.f("ix_owners_shop_id"), table_name="owners")
    op.drop_table("owners")
    op.drop_index("ix_doc_updates_shop_doc", table_name="doc_updates")
    op.drop_table("doc_updates")
    op.drop_table("shops")
    op.drop_table("sale_vat_facts")
    op.drop_table("sale_payment_facts")
    op.drop_table("sale_line_facts")
    op.drop_index("ix_sale_facts_shop_day", table_name="sale_facts")
    op.drop_table("sale_facts")
