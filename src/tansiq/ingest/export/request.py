"""What an export asks for: which records, in which format, narrowed how, which layers.

The filters are the list filters of each kind (the incident log's, the sector list's,
the protected-site list's); :func:`layers_of` checks what only an export can get
wrong (a format, a layer) and raises ValidationFailed naming the field, before a
single record is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from tansiq.domain.choices import ProtectedSiteKindChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.protected_sites import PLACE_TYPES, ROUTE_TYPES
from tansiq.domain.sectors import GEOMETRY_TYPES
from tansiq.ingest.export.layers import DATASETS, FAMILIES, Dataset, Family
from tansiq.services.incidents.queries import IncidentFilters
from tansiq.services.sectors.queries import SectorFilters

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class FormatInfo:
    """A format's media type, file extension and whether one file holds several layers."""

    media_type: str
    extension: str
    layers: bool


FORMATS: Final[Mapping[str, FormatInfo]] = {
    "geojson": FormatInfo("application/geo+json", "geojson", layers=False),
    # IANA registrations: KML (OGC 07-147r2 annex), GeoPackage (OGC 12-128r17).
    "kml": FormatInfo("application/vnd.google-earth.kml+xml", "kml", layers=True),
    "gpkg": FormatInfo("application/geopackage+sqlite3", "gpkg", layers=True),
    # ACLED's column layout (ingest/reading/acled.py), which holds incidents only.
    "csv": FormatInfo("text/csv", "csv", layers=False),
}
#: The formats each dataset may be exported in.
FORMATS_OF: Final[Mapping[str, tuple[str, ...]]] = {
    "incidents": tuple(FORMATS),
    "sectors": ("geojson", "kml", "gpkg"),
    "protected_sites": ("geojson", "kml", "gpkg"),
}
FAMILY_NAMES: Final = ("point", "line", "polygon")


@dataclass(frozen=True)
class SiteFilters:
    """What the protected-site list may be narrowed by; every field is optional."""

    kind: str | None = None
    party: str | None = None
    status: str | None = None
    bbox: BBox | None = None


Filters = IncidentFilters | SectorFilters | SiteFilters
_FILTERS: Final[Mapping[str, type]] = {
    "incidents": IncidentFilters,
    "sectors": SectorFilters,
    "protected_sites": SiteFilters,
}


@dataclass(frozen=True)
class ExportRequest:
    """An export of ``dataset`` (incidents, sectors, protected_sites) in ``format``.

    ``geometry`` keeps one layer (``point``, ``line`` or ``polygon``); GeoJSON, one
    layer a file, needs it unless the records can hold one geometry type only.
    """

    dataset: str
    format: str
    filters: Filters
    geometry: str | None = None

    @property
    def info(self) -> FormatInfo:
        """The format's media type and extension (the request must be checked first)."""
        return FORMATS[self.format]


def _implied(dataset: Dataset, filters: Filters) -> tuple[Family, ...]:
    # The layers a kind filter leaves: a sector kind has one geometry family, a
    # humanitarian movement is a route, every other site a point or an area.
    kind = getattr(filters, "kind", None)
    if kind is None:
        return dataset.families
    if isinstance(filters, SectorFilters):
        types: tuple[str, ...] = GEOMETRY_TYPES.get(kind, ())
    elif kind == ProtectedSiteKindChoices.HUMANITARIAN_MOVEMENT:
        types = ROUTE_TYPES
    else:
        types = PLACE_TYPES
    found = {FAMILIES[t] for t in types}
    return tuple(f for f in dataset.families if f in found) or dataset.families


def layers_of(request: ExportRequest) -> tuple[Dataset, tuple[Family, ...]]:
    """The dataset and the layers the export writes.

    Raises ValidationFailed naming ``format`` (unknown, or CSV of other records than
    incidents: ACLED's columns are an incident's), ``geometry`` (unknown, not
    a layer of the dataset, or missing where GeoJSON would need several layers).
    """
    formats = FORMATS_OF[request.dataset]
    if request.format not in formats:
        what = request.dataset.replace("_", " ")
        raise ValidationFailed.single("format", f"must be one of {', '.join(formats)} for {what}")
    dataset = DATASETS[request.dataset]
    if not isinstance(request.filters, _FILTERS[request.dataset]):
        raise TypeError(f"{request.dataset} are not filtered by {type(request.filters)}")
    layers = _implied(dataset, request.filters)
    if request.geometry is not None:
        if request.geometry not in dataset.families:
            allowed = ", ".join(f for f in FAMILY_NAMES if f in dataset.families)
            raise ValidationFailed.single("geometry", f"must be one of {allowed}")
        (chosen,) = (f for f in dataset.families if f == request.geometry)
        layers = (chosen,)
    if len(layers) > 1 and not request.info.layers:
        raise ValidationFailed.single(
            "geometry",
            f"a GeoJSON file holds one geometry type: choose {', '.join(layers)}",
        )
    return dataset, layers
