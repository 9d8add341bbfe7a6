"""A center's daily digest: what is late, what awaits endorsement, what met yesterday.

Everything is read as the acting user sees it (``visible_to``) and derived from
``ctx.clock``: overdue and escalated action items by owing party, proposed
decisions not yet agreed, and the meetings held in the last 24 hours.
:func:`render_digest_text` turns the answer into plain text in the display time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import ActionStatusChoices
from tansiq.domain.fields import parse_instant
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.marks import mark_received
from tansiq.services.meetings.action_commands import present_action_rows
from tansiq.services.meetings.centers import find_center
from tansiq.services.meetings.decision_commands import decisions_awaiting
from tansiq.services.meetings.records import MEETING, meeting_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.meetings import action_items, meetings
from tansiq.storage.visibility import visible_to

DIGEST_WINDOW = timedelta(days=1)
PREVIEW = 100


def digest(ctx: ServiceContext, *, actor: Actor, center_code: str) -> dict[str, Any]:
    """The daily digest of a center (by id, code ``jcc-kirkuk`` or short code ``kirkuk``).

    ``escalated`` and ``overdue`` map each party to its open late items (an item
    is in one of the two); ``awaiting_endorsement`` lists proposed decisions not
    yet agreed; ``meetings`` those held in the last 24 hours. Raises NotFound for
    an unknown center, ValidationFailed naming ``center`` for an ambiguous one.
    """
    now = ctx.clock()
    since = now - DIGEST_WINDOW
    with read_transaction(ctx.engine) as conn:
        center = find_center(conn, center_code)
        late_rows = (
            conn.execute(
                select(action_items)
                .where(
                    action_items.c.center_id == center["id"],
                    action_items.c.status == ActionStatusChoices.OPEN.value,
                    action_items.c.due_at < now,
                    visible_to(action_items, actor),
                )
                .order_by(action_items.c.due_at, action_items.c.id)
            )
            .mappings()
            .all()
        )
        awaiting = decisions_awaiting(conn, actor, center["id"])
        late = present_action_rows(conn, late_rows, now=now, settings=ctx.settings)
        meeting_rows = (
            conn.execute(
                select(meetings)
                .where(
                    meetings.c.center_id == center["id"],
                    meetings.c.held_at >= since,
                    meetings.c.held_at <= now,
                    visible_to(meetings, actor),
                )
                .order_by(meetings.c.held_at, meetings.c.id)
            )
            .mappings()
            .all()
        )
        found_meetings = mark_received(
            conn, MEETING.name, [meeting_payload(r) for r in meeting_rows]
        )
    members = sorted(center["member_parties"])
    escalated: dict[str, list[dict[str, Any]]] = {party: [] for party in members}
    overdue: dict[str, list[dict[str, Any]]] = {party: [] for party in members}
    for item in late:
        bucket = escalated if item["escalated"] else overdue
        bucket.setdefault(item["owner_party"], []).append(item)
    return {
        "center": {
            "id": center["id"],
            "code": center["code"],
            "name_en": center["name_en"],
            "name_ar": center["name_ar"],
            "name_ckb": center["name_ckb"],
            "member_parties": members,
        },
        "generated_at": iso_utc(now),
        "since": iso_utc(since),
        "timezone": ctx.settings.display_timezone,
        "escalate_after_hours": ctx.settings.escalate_after_hours,
        "escalated": escalated,
        "overdue": overdue,
        "awaiting_endorsement": awaiting,
        "meetings": found_meetings,
        "counts": {
            "escalated": sum(map(len, escalated.values())),
            "overdue": sum(map(len, overdue.values())),
            "awaiting_endorsement": len(awaiting),
            "meetings": len(found_meetings),
        },
    }


def local_time(value: str, zone: ZoneInfo) -> str:
    """An ISO UTC timestamp as ``YYYY-MM-DD HH:MM`` in ``zone``."""
    return parse_instant(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def late_by(due_at: str, now: datetime) -> str:
    """How long past ``due_at`` it is, as ``3 d 4 h`` (or ``5 h``, ``40 min``)."""
    late = now - parse_instant(due_at)
    days, rest = divmod(int(late.total_seconds()), 86_400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h" if hours else f"{minutes} min"


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW else line[: PREVIEW - 1] + "…"


def received_note(record: dict[str, Any], zone: ZoneInfo) -> str:
    """`` (received from krg at 2020-02-20 12:00)`` for a record another party's node sent,
    "" for this node's own."""
    mark = record.get("received")
    if not mark:
        return ""
    return f" (received from {mark['from']} at {local_time(mark['at'], zone)})"


def action_line(item: dict[str, Any], *, zone: ZoneInfo, now: datetime) -> str:
    """One action item as a line of text: due time, late by, owner, title, id, and where it
    came from when another party's node sent it."""
    person = f" ({item['owner_person']})" if item["owner_person"] else ""
    flag = " ESCALATED" if item["escalated"] else ""
    return (
        f"due {local_time(item['due_at'], zone)}, late {late_by(item['due_at'], now)}{flag}: "
        f"{item['owner_party']}{person}: {_preview(item['title'])} [{item['id']}]"
        f"{received_note(item, zone)}"
    )


def render_digest_text(report: dict[str, Any]) -> str:
    """The digest as plain text, times in the digest's time zone."""
    zone = ZoneInfo(report["timezone"])
    now = parse_instant(report["generated_at"])
    center = report["center"]
    counts = report["counts"]
    lines = [
        f"Daily digest: {center['name_en']} ({center['code']})",
        f"generated {local_time(report['generated_at'], zone)} {report['timezone']}; "
        f"items escalate {report['escalate_after_hours']} h after their due time",
        "",
    ]
    for key, title in (
        ("escalated", "Escalated action items"),
        ("overdue", "Overdue action items"),
    ):
        lines.append(f"{title}: {counts[key]}")
        for party, items in report[key].items():
            if items:
                lines.append(f"  {party}: {len(items)}")
                lines.extend(f"    - {action_line(i, zone=zone, now=now)}" for i in items)
        lines.append("")
    lines.append(f"Decisions awaiting endorsement: {counts['awaiting_endorsement']}")
    for decision in report["awaiting_endorsement"]:
        endorsed = ", ".join(decision["endorsed_by"]) or "nobody yet"
        lines.append(
            f"  - {_preview(decision['text_en'])} (endorsed by {endorsed}; awaiting "
            f"{', '.join(decision['awaiting'])}) [{decision['id']}]{received_note(decision, zone)}"
        )
    lines.append("")
    lines.append(f"Meetings in the last 24 hours: {counts['meetings']}")
    for meeting in report["meetings"]:
        place = f" at {meeting['place']}" if meeting["place"] else ""
        lines.append(
            f"  - {local_time(meeting['held_at'], zone)}{place}, {meeting['status']}, "
            f"{len(meeting['attendees'])} attendees [{meeting['id']}]"
            f"{received_note(meeting, zone)}"
        )
    return "\n".join(lines).rstrip() + "\n"
