"""A center's meetings: the list, recording or correcting one, and the meeting page.

The meeting page shows what the meeting produced: decisions with each party's
endorsement of the current version, and action items with their flags and
notes. Its forms post to ``routes/decisions.py`` and ``routes/action_items.py``,
which show this page again (:func:`render_meeting`) when the input is bad.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, Protocol

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.actors import Actor
from tansiq.domain.choices import DecisionStatusChoices, MeetingStatusChoices
from tansiq.domain.errors import PermissionDenied
from tansiq.services.core.context import ServiceContext
from tansiq.services.meetings.action_commands import action_item_detail
from tansiq.services.meetings.centers import center_by_code
from tansiq.services.meetings.commands import (
    MeetingFilters,
    create_meeting,
    get_meeting,
    list_meetings,
    meeting_detail,
    update_meeting,
)
from tansiq.services.meetings.policy import (
    may_amend_decision,
    may_change_meeting,
    may_endorse,
    may_keep_minutes,
    may_note_action,
    may_record_meeting,
    may_set_action_status,
)
from tansiq.web.common.coordination_labels import MEETING_STATUSES, CoordLabels, coord_labels_for
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.fields import local_input_value
from tansiq.web.common.form_errors import expected_version, save_form
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.i18n import LANGUAGE_NAMES, N_
from tansiq.web.common.labels import RELEASABILITY_CHOICES
from tansiq.web.common.present import parse_utc
from tansiq.web.directory.views import member_center
from tansiq.web.meetings.forms import parse_meeting_form
from tansiq.web.meetings.views import action_view, meeting_view

router = APIRouter()
CHANGED = N_("The meeting changed while you edited it. Reload it and make your change again.")
BLANK_ROWS_PER_PARTY = 3


def _require_writer(page: Page) -> None:
    if not may_keep_minutes(page.actor):
        raise PermissionDenied("only a secretary or admin may record or change meetings")


@router.get("/centers/{code}/meetings")
def meeting_list(page: PageDep, code: str) -> Response:
    """A center's meetings the user may see, latest first; 404 unless the party sits on it."""
    center = member_center(page, code)
    found = list_meetings(
        page.ctx, actor=page.actor, filters=MeetingFilters(center_id=center["id"]), limit=200
    )
    context = {
        "center": center,
        "meetings": [meeting_view(m) for m in found.items],
        "can_record": may_record_meeting(page.actor, center["member_parties"]),
        "labels": coord_labels_for(page.ctx, page.lang),
        "nav": "centers",
    }
    return page.render("meetings/list.html", context)


def _blank_rows(values: dict[str, str], parties: list[str], start: int) -> int:
    index = start
    for party in parties:
        for _ in range(BLANK_ROWS_PER_PARTY):
            values.update(
                {
                    f"attendee_party_{index}": party,
                    f"attendee_name_{index}": "",
                    f"attendee_position_{index}": "",
                }
            )
            index += 1
    return index


def _rows(values: dict[str, str]) -> list[int]:
    return sorted(int(key.rsplit("_", 1)[1]) for key in values if key.startswith("attendee_party_"))


def _render_form(
    page: Page,
    form: ParsedForm,
    center: dict[str, Any],
    status_code: int = 200,
    *,
    meeting: dict[str, Any] | None = None,
) -> Response:
    """The meeting form of ``center`` (new, or correcting ``meeting``) with its messages."""
    statuses = [MeetingStatusChoices.HELD.value, MeetingStatusChoices.SCHEDULED.value]
    if meeting is not None:
        statuses = [meeting["status"]] + (
            ["held", "cancelled"] if meeting["status"] == "scheduled" else []
        )
    context = {
        **form.translated(page.gettext),
        "center": center,
        "meeting": meeting,
        "rows": _rows(form.values),
        "parties": sorted({*center["member_parties"], page.actor.party}),
        "statuses": {s: MEETING_STATUSES[s] for s in statuses},
        "releasabilities": RELEASABILITY_CHOICES,
        "action": f"/meetings/{meeting['id']}/edit"
        if meeting
        else f"/centers/{center['code']}/meetings/new",
        "cancel_url": f"/meetings/{meeting['id']}"
        if meeting
        else f"/centers/{center['code']}/meetings",
        "labels": coord_labels_for(page.ctx, page.lang),
        "nav": "centers",
    }
    return page.render("meetings/form.html", context, status_code=status_code)


@router.get("/centers/{code}/meetings/new")
def new_meeting_form(page: PageDep, code: str) -> Response:
    """An empty meeting form, held now, with attendee rows for each member party."""
    _require_writer(page)
    center = member_center(page, code)
    tz = page.ctx.settings.display_timezone
    values = {
        "held_at": local_input_value(page.ctx.clock(), tz),
        "status": "held",
        "place": "",
        "agenda": "",
        "minutes": "",
        "releasability": "center",
    }
    _blank_rows(values, sorted(center["member_parties"]), 0)
    return _render_form(page, ParsedForm(values=values), center)


@router.post("/centers/{code}/meetings/new")
def record_meeting(page: PageDep, form: CheckedFormDep, code: str) -> Response:
    """Record the meeting and show it; bad input → the form again with 422, nothing written."""
    _require_writer(page)
    center = member_center(page, code)
    parsed = parse_meeting_form(form, tz=page.ctx.settings.display_timezone)

    def save() -> str:
        data = {**parsed.data, "center_id": center["id"]}
        return f"/meetings/{create_meeting(page.ctx, actor=page.actor, data=data)['id']}"

    render = partial(_render_form, page, parsed, center)
    return save_form(page, parsed, render, save, flash="meeting_saved")


def _editable(page: Page, meeting_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    meeting = get_meeting(page.ctx, actor=page.actor, meeting_id=meeting_id)
    _require_writer(page)
    if not may_change_meeting(page.actor, meeting):
        raise PermissionDenied("only the party that recorded a meeting may change it")
    return meeting, center_by_code(page.ctx, code=meeting["center_id"])


@router.get("/meetings/{meeting_id}/edit")
def edit_meeting_form(page: PageDep, meeting_id: str) -> Response:
    """The meeting form filled with the current version (minutes are often written later)."""
    meeting, center = _editable(page, meeting_id)
    tz = page.ctx.settings.display_timezone
    values = {
        "held_at": local_input_value(parse_utc(meeting["held_at"]), tz),
        **{k: str(meeting[k]) for k in ("status", "place", "agenda", "minutes", "releasability")},
        "version": str(meeting["version"]),
    }
    for index, attendee in enumerate(meeting["attendees"]):
        for part in ("party", "name", "position"):
            values[f"attendee_{part}_{index}"] = attendee.get(part) or ""
    _blank_rows(values, sorted(center["member_parties"])[:1], len(meeting["attendees"]))
    return _render_form(page, ParsedForm(values=values), center, meeting=meeting)


@router.post("/meetings/{meeting_id}/edit")
def correct_meeting(page: PageDep, form: CheckedFormDep, meeting_id: str) -> Response:
    """Save a new version; bad input → 422, a concurrent change → 409, both with the form."""
    meeting, center = _editable(page, meeting_id)
    parsed = parse_meeting_form(form, tz=page.ctx.settings.display_timezone)
    version = form.get("version")
    parsed.values["version"] = version if isinstance(version, str) else ""

    def save() -> str:
        update_meeting(
            page.ctx,
            actor=page.actor,
            meeting_id=meeting_id,
            changes=parsed.data,
            expected_version=expected_version(form),
        )
        return f"/meetings/{meeting_id}"

    render = partial(_render_form, page, parsed, center, meeting=meeting)
    return save_form(page, parsed, render, save, flash="meeting_saved", conflict=CHANGED)


def _decision_views(page: Page, decisions: list[dict[str, Any]], members: list[str]) -> list[Any]:
    actor = page.actor
    views = []
    for decision in decisions:
        views.append(
            {
                **decision,
                "parties": [(p, p in decision["endorsed_by"]) for p in members],
                "can_endorse": may_endorse(actor, decision, members),
                "can_amend": may_amend_decision(actor, decision)
                and decision["status"] != DecisionStatusChoices.WITHDRAWN,
            }
        )
    return views


def _action_views(page: Page, items: list[dict[str, Any]], labels: CoordLabels) -> list[Any]:
    actor, now = page.actor, page.ctx.clock()
    views = []
    for item in items:
        detail = action_item_detail(page.ctx, actor=actor, action_item_id=item["id"])
        view = action_view(detail, labels, now)
        view["can_set_status"] = may_set_action_status(actor, item)
        view["can_note"] = may_note_action(actor)
        views.append(view)
    return views


def render_meeting(
    page: Page,
    meeting_id: str,
    status_code: int = 200,
    *,
    forms: dict[str, ParsedForm] | None = None,
    problem: str = "",
) -> Response:
    """The meeting page; ``forms`` (``decision``, ``action``) carry a bad form back with errors,
    ``problem`` (a message id) says why an endorsement was refused."""
    actor = page.actor
    labels = coord_labels_for(page.ctx, page.lang)
    meeting = meeting_view(meeting_detail(page.ctx, actor=actor, meeting_id=meeting_id))
    center = center_by_code(page.ctx, code=meeting["center_id"])
    members = sorted(center["member_parties"])
    forms = forms or {}
    live = meeting["status"] != MeetingStatusChoices.CANCELLED
    writer = may_record_meeting(actor, members)
    decision_form = forms.get("decision") or ParsedForm(
        values={"text_en": "", "text_ar": "", "text_ckb": "", "status": "proposed"}
    )
    action_form = forms.get("action") or ParsedForm(
        values={
            "title": "",
            "owner_person": "",
            "due_at": "",
            "decision_id": "",
            "releasability": "center",
        }
    )
    context = {
        "meeting": meeting,
        "center": center,
        "members": members,
        "decisions": _decision_views(page, meeting["decisions"], members),
        "actions": _action_views(page, meeting["action_items"], labels),
        "can_edit": writer and may_change_meeting(actor, meeting) and live,
        "can_add": writer and live,
        "dform": decision_form.translated(page.gettext),
        "aform": action_form.translated(page.gettext),
        "releasabilities": RELEASABILITY_CHOICES,
        "minute_languages": list(LANGUAGE_NAMES.items()),
        "decision_problem": page.gettext(problem) if problem else "",
        "labels": labels,
        "nav": "centers",
    }
    return page.render("meetings/detail.html", context, status_code=status_code)


class _Create(Protocol):
    """A service recording a decision or action item (``create_decision``…)."""

    def __call__(
        self, ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
    ) -> dict[str, Any]: ...


def record_at_meeting(
    page: Page, meeting_id: str, parsed: ParsedForm, create: _Create, *, kind: str
) -> Response:
    """Record a ``kind`` (decision, action) of the meeting with ``create``, then show it there.

    Bad input → the meeting page with the form (``forms[kind]``) and 422.
    """

    def save() -> str:
        record = create(page.ctx, actor=page.actor, data={**parsed.data, "meeting_id": meeting_id})
        return f"/meetings/{meeting_id}#{kind}-{record['id']}"

    render = partial(render_meeting, page, meeting_id, forms={kind: parsed})
    return save_form(page, parsed, render, save, flash=f"{kind}_saved")


@router.get("/meetings/{meeting_id}")
def meeting_page(page: PageDep, meeting_id: str) -> Response:
    """One meeting with its decisions and action items; unknown or not released → 404."""
    return render_meeting(page, meeting_id)
