"""The centers index and each center's dashboard, with its map of the last week's incidents.

The dashboard gathers, as the user may see them: open and overdue action items
by owing party, notices awaiting an answer, disputed incidents on the center's
agenda, decisions awaiting endorsement, plans awaiting signatures, and a map.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import (
    ActionStatusChoices,
    DecisionStatusChoices,
    OperationStatusChoices,
)
from tansiq.domain.errors import NotFound
from tansiq.services.directory.commands import list_centers
from tansiq.services.incidents.dispute_queries import list_disputes
from tansiq.services.incidents.queries import IncidentFilters, incidents_geojson, list_incidents
from tansiq.services.meetings.action_queries import ActionFilters, list_action_items
from tansiq.services.meetings.centers import center_by_code
from tansiq.services.meetings.commands import MeetingFilters, list_meetings
from tansiq.services.meetings.decision_commands import DecisionFilters, list_decisions
from tansiq.services.meetings.policy import may_record_meeting
from tansiq.services.notices.queries import NoticeFilters, list_notices
from tansiq.services.operations.queries import OperationFilters, list_operations
from tansiq.web.common import i18n
from tansiq.web.common.coordination_labels import coord_labels_for
from tansiq.web.common.deps import ContextDep, JsonSessionDep, LanguageDep, Page, PageDep
from tansiq.web.common.present import parse_utc
from tansiq.web.common.received import with_received_text
from tansiq.web.directory.views import concern_center, member_center
from tansiq.web.incidents.map_routes import MAP_LABELS
from tansiq.web.meetings.views import action_view, meeting_view
from tansiq.web.notices.views import notice_view

router = APIRouter()
RECENT = timedelta(days=7)
MANY = 1000


@router.get("/centers")
def center_index(page: PageDep) -> Response:
    """Every center; those the user's party sits on link to their dashboards."""
    labels = coord_labels_for(page.ctx, page.lang)
    centers = list_centers(page.ctx)
    context = {
        "centers": centers,
        "mine": {c["id"] for c in centers if page.actor.party in c["member_parties"]},
        "labels": labels,
        "nav": "centers",
    }
    return page.render("centers/index.html", context)


def _action_summary(items: list[dict[str, Any]], members: list[str]) -> list[dict[str, Any]]:
    rows = []
    for party in sorted({*members, *(i["owner_party"] for i in items)}):
        mine = [i for i in items if i["owner_party"] == party]
        late = [i for i in mine if i["overdue"]]
        rows.append(
            {
                "party": party,
                "open": len(mine),
                "overdue": len(late),
                "escalated": sum(1 for i in late if i["escalated"]),
                "late": sorted(late, key=lambda i: (not i["escalated"], i["due_at"])),
            }
        )
    return rows


def _latest_incident(
    page: Page, governorates: list[str], *, since: datetime | None
) -> dict[str, Any] | None:
    """The newest incident the user may see in ``governorates`` (from ``since``), or None."""
    newest: dict[str, Any] | None = None
    for governorate in governorates:
        found = list_incidents(
            page.ctx,
            actor=page.actor,
            filters=IncidentFilters(since=since, admin1=governorate),
            limit=1,
        ).items
        if found and (newest is None or found[0]["occurred_at"] > newest["occurred_at"]):
            newest = found[0]
    return {**newest, "occurred": parse_utc(newest["occurred_at"])} if newest else None


@router.get("/centers/{code}")
def dashboard(page: PageDep, code: str) -> Response:
    """A center's dashboard; 404 unless the user's party sits on the center."""
    center = member_center(page, code)
    ctx, actor, now = page.ctx, page.actor, page.ctx.clock()
    labels = coord_labels_for(ctx, page.lang)
    members = sorted(center["member_parties"])
    open_items = list_action_items(
        ctx,
        actor=actor,
        filters=ActionFilters(center_id=center["id"], status=ActionStatusChoices.OPEN.value),
        limit=MANY,
    ).items
    items = [action_view(item, labels, now) for item in open_items]
    pending = list_notices(ctx, actor=actor, filters=NoticeFilters(pending=True), limit=MANY)
    notices = [
        notice_view(n, labels, now) for n in concern_center(center, pending.items, "location")
    ]
    notices.sort(key=lambda n: n["deadline"])
    decisions = list_decisions(
        ctx, actor=actor, filters=DecisionFilters(center_id=center["id"]), limit=MANY
    ).items
    plans = list_operations(
        ctx,
        actor=actor,
        filters=OperationFilters(status=OperationStatusChoices.PROPOSED.value),
        limit=MANY,
    ).items
    meetings = list_meetings(
        ctx, actor=actor, filters=MeetingFilters(center_id=center["id"]), limit=5
    ).items
    recent = _latest_incident(page, center["governorates"], since=now - RECENT)
    context = {
        "center": center,
        "members": members,
        "actions": _action_summary(items, members),
        "notices": notices,
        "disputes": [
            {**d, "occurred": parse_utc(d["incident"]["occurred_at"])}
            for d in list_disputes(ctx, actor=actor, center=center["code"])
        ],
        "awaiting": [d for d in decisions if d["status"] == DecisionStatusChoices.PROPOSED],
        "plans": [
            {**p, "starts": parse_utc(p["starts_at"])}
            for p in concern_center(center, plans, "area")
        ],
        "meetings": [meeting_view(m) for m in meetings],
        "can_record": may_record_meeting(actor, members),
        "incidents_url": f"/centers/{center['code']}/incidents.geojson",
        # Nothing this week (the demo is of 2020): name the latest instead of an empty map.
        "recent_incidents": recent is not None,
        "latest_incident": recent or _latest_incident(page, center["governorates"], since=None),
        "boundaries_url": "/map/boundaries/1.geojson",
        "tile_url": ctx.settings.tile_url,
        "map_labels": {key: page.gettext(text) for key, text in MAP_LABELS.items()},
        "labels": labels,
        "nav": "centers",
    }
    return page.render("centers/dashboard.html", context)


@router.get("/centers/{code}/incidents.geojson")
def recent_incidents(
    ctx: ContextDep, session: JsonSessionDep, lang: LanguageDep, code: str
) -> Response:
    """The incidents of the last 7 days in the center's governorates, as GeoJSON."""
    actor = session.actor
    try:
        center = center_by_code(ctx, code=code)
    except NotFound:
        center = None
    if center is None or actor.party not in center["member_parties"]:
        return Response(orjson.dumps({"detail": "not found"}), status_code=404)
    since = ctx.clock() - RECENT
    labels = coord_labels_for(ctx, lang)
    tz = ctx.settings.display_timezone
    features: list[dict[str, Any]] = []
    for governorate in center["governorates"]:
        found = incidents_geojson(
            ctx, actor=actor, filters=IncidentFilters(since=since, admin1=governorate)
        )
        features += found["features"]
    for feature in with_received_text(features, lang, tz):
        props = feature["properties"]
        props["event_type_label"] = labels.event(props["event_type"])
        props["occurred_at_label"] = i18n.format_datetime_local(
            parse_utc(props["occurred_at"]), lang, tz
        )
    body = {"type": "FeatureCollection", "features": features}
    return Response(orjson.dumps(body), media_type="application/geo+json")
