"""Command line for sectors, protected sites and coverage.

``tansiq coverage``, ``tansiq sectors import`` and ``tansiq sites import`` act as
a named user of this node (``--as USERNAME``, required): coverage counts only
the sectors released to that user's party, exactly as the API and the map do.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
import orjson

from tansiq.cli.options import AS_USER, acting_as, node_options
from tansiq.config import Settings


def _read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``; raises ClickException if it holds more."""
    # Read one byte past the limit, never the whole file: it may be /dev/zero or a pipe.
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise click.ClickException(f"{path} cannot be read: {exc.strerror}") from None
    if len(raw) > limit:
        raise click.ClickException(
            f"{path} is larger than {limit:,} bytes (the TANSIQ_MAX_IMPORT_BYTES limit)"
        )
    return raw


def _parse_json(path: Path, raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise click.ClickException(f"{path} is not valid JSON: {exc}") from None


def _read_json(path: Path, limit: int) -> Any:
    return _parse_json(path, _read_bounded(path, limit))


def _area_option(value: str, limit: int) -> str | dict[str, Any]:
    """A governorate or center code as given, or the polygon of a GeoJSON file."""
    path = Path(value)
    if path.suffix.lower() not in (".geojson", ".json") or not path.is_file():
        return value
    document = _read_json(path, limit)
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features") or []
        if len(features) != 1:
            raise click.ClickException(f"{path} must hold exactly one polygon feature")
        document = features[0]
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = document.get("geometry")
    if not isinstance(document, dict):
        raise click.ClickException(f"{path} must hold a GeoJSON Polygon or MultiPolygon")
    return document


def _summary_table(answer: dict[str, Any]) -> list[str]:
    area = answer["area"]
    code = f" {area['code']}" if area["code"] else ""
    lines = [
        f"coverage of {area['name']} ({area['kind']}{code}) at {answer['at']}; "
        f"incidents {answer['incidents_since']} to {answer['incidents_until']}; "
        f"{answer['sector_count']} sectors",
        f"{'layer':<10}{'party':<8}{'area_km2':>14}{'incidents':>11}",
    ]
    for row in answer["summary"]:
        lines.append(
            f"{row['layer']:<10}{row['party'] or '-':<8}"
            f"{row['area_km2']:>14,.3f}{row['incident_count']:>11}"
        )
    parts = [f for f in answer["features"] if f["properties"]["layer"] == "gap"]
    if parts:
        largest = parts[0]["properties"]
        lines.append(
            f"gaps: {len(parts)} parts; largest {largest['id']} "
            f"{largest['area_km2']:,.3f} km² with {largest['incident_count']} incidents"
        )
    return lines


def _when(value: str | None, field: str) -> datetime | None:
    from tansiq.services.sectors.coverage import parse_when

    return parse_when(value, field=field) if value else None


@click.command("coverage")
@click.option(
    "--area",
    required=True,
    help="Governorate (e.g. Diyala), center code (e.g. jcc-kirkuk), or a .geojson polygon file.",
)
@click.option("--at", "at", required=True, help="Date (00:00 UTC) or ISO date-time with offset.")
@click.option("--party", default=None, help="Count only this party's sectors.")
@click.option("--incidents-since", default=None, help="Incidents from (default: 30 days back).")
@click.option("--incidents-until", default=None, help="Incidents until (default: --at).")
@click.option("--json", "as_json", is_flag=True, help="Print the GeoJSON answer instead.")
@AS_USER
@node_options
def coverage(
    settings: Settings,
    area: str,
    at: str,
    party: str | None,
    incidents_since: str | None,
    incidents_until: str | None,
    as_json: bool,
    username: str,
) -> None:
    """Print who covers an area at a date, their overlap and the gaps (with incidents)."""
    from tansiq.services.sectors import coverage as coverage_service

    with acting_as(settings, username) as (ctx, actor):
        answer = coverage_service.coverage(
            ctx,
            actor=actor,
            area=_area_option(area, settings.max_import_bytes),
            at=coverage_service.parse_when(at),
            incidents_since=_when(incidents_since, "incidents_since"),
            incidents_until=_when(incidents_until, "incidents_until"),
            parties=[party] if party else None,
        )
    if as_json:
        click.echo(orjson.dumps(answer).decode())
    else:
        click.echo("\n".join(_summary_table(answer)))


@click.group()
def sectors() -> None:
    """Sectors: areas of responsibility, defensive lines, checkpoints and bases."""


@sectors.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@AS_USER
@node_options
def sectors_import(settings: Settings, file: Path, username: str) -> None:
    """Declare the sectors of a GeoJSON FeatureCollection FILE, all or nothing."""
    from tansiq.services.sectors.commands import import_sectors
    from tansiq.services.sectors.imports import features_of

    document = _read_json(file, settings.max_import_bytes)
    with acting_as(settings, username) as (ctx, actor):
        created = import_sectors(ctx, actor=actor, features=features_of(document))
    click.echo(f"imported {len(created)} sectors for party {actor.party}")


@click.group()
def sites() -> None:
    """Protected sites: schools, clinics, camps, places of worship, humanitarian movements."""


@sites.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@AS_USER
@node_options
def sites_import(settings: Settings, file: Path, username: str) -> None:
    """Declare the protected sites of FILE (GeoJSON, or CSV: kind,name,lon,lat,...)."""
    from tansiq.services.sectors.imports import csv_items, features_of
    from tansiq.services.sectors.site_commands import create_sites, import_sites

    raw = _read_bounded(file, settings.max_import_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None
    is_csv = file.suffix.lower() == ".csv" or not text.lstrip("\ufeff \r\n\t").startswith("{")
    with acting_as(settings, username) as (ctx, actor):
        if is_csv:
            items, prefixes = csv_items(text)
            created = create_sites(ctx, actor=actor, items=items, field_names=prefixes)
        else:
            document = _parse_json(file, raw)
            created = import_sites(ctx, actor=actor, features=features_of(document))
    click.echo(f"imported {len(created)} protected sites for party {actor.party}")


COMMANDS: tuple[click.Command, ...] = (
    coverage,
    sectors,
    sites,
)
