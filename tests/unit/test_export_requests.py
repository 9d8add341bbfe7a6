"""What an export may ask for: formats, layers and filters, each refusal naming its field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tansiq.domain.errors import ValidationFailed
from tansiq.ingest.export.options import filters_from_text
from tansiq.ingest.export.request import ExportRequest, SiteFilters, layers_of
from tansiq.services.incidents.queries import IncidentFilters
from tansiq.services.sectors.queries import SectorFilters


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.field for e in exc.value.errors]


@pytest.mark.parametrize(
    ("request_", "layers"),
    [
        (ExportRequest("incidents", "geojson", IncidentFilters()), ("point",)),
        (ExportRequest("sectors", "kml", SectorFilters()), ("polygon", "line", "point")),
        (ExportRequest("sectors", "gpkg", SectorFilters(), "line"), ("line",)),
        (ExportRequest("sectors", "geojson", SectorFilters(kind="aor")), ("polygon",)),
        (ExportRequest("sectors", "geojson", SectorFilters(kind="base")), ("point",)),
        (
            ExportRequest("protected_sites", "geojson", SiteFilters(kind="humanitarian_movement")),
            ("line",),
        ),
        (ExportRequest("protected_sites", "kml", SiteFilters(kind="school")), ("point", "polygon")),
        (ExportRequest("protected_sites", "geojson", SiteFilters(), "polygon"), ("polygon",)),
    ],
)
def test_the_layers_an_export_writes(request_: ExportRequest, layers: tuple[str, ...]) -> None:
    assert layers_of(request_)[1] == layers


@pytest.mark.parametrize(
    ("request_", "field", "message"),
    [
        (ExportRequest("incidents", "shp", IncidentFilters()), "format", "geojson, kml, gpkg, csv"),
        (ExportRequest("sectors", "csv", SectorFilters()), "format", "gpkg for sectors"),
        (ExportRequest("incidents", "kml", IncidentFilters(), "line"), "geometry", "point"),
        (ExportRequest("sectors", "geojson", SectorFilters()), "geometry", "polygon, line, point"),
        (
            ExportRequest("protected_sites", "geojson", SiteFilters(kind="clinic")),
            "geometry",
            "choose point, polygon",
        ),
        (ExportRequest("sectors", "gpkg", SectorFilters(), "area"), "geometry", "one of"),
    ],
)
def test_a_bad_request_names_its_field(request_: ExportRequest, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        layers_of(request_)
    assert _fields(exc) == [field] and message in exc.value.errors[0].message


def test_text_filters_mean_what_the_list_filters_mean() -> None:
    filters = filters_from_text(
        "incidents",
        {"since": "2020-02-01", "until": "2020-02-20T12:00:00+03:00", "admin1": "Kirkuk",
         "event_type": "Battles", "bbox": "44,35,45,36", "party": None},
    )  # fmt: skip
    assert filters == IncidentFilters(
        since=datetime(2020, 2, 1, tzinfo=UTC),
        until=datetime(2020, 2, 20, 9, tzinfo=UTC),
        bbox=(44.0, 35.0, 45.0, 36.0),
        admin1="Kirkuk",
        event_type="Battles",
    )
    assert filters_from_text("sectors", {"kind": "aor", "active_at": "2020-02-20"}) == (
        SectorFilters(kind="aor", active_at=datetime(2020, 2, 20, tzinfo=UTC))
    )
    assert filters_from_text("protected_sites", {"status": "active"}) == SiteFilters(
        status="active"
    )


def test_every_bad_filter_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        filters_from_text(
            "incidents",
            {"since": "last week", "bbox": "44,35", "admin1": "Kirkok",
             "event_type": "Shelling", "status": "closed", "kind": "aor"},
        )  # fmt: skip
    assert _fields(exc) == ["since", "bbox", "admin1", "event_type", "status", "kind"]
    assert exc.value.errors[-1].message == "does not filter incidents"
    with pytest.raises(ValidationFailed) as exc:
        filters_from_text("incidents", {"since": "2020-02-20", "until": "2020-02-01"})
    assert _fields(exc) == ["until"]
    with pytest.raises(ValidationFailed) as exc:
        filters_from_text("protected_sites", {"admin1": "Kirkuk", "kind": "mosque"})
    assert _fields(exc) == ["admin1", "kind"]
