"""The contract every shared resource keeps, declared once and run for each resource.

A new resource (sectors, operations, notices) is one more ``ResourceSpec`` in
``SPECS``: create, read, list with cursor pagination, version history,
releasability (party and center) and the journal entry are then tested for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tansiq.services.context import ServiceContext
from tests.api.helpers import AsUser, Caller, assert_problem, assert_verifies, journal_count
from tests.factories import World, incident_data

# Every record answers these; DESIGN.md "Wire contract".
COMMON_FIELDS = frozenset(
    {"id", "version", "party", "status", "created_at", "updated_at", "created_by"}
)
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

    def detail(self, record_id: str) -> str:
        """The path of one record."""
        return f"{self.collection}/{record_id}"


INCIDENTS = ResourceSpec(
    name="incident",
    collection="/incidents",
    make_body=incident_data,
    update_body={"injured": 5, "description": "Corrected after the morning call."},
    fields=frozenset({"admin1", "admin2", "updated_by"} | incident_data().keys()),
    expected={"status": "submitted", "admin1": "Kirkuk", "admin2": "Kirkuk"},
    geojson="/incidents.geojson",
)

SPECS = [INCIDENTS]
# Timestamps come back normalised to UTC with microseconds.
TIMESTAMP_FIELDS = frozenset({"occurred_at", "starts_at", "ends_at", "deadline"})


@pytest.fixture(params=SPECS, ids=lambda spec: spec.name)
def spec(request: pytest.FixtureRequest) -> ResourceSpec:
    """Each shared resource in turn."""
    resource: ResourceSpec = request.param
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
    response = as_user(OWNER).post(spec.collection, json=sent)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    got = response.json()
    assert COMMON_FIELDS | spec.fields <= got.keys()
    assert uuid.UUID(got["id"]).version == 7
    assert got["version"] == 1
    assert got["party"] == "fed"
    assert got["created_by"] == world.actors[OWNER].user_id
    assert got["created_at"] == got["updated_at"]
    assert {k: got[k] for k in spec.expected} == spec.expected
    if spec.echoed_as_sent:
        for name, value in sent.items():
            if name not in TIMESTAMP_FIELDS:
                assert got[name] == value, name


def test_read_answers_what_create_answered(spec: ResourceSpec, as_user: AsUser) -> None:
    owner = as_user(OWNER)
    created = _create(spec, owner)
    response = owner.get(spec.detail(created["id"]))
    assert response.status_code == 200, response.text
    read = response.json()
    read.pop("history", None)
    assert read == created


def test_read_of_an_unknown_id_is_404(spec: ResourceSpec, as_user: AsUser) -> None:
    assert_problem(as_user(OWNER).get(spec.detail(str(uuid.uuid4()))), 404)


def test_list_contains_it_and_cursor_walks_every_page_once(
    spec: ResourceSpec, as_user: AsUser
) -> None:
    owner = as_user(OWNER)
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
    owner = as_user(OWNER)
    created = _create(spec, owner)
    response = owner.patch(spec.detail(created["id"]), json=spec.update_body)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["version"] == 2
    assert {k: updated[k] for k in spec.update_body} == spec.update_body
    assert updated["created_at"] == created["created_at"]
    assert updated["updated_by"] == world.actors[OWNER].user_id

    detail = owner.get(spec.detail(created["id"])).json()
    assert [h["version"] for h in detail["history"]] == [1, 2]
    assert detail["history"][0]["record"]["version"] == 1
    assert detail["history"][1]["record"] == {k: detail[k] for k in updated}


def test_party_releasable_record_is_invisible_to_the_other_party(
    spec: ResourceSpec, as_user: AsUser
) -> None:
    owner, other = as_user(OWNER), as_user("krg_liaison")
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
    owner, member, outsider = as_user(OWNER), as_user("krg_observer"), as_user("un_observer")
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
    owner = as_user(OWNER)
    total = journal_count(ctx)
    created = _create(spec, owner)
    assert journal_count(ctx, created["id"]) == 1
    assert journal_count(ctx) == total + 1

    owner.patch(spec.detail(created["id"]), json=spec.update_body).raise_for_status()
    assert journal_count(ctx, created["id"]) == 2
    history = owner.get(spec.detail(created["id"])).json()["history"]
    assert [h["action"] for h in history] == ["create", "update"]
    assert_verifies(ctx)
