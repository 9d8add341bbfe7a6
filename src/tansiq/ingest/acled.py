"""An ACLED export into the importing party's incidents, all or nothing (``tansiq import acled``).

The file is read as it is stored, batch by batch, inside the one transaction of
``services.incidents.import_commands.import_incidents``: a row already imported (same
``event_id_cnty``) becomes a new version of its incident, or nothing when unchanged; any
bad row, and nothing is stored. Errors name the row as a spreadsheet numbers it (the
header is row 1) and the ACLED column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.errors import FieldError, ValidationFailed
from tansiq.ingest.reading.acled import ACLED_COLUMNS, COLUMN_OF_FIELD, parse_acled_row
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import OUTSIDE_IRAQ
from tansiq.services.incidents.import_commands import (
    ImportBatch,
    ImportSummary,
    import_incidents,
)

BATCH_ROWS = 1000
# Columns of exports before March 2023 that an export may still carry; they say nothing
# the 31 current columns do not.
LEGACY_COLUMNS = frozenset({"data_id", "event_id_no_cnty", "iso3"})
NOTHING_IMPORTED = "Nothing was imported"
MAX_NAMED_IN_DETAIL = 5
NOT_UTF8 = "is not UTF-8 text (save the file as UTF-8)"
# More missing columns than this and the file is named as no ACLED export at all.
MAX_MISSING_NAMED = 5
_MESSAGES = {("location", OUTSIDE_IRAQ): "is outside Iraq (only a row without admin1 may be)"}
Progress = Callable[[int], None]


def import_acled(
    ctx: ServiceContext,
    *,
    actor: Actor,
    path: Path,
    releasability: str = "party",
    progress: Progress | None = None,
) -> ImportSummary:
    """Import the ACLED CSV at ``path`` as incidents of the actor's party, in one transaction.

    ``progress`` is told how many more bytes of the file were read. Raises
    ValidationFailed naming each bad ``row N, column C`` (then nothing is stored),
    OSError when the file cannot be read, and what ``import_incidents`` raises.
    """
    with path.open("rb") as raw:
        text = io.TextIOWrapper(
            # Bytes that are not UTF-8 are kept as surrogates, so the row holding them is named.
            io.BufferedReader(_Counted(raw, progress)),
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
        )
        reader = csv.reader(text, strict=True)
        header = _header(reader)
        try:
            return import_incidents(
                ctx, actor=actor, batches=_batches(reader, header), releasability=releasability
            )
        except ValidationFailed as exc:
            named = [FieldError(*_column_named(e)) for e in exc.errors]
            shown = "; ".join(e.field for e in named[:MAX_NAMED_IN_DETAIL])
            if len(named) > MAX_NAMED_IN_DETAIL:
                shown += f" and {len(named) - MAX_NAMED_IN_DETAIL} more"
            raise ValidationFailed(f"{NOTHING_IMPORTED}: {shown}", named) from None


def _header(reader: Iterator[list[str]]) -> list[str]:
    """The header row, checked: every ACLED column, nothing unknown. Raises ValidationFailed."""
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _unreadable(1, exc) from None
    if not header:
        message = "the file is empty; an ACLED export starts with a header of its columns"
        raise ValidationFailed(NOTHING_IMPORTED, [FieldError("row 1", message)])
    if _not_utf8(header, header) is not None:
        raise ValidationFailed(NOTHING_IMPORTED, [FieldError("row 1", NOT_UTF8)])
    names = [name.strip() for name in header]
    missing = [c for c in ACLED_COLUMNS if c not in names]
    unknown = [c for c in names if c not in ACLED_COLUMNS and c not in LEGACY_COLUMNS]
    repeated = sorted({c for c in names if names.count(c) > 1})
    if len(missing) > MAX_MISSING_NAMED:
        # Not an ACLED file at all: naming thirty columns would hide that.
        message = (
            f"is not an ACLED header: {len(missing)} of its {len(ACLED_COLUMNS)} columns are "
            f"missing (an export's header starts {', '.join(ACLED_COLUMNS[:4])}, …)"
        )
        raise ValidationFailed(NOTHING_IMPORTED, [FieldError("row 1", message)])
    problems = [FieldError(f"row 1, column {c}", "is missing from the header") for c in missing]
    problems += [FieldError(f"row 1, column {c}", "is not an ACLED column") for c in unknown]
    problems += [FieldError(f"row 1, column {c}", "appears twice in the header") for c in repeated]
    if problems:
        raise ValidationFailed(NOTHING_IMPORTED, problems)
    return names


def _batches(reader: Iterator[list[str]], header: Sequence[str]) -> Iterator[ImportBatch]:
    """The rows in batches of BATCH_ROWS, each with the problems found reading it."""
    width = len(header)
    items: list[tuple[str, dict[str, Any]]] = []
    errors: list[FieldError] = []
    row_number = 1
    while True:
        row_number += 1
        try:
            values = next(reader, None)
        except csv.Error as exc:
            errors.extend(_unreadable(row_number, exc).errors)
            break
        if values is None:
            break
        if (column := _not_utf8(values, header)) is not None:
            errors.append(FieldError(f"row {row_number}, column {column}", NOT_UTF8))
        elif len(values) != width:
            if not any(v.strip() for v in values):
                continue  # a blank line, as spreadsheets leave at the end
            errors.append(
                FieldError(f"row {row_number}", f"has {len(values)} fields; the header {width}")
            )
        else:
            try:
                item = parse_acled_row(dict(zip(header, values, strict=True)), row_number)
                items.append((f"row {row_number}.", item))
            except ValidationFailed as exc:
                errors.extend(exc.errors)
        if len(items) + len(errors) >= BATCH_ROWS:
            yield ImportBatch(items, errors)
            items, errors = [], []
    if items or errors:
        yield ImportBatch(items, errors)


def _not_utf8(values: Sequence[str], header: Sequence[str]) -> str | None:
    """The column of the first value holding bytes that were not UTF-8, or None."""
    if "".join(values).isascii():  # most rows: one scan in C
        return None
    for index, value in enumerate(values):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return header[index] if index < len(header) else f"{index + 1}"
    return None


def _unreadable(row_number: int, exc: csv.Error) -> ValidationFailed:
    problem = FieldError(f"row {row_number}", f"the file is not CSV here: {exc}")
    return ValidationFailed(NOTHING_IMPORTED, [problem])


def _column_named(error: FieldError) -> tuple[str, str]:
    """An import error as (``row N, column C``, message): a field the services named
    (``row 7.occurred_at``) becomes the ACLED column it came from."""
    label, dot, name = error.field.partition(".")
    if not dot or not label.startswith("row "):
        return error.field, error.message
    column = COLUMN_OF_FIELD.get(name, name)
    return f"{label}, column {column}", _MESSAGES.get((name, error.message), error.message)


class _Counted(io.RawIOBase):
    """A binary file that tells ``progress`` how many bytes each read took."""

    def __init__(self, raw: io.BufferedIOBase, progress: Progress | None) -> None:
        super().__init__()
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)
        if count and self._progress is not None:
            self._progress(count)
        return count or 0
