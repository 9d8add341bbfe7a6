"""operation plans keep why they were cancelled or rejected

Revision ID: 0010_operation_reason
Revises: 0008_finding_status
Create Date: 2026-12-08 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_operation_reason"
# It alters a table made by the operations migration (after the findings' status).
down_revision = "0008_finding_status"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plans cancelled or rejected before this revision gave no reason: null.
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_column("status_reason")
