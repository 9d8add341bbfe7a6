"""Journaled forms of ingested articles and of the candidates read from them.

Both are the ingesting party's own (``party`` reach): a candidate is a proposal
waiting for an analyst, and never leaves the node. Each payload is the full version
that is journaled and the core of the API's answer (the queries add the article's
summary and the probable duplicates on top).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.intake import url_key
from tansiq.services.core.kinds import (
    Child,
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
    utc_fields,
)
from tansiq.storage.tables.intake import articles, candidates


def article_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an ingested article (owned by the ingesting party)."""
    return {
        **owned_fields(row),
        **copy_fields(row, "title", "outlet", "url", "language", "content_hash", "body"),
        **utc_fields(row, "published_at"),
    }


def _article_keys(row: Row) -> Mapping[str, Any]:
    return {"url_key": url_key(row["url"])}


def candidate_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a candidate: what was read, as corrected, and what became of it."""
    return {
        **owned_fields(row),
        **copy_fields(
            row,
            "article_id",
            "position",
            "status",
            "kind",
            "proposes",
            "event_type",
            "sub_event_type",
            "time_precision",
            "admin1",
            "admin2",
            "place_name",
            "geo_precision",
            "location",
            "fatalities",
            "injured",
            "confidence",
            "discard_reason",
            "accepted_kind",
            "accepted_id",
        ),
        **utc_fields(row, "occurred_from", "occurred_until", "deadline"),
        "actors": list(row["actors"]),
        "evidence": list(row["evidence"]),
        "notes": list(row["notes"]),
    }


ARTICLE = owned_kind(
    "article",
    articles,
    article_payload,
    derived=_article_keys,
    owner_only="only the party that ingested an article may change it",
    children=(Child("candidate", "article_id", "candidates"),),
)
CANDIDATE = owned_kind(
    "candidate",
    candidates,
    candidate_payload,
    owner_only="only the party that ingested the article reviews its candidates",
)

KINDS: tuple[RecordKind, ...] = (ARTICLE, CANDIDATE)
