"""Sync bookkeeping per peer, provisioning columns, journal query by kind.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("device_identity", sa.Column("shop_id", sa.String(64), nullable=True))
    op.add_column("device_identity", sa.Column("relay_url", sa.String(512), nullable=True))
    op.add_column("device_identity", sa.Column("relay_token", sa.String(512), nullable=True))
    op.add_column("device_identity", sa.Column("lan_secret", sa.LargeBinary, nullable=True))
    op.create_table(
        "peer_journal_acks",
        sa.Column("peer_id", sa.String(64), primary_key=True),
        sa.Column("till_id", sa.String(64), primary_key=True),
        sa.Column("chain", sa.String(16), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "peer_doc_states",
        sa.Column("peer_id", sa.String(64), primary_key=True),
        sa.Column("doc", sa.String(64), primary_key=True),
        sa.Column("state_vector", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_journal_records_kind_ts", "journal_records", ["kind", "ts"])


def downgrade() -> None:
    op.drop_index("ix_journal_records_kind_ts", "journal_records")
    op.drop_table("peer_doc_states")
    op.drop_table("peer_journal_acks")
    with op.batch_alter_table("device_identity") as batch:
        for column in ("lan_secret", "relay_token", "relay_url", "shop_id"):
            batch.drop_column(column)
