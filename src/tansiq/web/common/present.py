"""Records as pages show them: ISO timestamps become aware datetimes, ids become names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import list_centers, list_parties
from tansiq.web.common.labels import Labels


def parse_utc(value: str) -> datetime:
    """Read the services' ISO 8601 UTC strings (``…Z``); raises ValueError."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def incident_view(incident: Mapping[str, Any]) -> dict[str, Any]:
    """An incident payload with ``occurred``/``created``/``updated`` datetimes and lat/lon."""
    lon, lat = incident["location"]["coordinates"]
    return {
        **incident,
        "occurred": parse_utc(incident["occurred_at"]),
        "created": parse_utc(incident["created_at"]),
        "updated": parse_utc(incident["updated_at"]),
        "lat": lat,
        "lon": lon,
    }


def history_view(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A version-history entry with ``when`` as a datetime (``at`` may be either)."""
    at = entry["at"]
    return {**entry, "when": at if isinstance(at, datetime) else parse_utc(str(at))}


def labels_for(ctx: ServiceContext, lang: str) -> Labels:
    """Labels for a page in ``lang`` that knows every party's and center's name."""
    parties = {p["id"]: p for p in list_parties(ctx)}
    centers = {c["id"]: c for c in list_centers(ctx)}
    return Labels(lang=lang, parties=parties, centers=centers)


def with_times(record: Mapping[str, Any], **names: str) -> dict[str, Any]:
    view = dict(record)
    for new, old in names.items():
        value = record.get(old)
        view[new] = parse_utc(value) if isinstance(value, str) else None
    return view
