"""The assessments section of the incident page: the other parties' views and the dispute.

Kept apart from ``routes/incidents.py`` (which only adds this context) and from
``routes/assessments.py`` (which posts the forms and shows a 422 on the incident
page), so neither route module imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.choices import (
    AssessmentKindChoices,
    AssessmentStatusChoices,
    IncidentStatusChoices,
    ReleasabilityChoices,
)
from tansiq.services.directory.commands import list_centers
from tansiq.services.incidents.assessment_commands import list_assessments
from tansiq.services.incidents.dispute_queries import incident_dispute
from tansiq.services.incidents.policy import (
    may_assess,
    may_resolve_dispute,
    may_withdraw_assessment,
)
from tansiq.web.common.coordination_labels import ASSESSMENT_KINDS, coord_labels_for
from tansiq.web.common.deps import Page
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.labels import CREDIBILITIES, SOURCE_RELIABILITIES
from tansiq.web.common.present import parse_utc

LIST_SIZE = 200


def blank_assessment(incident: Mapping[str, Any]) -> ParsedForm:
    """An empty assessment form shared as widely as the incident allows."""
    center = incident["releasability"] == ReleasabilityChoices.CENTER
    return ParsedForm(
        values={
            "kind": "",
            "comment": "",
            "sources": "",
            "source_reliability": "F",
            "credibility": "6",
            "releasability": "center" if center else "all",
            "center_id": str(incident.get("center_id") or ""),
            "incident_version": str(incident["version"]),
        }
    )


def assessment_context(
    page: Page, incident: Mapping[str, Any], form: ParsedForm | None = None
) -> dict[str, Any]:
    """What ``incidents/_assessments.html`` needs: assessments, dispute, form and buttons."""
    actor = page.actor
    found = list_assessments(
        page.ctx, actor=actor, incident_id=incident["id"], limit=LIST_SIZE
    ).items
    views = []
    for item in reversed(found):
        dispute = item["dispute"]
        views.append(
            {
                **item,
                "created": parse_utc(item["created_at"]),
                "can_resolve": may_resolve_dispute(actor, dispute),
                "can_withdraw": may_withdraw_assessment(actor, item)
                and item["status"] == AssessmentStatusChoices.ACTIVE,
            }
        )
    both = {actor.party, incident["party"]}
    form = form or blank_assessment(incident)
    return {
        **{f"assess_{k}": v for k, v in form.translated(page.gettext).items()},
        "assessments": views,
        "dispute": incident_dispute(page.ctx, actor=actor, incident_id=incident["id"]),
        "can_assess": may_assess(actor, incident)
        and incident["status"] != IncidentStatusChoices.RETRACTED,
        "assessment_kinds": ASSESSMENT_KINDS,
        "contest_kind": AssessmentKindChoices.CONTEST.value,
        "shared_centers": [c for c in list_centers(page.ctx) if both <= set(c["member_parties"])],
        "source_reliabilities": SOURCE_RELIABILITIES,
        "credibilities": CREDIBILITIES,
        "clabels": coord_labels_for(page.ctx, page.lang),
    }
