"""Journal payload formats: a kind whose payload gains a field still verifies older records."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

import tansiq.services.core.verification as verification
from tansiq.journal.chain import EntryDraft, build_rows, entry_hash
from tansiq.journal.keys import NodeKey
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import Row
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.services.incidents.commands import create_incident
from tansiq.services.incidents.records import INCIDENT, incident_payload
from tests.factories import build_world, incident_data


def _with_new_field(row: Row) -> dict[str, Any]:
    return {**incident_payload(row), "summary_en": None}


def _swap_incident_kind(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> None:
    kinds = tuple(
        replace(k, **changes) if k.name == INCIDENT.name else k for k in RECORD_KINDS
    )
    monkeypatch.setattr(verification, "RECORD_KINDS", kinds)


def test_a_new_payload_format_verifies_records_journaled_in_the_old_one(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(ctx)
    create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    assert verification.verify_database(ctx).ok

    # A field added without a new format makes every older record look altered.
    _swap_incident_kind(monkeypatch, payload=_with_new_field)
    report = verification.verify_database(ctx)
    assert not report.ok and "differs from its latest journaled version" in str(report.problem)

    # The next format with the current one kept: the older records are read in the form
    # they were written.
    current = INCIDENT.payload_format
    _swap_incident_kind(
        monkeypatch,
        payload=_with_new_field,
        payload_format=current + 1,
        earlier_payloads={**INCIDENT.earlier_payloads, current: incident_payload},
    )
    assert verification.verify_database(ctx).ok

    # Dropping the serialiser of a format still in the journal is reported by name.
    _swap_incident_kind(monkeypatch, payload=_with_new_field, payload_format=current + 1)
    report = verification.verify_database(ctx)
    assert not report.ok and f"unknown payload format {current}" in str(report.problem)


def _draft(payload_format: int) -> EntryDraft:
    return EntryDraft(
        actor="u1",
        record_kind="incident",
        record_id="r1",
        action="create",
        record_version=1,
        owner_party="fed",
        releasability="all",
        center_id=None,
        payload={"id": "r1"},
        payload_format=payload_format,
    )


def test_format_one_entries_keep_the_hash_they_had_before_formats(node_key: NodeKey) -> None:
    [row] = build_rows([_draft(1)], key=node_key, head_seq=0, head_hash="0" * 64, at="t")
    without_field = {k: v for k, v in row.items() if k != "payload_format"}
    assert entry_hash(without_field) == row["hash"]


def test_a_later_format_is_covered_by_the_hash(node_key: NodeKey) -> None:
    [row] = build_rows([_draft(2)], key=node_key, head_seq=0, head_hash="0" * 64, at="t")
    assert entry_hash(row) == row["hash"]
    assert entry_hash({**row, "payload_format": 1}) != row["hash"]
