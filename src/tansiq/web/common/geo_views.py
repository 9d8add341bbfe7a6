"""Records as the map scripts draw them: GeoJSON features with a layer, a party and a popup.

Popup text is plain text (the scripts insert it with textContent), already in the
page's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import list_centers
from tansiq.web.common.deps import Page
from tansiq.web.common.geo_labels import GeoLabels
from tansiq.web.common.i18n import N_
from tansiq.web.common.received import received_text

DETAILS = N_("Details")


def feature(geometry: Mapping[str, Any], **properties: Any) -> dict[str, Any]:
    """A GeoJSON Feature (properties whose value is None are left out)."""
    props = {k: v for k, v in properties.items() if v is not None}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def collection(features: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


def sector_feature(sector: Mapping[str, Any], labels: GeoLabels, page: Page) -> dict[str, Any]:
    """A sector on the map: its declared geometry, posts drawn with their radius."""
    name = sector["name"] or sector["unit_name"]
    return feature(
        sector["geometry"],
        layer="sector",
        id=sector["id"],
        party=sector["party"],
        radius_m=sector["radius_m"],
        withdrawn=sector["status"] == "withdrawn" or None,
        label=f"{name} · {labels.sector_kind(sector['kind'])}",
        detail=f"{labels.party(sector['party'])} · {sector['unit_name']}",
        received_text=received_text(
            sector["received"], labels.lang, page.ctx.settings.display_timezone
        ),
        href=f"/sectors/{sector['id']}",
        link_text=page.gettext(DETAILS),
    )


def site_name(site: Mapping[str, Any], lang: str) -> str:
    """A protected site's name in the page's language when it has one."""
    return str(site.get(f"name_{lang}") or site["name"])


def site_feature(site: Mapping[str, Any], labels: GeoLabels, tz: str) -> dict[str, Any]:
    """A protected site on the map (times of its ``received`` mark in ``tz``)."""
    return feature(
        site["geometry"],
        layer="site",
        id=site["id"],
        party=site["party"],
        label=site_name(site, labels.lang),
        detail=labels.site_kind(site["kind"]),
        received_text=received_text(site["received"], labels.lang, tz),
    )


def party_centers(ctx: ServiceContext, party: str) -> list[dict[str, Any]]:
    """The centers ``party`` sits on (the ones its records may be shared with)."""
    return [c for c in list_centers(ctx) if party in c["member_parties"]]
