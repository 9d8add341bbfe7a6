"""CSV in ACLED's column layout: one incident a row, as ``tansiq import acled`` reads it.

The cells come from the ACLED codec (``ingest/reading/acled.py``: ``ACLED_COLUMNS``,
``acled_row``), the same one the import reads with, so an export imports back into the
same incidents. Written as RFC 4180 text (UTF-8, CRLF rows, fields quoted when they
must be), a chunk of about 64 KiB at a time. Cells are written as they are, never
altered: a spreadsheet that runs formulas should import the file as text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator

from tansiq.ingest.export.layers import Feature
from tansiq.ingest.reading.acled import ACLED_COLUMNS, acled_row

CHUNK_BYTES = 64 * 1024


def csv_chunks(
    features: Iterable[Feature], counts: Counter[str] | None = None, *, layer: str = "incidents"
) -> Iterator[bytes]:
    """The header and one ACLED row an incident, in chunks; ``counts[layer]`` counts rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    for feature in features:
        writer.writerow(acled_row(feature.payload))
        if counts is not None:
            counts[layer] += 1
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
