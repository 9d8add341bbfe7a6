"""Exports as the user may see them: records read through the services' list queries,
a page at a time, and handed to a format writer as they come.

Every record comes from the same visible queries the lists and the map use
(``visible_to``, the one releasability rule), so an export holds exactly what the
user may see, no more. Each page is its own short read, so a slow download never
holds a transaction open; pages run by record id (ids never change), so a walk
never repeats or skips a record that changes meanwhile. The first page is read
before anything is written: a request that fails, fails before the first byte.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.ingest.export.acled_csv import csv_chunks
from tansiq.ingest.export.geojson import geojson_chunks
from tansiq.ingest.export.gpkg import write_geopackage
from tansiq.ingest.export.kml import kml_chunks
from tansiq.ingest.export.layers import Dataset, Family, Feature
from tansiq.ingest.export.request import ExportRequest, SiteFilters, layers_of
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.pagination import MAX_PAGE, Page
from tansiq.services.incidents.queries import IncidentFilters, list_incidents_by_id
from tansiq.services.sectors.queries import SectorFilters, list_sectors
from tansiq.services.sectors.site_commands import list_sites

READ_CHUNK = 64 * 1024
Fetch = Callable[[str | None], Page]


def _fetcher(ctx: ServiceContext, actor: Actor, request: ExportRequest) -> Fetch:
    filters = request.filters
    if isinstance(filters, IncidentFilters):
        return lambda cursor: list_incidents_by_id(
            ctx, actor=actor, filters=filters, cursor=cursor, limit=MAX_PAGE
        )
    if isinstance(filters, SectorFilters):
        return lambda cursor: list_sectors(
            ctx, actor=actor, filters=filters, cursor=cursor, limit=MAX_PAGE
        )
    assert isinstance(filters, SiteFilters)
    return lambda cursor: list_sites(
        ctx,
        actor=actor,
        kind=filters.kind,
        party=filters.party,
        status=filters.status,
        bbox=filters.bbox,
        cursor=cursor,
        limit=MAX_PAGE,
    )


def _rest(page: Page, fetch: Fetch) -> Iterator[dict[str, Any]]:
    while True:
        yield from page.items
        if page.next_cursor is None:
            return
        page = fetch(page.next_cursor)


def visible_records(
    ctx: ServiceContext, *, actor: Actor, request: ExportRequest
) -> Iterator[dict[str, Any]]:
    """Every record of the request the actor may see, as the JSON API answers it.

    Reads the first page now (raising what the list query raises) and each next
    page when the one before is used up.
    """
    fetch = _fetcher(ctx, actor, request)
    return _rest(fetch(None), fetch)


def _features(
    dataset: Dataset, records: Iterable[dict[str, Any]], layers: tuple[Family, ...]
) -> Iterator[Feature]:
    for record in records:
        feature = dataset.feature(record)
        if feature.family in layers:
            yield feature


@dataclass
class Export:
    """A checked export, its first page read: what to call it and how to write it."""

    request: ExportRequest
    dataset: Dataset
    layers: tuple[Family, ...]
    features: Iterator[Feature]
    counts: Counter[str]
    filename: str

    @property
    def media_type(self) -> str:
        """The format's media type."""
        return self.request.info.media_type

    def chunks(self) -> Iterator[bytes]:
        """The file of a text format (GeoJSON, KML, CSV) in chunks, written as records are read."""
        if self.request.format == "geojson":
            return geojson_chunks(self.dataset, self.layers[0], self.features, self.counts)
        if self.request.format == "kml":
            return kml_chunks(self.dataset, self.features, self.layers, self.counts)
        if self.request.format == "csv":
            layer = self.dataset.layer_name(self.layers[0])
            return csv_chunks(self.features, self.counts, layer=layer)
        raise ValueError(f"{self.request.format} is written to a file, not in chunks")

    def write(self, path: Path, *, now: datetime) -> None:
        """Write the export to the new file ``path``; raises OSError, sqlite3.Error."""
        if self.request.format == "gpkg":
            write_geopackage(
                path,
                self.dataset,
                self.features,
                now=now,
                families=self.layers,
                counts=self.counts,
            )
            return
        with path.open("xb") as out:
            for chunk in self.chunks():
                out.write(chunk)


def start_export(ctx: ServiceContext, *, actor: Actor, request: ExportRequest) -> Export:
    """Check ``request`` and read its first page of records.

    Raises ValidationFailed naming the bad field (format, geometry, cursor…)
    before anything is written.
    """
    dataset, layers = layers_of(request)
    records = visible_records(ctx, actor=actor, request=request)
    stamp = ctx.clock().strftime("%Y%m%d-%H%M")
    name = f"tansiq-{dataset.name.replace('_', '-')}-{stamp}.{request.info.extension}"
    return Export(request, dataset, layers, _features(dataset, records, layers), Counter(), name)


def write_export(
    ctx: ServiceContext, *, actor: Actor, request: ExportRequest, path: Path
) -> Counter[str]:
    """Write the export to ``path``, all or nothing: a partial file next to it is renamed
    over ``path`` only once complete. Returns the features written per layer.

    Raises ValidationFailed (then nothing is written) and OSError.
    """
    export = start_export(ctx, actor=actor, request=request)
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    os.unlink(partial)
    try:
        export.write(Path(partial), now=ctx.clock())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return export.counts


@dataclass
class Download:
    """An export as an HTTP answer: media type, file name, body chunks and length if known."""

    media_type: str
    filename: str
    body: Iterator[bytes]
    length: int | None = None


def _file_chunks(handle: Any) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(READ_CHUNK):
            yield chunk


def prepare_download(ctx: ServiceContext, *, actor: Actor, request: ExportRequest) -> Download:
    """The export as an HTTP answer: text formats stream as they are written; a
    GeoPackage (an SQLite file) is written to a temporary file first, which is
    unlinked once open, so the disk is freed when the answer is sent or dropped.

    Raises ValidationFailed before anything is sent.
    """
    export = start_export(ctx, actor=actor, request=request)
    if request.format != "gpkg":
        return Download(export.media_type, export.filename, export.chunks())
    with tempfile.TemporaryDirectory(prefix="tansiq-export-") as folder:
        path = Path(folder) / export.filename
        export.write(path, now=ctx.clock())
        handle = path.open("rb")
    length = os.fstat(handle.fileno()).st_size
    return Download(export.media_type, export.filename, _file_chunks(handle), length)
