"""The review queue pages: the queue, one candidate (correct, accept, discard).

Nothing read from an article enters the log from here unless an analyst accepts
it; accepting writes the record through its own service (the queue's service
does it) and goes to the record's page. Another party's candidate is a 404 page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import AcceptedRecordChoices, CandidateStatusChoices
from tansiq.domain.errors import Conflict, PermissionDenied, ValidationFailed
from tansiq.geo.boundaries import governorate_names
from tansiq.services.directory.commands import list_centers
from tansiq.services.intake.commands import accept_candidate, discard_candidate, edit_candidate
from tansiq.services.intake.policy import accept_targets, may_review, may_submit_article
from tansiq.services.intake.queries import (
    CandidateFilters,
    accept_draft,
    candidate_detail,
    list_candidates,
)
from tansiq.services.meetings.commands import MeetingFilters, list_meetings
from tansiq.services.meetings.decision_commands import get_decision
from tansiq.web.common.coordination_labels import NOTICE_KINDS, coord_labels_for
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.form_errors import expected_version, refusal_page
from tansiq.web.common.i18n import N_, format_datetime_local
from tansiq.web.common.labels import (
    CREDIBILITIES,
    GEO_PRECISIONS,
    RELEASABILITY_CHOICES,
    SOURCE_RELIABILITIES,
    TIME_PRECISIONS,
    event_choices,
)
from tansiq.web.common.present import history_view, parse_utc
from tansiq.web.intake.article_forms import ARTICLE_LABELS, ArticleForm, empty_article_values
from tansiq.web.intake.forms import (
    ACCEPT_FIELDS,
    LABELS,
    RECORD,
    IntakeForm,
    accept_values,
    edit_values,
    parse_accept_form,
    parse_discard_form,
    parse_edit_form,
)
from tansiq.web.intake.views import (
    ACCEPT_AS,
    BECAME,
    HISTORY_ACTIONS,
    PROPOSALS,
    STATUSES,
    candidate_view,
)

router = APIRouter()
QUEUE_SIZE = 100
REVIEWED_SIZE = 20
CHANGED = N_("The candidate changed while you read it. Read it again and review the new version.")


def _require_reviewer(page: Page) -> None:
    if not may_review(page.actor):
        raise PermissionDenied("only an analyst or admin may review candidates")


def _views(page: Page, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Candidates as pages show them, with the meeting of each decision they became."""
    meetings = {
        c["accepted_id"]: get_decision(page.ctx, actor=page.actor, decision_id=c["accepted_id"])[
            "meeting_id"
        ]
        for c in items
        if c["accepted_kind"] == AcceptedRecordChoices.DECISION and c["accepted_id"]
    }
    return [candidate_view(c, decision_meetings=meetings) for c in items]


def _common(page: Page) -> dict[str, Any]:
    return {
        "labels": coord_labels_for(page.ctx, page.lang),
        "statuses": STATUSES,
        "proposals": PROPOSALS,
        "accept_as": ACCEPT_AS,
        "became": BECAME,
        "can_review": may_review(page.actor),
        "nav": "review",
    }


def render_queue(
    page: Page, status_code: int = 200, *, article: ArticleForm | None = None
) -> Response:
    """The queue page; ``article`` is the submission form as posted, with its messages."""
    actor, ctx = page.actor, page.ctx
    pending = list_candidates(
        ctx, actor=actor, filters=CandidateFilters(status="pending"), limit=QUEUE_SIZE
    ).items
    reviewed = [
        item
        for status in (CandidateStatusChoices.ACCEPTED, CandidateStatusChoices.DISCARDED)
        for item in list_candidates(
            ctx, actor=actor, filters=CandidateFilters(status=status.value), limit=REVIEWED_SIZE
        ).items
    ]
    reviewed.sort(key=lambda c: c["updated_at"], reverse=True)
    context = {
        **_common(page),
        "pending": _views(page, pending),
        "reviewed": _views(page, reviewed[:REVIEWED_SIZE]),
        "targets": {c["id"]: accept_targets(actor, c) for c in pending},
        "can_submit": may_submit_article(actor),
        "fetches": ctx.settings.article_fetch != "off",
        **(article or ArticleForm(values=empty_article_values())).translated(
            page.gettext, ARTICLE_LABELS
        ),
    }
    return page.render("intake/queue.html", context, status_code=status_code)


@router.get("/review")
def queue_page(page: PageDep) -> Response:
    """The party's queue: pending candidates (evidence quoted, probable duplicates linked),
    then the last reviewed; above them, the form to submit an article."""
    return render_queue(page)


def _choices(page: Page) -> dict[str, Any]:
    """The options of the review forms: the taxonomy, the party's centers, meetings, parties."""
    party, tz = page.actor.party, page.ctx.settings.display_timezone
    labels = coord_labels_for(page.ctx, page.lang)
    meetings = list_meetings(page.ctx, actor=page.actor, filters=MeetingFilters(), limit=50)
    centers = [c for c in list_centers(page.ctx) if party in c["member_parties"]]
    return {
        "event_types": event_choices(),
        "governorates": governorate_names(),
        "time_precisions": TIME_PRECISIONS,
        "geo_precisions": GEO_PRECISIONS,
        "releasabilities": RELEASABILITY_CHOICES,
        "reliabilities": SOURCE_RELIABILITIES,
        "credibilities": CREDIBILITIES,
        "history_actions": HISTORY_ACTIONS,
        "notice_kinds": {k: v for k, v in NOTICE_KINDS.items() if k != "incident_alert"},
        "centers_choice": [(c["id"], labels.center(c["id"])) for c in centers],
        "meetings_choice": [
            (
                m["id"],
                f"{labels.center(m['center_id'])} · "
                f"{format_datetime_local(parse_utc(m['held_at']), page.lang, tz, city=False)}",
            )
            for m in meetings.items
            if m["center_id"] in page.actor.centers
        ],
        "recipients_choice": [(p, labels.party(p)) for p in labels.parties if p != party],
    }


def render_candidate(
    page: Page,
    candidate_id: str,
    status_code: int = 200,
    *,
    form: IntakeForm | None = None,
    which: str = "",
) -> Response:
    """The candidate page; ``form`` (the ``which`` one: edit, discard or a target) posted
    with its messages."""
    actor, tz = page.actor, page.ctx.settings.display_timezone
    candidate = candidate_detail(page.ctx, actor=actor, candidate_id=candidate_id)
    targets = accept_targets(actor, candidate)
    forms: dict[str, IntakeForm] = {
        target.value: IntakeForm(
            values=accept_values(
                target.value,
                accept_draft(page.ctx, actor=actor, candidate_id=candidate_id, target=target),
                tz,
            ),
            target=target.value,
        )
        for target in targets
    }
    forms["edit"] = IntakeForm(values=edit_values(candidate, tz))
    forms["discard"] = IntakeForm(values={"reason": ""})
    if form is not None:
        forms[which] = form
    shown = forms.get(which) or forms["edit"]
    context = {
        **_common(page),
        **_choices(page),
        **shown.translated(page.gettext, LABELS),
        "candidate": _views(page, [candidate])[0],
        "history": [history_view(h) for h in candidate["history"]],
        "forms": {name: f.values for name, f in forms.items()},
        "which": which,
        "anchors": {f"{RECORD}{name}": f"{which}-{name}" for name in ACCEPT_FIELDS.get(which, ())},
        "targets": [t.value for t in targets],
        "pending": candidate["status"] == CandidateStatusChoices.PENDING,
    }
    return page.render("intake/candidate.html", context, status_code=status_code)


@router.get("/review/{candidate_id}")
def candidate_page(page: PageDep, candidate_id: str) -> Response:
    """One candidate with its article, evidence, duplicates and review forms; else 404."""
    return render_candidate(page, candidate_id)


def _post(
    page: Page, candidate_id: str, form: IntakeForm, which: str, save: Any, flash: str
) -> Response:
    """Save ``form`` with ``save()`` (an address to go to), or show the page with its messages."""

    def render(status_code: int) -> Response:
        return render_candidate(page, candidate_id, status_code, form=form, which=which)

    if form.errors:
        return render(422)
    try:
        target = save()
    except (ValidationFailed, Conflict) as exc:
        return refusal_page(exc, form, render, conflict=CHANGED)
    return page.redirect(target, flash=flash)


@router.post("/review/{candidate_id}/edit")
def edit(page: PageDep, form: CheckedFormDep, candidate_id: str) -> Response:
    """Save a correction; bad input → the page again with 422, nothing changed."""
    _require_reviewer(page)
    tz = page.ctx.settings.display_timezone
    current = candidate_detail(page.ctx, actor=page.actor, candidate_id=candidate_id)
    parsed = parse_edit_form(form, edit_values(current, tz), tz)

    def save() -> str:
        edit_candidate(
            page.ctx,
            actor=page.actor,
            candidate_id=candidate_id,
            changes=parsed.data,
            expected_version=expected_version(form),
        )
        return f"/review/{candidate_id}"

    return _post(page, candidate_id, parsed, "edit", save, "candidate_saved")


def _accepted_url(page: Page, candidate_id: str) -> str:
    candidate = candidate_detail(page.ctx, actor=page.actor, candidate_id=candidate_id)
    return str(_views(page, [candidate])[0]["accepted_url"])


def _raise(exc: Exception) -> Any:
    def save() -> str:
        raise exc

    return save


@router.post("/review/{candidate_id}/accept")
def accept(page: PageDep, form: CheckedFormDep, candidate_id: str) -> Response:
    """Accept as the posted ``target`` and go to the record; bad input → 422, nothing written."""
    _require_reviewer(page)
    tz = page.ctx.settings.display_timezone
    target = str(form.get("target") or "")
    try:
        draft = accept_draft(page.ctx, actor=page.actor, candidate_id=candidate_id, target=target)
    except ValidationFailed as exc:  # a target the candidate cannot become
        refused = IntakeForm(values={})
        return _post(page, candidate_id, refused, "edit", _raise(exc), "candidate_accepted")
    parsed = parse_accept_form(form, target, accept_values(target, draft, tz), tz)

    def save() -> str:
        accept_candidate(
            page.ctx,
            actor=page.actor,
            candidate_id=candidate_id,
            target=target,
            record=parsed.data["record"],
            expected_version=expected_version(form),
        )
        return _accepted_url(page, candidate_id)

    return _post(page, candidate_id, parsed, target, save, "candidate_accepted")


@router.post("/review/{candidate_id}/discard")
def discard(page: PageDep, form: CheckedFormDep, candidate_id: str) -> Response:
    """Discard with the optional reason and go back to the queue."""
    _require_reviewer(page)
    parsed = parse_discard_form(form)

    def save() -> str:
        discard_candidate(
            page.ctx,
            actor=page.actor,
            candidate_id=candidate_id,
            reason=parsed.data["reason"],
            expected_version=expected_version(form),
        )
        return "/review"

    return _post(page, candidate_id, parsed, "discard", save, "candidate_discarded")
