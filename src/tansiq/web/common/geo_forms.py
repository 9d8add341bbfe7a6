"""Pieces shared by the sector, site and plan forms: a geometry drawn or uploaded,
local date-times, and the services' messages in words a form reader knows.

A geometry arrives as GeoJSON text in a field the map's drawing tool fills (and a
keyboard user may type into), or as an uploaded file; the upload wins. Messages are
message ids, translated when the page renders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.datastructures import UploadFile

from tansiq.domain.errors import FieldError
from tansiq.web.common.fields import MISSING, NOT_A_DATETIME, NOT_A_NUMBER, parse_local_datetime
from tansiq.web.common.form_errors import FieldForm
from tansiq.web.common.i18n import N_

MAX_UPLOAD_BYTES = 2_000_000
NO_GEOMETRY = N_("Draw it on the map or upload a GeoJSON file.")
NOT_GEOJSON = N_("This is not GeoJSON.")
ONE_GEOMETRY = N_("The file must hold one geometry, or one feature.")
TOO_LARGE = N_("The file is too large (at most 2 MB).")
NOT_UTF8 = N_("The file is not UTF-8 text.")
# What the services say (as a prefix; the first match wins) → what the form says.
# Unknown messages are shown as the service wrote them.
GEO_MESSAGES: tuple[tuple[str, str], ...] = (
    ("must be one of: Polygon", N_("Draw an area (a closed shape).")),
    ("must be one of: LineString", N_("Draw a line for a defensive line.")),
    ("must be one of: Point, Polygon", N_("Mark a point or draw an area.")),
    ("must be one of: Point", N_("Mark a point for a checkpoint or base.")),
    ("is not valid (", N_("The shape crosses itself; draw it again.")),
    (
        "lies outside the Iraq area",
        N_("The shape lies outside Iraq; tick “Cross-border” if meant."),
    ),
    ("is absurdly large", N_("The shape is far too large.")),
    ("has no area", N_("The shape has no area.")),
    ("a polygon ring needs at least 4 positions", N_("An area needs at least three points.")),
    ("a line needs at least 2 positions", N_("A line needs at least two points.")),
    ("must be a GeoJSON geometry object", NOT_GEOJSON),
    ("must be after", N_("Must be after the start.")),
    ("must be at most 366 days after", N_("A plan may last at most 366 days.")),
    ("must be between 2000 and 2099", N_("Choose a date between 2000 and 2099.")),
    ("must be between 1990-01-01 and 2100-01-01", N_("Choose a date between 1990 and 2099.")),
    ("must be between 10 and 50000 metres", N_("Must be from 10 to 50,000 metres.")),
    ("is required for a defensive_line", N_("Give the line's depth in metres.")),
    ("is required for a checkpoint", N_("Give the radius in metres.")),
    ("is required for a base", N_("Give the radius in metres.")),
    ("does not apply to a aor", N_("Leave this empty for an area of responsibility.")),
    ("makes the ground covered larger than", N_("The ground covered would be far too large.")),
    ("must be a center your party is a member of", N_("Choose a center of your party.")),
    ("is required when releasability is center", N_("Choose the center to share it with.")),
    ("must include your party", N_("Your party must take part.")),
    ("must be one of the participants", N_("The lead must be one of the participants.")),
    (
        "a plan with other participants must reach them",
        N_("Share the plan with the center or all parties, so they can sign."),
    ),
    ("every participant must be a member", N_("Every participant must sit on this center.")),
    ("a notified operation has exactly one participant", N_("A notified plan has one party.")),
    ("a notified operation is shown to others", N_("Share a notified plan with a center or all.")),
    ("must be a list of 1 to", N_("Choose at least one party.")),
    ("must be at most", N_("This text is too long.")),
    ("must be one of", N_("Choose one of the listed options.")),
    # Last: the more precise messages above start the same way.
    ("is required", MISSING),
    ("must not be empty", MISSING),
)


@dataclass
class GeoForm(FieldForm):
    """A sector, site or plan form; its services' messages read as :func:`geo_message` says."""

    # Service field → form field, for forms whose inputs are named otherwise.
    renames: Mapping[str, str] = field(default_factory=dict)

    def add_service_errors(
        self, errors: Sequence[FieldError], renames: Mapping[str, str] | None = None
    ) -> None:
        """Attach a service's field errors, renaming service fields to form fields."""
        names = self.renames if renames is None else renames
        for error in errors:
            name = names.get(error.field, error.field).replace(".", "-")
            self.add(name, self.service_message(error.field, error.message))

    def service_message(self, name: str, message: str) -> str:
        """The form's message id for a service's message (on any field)."""
        return geo_message(message)


def geo_message(service_message: str) -> str:
    """The form's message id for a service's field message (the message itself if unknown)."""
    for known, message in GEO_MESSAGES:
        if service_message.startswith(known):
            return message
    return service_message


def geometry_of(document: Any) -> Any:
    """The geometry of a GeoJSON geometry, Feature or one-feature FeatureCollection.

    Raises ValueError (message id) for anything else.
    """
    if not isinstance(document, dict):
        raise ValueError(NOT_GEOJSON)
    if document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValueError(ONE_GEOMETRY)
        document = features[0]
        if not isinstance(document, dict):
            raise ValueError(NOT_GEOJSON)
    if document.get("type") == "Feature":
        document = document.get("geometry")
        if not isinstance(document, dict):
            raise ValueError(ONE_GEOMETRY)
    return document


def has_geometry(form: Mapping[str, Any], *, name: str, file_field: str) -> bool:
    """Whether the form holds a drawn (or typed) geometry in ``name`` or a chosen file."""
    drawn, upload = form.get(name), form.get(file_field)
    chosen = isinstance(upload, UploadFile) and bool(upload.filename)
    return chosen or (isinstance(drawn, str) and bool(drawn.strip()))


def upload_bytes(form: Mapping[str, Any], name: str) -> bytes | None:
    """The bytes of an uploaded file (None when no file was chosen).

    Raises ValueError (message id) for a file over :data:`MAX_UPLOAD_BYTES`.
    """
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    raw = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValueError(TOO_LARGE)
    return raw


def read_geometry(
    result: FieldForm, form: Mapping[str, Any], *, name: str, file_field: str
) -> Any | None:
    """The geometry drawn in ``name`` or uploaded as ``file_field``, or None (named).

    Puts the geometry's GeoJSON text in ``result.values[name]`` so the map shows it again.
    """
    drawn = form.get(name)
    result.values[name] = drawn.strip() if isinstance(drawn, str) else ""
    try:
        raw = upload_bytes(form, file_field)
        if raw is not None:
            try:
                document = orjson.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                raise ValueError(NOT_UTF8) from None
            except orjson.JSONDecodeError:
                raise ValueError(NOT_GEOJSON) from None
            geometry = geometry_of(document)
            result.values[name] = orjson.dumps(geometry).decode()
            return geometry
    except ValueError as exc:
        result.add(file_field, str(exc))
        return None
    if not result.values[name]:
        result.add(name, NO_GEOMETRY)
        return None
    try:
        return geometry_of(orjson.loads(result.values[name]))
    except orjson.JSONDecodeError:
        result.add(name, NOT_GEOJSON)
    except ValueError as exc:
        result.add(name, str(exc))
    return None


def read_datetime(result: GeoForm, name: str, tz: str, *, required: bool = True) -> str | None:
    """A datetime-local value read in ``tz`` as ISO UTC text, or None (named when bad)."""
    value = result.values.get(name, "")
    if not value:
        if required:
            result.add(name, MISSING)
        return None
    try:
        return parse_local_datetime(value, tz).isoformat().replace("+00:00", "Z")
    except ValueError:
        result.add(name, NOT_A_DATETIME)
        return None


def read_datetimes(result: GeoForm, data: dict[str, Any], tz: str, *names: str) -> None:
    """Each required datetime-local field of ``names`` into ``data`` (see :func:`read_datetime`)."""
    for name in names:
        when = read_datetime(result, name, tz)
        if when is not None:
            data[name] = when


def read_number(result: GeoForm, name: str) -> float | None:
    """An optional number field, or None (named when not a number)."""
    value = result.values.get(name, "")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        result.add(name, NOT_A_NUMBER)
        return None
    return number
