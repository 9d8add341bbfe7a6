"""Every API answer marks a record received from another party's node, and only such a record.

On krg's node (``tests/federation/marked.py``): fed's records answer
``"received": {"from": "fed", "node_id": …, "at": …}``, krg's own ``"received": null``,
in lists, details, nested lists, GeoJSON, coverage, findings and the digest. Every
answer is also checked against the OpenAPI document (``Caller``), where ``received``
is a required, read-only member of each record's schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tansiq.services.accounts.commands import create_token
from tansiq.services.meetings.digest import digest, render_digest_text
from tests.api.conformance import spec
from tests.api.helpers import Caller, TestClient
from tests.factories import SYSTEM
from tests.federation.marked import Marked


@pytest.fixture(scope="module")
def krg_api(marked: Marked) -> Iterator[Caller]:
    """krg's liaison calling krg's node."""
    with TestClient(marked.krg_node.app) as client:
        yield Caller(client, marked.krg_token)


def _ok(caller: Caller, path: str) -> Any:
    response = caller.get(path)
    assert response.status_code == 200, f"{path}: {response.text}"
    return response.json()


def _from_fed(marked: Marked, mark: Any) -> None:
    assert mark is not None, "a record received from fed's node has its mark"
    assert mark["from"] == "fed"
    assert mark["node_id"] == marked.fed_node_id
    assert mark["at"].endswith("Z")
    assert mark["precision"] is None


def _marks(items: list[dict[str, Any]], key: str = "received") -> dict[str, Any]:
    return {item["id"]: item[key] for item in items}


def _check_pair(marked: Marked, found: dict[str, Any], kind: str) -> None:
    """fed's record of ``kind`` is marked as received from fed, krg's own is not."""
    assert found[marked.krg[kind]] is None, f"krg's own {kind} carries no mark"
    _from_fed(marked, found[marked.fed[kind]])


@pytest.mark.parametrize(
    ("kind", "collection", "detail"),
    [
        ("incident", "/incidents", "/incidents/{}"),
        ("sector", "/sectors", "/sectors/{}"),
        ("site", "/protected-sites", "/protected-sites/{}"),
        ("notice", "/notices", "/notices/{}"),
        ("meeting", "/meetings", "/meetings/{}"),
        ("decision", "/decisions", "/decisions/{}"),
        ("action", "/action-items", "/action-items/{}"),
        ("plan", "/operations", "/operations/{}"),
    ],
)
def test_lists_and_details_mark_only_the_remote_record(
    marked: Marked, krg_api: Caller, kind: str, collection: str, detail: str
) -> None:
    _check_pair(marked, _marks(_ok(krg_api, collection)["items"]), kind)
    found = {
        record_id: _ok(krg_api, detail.format(record_id))["received"]
        for record_id in (marked.fed[kind], marked.krg[kind])
    }
    _check_pair(marked, found, kind)


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("incident", "/incidents.geojson"),
        ("sector", "/sectors.geojson"),
        ("site", "/protected-sites.geojson"),
    ],
)
def test_geojson_properties_carry_the_mark(
    marked: Marked, krg_api: Caller, kind: str, path: str
) -> None:
    features = _ok(krg_api, path)["features"]
    _check_pair(marked, {f["id"]: f["properties"]["received"] for f in features}, kind)


def test_attached_records_are_marked_where_they_are_listed(
    marked: Marked, krg_api: Caller
) -> None:
    fed, krg = marked.fed, marked.krg
    # fed's answer to krg's notice came from fed; krg's answer to fed's notice is krg's own.
    own_notice = _ok(krg_api, f"/notices/{krg['notice']}")["acknowledgements"]
    _from_fed(marked, _marks(own_notice)[krg["fed_ack"]])
    their_notice = _ok(krg_api, f"/notices/{fed['notice']}")["acknowledgements"]
    assert [a["received"] for a in their_notice] == [None]
    contests = _ok(krg_api, f"/incidents/{krg['incident']}/assessments")["items"]
    _from_fed(marked, _marks(contests)[krg["fed_contest"]])
    _from_fed(marked, _ok(krg_api, f"/assessments/{krg['fed_contest']}")["received"])
    notes = _ok(krg_api, f"/action-items/{krg['action']}")["notes"]
    _from_fed(marked, _marks(notes)[krg["fed_note"]])
    endorsements = _ok(krg_api, f"/decisions/{krg['decision']}")["endorsements"]
    _from_fed(marked, _marks(endorsements)[krg["fed_endorsement"]])
    approvals = _ok(krg_api, f"/operations/{krg['plan']}/approvals")
    _from_fed(marked, _marks(approvals)[krg["fed_approval"]])
    assert _ok(krg_api, f"/operations/{fed['plan']}/approvals") == []


def test_a_meeting_marks_its_decisions_and_items(marked: Marked, krg_api: Caller) -> None:
    for side, expect_remote in ((marked.fed, True), (marked.krg, False)):
        meeting = _ok(krg_api, f"/meetings/{side['meeting']}")
        nested = [meeting, *meeting["decisions"], *meeting["action_items"]]
        assert len(nested) == 3
        for record in nested:
            if expect_remote:
                _from_fed(marked, record["received"])
            else:
                assert record["received"] is None


def test_findings_mark_a_remote_subject_and_a_remote_plan(
    marked: Marked, krg_api: Caller
) -> None:
    fed, krg = marked.fed, marked.krg
    plan = _ok(krg_api, f"/operations/{krg['plan']}")
    subjects = {f["subject_id"]: f for f in plan["findings"]}
    # krg's own plan: its findings are krg's; what they are about came from fed.
    for subject in (fed["sector"], fed["site"], fed["plan"]):
        assert subject in subjects, f"krg's plan meets fed's {subject}"
        assert subjects[subject]["received"] is None
        _from_fed(marked, subjects[subject]["subject_received"])
    assert _ok(krg_api, f"/operations/{krg['plan']}/findings") == plan["findings"]
    # fed's plan, received: its findings (fed wrote them) and their subjects (fed's
    # school) came from fed's node too.
    theirs = _ok(krg_api, f"/operations/{fed['plan']}")["findings"]
    assert [f["subject_id"] for f in theirs] == [fed["site"]]
    _from_fed(marked, theirs[0]["received"])
    _from_fed(marked, theirs[0]["subject_received"])
    # On fed's node the same finding is fed's own, about fed's own school.
    with TestClient(marked.fed_node.app) as client:
        token, _ = create_token(marked.fed_node.ctx, by=SYSTEM, username="fed_liaison")
        own = _ok(Caller(client, token), f"/operations/{fed['plan']}")["findings"]
    assert [(f["received"], f["subject_received"]) for f in own] == [(None, None)]


def test_coverage_marks_the_incidents_in_its_gaps(marked: Marked, krg_api: Caller) -> None:
    answer = _ok(krg_api, "/coverage?area=Kirkuk&at=2020-02-20")
    placed = {
        f["properties"]["id"]: f["properties"]["received"]
        for f in answer["features"]
        if f["properties"]["layer"] == "incident"
    }
    _check_pair(marked, placed, "incident")


def test_the_digest_marks_remote_items_decisions_and_meetings(
    marked: Marked, krg_api: Caller
) -> None:
    report = _ok(krg_api, "/centers/jcc-kirkuk/digest")
    buckets = (*report["overdue"].values(), *report["escalated"].values())
    late = [item for items in buckets for item in items]
    _check_pair(marked, _marks(late), "action")
    _check_pair(marked, _marks(report["awaiting_endorsement"]), "decision")
    _check_pair(marked, _marks(report["meetings"]), "meeting")
    krg = marked.krg_node
    text = render_digest_text(digest(krg.ctx, actor=krg.actor(), center_code="kirkuk"))
    lines = {line for line in text.splitlines() if "[" in line}
    remote = [line for line in lines if any(marked.fed[k] in line for k in ("action", "meeting"))]
    local = [line for line in lines if any(marked.krg[k] in line for k in ("action", "meeting"))]
    assert len(remote) == len(local) == 2
    assert all("received from fed at 2020-02-20 12:00" in line for line in remote)
    assert not any("received from" in line for line in local)


def test_review_candidates_mark_a_remote_duplicate(marked: Marked, krg_api: Caller) -> None:
    candidate = _ok(krg_api, f"/candidates/{marked.krg['candidate']}")
    _check_pair(marked, _marks(candidate["duplicates"]), "incident")
    listed = _ok(krg_api, "/candidates")["items"]
    assert [c["duplicates"] for c in listed] == [candidate["duplicates"]]


def test_disputes_mark_the_remote_contest(marked: Marked, krg_api: Caller) -> None:
    items = _ok(krg_api, "/disputes?center=jcc-kirkuk")["items"]
    assert [i["assessment"]["id"] for i in items] == [marked.krg["fed_contest"]]
    _from_fed(marked, items[0]["assessment"]["received"])
    assert items[0]["incident"]["received"] is None, "the contested incident is krg's own"


def test_a_remote_record_stays_read_only(marked: Marked, krg_api: Caller) -> None:
    path = f"/incidents/{marked.fed['incident']}"
    before = _ok(krg_api, path)
    answer = krg_api.patch(path, json={"injured": 9})
    assert answer.status_code == 403, answer.text
    assert _ok(krg_api, path) == before
    # Nor can a client set the mark: it is no field of any request body.
    created = krg_api.post("/incidents", json={"injured": 1, "received": None})
    assert created.status_code == 422


# Every record kind that travels between nodes, and the GeoJSON lists' properties.
RECORD_SCHEMAS = {
    "IncidentPublic",
    "AssessmentPublic",
    "ResolutionPublic",
    "NoticePublic",
    "AckPublic",
    "OperationPublic",
    "FindingPublic",
    "ApprovalPublic",
    "SectorPublic",
    "SitePublic",
    "MeetingPublic",
    "DecisionPublic",
    "EndorsementPublic",
    "ActionItemPublic",
    "NotePublic",
    "DuplicatePublic",  # an incident a review candidate probably repeats
    "FeatureProperties",
}
# Never received: the directory, release precisions, and the review queue's articles and
# candidates (released to their party alone): each node's own. Not records: a feature, a
# derived state, an error.
NOT_RECORDS = {
    "PartyPublic",
    "CenterPublic",
    "ReleasePrecisionPublic",
    "ArticlePublic",
    "CandidatePublic",
    "FeaturePublic",
    "DisputeStatePublic",
    "FieldErrorPublic",
}


def test_received_is_a_required_read_only_member_of_every_record_schema() -> None:
    schemas = spec()["components"]["schemas"]
    public = {name for name in schemas if name.endswith("Public")}
    assert public - NOT_RECORDS <= RECORD_SCHEMAS, "a new record schema needs its mark"
    for name in RECORD_SCHEMAS:
        schema = schemas[name]
        assert "received" in schema["required"], name
        assert schema["properties"]["received"]["readOnly"] is True, name
    for name, schema in schemas.items():
        if name.endswith("Record"):  # a journaled version in a history: no mark
            assert "received" not in schema["properties"], name
    mark = schemas["ReceivedMark"]
    assert set(mark["required"]) == {"from", "node_id", "at", "precision"}
    assert "subject_received" in schemas["FindingPublic"]["required"]
