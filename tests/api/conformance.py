"""Check an API answer against the published OpenAPI document: status, media type, body.

:class:`tests.api.helpers.Caller` runs :func:`assert_conforms` on every answer, so each
hand-written API test also checks that what it got is what the spec declares.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from fastapi import FastAPI
from nacl.signing import SigningKey
from sqlalchemy import create_engine

from tansiq.app import create_app
from tansiq.config import Settings
from tansiq.journal.keys import NodeKey, node_id_for
from tansiq.services.core.context import ServiceContext

if TYPE_CHECKING:
    import httpx

JSON_TYPES = ("application/json", "application/geo+json", "application/problem+json")


def spec_only_app() -> FastAPI:
    """An app on a throw-away context: enough to build the spec, which reads no database."""
    signing = SigningKey.generate()
    key = NodeKey(signing_key=signing, node_id=node_id_for(bytes(signing.verify_key)))
    ctx = ServiceContext(engine=create_engine("sqlite://"), key=key, settings=Settings())
    return create_app(ctx=ctx)


@cache
def spec() -> dict[str, Any]:
    """The published OpenAPI document."""
    return spec_only_app().openapi()


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in spec()["paths"]:
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        found.append((re.compile(pattern + "$"), template))
    # Literal paths first: /incidents/batch is not /incidents/{incident_id}.
    return sorted(found, key=lambda pair: pair[1].count("{"))


def operation_for(method: str, path: str) -> dict[str, Any] | None:
    """The spec's operation for ``method`` on the URL ``path``; None if it declares none."""
    for pattern, template in _templates():
        if pattern.match(path):
            operation: dict[str, Any] | None = spec()["paths"][template].get(method.lower())
            if operation is not None:
                return operation
    return None


@cache
def _validator(schema_json: str) -> jsonschema_rs.Draft202012Validator:
    schema = json.loads(schema_json)
    # "#/components/schemas/…" resolves against the root: give it the spec's components.
    return jsonschema_rs.Draft202012Validator({**schema, "components": spec()["components"]})


def assert_conforms(response: httpx.Response) -> None:
    """Fail unless ``response`` has a declared status, media type and a body of its schema.

    Answers to paths or methods the spec does not list (404 on an unknown route, 405)
    are not checked.
    """
    request = response.request
    operation = operation_for(request.method, request.url.path)
    if operation is None:
        return
    status = str(response.status_code)
    declared = operation["responses"]
    where = f"{request.method} {request.url.path} answered {status}"
    assert status in declared or "default" in declared, f"{where}: undeclared status"
    content = (declared.get(status) or declared["default"]).get("content", {})
    if not content:
        return
    media = response.headers.get("content-type", "").split(";")[0].strip()
    assert media in content, f"{where} as {media}, declared {sorted(content)}"
    schema = content[media].get("schema")
    if schema is None or media not in JSON_TYPES:
        return
    errors = list(_validator(json.dumps(schema, sort_keys=True)).iter_errors(response.json()))
    assert not errors, f"{where}: " + "; ".join(
        f"{'/'.join(map(str, e.instance_path))}: {e.message[:200]}" for e in errors[:5]
    )
