"""The review queue's pure rules: article keys, candidate checks, drafts and duplicate matching."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tansiq.domain.choices import AcceptedRecordChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.intake import (
    article_values,
    candidate_values,
    content_hash,
    url_key,
    validate_changes,
)
from tansiq.domain.intake_drafts import draft_for, region_point, source_line
from tansiq.domain.intake_matching import matches, probe_of
from tests.factories_intake import (
    IED_SENTENCE,
    PUBLISHED,
    article,
    deployment_candidate,
    ied_candidate,
    meeting_candidate,
)

NOW = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)


def _row(candidate: Any) -> dict[str, Any]:
    values, errors = candidate_values(candidate, "")
    assert errors == []
    return values


def _article_row(**overrides: Any) -> dict[str, Any]:
    return article_values(article(**overrides))


def test_an_article_is_known_by_its_body_and_its_address() -> None:
    values = _article_row()
    assert values["content_hash"] == content_hash(values["body"])
    same = url_key("HTTPS://SHAFAQ.com/en/Security/Two-soldiers-killed-in-IED-blast-near-Kirkuk/#x")
    assert values["url_key"] == same
    assert url_key("https://shafaq.com/en/security/two-soldiers") != url_key(
        "https://shafaq.com/en/Security/Two-soldiers"
    )
    assert url_key("  ") is None
    with pytest.raises(ValidationFailed) as refused:
        article_values(article(published_at=datetime(2020, 2, 20), content_hash="xyz"))
    assert {e.field for e in refused.value.errors} == {
        "article.published_at",
        "article.content_hash",
    }


def test_a_candidate_is_checked_and_its_places_settled() -> None:
    values = _row(ied_candidate(admin1="Nineveh", admin2="", location=None))
    assert (values["admin1"], values["admin2"]) == ("Ninewa", "")
    placed = _row(ied_candidate(admin1="", admin2=""))
    assert (placed["admin1"], placed["admin2"]) == ("Kirkuk", "Dibis")
    # An unknown precision becomes the one the range spans.
    week = ied_candidate(
        time_precision="range",
        occurred_from=NOW - timedelta(days=6),
        occurred_until=NOW,
    )
    assert _row(week)["time_precision"] == "week"
    _, errors = candidate_values(
        ied_candidate(
            confidence=1.5,
            occurred_from=datetime(2020, 2, 19),
            evidence=("",),
            kind="strategic_development",
        ),
        "candidates[0].",
    )
    assert {e.field for e in errors} == {
        "candidates[0].confidence",
        "candidates[0].occurred_from",
        "candidates[0].evidence[0]",
    }
    _, errors = candidate_values(ied_candidate(kind="strategic_development"), "c.")
    assert [e.field for e in errors] == ["c.kind"]


def test_an_edit_names_what_it_may_not_change() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_changes({"evidence": [], "confidence": 1, "event_type": None, "nonsense": 1})
    assert {e.field for e in refused.value.errors} == {
        "evidence",
        "confidence",
        "event_type",
        "nonsense",
    }
    assert validate_changes({"event_type": "Strategic developments"})["kind"] == (
        "strategic_development"
    )
    moved = validate_changes({"location": {"type": "Point", "coordinates": [44.4, 35.5]}})
    assert moved["admin1"] == ""  # read from the new point when the record is settled
    assert validate_changes({"fatalities": None}) == {"fatalities": None}


def test_the_incident_draft_quotes_the_evidence_and_names_the_source() -> None:
    source = _article_row()
    draft = draft_for(AcceptedRecordChoices.INCIDENT, _row(ied_candidate()), source, now=NOW)
    assert draft["occurred_at"] == "2020-02-18T21:00:00.000000Z"
    assert draft["location"] == {"type": "Point", "coordinates": [44.0606, 35.6492]}
    assert (draft["actor1"], draft["actor2"], draft["fatalities"]) == (
        "Islamic State (Iraq)",
        "Military Forces of Iraq (2014-)",
        2,
    )
    assert draft["description"].startswith(f'"{IED_SENTENCE}"')
    assert draft["sources"] == [source_line(source)]
    assert "2020-02-20" in draft["sources"][0] and "Shafaq News" in draft["sources"][0]
    undated = replace(ied_candidate(), occurred_from=None, occurred_until=None)
    assert (
        draft_for(AcceptedRecordChoices.INCIDENT, _row(undated), source, now=NOW)["occurred_at"]
        == "2020-02-20T08:22:38.000000Z"
    )  # the publication time, the best the article gives


def test_a_region_is_placed_at_its_point_with_its_precision() -> None:
    source = _article_row()
    governorate = _row(ied_candidate(location=None, admin2="", geo_precision=1))
    draft = draft_for(AcceptedRecordChoices.INCIDENT, governorate, source, now=NOW)
    assert draft["geo_precision"] == 3
    assert draft["location"]["coordinates"] == list(region_point("Kirkuk") or ())
    district = _row(ied_candidate(location=None, geo_precision=1))
    assert (
        draft_for(AcceptedRecordChoices.INCIDENT, district, source, now=NOW)["geo_precision"] == 2
    )
    nowhere = _row(ied_candidate(location=None, admin1="", admin2=""))
    assert "location" not in draft_for(AcceptedRecordChoices.INCIDENT, nowhere, source, now=NOW)


def test_meeting_item_and_notice_drafts() -> None:
    source = _article_row()
    meeting = _row(meeting_candidate())
    scheduled = draft_for(AcceptedRecordChoices.MEETING, meeting, source, now=NOW)
    assert (scheduled["status"], scheduled["held_at"]) == (
        "scheduled",
        "2020-02-29T20:59:59.000000Z",
    )
    item = draft_for(AcceptedRecordChoices.ACTION_ITEM, meeting, source, now=NOW)
    assert item["due_at"] == "2020-02-29T20:59:59.000000Z" and "before the end" in item["title"]
    arabic = _article_row(language="ar")
    decision = draft_for(AcceptedRecordChoices.DECISION, meeting, arabic, now=NOW)
    assert decision["text_en"] == "" and decision["text_ar"].startswith('"The two sides')
    notice = draft_for(AcceptedRecordChoices.NOTICE, _row(deployment_candidate()), source, now=NOW)
    assert (notice["kind"], notice["starts_at"]) == ("deployment", "2020-02-19T21:00:00.000000Z")
    assert notice["ends_at"] == "2020-02-20T20:59:59.000000Z"
    assert notice["location"]["coordinates"] == list(region_point("Duhok") or ())


def _incident(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "status": "submitted",
        "time_precision": "day",
        "occurred_at": datetime(2020, 2, 19, 17, 0, tzinfo=UTC),
        "lon": 44.075,
        "lat": 35.653,
        "admin1": "Kirkuk",
        "admin2": "Dibis",
    }
    row.update(overrides)
    return row


def test_a_duplicate_is_the_same_type_near_and_at_an_overlapping_time() -> None:
    probe = probe_of(_row(ied_candidate()))
    assert probe is not None
    same, distance = matches(probe, _incident())
    assert same and distance is not None and 1.0 < distance < 2.0
    assert not matches(probe, _incident(event_type="Battles"))[0]
    assert not matches(probe, _incident(status="retracted"))[0]
    assert not matches(probe, _incident(lon=44.392, lat=35.468))[0]  # Kirkuk city, 30 km
    assert not matches(probe, _incident(occurred_at=PUBLISHED + timedelta(days=3)))[0]
    # A month-precision report overlaps a date within its month.
    assert matches(
        probe, _incident(occurred_at=PUBLISHED + timedelta(days=20), time_precision="month")
    )[0]
    region = probe_of(_row(ied_candidate(location=None)))
    assert region is not None and region.point is None
    assert matches(region, _incident(lon=44.2, lat=35.8)) == (True, None)
    assert not matches(region, _incident(admin2="Kirkuk"))[0]
    assert probe_of(_row(ied_candidate(occurred_from=None, occurred_until=None))) is None
