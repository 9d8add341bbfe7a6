"""assessments keep why their party withdrew them

Revision ID: 0011_assessment_reason
Revises: 0010_notice_reason
Create Date: 2026-12-08 01:35:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_assessment_reason"
# It alters a table the notices migration made (after the notices' reason).
down_revision = "0010_notice_reason"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Assessments withdrawn before this revision gave no reason: null.
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("status_reason")
