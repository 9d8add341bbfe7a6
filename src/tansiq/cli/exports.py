"""``tansiq export``: what a user may see, as a GeoJSON, KML, GeoPackage or ACLED CSV file.

Acts as a named user (``--as``, required) and reads through the same list queries
as the API and the web pages, so the file holds exactly what that user may see.
Bad filters or a bad format give one line naming the option and write no file.
"""

from __future__ import annotations

from pathlib import Path

import click

from tansiq.cli.options import AS_USER, acting_as, node_options
from tansiq.config import Settings

# The positional choice (as the user types it) and the dataset it exports.
RECORDS = {"incidents": "incidents", "sectors": "sectors", "sites": "protected_sites"}
_EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".gpkg": "gpkg",
    ".csv": "csv",
}


def _format(given: str | None, output: Path) -> str:
    if given:
        return given.lower()
    guessed = _EXTENSIONS.get(output.suffix.lower())
    if guessed is None:
        raise click.ClickException(
            f"--format is needed: {output.name} does not end in .geojson, .kml, .gpkg or .csv"
        )
    return guessed


@click.command("export")
@click.argument("records", default="incidents", metavar="[incidents|sectors|sites]")
@click.option(
    "--format",
    "format_",
    default=None,
    help="geojson, kml, gpkg or csv (incidents, ACLED's columns); default: from -o.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (replaced only once the export is complete).",
)  # fmt: skip
@click.option("--geometry", default=None, help="Only the point, line or polygon layer.")
@click.option("--since", default=None, help="Incidents: occurred at or after (date or ISO time).")
@click.option("--until", default=None, help="Incidents: occurred before (date or ISO time).")
@click.option("--admin1", default=None, help="Incidents: in this governorate (e.g. Kirkuk).")
@click.option("--event-type", default=None, help="Incidents: of this ACLED event type.")
@click.option("--party", default=None, help="Only this party's records.")
@click.option("--status", default=None, help="Only records of this status.")
@click.option("--kind", default=None, help="Sectors or sites: only this kind.")
@click.option("--active-at", default=None, help="Sectors: active and in force at this time.")
@click.option("--bbox", default=None, help="Only records meeting west,south,east,north.")
@AS_USER
@node_options
def export(
    settings: Settings,
    records: str,
    format_: str | None,
    output: Path,
    geometry: str | None,
    username: str,
    **filters: str | None,
) -> None:
    """Write the incidents, sectors or protected sites USERNAME may see to a file."""
    from tansiq.ingest.export.options import filters_from_text
    from tansiq.ingest.export.produce import write_export
    from tansiq.ingest.export.request import ExportRequest

    dataset = RECORDS.get(records)
    if dataset is None:
        raise click.ClickException(f"records: must be one of {', '.join(RECORDS)}, not {records}")
    if not output.parent.is_dir():
        raise click.ClickException(f"{output.parent} is not a folder")
    chosen = _format(format_, output)
    with acting_as(settings, username) as (ctx, actor):
        request = ExportRequest(dataset, chosen, filters_from_text(dataset, filters), geometry)
        try:
            counts = write_export(ctx, actor=actor, request=request, path=output)
        except OSError as exc:
            raise click.ClickException(f"{output} cannot be written: {exc.strerror}") from None
    layers = ", ".join(f"{layer} {n}" for layer, n in counts.items()) or "nothing to export"
    click.echo(f"wrote {sum(counts.values())} features to {output} ({layers})")


COMMANDS: tuple[click.Command, ...] = (export,)
