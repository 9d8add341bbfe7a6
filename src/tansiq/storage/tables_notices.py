"""Tables for notices and their acknowledgements, assessments and dispute resolutions.

Each row is owned by the party in ``party_id`` (single writer): a notice by its
sender, an acknowledgement by the receiving party, an assessment by the assessing
party, a resolution by the party marking a dispute resolved.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text

from tansiq.storage.tables import ID, metadata
from tansiq.storage.types import UTCDateTime


def _owned() -> list[Column[object]]:
    return [
        Column("id", ID, primary_key=True),
        Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
        Column("created_by", ID, nullable=False),
        Column("updated_by", ID, nullable=False),
    ]


def _released() -> list[Column[object]]:
    return [
        Column("releasability", String(8), nullable=False),
        Column("center_id", ID, ForeignKey("centers.id"), nullable=True),
        Column("version", Integer, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
    ]


notices = Table(
    "notices",
    metadata,
    *_owned(),
    Column("to_party", String(32), ForeignKey("parties.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("message", Text, nullable=False),
    # GeoJSON geometry exactly as sent (validated): a point, route or area.
    Column("location", JSON, nullable=False),
    Column("place_name", String(200), nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("ack_deadline", UTCDateTime(), nullable=False),
    *_released(),
    # Lists are newest first; the recipient's inbox is the common filter.
    Index("ix_notices_created", "created_at", "id"),
    Index("ix_notices_to_party_created", "to_party", "created_at", "id"),
    Index("ix_notices_party_created", "party_id", "created_at", "id"),
)

notice_acks = Table(
    "notice_acks",
    metadata,
    *_owned(),
    Column("notice_id", ID, ForeignKey("notices.id"), nullable=False),
    # Sign-off is bound to a version: an answer covers the version it names only.
    Column("notice_version", Integer, nullable=False),
    Column("response", String(24), nullable=False),
    Column("comment", Text, nullable=False),
    *_released(),
    Index("ix_notice_acks_notice", "notice_id", "notice_version", "created_at"),
)

assessments = Table(
    "assessments",
    metadata,
    *_owned(),
    Column("incident_id", ID, ForeignKey("incidents.id"), nullable=False),
    # The incident's owner, so disputes are found without joining every incident.
    Column("incident_party", String(32), ForeignKey("parties.id"), nullable=False),
    Column("incident_version", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("comment", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("source_reliability", String(1), nullable=False),
    Column("credibility", Integer, nullable=False),
    *_released(),
    Index("ix_assessments_incident_created", "incident_id", "created_at", "id"),
    Index("ix_assessments_kind_status", "kind", "status"),
)

dispute_resolutions = Table(
    "dispute_resolutions",
    metadata,
    *_owned(),
    Column("assessment_id", ID, ForeignKey("assessments.id"), nullable=False),
    Column("incident_id", ID, ForeignKey("incidents.id"), nullable=False),
    Column("comment", Text, nullable=False),
    *_released(),
    Index("ix_dispute_resolutions_assessment", "assessment_id", "party_id", unique=True),
)
