"""Tables of incidents, other parties' assessments of them, and dispute resolutions.

Each row is owned by the party in ``party_id`` (single writer): an incident by the
reporting party, an assessment by the assessing party, a resolution by the party
marking a dispute resolved.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)

from tansiq.storage.tables.base import (
    ID,
    metadata,
    owned_columns,
    released_columns,
    versioned_columns,
)
from tansiq.storage.types import UTCDateTime

incidents = Table(
    "incidents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
    Column("created_by", ID, nullable=False),
    Column("updated_by", ID, nullable=False),
    Column("status", String(16), nullable=False),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("time_precision", String(8), nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("geo_precision", Integer, nullable=False),
    Column("place_name", String(200), nullable=False),
    Column("cross_border", Boolean, nullable=False),
    Column("admin1", String(64), nullable=True),
    Column("admin2", String(64), nullable=True),
    # Null for incidents filed before sub-districts were derived (and outside Iraq).
    Column("admin3", String(64), nullable=True),
    # The event's id at its source (ACLED's event_id_cnty), unique within the owner party.
    Column("event_id_cnty", String(32), nullable=True),
    Column("disorder_type", String(40), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("actor1", String(200), nullable=False),
    Column("assoc_actor_1", Text, nullable=False, server_default=""),
    Column("inter1", String(32), nullable=False, server_default=""),
    Column("actor2", String(200), nullable=False),
    Column("assoc_actor_2", Text, nullable=False, server_default=""),
    Column("inter2", String(32), nullable=False, server_default=""),
    Column("civilian_targeting", Boolean, nullable=False, server_default=false()),
    Column("fatalities", Integer, nullable=False),
    Column("injured", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("source_scale", String(100), nullable=False, server_default=""),
    Column("tags", Text, nullable=False, server_default=""),
    Column("source_reliability", String(1), nullable=False),
    Column("credibility", Integer, nullable=False),
    Column("releasability", String(8), nullable=False),
    Column("center_id", ID, ForeignKey("centers.id"), nullable=True),
    *versioned_columns(),
    # The list is ordered newest first; these serve the common filters.
    Index("ix_incidents_occurred", "occurred_at", "id"),
    Index("ix_incidents_admin1_occurred", "admin1", "occurred_at", "id"),
    Index("ix_incidents_party_occurred", "party_id", "occurred_at", "id"),
    # A re-import finds a party's incident by its source's event id (NULLs never clash).
    Index("ux_incidents_party_event_id", "party_id", "event_id_cnty", unique=True),
)


assessments = Table(
    "assessments",
    metadata,
    *owned_columns(),
    Column("incident_id", ID, ForeignKey("incidents.id"), nullable=False),
    # The incident's owner, so disputes are found without joining every incident.
    Column("incident_party", String(32), ForeignKey("parties.id"), nullable=False),
    Column("incident_version", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    # Why the assessing party withdrew it (a final step must say why); else null.
    Column("status_reason", Text, nullable=True),
    Column("comment", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("source_reliability", String(1), nullable=False),
    Column("credibility", Integer, nullable=False),
    *released_columns(),
    Index("ix_assessments_incident_created", "incident_id", "created_at", "id"),
    Index("ix_assessments_kind_status", "kind", "status"),
)


dispute_resolutions = Table(
    "dispute_resolutions",
    metadata,
    *owned_columns(),
    Column("assessment_id", ID, ForeignKey("assessments.id"), nullable=False),
    Column("incident_id", ID, ForeignKey("incidents.id"), nullable=False),
    Column("comment", Text, nullable=False),
    *released_columns(),
    Index("ix_dispute_resolutions_assessment", "assessment_id", "party_id", unique=True),
)
