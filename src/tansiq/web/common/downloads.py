"""The download menu of the incident log, the map, the sectors and the protected sites:
links to ``/exports/…`` carrying the page's own filters, labels in the page's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import urlencode

from tansiq.web.common.i18n import N_

# Per page: (format, layer or None, label). GeoJSON holds one layer, so a layered
# dataset offers one GeoJSON link a layer; KML and GeoPackage hold every layer.
MENUS: Final[Mapping[str, tuple[tuple[str, str | None, str], ...]]] = {
    "incidents": (
        ("geojson", None, N_("GeoJSON")),
        ("kml", None, N_("KML")),
        ("gpkg", None, N_("GeoPackage")),
        ("csv", None, N_("CSV (ACLED columns)")),
    ),
    "sectors": (
        ("geojson", "polygon", N_("Areas (GeoJSON)")),
        ("geojson", "line", N_("Defensive lines (GeoJSON)")),
        ("geojson", "point", N_("Checkpoints and bases (GeoJSON)")),
        ("kml", None, N_("KML, every layer")),
        ("gpkg", None, N_("GeoPackage, every layer")),
    ),
    "protected-sites": (
        ("geojson", "point", N_("Sites (GeoJSON)")),
        ("geojson", "polygon", N_("Site areas (GeoJSON)")),
        ("geojson", "line", N_("Movement routes (GeoJSON)")),
        ("kml", None, N_("KML, every layer")),
        ("gpkg", None, N_("GeoPackage, every layer")),
    ),
}


def download_links(
    gettext: Callable[[str], str], page: str, filters: Mapping[str, str]
) -> list[dict[str, str]]:
    """The menu of ``page`` (a key of MENUS): each link's ``href`` and translated ``label``.

    ``filters`` are the page's filter values (empty ones are left out).
    """
    links = []
    for format_, layer, label in MENUS[page]:
        params = {k: v for k, v in filters.items() if v}
        if layer:
            params["geometry"] = layer
        query = urlencode(params)
        href = f"/exports/{page}.{format_}" + (f"?{query}" if query else "")
        links.append({"href": href, "label": gettext(label)})
    return links
