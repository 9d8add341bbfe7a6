"""Action item and progress note request and response schemas."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.history import VersionFields
from tansiq.api.received import Received
from tansiq.domain.choices import ActionStatusChoices, ReleasabilityChoices

# A date-time with offset, or a date (due by the end of that day in the display time
# zone); the domain parses it, so a naive time or a number is refused, never guessed.
DUE_AT_HELP = (
    "ISO 8601 date-time with offset (2020-02-29T18:00:00+03:00), or a date (2020-02-29) "
    "meaning the end of that day in the display time zone (Asia/Baghdad)"
)


class ActionItemFields(BaseModel):
    """Fields shared by create and update; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    title: str | None = Field(None, max_length=2_000, description="What is owed")
    due_at: str | None = Field(None, max_length=64, description=DUE_AT_HELP)
    owner_party: str | None = Field(
        None,
        max_length=64,
        description="The owing party; must be yours (a party records what it owes)",
    )
    owner_person: str | None = Field(None, max_length=200, description="Named person, if any")
    center_id: str | None = Field(
        None, max_length=64, description="Required unless meeting_id or decision_id is given"
    )
    meeting_id: str | None = Field(None, max_length=64)
    decision_id: str | None = Field(None, max_length=64)
    releasability: ReleasabilityChoices | None = None


class ActionItemCreate(ActionItemFields):
    """A new, open action item owed by your party."""

    title: str = Field(min_length=1, max_length=2_000)
    due_at: str = Field(max_length=64, description=DUE_AT_HELP)


class ActionItemUpdate(ActionItemFields):
    """A change to an open item: only the fields sent change; status moves via /status."""


class ActionStatusChange(BaseModel):
    """Mark the item done or cancelled, or open again (a done item only)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    status: ActionStatusChoices
    note: str = Field("", max_length=5_000, description="Optional progress note to attach")


class NoteCreate(BaseModel):
    """A progress note of your party on an item you can see."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5_000)


class ActionItemRecord(BaseModel):
    """An action item as journaled, with ``overdue``, ``escalated`` and ``escalates_at``
    derived when read (what each ``history`` version holds)."""

    id: str
    version: int
    party: str
    owner_party: str = Field(description="The owing party (the same as party)")
    owner_person: str
    status: ActionStatusChoices
    center_id: str
    meeting_id: str | None
    decision_id: str | None
    title: str
    due_at: str
    closed_at: str | None
    overdue: bool = Field(description="Open and past due_at")
    escalated: bool = Field(description="Open and past escalates_at")
    escalates_at: str = Field(description="due_at + TANSIQ_ESCALATE_AFTER_HOURS")
    releasability: ReleasabilityChoices
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class NotePublic(Received):
    """A progress note on an action item."""

    id: str
    version: int
    party: str
    action_item_id: str
    text: str
    releasability: ReleasabilityChoices
    center_id: str
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class ActionItemPublic(ActionItemRecord, Received):
    """An action item as the API answers it: the record and where it came from."""


class ActionItemVersion(VersionFields):
    """One journaled version of an action item."""

    record: ActionItemRecord


class ActionItemDetail(ActionItemPublic):
    """An action item with its versions and the progress notes you may see."""

    history: list[ActionItemVersion]
    notes: list[NotePublic]


class ActionItemList(BaseModel):
    """One page of action items; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[ActionItemPublic]
    next_cursor: str | None
