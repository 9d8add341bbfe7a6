"""The API keeps its contract on hostile input: forged cursors, out-of-range dates, NUL, deep JSON.

Each case once answered 500 (or reset the connection); each now answers a 4xx
problem naming the field and changes nothing. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, assert_problem, journal_count
from tests.factories import incident_data
from tests.factories_notices import notice_data


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# What schemathesis sent: a well-formed (unsigned) cursor whose instant overflows.
FORGED = _b64(orjson.dumps(["0001-01-01T00:00:00+23:59", "x"]))
LISTS = [
    "/incidents",
    "/incidents.geojson",
    "/notices",
    "/meetings",
    "/decisions",
    "/action-items",
    "/operations",
    "/sectors",
    "/protected-sites",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("cursor", [FORGED, FORGED + "." + _b64(b"0" * 16), "a.b.c", "%%%"])
def test_a_forged_cursor_is_refused_naming_cursor(as_user: AsUser, path: str, cursor: str) -> None:
    assert_problem(as_user("fed_analyst").get(path, params={"cursor": cursor}), 422, "cursor")


def test_an_issued_cursor_works_and_an_altered_or_borrowed_one_does_not(as_user: AsUser) -> None:
    fed = as_user("fed_liaison")
    for _ in range(3):
        assert fed.post("/incidents", json=incident_data()).status_code == 201
    cursor = fed.get("/incidents", params={"limit": 1}).json()["next_cursor"]
    assert fed.get("/incidents", params={"limit": 1, "cursor": cursor}).status_code == 200
    payload, tag = cursor.split(".")
    altered = _b64(orjson.dumps(["2100-01-01T00:00:00.000000Z", "x"])) + "." + tag
    assert_problem(fed.get("/incidents", params={"cursor": altered}), 422, "cursor")
    # A cursor is bound to the list it pages: the incidents' one means nothing to notices.
    assert_problem(fed.get("/notices", params={"cursor": cursor}), 422, "cursor")


OUT_OF_RANGE = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-02:00", "0001-01-01T00:00:00Z"]
NOT_DATES = ["0.5", "1582146000", 1582146000, 0.5]


@pytest.mark.parametrize("value", OUT_OF_RANGE + NOT_DATES)
def test_a_bad_date_in_a_body_is_refused_and_files_nothing(
    ctx: ServiceContext, as_user: AsUser, value: Any
) -> None:
    fed = as_user("fed_liaison")
    before = journal_count(ctx)
    incident = fed.post("/incidents", json=incident_data(occurred_at=value))
    assert_problem(incident, 422, "occurred_at")
    notice = fed.post("/notices", json=notice_data(ends_at=value))
    assert_problem(notice, 422, "ends_at")
    assert journal_count(ctx) == before


@pytest.mark.parametrize("value", [*OUT_OF_RANGE, "0.5", "1582146000", "9999-12-31"])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/incidents", "since"),
        ("/incidents", "until"),
        ("/incidents.geojson", "until"),
        ("/meetings", "since"),
        ("/sectors", "active_at"),
        ("/coverage", "at"),
    ],
)
def test_a_bad_date_in_a_filter_is_named(as_user: AsUser, path: str, name: str, value: str) -> None:
    params = {name: value, **({"area": "Kirkuk"} if path == "/coverage" else {})}
    assert_problem(as_user("fed_analyst").get(path, params=params), 422, name)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/incidents/ab%00cd", {}, "incident_id"),
        ("/meetings/ab%00cd", {}, "meeting_id"),
        ("/incidents", {"admin1": "Kir\x00kuk"}, "admin1"),
        ("/notices", {"to_party": "k\x00rg"}, "to_party"),
        ("/incidents", {"cursor": "\x00"}, "cursor"),
    ],
)
def test_nul_in_a_path_or_query_is_named(
    as_user: AsUser, path: str, params: dict[str, str], field: str
) -> None:
    assert_problem(as_user("fed_analyst").get(path, params=params), 422, field)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/decisions", {"meeting_id": "a\x00b", "text_en": "x"}, "meeting_id"),
        ("/incidents", incident_data(actor1="IS\x00"), "actor1"),
        (
            "/incidents/batch",
            {"items": [incident_data(), incident_data(sources=["\x00"])]},
            "items[1].sources[0]",
        ),
        ("/notices", {**notice_data(), "to\x00": 1}, "to\x00"),
    ],
)
def test_nul_in_a_body_is_named_and_changes_nothing(
    ctx: ServiceContext, as_user: AsUser, path: str, body: dict[str, Any], field: str
) -> None:
    before = journal_count(ctx)
    assert_problem(as_user("fed_liaison").post(path, json=body), 422, field)
    assert journal_count(ctx) == before


@pytest.mark.parametrize(
    "body", ["[" * 5000 + "]" * 5000, '{"occurred_at": ' + "[" * 2000 + "]" * 2000 + "}"]
)
def test_json_nested_too_deep_is_malformed_naming_the_body(
    ctx: ServiceContext, as_user: AsUser, body: str
) -> None:
    before = journal_count(ctx)
    answer = as_user("fed_liaison").post(
        "/incidents", content=body, headers={"Content-Type": "application/json"}
    )
    assert assert_problem(answer, 400, "body")["title"] == "Malformed request"
    assert journal_count(ctx) == before
