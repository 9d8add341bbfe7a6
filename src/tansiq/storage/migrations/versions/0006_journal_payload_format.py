"""journal entries name the format of their payload

Revision ID: 0006_payload_format
Revises: 0001
Create Date: 2026-12-03 15:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_payload_format"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every entry written before this revision used format 1.
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payload_format", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_column("payload_format")
