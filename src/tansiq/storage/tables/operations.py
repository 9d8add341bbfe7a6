"""Tables of operation plans, their approvals and their deconfliction findings.

Each keeps only its current version; every version is in ``journal``.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from tansiq.storage.tables.base import (
    ID,
    bbox_columns,
    metadata,
    owned_columns,
    reach_columns,
    versioned_columns,
)
from tansiq.storage.types import UTCDateTime

operations = Table(
    "operations",
    metadata,
    # The owner party: the one that drafted the plan, and the only one that changes it.
    *owned_columns(),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("objective", Text, nullable=False),
    Column("area", JSON, nullable=False),
    # The area's bounding box, so deconfliction reads only the plans that may overlap.
    *bbox_columns(),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("participants", JSON, nullable=False),
    # ",fed,krg,": filters by participant with LIKE on both databases (JSON can't portably).
    Column("participant_key", String(400), nullable=False),
    Column("lead_party", String(32), ForeignKey("parties.id"), nullable=False),
    Column("forces", JSON, nullable=False),
    # The record version at which the plan's content was last set, and its hash: what an
    # approval signs. Status changes bump ``version`` but leave these alone.
    Column("plan_version", Integer, nullable=False),
    Column("plan_hash", String(64), nullable=False),
    # Why the plan was cancelled or rejected (a final step must say why); else null.
    Column("status_reason", Text, nullable=True),
    *reach_columns(),
    *versioned_columns(),
    Index("ix_operations_starts", "starts_at", "id"),
    Index("ix_operations_status_starts", "status", "starts_at", "id"),
    Index("ix_operations_window", "ends_at", "starts_at"),
)

operation_approvals = Table(
    "operation_approvals",
    metadata,
    # The signing party owns its approval; the plan's owner never writes it.
    *owned_columns(),
    Column("operation_id", ID, ForeignKey("operations.id"), nullable=False),
    Column("plan_version", Integer, nullable=False),
    Column("plan_hash", String(64), nullable=False),
    Column("decision", String(8), nullable=False),
    Column("comment", Text, nullable=False),
    Column("acknowledgements", JSON, nullable=False),
    *reach_columns(),
    *versioned_columns(),
    # One signature per party per plan version.
    Index("ix_operation_approvals_plan", "operation_id", "plan_hash", "party_id", unique=True),
)

deconfliction_findings = Table(
    "deconfliction_findings",
    metadata,
    # Computed by the plan owner's node: owned by the plan's owner party.
    *owned_columns(),
    Column("operation_id", ID, ForeignKey("operations.id"), nullable=False),
    Column("plan_version", Integer, nullable=False),
    Column("plan_hash", String(64), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("blocking", Boolean, nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("subject_party", String(32), nullable=False),
    Column("overlap_km2", Float, nullable=True),
    Column("distance_m", Float, nullable=True),
    Column("summary", Text, nullable=False),
    # ``open`` while it stands; ``cleared`` (with why) once a recheck finds it no longer
    # holds. Findings written before statuses existed are open.
    Column("status", String(16), nullable=False, server_default="open"),
    Column("cleared_reason", String(24), nullable=True),
    *reach_columns(),
    *versioned_columns(),
    Index("ix_deconfliction_findings_plan", "operation_id", "plan_hash"),
)
