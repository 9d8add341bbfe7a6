"""What the coordination forms share: parsed values, field errors and the services' messages.

Each form of the notices, assessments, meetings, decisions and action items pages
is read into a :class:`ParsedForm` (the ``forms.py`` of each concept): the values as
typed, the dict the service takes, and messages per field. Messages are message
ids, translated when the page renders; a service's English message is mapped
to a message a form reader understands (:func:`coord_message`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tansiq.domain.errors import FieldError
from tansiq.web.common.fields import (
    BAD_CHOICE,
    BAD_DATE,
    MISSING,
    NOT_A_DATETIME,
    parse_local_datetime,
)
from tansiq.web.common.form_errors import FieldForm
from tansiq.web.common.i18n import N_
from tansiq.web.incidents.forms import FIELD_LABELS as INCIDENT_LABELS
from tansiq.web.incidents.forms import form_message

TOO_LONG = N_("This text is too long.")
SHARE_WITH_OTHER = N_("Share it with the other party: all parties, or a center you both sit on.")
# (what the service says, exactly or as a prefix) → what the form says. Checked in
# order before the incident form's list, so the more specific come first.
COORD_MESSAGES: tuple[tuple[str, str], ...] = (
    ("is required when releasability is center", N_("Choose the center to share it with.")),
    ("is required to contest", N_("Say what is wrong to contest a report.")),
    ("is required with", N_("Say what the concern is.")),
    ("is required unless meeting_id", N_("Choose a center of your party.")),
    ("is required", MISSING),
    ("must not be empty", MISSING),
    ("must be at most", TOO_LONG),
    ("must not contain NUL", N_("Remove the control characters from this text.")),
    (
        "must be in the future, at most 30 days ahead",
        N_("Must be in the future, at most 30 days ahead."),
    ),
    ("must be within a year of now", N_("Must be within a year from now.")),
    ("must be within three years from now", N_("Must be within three years from now.")),
    ("must be after starts_at", N_("Must be after the start.")),
    ("must be at most a year after starts_at", N_("Must be at most a year after the start.")),
    ("must be another party than yours", N_("Choose another party than yours.")),
    ("unknown party", BAD_CHOICE),
    ("must reach ", SHARE_WITH_OTHER),
    ("must be center or all", SHARE_WITH_OTHER),
    ("must be a center both", N_("Choose a center both parties sit on.")),
    ("is not a known center", BAD_CHOICE),
    ("must be a center your party is a member of", N_("Choose a center of your party.")),
    ("must be a meeting of a center your party", N_("Choose a center of your party.")),
    (
        "this version was already answered",
        N_("This answer cannot follow your party's earlier answer to this version."),
    ),
    ("the notice was withdrawn", N_("The notice was withdrawn.")),
    ("is your own party's incident", N_("You can assess only another party's reports.")),
    ("is retracted", N_("The report was retracted.")),
    (
        "must not reach further than the incident",
        N_("Share it no further than the report itself is shared."),
    ),
    (
        "a held meeting cannot be in the future",
        N_("A held meeting cannot be in the future; record it as scheduled."),
    ),
    ("a cancelled meeting cannot be changed", N_("A cancelled meeting cannot be changed.")),
    (
        "decisions of this meeting are released",
        N_("Its decisions or action items are shared more widely than that."),
    ),
    (
        "action items of this meeting are released",
        N_("Its decisions or action items are shared more widely than that."),
    ),
    ("a decision needs its text in Arabic", N_("Give the text in Arabic or Kurdish as well.")),
    (
        "a proposed decision must be released",
        N_("A proposed decision must be shared with the center."),
    ),
    ("must not reach further than its meeting", N_("Share it no further than its meeting.")),
    (
        "must not reach further than the linked record",
        N_("Share it no further than its meeting or decision."),
    ),
    ("the meeting was cancelled", N_("The meeting was cancelled.")),
    ("a withdrawn decision cannot be changed", N_("A withdrawn decision cannot be changed.")),
    ("the decision was withdrawn", N_("The decision was withdrawn.")),
    ("must be your party", N_("The party that owes an action item records it.")),
    ("the action item is already", N_("The action item already has this status.")),
    ("must be a date (2020-02-29)", BAD_DATE),
    ("must be between 1900 and 2099", N_("Must be between 1900 and 2099.")),
    ("must be one of", BAD_CHOICE),
    ("must be an integer", BAD_CHOICE),
    ("must be between 1 and 6", BAD_CHOICE),
    ("must be corroborate, contest or comment", BAD_CHOICE),
)
# Any message on these fields reads as one line; GeoJSON's own messages are too technical.
FIELD_MESSAGES: Mapping[str, str] = {
    "location": N_("Give a point (latitude and longitude) or a valid area."),
    "area": N_("Give a point (latitude and longitude) or a valid area."),
}
# Field name → label, for error summaries (the incident form's labels are reused).
FIELD_LABELS: Mapping[str, str] = {
    **INCIDENT_LABELS,
    "kind": N_("Kind"),
    "to_party": N_("To party"),
    "subject": N_("Title"),
    "message": N_("Message"),
    "area": N_("Area (GeoJSON, optional)"),
    "starts_at": N_("Starts at"),
    "ends_at": N_("Ends at"),
    "ack_deadline": N_("Acknowledge by"),
    "response": N_("Answer"),
    "comment": N_("Comment"),
    "notice_version": N_("Version"),
    "incident_version": N_("Version"),
    "held_at": N_("Date and time"),
    "place": N_("Place"),
    "attendees": N_("Attendees"),
    "agenda": N_("Agenda"),
    "minutes": N_("Minutes"),
    "text_en": N_("Text in English"),
    "text_ar": N_("Text in Arabic"),
    "text_ckb": N_("Text in Kurdish"),
    "meeting_id": N_("Meeting"),
    "decision_id": N_("Decision"),
    "title": N_("Title"),
    "owner_person": N_("Person responsible"),
    "owner_party": N_("Party"),
    "due_at": N_("Due date"),
    "note": N_("Progress note"),
    "text": N_("Progress note"),
    "version_hash": N_("Version"),
    "assessment": N_("Dispute"),
}
_ATTENDEE = re.compile(r"^attendees\[(\d+)\]\.(party|name|position)$")


def coord_message(name: str, service_message: str) -> str:
    """The form's message id for a service's message on field ``name``."""
    if name in FIELD_MESSAGES:
        return FIELD_MESSAGES[name]
    for known, message in COORD_MESSAGES:
        if service_message.startswith(known):
            return message
    return form_message(service_message)


@dataclass
class ParsedForm(FieldForm):
    """A coordination form: its fields' labels and messages are those of this module."""

    # Attendee rows posted, by the index the service sees (blank rows are skipped).
    rows: list[int] = field(default_factory=list)

    def add_service_errors(self, errors: Sequence[FieldError]) -> None:
        """Attach a service's field errors; attendee errors go to their form row."""
        for error in errors:
            name = error.field
            found = _ATTENDEE.match(name)
            if found and int(found.group(1)) < len(self.rows):
                name = f"attendee_{found.group(2)}_{self.rows[int(found.group(1))]}"
            self.add(name, self.service_message(error.field, error.message))

    def service_message(self, name: str, message: str) -> str:
        """The form's message id for a service's message on field ``name``."""
        return coord_message(name, message)

    def label(self, name: str, labels: Mapping[str, str]) -> str:
        """The message id of field ``name``'s label (:func:`label_of`, unless ``labels`` has it)."""
        return labels.get(name) or label_of(name)


def label_of(name: str) -> str:
    """The label (message id) of a form field, attendee rows included."""
    if name.startswith("attendee_"):
        return FIELD_LABELS["attendees"]
    return FIELD_LABELS.get(name, name)


def whole_number(value: str) -> int | None:
    """A posted whole number, or None."""
    return int(value) if value.isdigit() and len(value) < 10 else None


def require(result: ParsedForm, *names: str) -> None:
    for name in names:
        if not result.values[name]:
            result.add(name, MISSING)


def read_when(result: ParsedForm, name: str, tz: str) -> None:
    """Read a datetime-local value into ``data`` as UTC ISO 8601."""
    if not result.values[name]:
        return
    try:
        moment = parse_local_datetime(result.values[name], tz)
    except ValueError:
        result.add(name, NOT_A_DATETIME)
        return
    result.data[name] = moment.isoformat().replace("+00:00", "Z")


def read_sharing(result: ParsedForm, *, allowed: tuple[str, ...]) -> None:
    """``releasability`` (one of ``allowed``) and ``center_id`` (none when blank)."""
    choice = result.values["releasability"]
    if choice not in allowed:
        result.add("releasability", BAD_CHOICE)
    else:
        result.data["releasability"] = choice
    result.data["center_id"] = result.values["center_id"] or None
