"""incidents carry ACLED's coding: event id, disorder type, associated actors, actor types,
civilian targeting, source scale, tags, and the sub-district (admin3)

Revision ID: 0009_incident_acled
Revises: 0001
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_incident_acled"
down_revision = "0001"
branch_labels = None
depends_on = None

# ACLED's usual disorder type of each event type (domain/choices.py USUAL_DISORDER_TYPE),
# copied so that this revision does not change when the code does.
USUAL_DISORDER_TYPE = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def upgrade() -> None:
    # Every incident filed before this revision has none of ACLED's extra coding: empty
    # texts, no civilian targeting, no event id and no sub-district (it is derived only
    # when the point is next placed). Their journal entries are payload format 1, which
    # leaves these fields out while they hold these values (services/incidents/records.py).
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("admin3", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("event_id_cnty", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("disorder_type", sa.String(length=40), nullable=True))
        for name in ("assoc_actor_1", "assoc_actor_2", "tags"):
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
        for name in ("inter1", "inter2"):
            batch_op.add_column(
                sa.Column(name, sa.String(length=32), server_default="", nullable=False)
            )
        batch_op.add_column(
            sa.Column("civilian_targeting", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("source_scale", sa.String(length=100), server_default="", nullable=False)
        )
    incidents = sa.table(
        "incidents", sa.column("event_type", sa.String()), sa.column("disorder_type", sa.String())
    )
    op.execute(
        incidents.update().values(
            disorder_type=sa.case(
                *((incidents.c.event_type == e, d) for e, d in USUAL_DISORDER_TYPE.items()),
                else_="Political violence",
            )
        )
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.alter_column("disorder_type", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_index(
            "ux_incidents_party_event_id", ["party_id", "event_id_cnty"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ux_incidents_party_event_id")
        for name in (
            "source_scale",
            "civilian_targeting",
            "inter2",
            "inter1",
            "tags",
            "assoc_actor_2",
            "assoc_actor_1",
            "disorder_type",
            "event_id_cnty",
            "admin3",
        ):
            batch_op.drop_column(name)
