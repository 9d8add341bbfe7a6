"""What an export holds: each dataset's layers (one geometry type each) and its fields.

Pure: a :class:`Dataset` says how a record's payload (the JSON API's answer) becomes
a :class:`Feature` of one layer, and which typed fields the formats without a JSON
value (KML, GeoPackage) write. Lines and polygons are always written as their
multi type, so a layer has exactly one geometry type whatever the records hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Final, Literal

FieldType = Literal["text", "integer", "real", "boolean", "datetime", "json"]
Family = Literal["point", "line", "polygon"]
Payload = Mapping[str, Any]

#: The family of each GeoJSON geometry type a record may hold.
FAMILIES: Final[Mapping[str, Family]] = {
    "Point": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}
#: The one geometry type every layer of a family is written with.
LAYER_TYPES: Final[Mapping[Family, str]] = {
    "point": "Point",
    "line": "MultiLineString",
    "polygon": "MultiPolygon",
}
_PLURALS: Final[Mapping[Family, str]] = {"point": "points", "line": "lines", "polygon": "polygons"}


@dataclass(frozen=True)
class Field:
    """One typed attribute: its name in the file and where the payload holds it.

    ``key`` defaults to ``name``; ``part`` picks one item of a list (a bbox corner).
    """

    name: str
    type: FieldType
    key: str | None = None
    part: int | None = None

    @property
    def source(self) -> str:
        """The payload key this field is read from."""
        return self.key or self.name

    def value(self, payload: Payload) -> Any:
        """The field's value in ``payload`` (None when absent or null)."""
        value = payload.get(self.source)
        if value is not None and self.part is not None:
            value = value[self.part]
        return value


@dataclass(frozen=True)
class Feature:
    """One record as a feature: its layer family, its geometry (in the layer's type),
    its properties (the payload without the geometry) and the payload itself."""

    id: str
    family: Family
    geometry: dict[str, Any]
    properties: dict[str, Any]
    payload: Payload


@dataclass(frozen=True)
class Dataset:
    """A kind of record that can be exported, and how each format shows it.

    ``geometry_key`` names the payload's geometry; ``label`` gives a feature's name
    (the record's ``name``, where it has one and it is not empty) and ``description``
    the key of its text (KML); ``when``/``span`` the payload keys of its instant or
    validity window (KML ``TimeStamp``/``TimeSpan``).
    """

    name: str
    title: str
    geometry_key: str
    fields: tuple[Field, ...]
    families: tuple[Family, ...]
    label: Callable[[Payload], str]
    description: str | None = None
    when: str | None = None
    span: tuple[str, str] | None = None

    def layer_name(self, family: Family) -> str:
        """The layer (GeoPackage table, KML folder) of ``family``: ``sectors_lines``…"""
        return self.name if len(self.families) == 1 else f"{self.name}_{_PLURALS[family]}"

    def feature(self, payload: Payload) -> Feature:
        """``payload`` as a feature of its layer; raises ValueError for a geometry no
        layer of the dataset takes (the services never store one)."""
        geometry = payload[self.geometry_key]
        family = FAMILIES.get(geometry["type"])
        if family not in self.families:
            raise ValueError(f"a {self.name} record cannot hold a {geometry['type']}")
        properties = {k: v for k, v in payload.items() if k != self.geometry_key}
        return Feature(str(payload["id"]), family, promote(geometry), properties, payload)

    @cached_property
    def _getters(self) -> tuple[tuple[str, int | None], ...]:
        return tuple((f.source, f.part) for f in self.fields)

    def columns(self, payload: Payload) -> list[Any]:
        """The value of each of :attr:`fields`, in order (as :meth:`Field.value`)."""
        # Inlined Field.value: this runs for every field of every exported record.
        values: list[Any] = [payload.get(key) for key, _part in self._getters]
        for i, (_key, part) in enumerate(self._getters):
            if part is not None and values[i] is not None:
                values[i] = values[i][part]
        return values


def promote(geometry: dict[str, Any]) -> dict[str, Any]:
    """A LineString or Polygon as the MultiLineString or MultiPolygon of its one part."""
    kind = geometry["type"]
    if kind in ("LineString", "Polygon"):
        return {"type": "Multi" + kind, "coordinates": [geometry["coordinates"]]}
    return geometry


def millisecond_utc(value: str) -> str:
    """An ISO 8601 instant as ``YYYY-MM-DDTHH:MM:SS.SSSZ`` (GeoPackage's DATETIME form).

    Raises ValueError for text that is not an ISO 8601 instant.
    """
    if len(value) == 27 and value[19] == "." and value[26] == "Z":
        # The services' own form (journal.canonical.iso_utc): microseconds in UTC.
        return value[:23] + "Z"
    when = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


# What every party-owned record carries (services/core/kinds.owned_fields, stamps).
_OWNED_HEAD = (Field("id", "text"), Field("version", "integer"), Field("party", "text"))
_OWNED_TAIL = (
    Field("releasability", "text"),
    Field("center_id", "text"),
    Field("created_at", "datetime"),
    Field("updated_at", "datetime"),
    Field("created_by", "text"),
    Field("updated_by", "text"),
    # Where a record of another party's node came from ({"from", "node_id", "at",
    # "precision"}), or null for this node's own: as the JSON API marks it.
    Field("received", "json"),
)
# The box of the ground a sector or site covers, [west, south, east, north] in the API.
_BBOX = tuple(
    Field(f"bbox_{corner}", "real", key="bbox", part=i)
    for i, corner in enumerate(("west", "south", "east", "north"))
)


def _incident_label(p: Payload) -> str:
    place = p.get("place_name") or p.get("admin2") or p.get("admin1") or ""
    return f"{p['sub_event_type']}: {place}" if place else str(p["sub_event_type"])


INCIDENTS = Dataset(
    name="incidents",
    title="Tansiq incidents",
    geometry_key="location",
    families=("point",),
    label=_incident_label,
    description="description",
    when="occurred_at",
    fields=(
        *_OWNED_HEAD,
        Field("status", "text"),
        Field("event_id_cnty", "text"),
        Field("occurred_at", "datetime"),
        Field("time_precision", "text"),
        Field("geo_precision", "integer"),
        Field("place_name", "text"),
        Field("cross_border", "boolean"),
        Field("admin1", "text"),
        Field("admin2", "text"),
        Field("admin3", "text"),
        Field("disorder_type", "text"),
        Field("event_type", "text"),
        Field("sub_event_type", "text"),
        Field("actor1", "text"),
        Field("assoc_actor_1", "text"),
        Field("inter1", "text"),
        Field("actor2", "text"),
        Field("assoc_actor_2", "text"),
        Field("inter2", "text"),
        Field("civilian_targeting", "boolean"),
        Field("fatalities", "integer"),
        Field("injured", "integer"),
        Field("description", "text"),
        Field("sources", "json"),
        Field("source_scale", "text"),
        Field("tags", "text"),
        Field("source_reliability", "text"),
        Field("credibility", "integer"),
        *_OWNED_TAIL,
    ),
)

SECTORS = Dataset(
    name="sectors",
    title="Tansiq sectors",
    geometry_key="geometry",
    families=("polygon", "line", "point"),
    label=lambda p: str(p.get("name") or p.get("unit_name") or p["kind"]),
    span=("valid_from", "valid_until"),
    fields=(
        *_OWNED_HEAD,
        Field("status", "text"),
        Field("status_reason", "text"),
        Field("kind", "text"),
        Field("name", "text"),
        Field("unit_name", "text"),
        Field("depth_m", "real"),
        Field("radius_m", "real"),
        Field("valid_from", "datetime"),
        Field("valid_until", "datetime"),
        Field("cross_border", "boolean"),
        *_BBOX,
        *_OWNED_TAIL,
    ),
)

PROTECTED_SITES = Dataset(
    name="protected_sites",
    title="Tansiq protected sites",
    geometry_key="geometry",
    families=("point", "polygon", "line"),
    label=lambda p: str(p.get("name") or p["kind"]),
    description="description",
    span=("starts_at", "ends_at"),
    fields=(
        *_OWNED_HEAD,
        Field("status", "text"),
        Field("status_reason", "text"),
        Field("kind", "text"),
        Field("name", "text"),
        Field("name_ar", "text"),
        Field("name_ckb", "text"),
        Field("starts_at", "datetime"),
        Field("ends_at", "datetime"),
        Field("description", "text"),
        Field("cross_border", "boolean"),
        *_BBOX,
        *_OWNED_TAIL,
    ),
)

DATASETS: Final[Mapping[str, Dataset]] = {d.name: d for d in (INCIDENTS, SECTORS, PROTECTED_SITES)}
