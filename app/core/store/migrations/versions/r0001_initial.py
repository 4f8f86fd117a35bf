"""The first device store: marker, identity, document log, journal.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )
    op.bulk_insert(meta, [{"key": "format", "value": "skytill-device-store"}])
    op.create_table(
        "device_identity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("device_id", sa.String(36), nullable=False, unique=True),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("private_key", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.Integer, nullable=False),
    )
    op.create_table(
        "doc_updates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc", sa.String(64), nullable=False),
        sa.Column("update", sa.LargeBinary, nullable=False),
        sqlite_autoincrement=True,  # never reuse an id after compaction
    )
    op.create_index("ix_doc_updates_doc_id", "doc_updates", ["doc", "id"])
    op.create_table(
        "doc_snapshots",
        sa.Column("doc", sa.String(64), primary_key=True),
        sa.Column("state", sa.LargeBinary, nullable=False),
        sa.Column("last_update_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "journal_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ts", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("line", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("till_id", "chain", "seq", name="uq_journal_records_position"),
    )
    op.create_index("ix_journal_records_ts", "journal_records", ["ts"])


def downgrade() -> None:
    for table in ("journal_records", "doc_snapshots", "doc_updates", "device_identity"):
        op.drop_table(table)
    op.drop_table("store_meta")
