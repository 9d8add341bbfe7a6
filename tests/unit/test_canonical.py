"""Canonical JSON has one form for every value it takes and refuses the rest."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta, timezone

import orjson
import pytest

from tansiq.journal.canonical import CanonicalJSONError, canonical_json
from tansiq.journal.chain import entry_hash


@pytest.mark.parametrize(
    "value",
    [
        {"x": float("nan")},
        {"x": [1.0, float("inf")]},
        {"outer": {"inner": [[float("-inf")]]}},
        (float("nan"),),
    ],
)
def test_non_finite_numbers_are_refused(value: object) -> None:
    # orjson alone writes these as null: the hash would not tell NaN from a null.
    with pytest.raises(CanonicalJSONError, match="canonical JSON"):
        canonical_json(value)


@pytest.mark.parametrize("value", [{1: "a"}, {"ok": {None: 1}}, {("a", "b"): 1}, {1.5: 2}])
def test_keys_that_are_not_strings_are_refused(value: object) -> None:
    with pytest.raises(CanonicalJSONError):
        canonical_json(value)


def test_a_datetime_has_one_utc_form_whatever_its_offset() -> None:
    baghdad = timezone(timedelta(hours=3))
    same_instant = [
        datetime(2020, 2, 20, 9, 0, tzinfo=UTC),
        datetime(2020, 2, 20, 12, 0, tzinfo=baghdad),
    ]
    for value in same_instant:
        assert canonical_json({"at": value}) == b'{"at":"2020-02-20T09:00:00.000000Z"}'
    assert canonical_json([datetime(2020, 2, 20, 9, 0, 0, 1500, tzinfo=UTC)]) == (
        b'["2020-02-20T09:00:00.001500Z"]'
    )
    assert canonical_json(date(2020, 2, 20)) == b'"2020-02-20"'
    with pytest.raises(CanonicalJSONError, match="naive datetime"):
        canonical_json({"at": datetime(2020, 2, 20, 9, 0)})


def test_unknown_types_are_refused() -> None:
    with pytest.raises(CanonicalJSONError, match="object"):
        canonical_json({"x": object()})


def test_the_documented_example_reproduces_its_bytes() -> None:
    # The example of docs/journal-format.md: sorted keys, no spaces, UTF-8, sets sorted.
    value = {
        "name": "كركوك",
        "b": [3, 1.5, None, True],
        "a": {"z": 1, "y": "tab\there"},
        "tags": {"west", "east"},
    }
    expected = (
        '{"a":{"y":"tab\\there","z":1},"b":[3,1.5,null,true],'
        '"name":"كركوك","tags":["east","west"]}'
    ).encode()
    assert canonical_json(value) == expected


def test_the_documented_envelope_hash() -> None:
    row = {
        "seq": 1, "node_id": "node-0123456789ab", "actor": "u1",
        "at": "2020-02-20T09:00:00.000000Z", "record_kind": "incident",
        "record_id": "r1", "action": "create", "record_version": 1, "owner_party": "fed",
        "releasability": "all", "center_id": None, "prev_hash": "0" * 64,
        "payload": '{"id":"r1"}', "payload_format": 1,
    }
    envelope = (
        '{"action":"create","actor":"u1","at":"2020-02-20T09:00:00.000000Z",'
        '"center_id":null,"node_id":"node-0123456789ab","owner_party":"fed",'
        '"payload":{"id":"r1"},"prev_hash":"' + "0" * 64 + '","record_id":"r1",'
        '"record_kind":"incident","record_version":1,"releasability":"all","seq":1}'
    )
    assert entry_hash(row) == hashlib.sha256(envelope.encode()).hexdigest()
    later = {**row, "payload_format": 2}
    # Sorted: "payload" < "payload_format" < "prev_hash".
    with_format = envelope.replace(
        '"prev_hash"', '"payload_format":2,"prev_hash"'
    )
    assert entry_hash(later) == hashlib.sha256(with_format.encode()).hexdigest()
    assert orjson.loads(with_format)["payload_format"] == 2
