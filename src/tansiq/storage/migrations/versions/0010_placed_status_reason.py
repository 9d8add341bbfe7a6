"""sectors and protected sites keep why their owner withdrew them

Revision ID: 0010_placed_reason
Revises: 0002_sectors
Create Date: 2026-12-08 01:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_placed_reason"
# It alters the two tables the sectors migration made.
down_revision = "0002_sectors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Records withdrawn before this revision gave no reason: null.
    for table in ("sectors", "protected_sites"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("protected_sites", "sectors"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("status_reason")
