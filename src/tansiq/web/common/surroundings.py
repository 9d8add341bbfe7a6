"""What surrounds a record on its page's map: the sectors in force, the protected sites
(labelled) and the recent incidents near its geometry, as the viewer may see them.

Every piece is read through the services' lists, so releasability is decided where it
always is; the features carry ``context: true`` and geo-map.js draws them faintly under
the record itself and leaves them out of the map's first view.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from shapely.geometry import shape

from tansiq.domain.choices import SectorStatusChoices
from tansiq.services.incidents.queries import IncidentFilters, list_incidents
from tansiq.services.sectors.queries import SectorFilters, list_sectors
from tansiq.services.sectors.site_commands import list_sites
from tansiq.web.common.deps import Page
from tansiq.web.common.geo_labels import geo_labels_for
from tansiq.web.common.geo_views import DETAILS, feature, sector_feature, site_feature

# About 15 km around the record at Iraq's latitudes: the ground a liaison officer
# looks at when placing a patrol or judging a report.
MARGIN_DEGREES = 0.15
MAX_EACH = 100
RECENT = timedelta(days=30)


def around(geometry: Mapping[str, Any], margin: float = MARGIN_DEGREES) -> tuple[float, ...]:
    """The bounding box (west, south, east, north) of ``geometry`` grown by ``margin``°."""
    west, south, east, north = shape(geometry).bounds
    return (west - margin, south - margin, east + margin, north + margin)


def surroundings(
    page: Page, geometry: Mapping[str, Any], *, at: datetime, skip: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Context features near ``geometry``: sectors in force at ``at``, active protected
    sites, and incidents of the 30 days up to ``at``; records whose id is in ``skip``
    (the page's own) are left out. Raises nothing for a valid geometry."""
    ctx, actor = page.ctx, page.actor
    labels = geo_labels_for(ctx, page.lang)
    west, south, east, north = around(geometry)
    box = (west, south, east, north)
    sectors = list_sectors(
        ctx, actor=actor, filters=SectorFilters(active_at=at, bbox=box), limit=MAX_EACH
    ).items
    sites = list_sites(
        ctx, actor=actor, status=SectorStatusChoices.ACTIVE.value, bbox=box, limit=MAX_EACH
    ).items
    recent = IncidentFilters(since=at - RECENT, until=at + timedelta(seconds=1), bbox=box)
    incidents = list_incidents(ctx, actor=actor, filters=recent, limit=MAX_EACH).items
    tz = ctx.settings.display_timezone
    features = [
        {**f, "properties": {**f["properties"], "context": True}}
        for f in [
            *(sector_feature(s, labels, page) for s in sectors if s["id"] not in skip),
            *(site_feature(s, labels, tz) for s in sites if s["id"] not in skip),
        ]
    ]
    features += [
        feature(
            incident["location"],
            layer="incident",
            context=True,
            id=incident["id"],
            party=incident["party"],
            label=f"{labels.event(incident['event_type'])} · {incident['place_name']}".strip(" ·"),
            detail=labels.party(incident["party"]),
            href=f"/incidents/{incident['id']}",
            link_text=page.gettext(DETAILS),
        )
        for incident in incidents
        if incident["id"] not in skip
    ]
    return features
