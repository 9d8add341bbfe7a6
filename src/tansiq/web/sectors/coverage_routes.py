"""The "security vacuum" page: who covers an area on a date, the overlap and the gaps.

The answer comes from :func:`tansiq.services.sectors.coverage.coverage`; the page shows it on a
map (each party's coverage in its colour, the overlap, the gaps hatched red and the
incidents inside them) and as a table in km².
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.errors import ValidationFailed
from tansiq.geo.boundaries import governorate_names
from tansiq.services.directory.commands import list_centers
from tansiq.services.sectors.coverage import coverage, latest_day_in_force
from tansiq.web.common import i18n
from tansiq.web.common.deps import Page, PageDep
from tansiq.web.common.fields import BAD_DATE, BAD_RANGE
from tansiq.web.common.geo_labels import GeoLabels, geo_labels_for
from tansiq.web.common.geo_views import party_centers
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc
from tansiq.web.common.received import received_text

router = APIRouter()
# Sectors are counted as they stand at midday, local time, on the chosen date.
MIDDAY = time(12, 0)
FIELD_LABELS: Mapping[str, str] = {
    "area": N_("Area"),
    "at": N_("Date"),
    "since": N_("Incidents since"),
    "until": N_("Incidents until"),
    "incidents_until": N_("Incidents until"),
}
BAD_AREA = N_("Choose a governorate or a center.")
INCIDENT_DETAILS = N_("Details")


def _day(values: dict[str, str], errors: dict[str, str], name: str) -> date | None:
    if not values[name]:
        return None
    try:
        day = date.fromisoformat(values[name])
    except ValueError:
        errors[name] = BAD_DATE
        return None
    if not 1990 <= day.year <= 2099:
        errors[name] = BAD_DATE
        return None
    return day


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _features(answer: Mapping[str, Any], labels: GeoLabels, page: Page) -> list[dict[str, Any]]:
    """The answer's features with popup text in the page's language."""
    tz = page.ctx.settings.display_timezone
    features = []
    for item in answer["features"]:
        props = dict(item["properties"])
        layer = props["layer"]
        if layer == "incident":
            when = i18n.format_datetime_local(parse_utc(props["occurred_at"]), labels.lang, tz)
            props.update(
                label=labels.event(props["sub_event_type"]),
                detail=f"{when} · {labels.party(props['party'])}",
                href=f"/incidents/{props['id']}",
                link_text=page.gettext(INCIDENT_DETAILS),
            )
            text = received_text(props["received"], labels.lang, tz)
            if text:
                props["received_text"] = text
        elif layer != "area":
            name = labels.layer(layer)
            if layer == "coverage":
                name = f"{name} {labels.party(props['party'])}"
            props.update(label=name, detail=f"{labels.number(props['area_km2'])} km²")
        features.append({**item, "properties": props})
    return features


def _rows(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    total = next((r["area_km2"] for r in answer["summary"] if r["layer"] == "area"), 0.0)
    return [
        {**row, "share": 100.0 * row["area_km2"] / total if total else 0.0}
        for row in answer["summary"]
    ]


def _ltr(text: str, lang: str) -> str:
    """``text`` isolated left to right inside right-to-left sentences (a 2020-02-20 date)."""
    return f"\u2066{text}\u2069" if lang in i18n.RTL else text


def _latest(page: Page, area: str, day: date, zone: ZoneInfo) -> date | None:
    """The latest day up to ``day`` with a sector in force at midday in ``area``, for the user."""
    return latest_day_in_force(
        page.ctx, actor=page.actor, area=area, on_or_before=day, at=MIDDAY, zone=zone
    )


@router.get("/coverage")
def coverage_page(page: PageDep) -> Response:
    """Coverage of a governorate or center's area on a date; bad choices → 422."""
    params = page.request.query_params
    labels = geo_labels_for(page.ctx, page.lang)
    tz = page.ctx.settings.display_timezone
    zone = ZoneInfo(tz)
    centers = list_centers(page.ctx)
    own = party_centers(page.ctx, page.actor.party)
    today = page.ctx.clock().astimezone(zone).date()
    values = {name: (params.get(name) or "").strip() for name in ("area", "at", "since", "until")}
    values["area"] = values["area"] or (own[0]["code"] if own else "Kirkuk")
    errors: dict[str, str] = {}
    known = {c["code"] for c in centers} | set(governorate_names())
    if values["area"] not in known:
        errors["area"] = BAD_AREA
    opened_on: date | None = None  # set when today has nothing in force: the day shown instead
    if not values["at"]:
        latest = None if errors else _latest(page, values["area"], today, zone)
        if latest is not None and latest != today:
            opened_on = latest
        values["at"] = (latest or today).isoformat()
    at, since, until = (_day(values, errors, name) for name in ("at", "since", "until"))
    if since and until and until < since:
        errors["until"] = BAD_RANGE
    answer: dict[str, Any] | None = None
    if not errors and at is not None:
        until_day = until or at
        try:
            answer = coverage(
                page.ctx,
                actor=page.actor,
                area=values["area"],
                at=_local(at, MIDDAY, zone),
                incidents_since=_local(since or until_day - timedelta(days=30), time(), zone),
                incidents_until=_local(until_day + timedelta(days=1), time(), zone),
            )
        except ValidationFailed as exc:
            errors.update({e.field: e.message for e in exc.errors})
        else:
            for name in ("incidents_since", "incidents_until"):
                moment = parse_utc(answer[name])
                answer[f"{name}_local"] = i18n.format_datetime_local(moment, page.lang, tz)
    nothing_on: dict[str, Any] | None = None
    if answer is not None and at is not None and not answer["sector_count"]:
        latest = _latest(page, values["area"], at, zone)
        nothing_on = {"latest": latest.isoformat() if latest else None}
    context = {
        "v": values,
        "errors": {name: page.gettext(message) for name, message in errors.items()},
        "field_labels": {name: page.gettext(label) for name, label in FIELD_LABELS.items()},
        "centers": centers,
        "governorates": governorate_names(),
        "answer": answer,
        "rows": _rows(answer) if answer else [],
        "map_data": {"type": "FeatureCollection", "features": _features(answer, labels, page)}
        if answer
        else None,
        "labels": labels,
        "today": _ltr(today.isoformat(), page.lang),
        "opened_on": _ltr(opened_on.isoformat(), page.lang) if opened_on else None,
        "nothing_on": nothing_on,
        "tile_url": page.ctx.settings.tile_url,
        "nav": "coverage",
    }
    return page.render("coverage/page.html", context, status_code=422 if errors else 200)
