"""Tables of the review queue: the news articles a party ingested and the candidates read from them.

Both are owned by the ingesting party and released to it alone (``party``): a
candidate is a proposal of the party's own reader, never a report, until an analyst
accepts it into the record it becomes (an incident, meeting item or notice, written
by that record's own service). Nothing is deleted: a candidate is accepted or
discarded, and keeps the id of what it became.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from tansiq.storage.tables.base import ID, metadata, owned_columns, released_columns
from tansiq.storage.types import UTCDateTime

articles = Table(
    "articles",
    metadata,
    *owned_columns(),
    Column("title", String(500), nullable=False),
    Column("published_at", UTCDateTime(), nullable=True),
    Column("outlet", String(200), nullable=False),
    Column("url", String(2000), nullable=False),
    # Derived from url: the SHA-256 of its normal form (None without one), so the same
    # page is found whatever its case or fragment, with a short key to index.
    Column("url_key", String(64), nullable=True),
    Column("language", String(8), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("body", Text, nullable=False),
    *released_columns(),
    # Re-ingesting the same article proposes nothing twice, even from two requests at once.
    Index("ix_articles_party_content", "party_id", "content_hash", unique=True),
    Index("ix_articles_party_url", "party_id", "url_key", unique=True),
    Index("ix_articles_created", "created_at", "id"),
)

candidates = Table(
    "candidates",
    metadata,
    *owned_columns(),
    Column("article_id", ID, ForeignKey("articles.id"), nullable=False),
    # The candidate's place among those read from its article (0 first).
    Column("position", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("proposes", String(16), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("occurred_from", UTCDateTime(), nullable=True),
    Column("occurred_until", UTCDateTime(), nullable=True),
    Column("time_precision", String(8), nullable=False),
    Column("admin1", String(64), nullable=False),
    Column("admin2", String(64), nullable=False),
    Column("place_name", String(200), nullable=False),
    Column("geo_precision", Integer, nullable=False),
    # A GeoJSON Point, or None when the article names only a region.
    Column("location", JSON, nullable=True),
    Column("actors", JSON, nullable=False),
    Column("fatalities", Integer, nullable=True),
    Column("injured", Integer, nullable=True),
    Column("evidence", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("deadline", UTCDateTime(), nullable=True),
    Column("notes", JSON, nullable=False),
    Column("discard_reason", Text, nullable=False),
    # What the candidate became (record kind and id), once accepted.
    Column("accepted_kind", String(32), nullable=True),
    Column("accepted_id", ID, nullable=True),
    *released_columns(),
    Index("ix_candidates_party_status_created", "party_id", "status", "created_at", "id"),
    Index("ix_candidates_article", "article_id", "position"),
)
