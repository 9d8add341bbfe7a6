"""The published OpenAPI document declares what the API really answers.

Each success answer has its real schema (never ``{"type": "string"}`` for JSON; a file
of another format is a string of its media type), every list
page is ``{"items", "next_cursor"}``, every GeoJSON list a FeatureCollection, and every
error status an operation can give is ``application/problem+json`` with ``Problem``.
``Caller`` checks each answer of the API suites against this document
(``tests/api/conformance.py``); ``test_schemathesis.py`` fuzzes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conformance import JSON_TYPES, spec
from tests.api.helpers import API, AsUser, TestClient, assert_problem
from tests.factories_notices import notice_data

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in spec()["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation


def _component(ref: str) -> dict[str, Any]:
    found: dict[str, Any] = spec()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return found


def _success(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    status = next(s for s in operation["responses"] if s.startswith("2"))
    ((media, content),) = operation["responses"][status]["content"].items()
    return media, content["schema"]


OPERATIONS = sorted(_operations(), key=lambda op: (op[1], op[0]))
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_success_answer_declares_its_real_schema(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    media, schema = _success(operation)
    if media not in JSON_TYPES:
        # A file in a format that is not JSON (an export's KML or GeoPackage): its bytes,
        # of that media type.
        assert schema.get("type") == "string", f"{method} {path} declares {schema}"
        assert schema.get("contentMediaType") == media, f"{method} {path} declares {schema}"
        return
    assert schema.get("type") != "string", f"{method} {path} declares a string"
    assert schema, f"{method} {path} declares no schema"


LISTS = [
    (method, path, operation)
    for method, path, operation in OPERATIONS
    if method == "GET" and "cursor" in {p["name"] for p in operation.get("parameters", [])}
]


@pytest.mark.parametrize(
    ("method", "path", "operation"), LISTS, ids=[f"{m} {p}" for m, p, _ in LISTS]
)
def test_list_pages_declare_items_and_next_cursor(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    media, schema = _success(operation)
    properties = _component(schema["$ref"])["properties"]
    if path.endswith(".geojson"):
        assert media == "application/geo+json"
        assert {"type", "features", "next_cursor"} <= properties.keys()
    else:
        assert media == "application/json"
        assert {"items", "next_cursor"} <= properties.keys()


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_error_is_a_declared_problem(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    responses = operation["responses"]
    errors = {s: r for s, r in responses.items() if s[0] in "45"}
    assert "422" in errors
    if operation.get("security"):
        assert {"401", "403"} <= errors.keys()
    if "{" in path:
        assert "404" in errors
    if "requestBody" in operation:
        assert {"400", "413"} <= errors.keys()
    if method == "PATCH":
        assert "409" in errors
    for status, answer in errors.items():
        assert answer["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}, status


def test_fastapis_own_validation_error_is_not_published() -> None:
    assert "HTTPValidationError" not in json.dumps(spec())
    assert {"field", "message"} <= _component("#/FieldErrorPublic")["properties"].keys()


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/incidents", "GET, POST"),
        # Also matched by /incidents/{incident_id} (GET, PATCH): another resource.
        ("/incidents/batch", "POST"),
        ("/incidents/0190a1b2", "GET, PATCH"),
    ],
)
def test_405_allows_every_method_of_the_resource(client: TestClient, path: str, allow: str) -> None:
    response = client.request("DELETE", API + path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allow


def test_a_sent_notice_answers_its_derived_state(as_user: AsUser) -> None:
    sent = as_user("fed_liaison").post("/notices", json=notice_data())
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert (body["state"], body["escalated"], body["acknowledgements"]) == ("pending", False, [])
    assert body["disclaimer"].startswith("Notification is not permission")
