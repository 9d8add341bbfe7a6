"""Where a point lies, for the incident form's map: the district and governorate the
service will derive when the incident is saved, shown before it is saved."""

from __future__ import annotations

import math

import orjson
from fastapi import APIRouter
from starlette.responses import Response

from tansiq.geo.boundaries import locate
from tansiq.web.common import i18n
from tansiq.web.common.deps import JsonSessionDep, LanguageDep
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import Labels

router = APIRouter()
NOT_A_LATITUDE = N_("Give a latitude from -90 to 90.")
NOT_A_LONGITUDE = N_("Give a longitude from -180 to 180.")
OUTSIDE = N_("Outside Iraq: tick “Cross-border” if this is meant.")
DISTRICT = N_("District: %(district)s · Governorate: %(governorate)s")
GOVERNORATE = N_("Governorate: %(governorate)s")


def _coordinate(value: str, limit: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


@router.get("/places/locate")
def locate_point(
    _session: JsonSessionDep, lang: LanguageDep, lat: str = "", lon: str = ""
) -> Response:
    """``{"inside", "admin1", "admin2", "text"}`` for the point (lat, lon), in the page's
    language; a bad number answers 422 with ``errors`` naming ``lat`` or ``lon``."""
    translate = i18n.translations(lang).gettext
    lat_value, lon_value = _coordinate(lat, 90), _coordinate(lon, 180)
    errors = [
        {"field": name, "message": translate(message)}
        for name, value, message in (
            ("lat", lat_value, NOT_A_LATITUDE),
            ("lon", lon_value, NOT_A_LONGITUDE),
        )
        if value is None
    ]
    if errors or lat_value is None or lon_value is None:
        return Response(
            orjson.dumps({"errors": errors}), status_code=422, media_type="application/json"
        )
    area = locate(lon_value, lat_value)
    labels = Labels(lang=lang)
    if area is None:
        body = {"inside": False, "admin1": None, "admin2": None, "text": translate(OUTSIDE)}
    else:
        governorate, district = labels.admin1(area.admin1), labels.admin2(area.admin2)
        text = (
            translate(DISTRICT) % {"district": district, "governorate": governorate}
            if district
            else translate(GOVERNORATE) % {"governorate": governorate}
        )
        body = {"inside": True, "admin1": area.admin1, "admin2": area.admin2, "text": text}
    return Response(orjson.dumps(body), media_type="application/json")
