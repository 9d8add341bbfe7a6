"""The assessment form: posted fields → the assessment service's dict (never raises)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.web.common.fields import BAD_CHOICE, text
from tansiq.web.common.forms import ParsedForm, read_sharing, require, whole_number

ASSESSMENT_FIELDS = (
    "kind",
    "comment",
    "sources",
    "source_reliability",
    "credibility",
    "releasability",
    "center_id",
    "incident_version",
)


def parse_assessment_form(form: Mapping[str, Any]) -> ParsedForm:
    """A corroboration, contest or comment on another party's incident."""
    values = {name: text(form, name) for name in ASSESSMENT_FIELDS}
    result = ParsedForm(values=values)
    require(result, "kind")
    data = result.data
    if values["kind"]:
        data["kind"] = values["kind"]
    data["comment"] = values["comment"]
    data["sources"] = [line.strip() for line in values["sources"].splitlines() if line.strip()]
    data["source_reliability"] = values["source_reliability"] or "F"
    credibility = whole_number(values["credibility"] or "6")
    if credibility is None:
        result.add("credibility", BAD_CHOICE)
    else:
        data["credibility"] = credibility
    version = whole_number(values["incident_version"])
    if version is not None:
        data["incident_version"] = version
    read_sharing(result, allowed=("all", "center"))
    return result
