"""The contract every shared resource keeps, declared once and run for each resource.

A new resource (sectors, operations, notices) is one more ``ResourceSpec`` in
``SPECS``: create, read, list with cursor pagination, version history,
releasability (party and center) and the journal entry are then tested for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, Caller, assert_problem, assert_verifies, journal_count
from tests.factories import World, incident_data
from tests.factories_meetings import (
    CONTRACT_OWNER,
    action_body,
    contract_center,
    contract_meeting,
    decision_body,
    meeting_body,
)
from tests.factories_notices import assessment_data, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, site_data

# Every record answers these; DESIGN.md "Wire contract".
COMMON_FIELDS = frozenset(
    {"id", "version", "party", "status", "created_at", "updated_at", "created_by"}
)
# Every record's answer adds these to its journaled version (docs/wire-contract.md).
ANSWER_ONLY = frozenset({"received"})
OWNER = "fed_liaison"


@dataclass(frozen=True)
class ResourceSpec:
    """How to exercise one resource through the shared contract."""

    name: str  # the journal's record_kind
    collection: str  # POST creates here, GET lists (below /api/v1)
    make_body: Callable[..., dict[str, Any]]  # (**overrides) -> a valid create body
    update_body: dict[str, Any]  # a PATCH that makes a new version
    fields: frozenset[str] = frozenset()  # wire fields beyond COMMON_FIELDS
    expected: dict[str, Any] = field(default_factory=dict)  # derived values on create
    echoed_as_sent: bool = True  # fields sent come back unchanged (but timestamps)
    geojson: str | None = None  # the collection as GeoJSON, if any
    detail_extras: frozenset[str] = frozenset()  # keys GET detail adds beyond the record
    derived: frozenset[str] = frozenset()  # keys every answer adds to the journaled record
    # False: the record must reach another party, so ``party`` is refused (422).
    party_releasable: bool = True
    # Creates what the resource hangs on (as other users) and returns its collection path.
    prepare: Callable[[AsUser], str] | None = None
    detail_base: str | None = None  # where one record lives, if not below the collection
    owner: str = OWNER  # the user who creates and patches the records
    # Adds the users it needs and creates what a body points at (a meeting…); returns
    # the body fields that point at them, bound into ``make_body``.
    setup: Callable[[ServiceContext, World, AsUser], dict[str, Any]] | None = None

    def detail(self, record_id: str) -> str:
        """The path of one record."""
        return f"{self.detail_base or self.collection}/{record_id}"


INCIDENTS = ResourceSpec(
    name="incident",
    collection="/incidents",
    make_body=incident_data,
    update_body={"injured": 5, "description": "Corrected after the morning call."},
    fields=frozenset({"admin1", "admin2", "updated_by"} | incident_data().keys()),
    expected={"status": "submitted", "admin1": "Kirkuk", "admin2": "Kirkuk"},
    geojson="/incidents.geojson",
    detail_extras=frozenset({"dispute"}),
)

OPERATIONS = ResourceSpec(
    name="operation",
    collection="/operations",
    make_body=operation_data,
    update_body={"title": "Joint patrol, amended", "objective": "Reassure and hand over posts."},
    fields=frozenset({"kind", "plan_version", "plan_hash", "updated_by"} | operation_data().keys()),
    expected={"status": "draft", "kind": "joint", "plan_version": 1},
    detail_extras=frozenset({"approval_state", "findings", "approvals"}),
)

NOTICES = ResourceSpec(
    name="notice",
    collection="/notices",
    make_body=notice_data,
    update_body={"subject": "Border guard company to Dibis, amended", "message": "Two platoons."},
    fields=frozenset({"to_party", "ack_deadline", "updated_by"} | notice_data().keys()),
    expected={"status": "sent", "to_party": "krg", "ack_deadline": "2020-02-20T15:00:00.000000Z"},
    derived=frozenset({"state", "escalated", "acknowledgements", "disclaimer"}),
    party_releasable=False,
)


def _krg_incident_assessments(as_user: AsUser) -> str:
    response = as_user("krg_liaison").post("/incidents", json=incident_data())
    assert response.status_code == 201, response.text
    return f"/incidents/{response.json()['id']}/assessments"


ASSESSMENTS = ResourceSpec(
    name="assessment",
    collection="/incidents/{id}/assessments",  # set by ``prepare``
    make_body=assessment_data,
    update_body={"comment": "A second checkpoint confirms it.", "credibility": 1},
    fields=frozenset(
        {"incident_id", "incident_party", "incident_version", "updated_by"}
        | assessment_data().keys()
    ),
    expected={"status": "active", "kind": "corroborate", "incident_party": "krg",
              "incident_version": 1},
    detail_extras=frozenset({"resolutions"}),
    derived=frozenset({"dispute"}),
    party_releasable=False,
    prepare=_krg_incident_assessments,
    detail_base="/assessments",
)


SECTORS = ResourceSpec(
    name="sector",
    collection="/sectors",
    make_body=sector_data,
    update_body={"unit_name": "8th Division, 3rd Brigade", "name": "Sector South-East"},
    fields=frozenset({"bbox", "updated_by"} | sector_data().keys()),
    expected={"status": "active", "bbox": [44.3, 35.3, 44.4, 35.4]},
    geojson="/sectors.geojson",
)

PROTECTED_SITES = ResourceSpec(
    name="protected_site",
    collection="/protected-sites",
    make_body=site_data,
    update_body={"name": "Al-Noor primary school (annex)", "description": "Two buildings."},
    fields=frozenset({"bbox", "updated_by", "starts_at", "ends_at"} | site_data().keys()),
    expected={"status": "active", "starts_at": None},
    geojson="/protected-sites.geojson",
)

MEETINGS = ResourceSpec(
    name="meeting",
    collection="/meetings",
    make_body=meeting_body,
    update_body={"minutes": "Corrected: the next meeting is on 27 February.", "place": "K1"},
    fields=frozenset({"updated_by"} | meeting_body("c").keys()),
    expected={"status": "held"},
    detail_extras=frozenset({"decisions", "action_items"}),
    owner=CONTRACT_OWNER,
    setup=contract_center,
)

DECISIONS = ResourceSpec(
    name="decision",
    collection="/decisions",
    make_body=decision_body,
    update_body={"text_en": "Hold a meeting by 29 February to start work."},
    fields=frozenset(
        {"center_id", "version_hash", "endorsed_by", "awaiting", "updated_by"}
        | decision_body("m").keys()
    ),
    expected={"status": "proposed", "endorsed_by": [], "awaiting": ["fed", "krg"]},
    detail_extras=frozenset({"endorsements"}),
    owner=CONTRACT_OWNER,
    setup=contract_meeting,
)

ACTION_ITEMS = ResourceSpec(
    name="action_item",
    collection="/action-items",
    make_body=action_body,
    update_body={"title": "Hold the working meeting", "owner_person": "Col. Karim"},
    fields=frozenset(
        {
            "owner_party",
            "overdue",
            "escalated",
            "escalates_at",
            "closed_at",
            "meeting_id",
            "decision_id",
            "updated_by",
        }
        | action_body("c").keys()
    ),
    expected={"status": "open", "owner_party": "fed", "overdue": False, "escalated": False},
    detail_extras=frozenset({"notes"}),
    owner=CONTRACT_OWNER,
    setup=contract_center,
)

SPECS = [
    INCIDENTS,
    OPERATIONS,
    NOTICES,
    ASSESSMENTS,
    SECTORS,
    PROTECTED_SITES,
    MEETINGS,
    DECISIONS,
    ACTION_ITEMS,
]
# Timestamps come back normalised to UTC with microseconds.
TIMESTAMP_FIELDS = frozenset({"occurred_at", "starts_at", "ends_at", "deadline"})


@pytest.fixture(params=SPECS, ids=lambda spec: spec.name)
def spec(
    request: pytest.FixtureRequest, as_user: AsUser, ctx: ServiceContext, world: World
) -> ResourceSpec:
    """Each shared resource in turn (its collection prepared when it hangs on another record)."""
    resource: ResourceSpec = request.param
    if resource.prepare is not None:
        resource = replace(resource, collection=resource.prepare(as_user), prepare=None)
    if resource.setup is not None:
        defaults = resource.setup(ctx, world, as_user)
        resource = replace(resource, make_body=partial(resource.make_body, **defaults), setup=None)
    return resource


def _create(spec: ResourceSpec, caller: Caller, **overrides: Any) -> dict[str, Any]:
    response = caller.post(spec.collection, json=spec.make_body(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _listed_ids(spec: ResourceSpec, caller: Caller) -> set[str]:
    ids: set[str] = set()
    cursor: str | None = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        response = caller.get(spec.collection, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        ids.update(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def _geojson_ids(spec: ResourceSpec, caller: Caller) -> set[str]:
    assert spec.geojson is not None
    response = caller.get(spec.geojson)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    return {feature["id"] for feature in collection["features"]}


def test_create_answers_the_wire_contract(
    spec: ResourceSpec, as_user: AsUser, world: World
) -> None:
    sent = spec.make_body()
    response = as_user(spec.owner).post(spec.collection, json=sent)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    got = response.json()
    assert COMMON_FIELDS | ANSWER_ONLY | spec.fields <= got.keys()
    assert got["received"] is None, "a record written here is this node's own"
    assert uuid.UUID(got["id"]).version == 7
    assert got["version"] == 1
    assert got["party"] == "fed"
    assert got["created_by"] == world.actors[spec.owner].user_id
    assert got["created_at"] == got["updated_at"]
    assert {k: got[k] for k in spec.expected} == spec.expected
    if spec.echoed_as_sent:
        for name, value in sent.items():
            if name not in TIMESTAMP_FIELDS:
                assert got[name] == value, name


def test_read_answers_what_create_answered(spec: ResourceSpec, as_user: AsUser) -> None:
    owner = as_user(spec.owner)
    created = _create(spec, owner)
    assert spec.derived <= created.keys(), "a create answers what a read derives"
    response = owner.get(spec.detail(created["id"]))
    assert response.status_code == 200, response.text
    read = response.json()
    for extra in ("history", *spec.detail_extras):
        read.pop(extra, None)
    assert read == created


def test_read_of_an_unknown_id_is_404(spec: ResourceSpec, as_user: AsUser) -> None:
    assert_problem(as_user(spec.owner).get(spec.detail(str(uuid.uuid4()))), 404)


def test_list_contains_it_and_cursor_walks_every_page_once(
    spec: ResourceSpec, as_user: AsUser
) -> None:
    owner = as_user(spec.owner)
    # Two share a timestamp, so the cursor must break ties by id.
    created = [_create(spec, owner) for _ in range(3)] + [
        _create(spec, owner, occurred_at=f"2020-02-1{day}T08:00:00Z") for day in (5, 6)
    ]
    first = owner.get(spec.collection)
    assert first.status_code == 200, first.text
    assert {c["id"] for c in created} <= {i["id"] for i in first.json()["items"]}

    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = owner.get(spec.collection, params=params).json()
        pages += 1
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == len(created)
    assert set(seen) == {c["id"] for c in created}


def test_patch_makes_version_2_and_history_shows_both(
    spec: ResourceSpec, as_user: AsUser, world: World
) -> None:
    owner = as_user(spec.owner)
    created = _create(spec, owner)
    response = owner.patch(spec.detail(created["id"]), json=spec.update_body)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["version"] == 2
    assert {k: updated[k] for k in spec.update_body} == spec.update_body
    assert updated["created_at"] == created["created_at"]
    assert updated["updated_by"] == world.actors[spec.owner].user_id

    detail = owner.get(spec.detail(created["id"])).json()
    assert [h["version"] for h in detail["history"]] == [1, 2]
    assert detail["history"][0]["record"]["version"] == 1
    record = {k: detail[k] for k in updated if k not in spec.derived | ANSWER_ONLY}
    assert detail["history"][1]["record"] == record


def test_party_releasable_record_is_invisible_to_the_other_party(
    spec: ResourceSpec, as_user: AsUser, ctx: ServiceContext
) -> None:
    owner, other = as_user(spec.owner), as_user("krg_liaison")
    if not spec.party_releasable:
        before = journal_count(ctx)
        refused = owner.post(spec.collection, json=spec.make_body(releasability="party"))
        assert_problem(refused, 422, "releasability")
        assert journal_count(ctx) == before
        shared = _create(spec, owner, releasability="all")
        assert shared["id"] in _listed_ids(spec, other)
        return
    private = _create(spec, owner, releasability="party")
    shared = _create(spec, owner, releasability="all")

    assert owner.get(spec.detail(private["id"])).status_code == 200
    assert_problem(other.get(spec.detail(private["id"])), 404)
    assert_problem(other.patch(spec.detail(private["id"]), json=spec.update_body), 404)
    listed = _listed_ids(spec, other)
    assert private["id"] not in listed and shared["id"] in listed
    if spec.geojson:
        mapped = _geojson_ids(spec, other)
        assert private["id"] not in mapped and shared["id"] in mapped
        assert private["id"] in _geojson_ids(spec, owner)
    # The refused PATCH changed nothing.
    assert owner.get(spec.detail(private["id"])).json()["version"] == 1


def test_center_releasable_record_reaches_center_members_only(
    spec: ResourceSpec, as_user: AsUser, world: World
) -> None:
    owner, member, outsider = as_user(spec.owner), as_user("krg_observer"), as_user("un_observer")
    record = _create(
        spec, owner, releasability="center", center_id=world.centers["kirkuk"]["id"]
    )

    assert member.get(spec.detail(record["id"])).status_code == 200
    assert record["id"] in _listed_ids(spec, member)
    assert_problem(outsider.get(spec.detail(record["id"])), 404)
    assert record["id"] not in _listed_ids(spec, outsider)
    if spec.geojson:
        assert record["id"] in _geojson_ids(spec, member)
        assert record["id"] not in _geojson_ids(spec, outsider)


def test_every_change_writes_one_journal_entry(
    spec: ResourceSpec, as_user: AsUser, ctx: ServiceContext
) -> None:
    owner = as_user(spec.owner)
    total = journal_count(ctx)
    created = _create(spec, owner)
    assert journal_count(ctx, created["id"]) == 1
    assert journal_count(ctx) == total + 1

    owner.patch(spec.detail(created["id"]), json=spec.update_body).raise_for_status()
    assert journal_count(ctx, created["id"]) == 2
    history = owner.get(spec.detail(created["id"])).json()["history"]
    assert [h["action"] for h in history] == ["create", "update"]
    assert_verifies(ctx)
