"""Operation plans as pages show them: findings with what they are about, each party's
signature on the current version, the moves the owner may make, and the plan's map.

Every record a finding names is read again as the viewer (``NotFound`` → shown by the
finding's own text only), so the page never carries more than the viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tansiq.domain.actors import Actor
from tansiq.domain.choices import FindingKindChoices, OperationKindChoices, OperationStatusChoices
from tansiq.domain.errors import NotFound
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import get_incident
from tansiq.services.operations.commands import get_operation
from tansiq.services.operations.policy import plan_moves
from tansiq.services.sectors.commands import get_sector
from tansiq.services.sectors.site_commands import get_site
from tansiq.web.common import i18n
from tansiq.web.common.deps import Page
from tansiq.web.common.geo_labels import GeoLabels
from tansiq.web.common.geo_views import collection, feature, site_name
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import history_view, parse_utc
from tansiq.web.common.received import received_text
from tansiq.web.common.surroundings import surroundings

S = OperationStatusChoices
MOVE_LABELS: Mapping[str, str] = {
    "proposed": N_("Propose to the other parties"),
    "approved": N_("Mark approved"),
    "active": N_("Start (mark active)"),
    "completed": N_("Mark completed"),
    "rejected": N_("Mark rejected"),
    "cancelled": N_("Cancel the plan"),
}
NOTIFY = N_("Notify the other parties")
OVERLAP = N_("%(km2)s km² overlap")
DISTANCE = N_("%(metres)s m from the area")
INSIDE = N_("inside the area")


def window_text(starts: datetime, ends: datetime, lang: str, tz: str) -> str:
    """``2020-02-26 06:00–18:00`` (one day) or ``… – …`` in ``tz``, kept left to right."""
    zone = ZoneInfo(tz)
    first, last = starts.astimezone(zone), ends.astimezone(zone)
    start = f"{first:%Y-%m-%d %H:%M}"
    if first.date() == last.date():
        text = f"{start}–{last:%H:%M}"
    else:
        text = f"{start} – {last:%Y-%m-%d %H:%M}"
    # Unicode LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE, as i18n does for times.
    return f"\u2066{text}\u2069" if lang in i18n.RTL else text


def plan_view(plan: Mapping[str, Any], lang: str, tz: str) -> dict[str, Any]:
    """A plan payload with ``starts``/``ends``/``updated`` datetimes and its ``window``."""
    starts, ends = parse_utc(plan["starts_at"]), parse_utc(plan["ends_at"])
    return {
        **plan,
        "starts": starts,
        "ends": ends,
        "updated": parse_utc(plan["updated_at"]),
        "window": window_text(starts, ends, lang, tz),
    }


def moves(actor: Actor, plan: Mapping[str, Any], approval: str) -> list[tuple[str, str]]:
    """(status, button label) for each move the actor may make now (the service's
    :func:`~tansiq.services.operations.policy.plan_moves`)."""
    joint = plan["kind"] == OperationKindChoices.JOINT
    return [
        (target.value, NOTIFY if target == S.PROPOSED and not joint else MOVE_LABELS[target])
        for target in plan_moves(actor, plan, approval)
    ]


def _subject(
    ctx: ServiceContext, actor: Actor, finding: Mapping[str, Any], labels: GeoLabels
) -> dict[str, Any] | None:
    """The record a finding is about, as the viewer may see it: name, geometry, link."""
    kind, subject_id = finding["kind"], finding["subject_id"]
    readers: dict[str, Callable[[], dict[str, Any]]] = {
        FindingKindChoices.SECTOR_OVERLAP: lambda: get_sector(
            ctx, actor=actor, sector_id=subject_id
        ),
        FindingKindChoices.PROTECTED_SITE: lambda: get_site(ctx, actor=actor, site_id=subject_id),
        FindingKindChoices.OPERATION_OVERLAP: lambda: get_operation(
            ctx, actor=actor, operation_id=subject_id
        ),
        FindingKindChoices.RECENT_INCIDENT: lambda: get_incident(
            ctx, actor=actor, incident_id=subject_id
        ),
    }
    try:
        record = readers[kind]()
    except (NotFound, KeyError):
        return None
    if kind == FindingKindChoices.SECTOR_OVERLAP:
        name = f"{record['name'] or record['unit_name']} ({labels.sector_kind(record['kind'])})"
        return {
            "name": name,
            "geometry": record["geometry"],
            "href": f"/sectors/{subject_id}",
            "radius_m": record["radius_m"],
        }
    if kind == FindingKindChoices.PROTECTED_SITE:
        name = f"{site_name(record, labels.lang)} ({labels.site_kind(record['kind'])})"
        return {"name": name, "geometry": record["geometry"], "href": None, "radius_m": None}
    if kind == FindingKindChoices.OPERATION_OVERLAP:
        return {
            "name": record["title"],
            "geometry": record["area"],
            "href": f"/operations/{subject_id}",
            "radius_m": None,
        }
    name = labels.event(record["sub_event_type"])
    if record["place_name"]:
        name = f"{name} · {record['place_name']}"
    return {
        "name": name,
        "geometry": record["location"],
        "href": f"/incidents/{subject_id}",
        "radius_m": None,
    }


def findings_view(
    ctx: ServiceContext,
    actor: Actor,
    findings: Sequence[Mapping[str, Any]],
    labels: GeoLabels,
    gettext: Callable[[str], str],
) -> list[dict[str, Any]]:
    """Each finding with its kind in words, its subject (when visible) and its measure."""
    shown = []
    for finding in findings:
        subject = _subject(ctx, actor, finding, labels)
        if finding["overlap_km2"] is not None:
            measure = gettext(OVERLAP) % {"km2": labels.number(finding["overlap_km2"], 2)}
        elif finding["kind"] == FindingKindChoices.PROTECTED_SITE:
            metres = finding["distance_m"] or 0.0
            measure = (
                gettext(DISTANCE) % {"metres": labels.number(metres, 0)}
                if metres
                else gettext(INSIDE)
            )
        else:
            measure = ""
        shown.append({**finding, "subject": subject, "measure": measure})
    return shown


def signatures(
    plan: Mapping[str, Any], state: Mapping[str, Any], approvals: list[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one row per participating party for the current version, earlier void approvals)."""
    current = {a["party"]: a for a in approvals if a["current"]}
    rows = [
        {
            "party": party,
            "state": state["parties"].get(party, "pending"),
            "approval": read_when(current[party]) if party in current else None,
        }
        for party in sorted(plan["participants"])
    ]
    void = [read_when(a) for a in approvals if not a["current"]]
    return rows, void


def read_when(approval: Mapping[str, Any]) -> dict[str, Any]:
    return {**approval, "created": parse_utc(approval["created_at"])}


def plan_map(
    plan: Mapping[str, Any], findings: Sequence[Mapping[str, Any]], lang: str, tz: str
) -> dict[str, Any]:
    """The plan's area and the geometry of every finding's subject the viewer may see,
    each subject another party's node sent saying so (times in ``tz``)."""
    features = [feature(plan["area"], layer="plan", label=plan["title"])]
    for finding in findings:
        subject = finding["subject"]
        if subject is None or finding["kind"] == FindingKindChoices.RECENT_INCIDENT:
            continue
        features.append(
            feature(
                subject["geometry"],
                layer="finding",
                blocking=finding["blocking"],
                radius_m=subject["radius_m"],
                label=subject["name"],
                detail=finding["measure"] or None,
                received_text=received_text(finding["subject_received"], lang, tz),
            )
        )
    for finding in findings:
        subject = finding["subject"]
        if subject is not None and finding["kind"] == FindingKindChoices.RECENT_INCIDENT:
            text = received_text(finding["subject_received"], lang, tz)
            features.append(
                feature(
                    subject["geometry"],
                    layer="incident",
                    label=subject["name"],
                    received_text=text,
                )
            )
    return collection(features)


def with_surroundings(
    page: Page,
    plan_collection: dict[str, Any],
    plan: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The plan's map with what surrounds its area when it starts (see surroundings);
    the findings' subjects are already drawn, so they are not drawn twice."""
    skip = {plan["id"], *(f["subject_id"] for f in findings)}
    nearby = surroundings(page, plan["area"], at=parse_utc(plan["starts_at"]), skip=skip)
    return collection([*nearby, *plan_collection["features"]])


def history_rows(history: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The plan's journal versions with ``when`` and the plan version each one holds."""
    return [
        {
            **history_view(entry),
            "plan_version": entry["record"].get("plan_version"),
            "status": entry["record"].get("status"),
        }
        for entry in history
    ]
