"""the journal head names the key that signs the next entry

Revision ID: 0008_head_signer
Revises: 0001
Create Date: 2026-12-12 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_head_signer"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null in existing databases: the first write takes the last entry's node id
    # (services/core/journaling.py), as the migration cannot read the key file.
    with op.batch_alter_table("journal_heads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signer", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("journal_heads", schema=None) as batch_op:
        batch_op.drop_column("signer")
