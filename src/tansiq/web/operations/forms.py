"""The plan form and the signing form: posted fields → the operation services' dicts.

The plan's area is drawn on the map or uploaded (``area``/``area_file``); the window
is datetime-local in the display time zone; ``participants`` is one checkbox per
party and ``forces-<party>`` one text box per party. Signing names the version's
``plan_hash`` and carries ``ack-<finding id>``, a comment for each finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import orjson

from tansiq.web.common.fields import MISSING, local_input_value, text
from tansiq.web.common.geo_forms import GeoForm, read_datetimes, read_geometry
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc

FIELD_LABELS: Mapping[str, str] = {
    "kind": N_("Kind of plan"),
    "title": N_("Title"),
    "objective": N_("Objective"),
    "center_id": N_("Center"),
    "area": N_("Area"),
    "area_file": N_("GeoJSON file"),
    "starts_at": N_("Starts at"),
    "ends_at": N_("Ends at"),
    "participants": N_("Participating parties"),
    "lead_party": N_("Lead party"),
    "forces": N_("Forces"),
    "releasability": N_("Releasability"),
    "status": N_("Status"),
    "comment": N_("Comment"),
    "decision": N_("Decision"),
    "plan_hash": N_("Plan version"),
    "acknowledgements": N_("Acknowledgements"),
}
ACK_NEEDED = N_("Acknowledge this finding with a comment before approving.")
REJECT_NEEDS_COMMENT = N_("Say why your party rejects the plan.")
TEXT_FIELDS = ("kind", "title", "objective", "center_id", "starts_at", "ends_at", "lead_party")


def forces_field(party: str) -> str:
    """The form field of one party's forces."""
    return f"forces-{party}"


def parse_plan_form(
    form: Any, *, tz: str, parties: Iterable[str], amending: bool = False
) -> GeoForm:
    """Turn a posted plan form into the service's dict (``result.data``).

    An amendment leaves out ``kind`` (it cannot change). Never raises: unreadable
    values are named in ``result.errors`` and left out.
    """
    values = {name: text(form, name) for name in TEXT_FIELDS}
    values["releasability"] = text(form, "releasability") or "all"
    values["version"] = text(form, "version")
    chosen = [p for p in form.getlist("participants") if isinstance(p, str)]
    known = list(parties)
    participants = [p for p in known if p in chosen]
    values["participants"] = ",".join(participants)
    for party in known:
        values[forces_field(party)] = text(form, forces_field(party))
    result = GeoForm(values=values)
    area = read_geometry(result, form, name="area", file_field="area_file")
    data: dict[str, Any] = {
        "title": values["title"],
        "objective": values["objective"],
        "center_id": values["center_id"] or None,
        "participants": participants,
        "lead_party": values["lead_party"] or None,
        "forces": {p: values[forces_field(p)] for p in participants if values[forces_field(p)]},
        "releasability": values["releasability"],
    }
    if not amending:
        data["kind"] = values["kind"] or "joint"
    if area is not None:
        data["area"] = area
    read_datetimes(result, data, tz, "starts_at", "ends_at")
    if not participants:
        result.add("participants", N_("Choose at least one party."))
    if not values["lead_party"]:
        result.add("lead_party", MISSING)
    for name in ("title", "objective"):
        if not values[name]:
            result.add(name, MISSING)
    if amending:
        # A required field left blank stays out of the amendment instead of blanking it.
        data = {k: v for k, v in data.items() if v is not None}
    result.data = data
    return result


def plan_values(plan: Mapping[str, Any], tz: str) -> dict[str, str]:
    """The form values that show a plan for amending."""
    values = {
        "kind": plan["kind"],
        "title": plan["title"],
        "objective": plan["objective"],
        "center_id": plan["center_id"] or "",
        "area": orjson.dumps(plan["area"]).decode(),
        "starts_at": local_input_value(parse_utc(plan["starts_at"]), tz),
        "ends_at": local_input_value(parse_utc(plan["ends_at"]), tz),
        "participants": ",".join(plan["participants"]),
        "lead_party": plan["lead_party"],
        "releasability": plan["releasability"],
        "version": str(plan["version"]),
    }
    for party, forces in plan["forces"].items():
        values[forces_field(party)] = forces
    return values


def blank_plan_values(*, now: datetime, tz: str, party: str) -> dict[str, str]:
    """A new joint plan: tomorrow 06:00 to 18:00, the user's party leading, shared with all."""
    start = (now + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0)
    return {
        "kind": "joint",
        "title": "",
        "objective": "",
        "center_id": "",
        "area": "",
        "starts_at": local_input_value(start, tz),
        "ends_at": local_input_value(start + timedelta(hours=12), tz),
        "participants": party,
        "lead_party": party,
        "releasability": "all",
        "version": "",
    }


def ack_field(finding_id: str) -> str:
    """The form field of the comment acknowledging one finding."""
    return f"ack-{finding_id}"


def parse_signature_form(form: Any, *, findings: Sequence[Mapping[str, Any]]) -> GeoForm:
    """Turn a posted signing form into the approval service's dict (``result.data``).

    Checks here what the reader can fix on the page: an approval acknowledges every
    blocking finding (a comment each), a rejection says why. Never raises.
    """
    decision = text(form, "decision")
    result = GeoForm(
        values={
            "decision": decision,
            "plan_hash": text(form, "plan_hash"),
            "comment": text(form, "comment"),
        }
    )
    values = result.values
    acknowledgements = []
    for finding in findings:
        name = ack_field(finding["id"])
        values[name] = text(form, name)
        if values[name]:
            acknowledgements.append({"finding_id": finding["id"], "comment": values[name]})
        elif decision == "approve" and finding["blocking"]:
            result.add(name, ACK_NEEDED)
    if decision not in ("approve", "reject"):
        result.add("decision", N_("Choose to approve or to reject."))
    if decision == "reject" and not values["comment"]:
        result.add("comment", REJECT_NEEDS_COMMENT)
    result.data = {
        "decision": decision,
        "plan_hash": values["plan_hash"],
        "comment": values["comment"],
        "acknowledgements": acknowledgements,
    }
    return result
