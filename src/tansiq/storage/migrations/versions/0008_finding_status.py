"""deconfliction findings have a status (open or cleared) and why they were cleared

Revision ID: 0008_finding_status
Revises: 0003_operations
Create Date: 2026-12-03 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_finding_status"
# It alters a table made by the operations migration.
down_revision = "0003_operations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every finding written before this revision stands: open, no reason.
    with op.batch_alter_table("deconfliction_findings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="open", nullable=False)
        )
        batch_op.add_column(sa.Column("cleared_reason", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deconfliction_findings", schema=None) as batch_op:
        batch_op.drop_column("cleared_reason")
        batch_op.drop_column("status")
