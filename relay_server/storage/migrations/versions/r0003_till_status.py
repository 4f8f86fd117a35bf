"""What each till last reported (software version, pending count, when) and whether it is
connected: the table ``till_status``, one row per till that has reported.

Revision ID: r0003
Revises: r0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "till_status",
        sa.Column("till_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("pending", sa.BigInteger(), nullable=False),
        sa.Column("reported_at", sa.BigInteger(), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"]),
        sa.PrimaryKeyConstraint("till_id"),
    )


def downgrade() -> None:
    op.drop_table("till_status")
