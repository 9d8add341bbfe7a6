"""notices keep why their sender withdrew them

Revision ID: 0010_notice_reason
Revises: 0005_notices
Create Date: 2026-12-08 01:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_notice_reason"
# It alters the table the notices migration made.
down_revision = "0005_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Notices withdrawn before this revision gave no reason: null.
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_column("status_reason")
