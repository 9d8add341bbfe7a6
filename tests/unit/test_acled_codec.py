"""ACLED's CSV layout both ways (ingest/reading/acled.py). Pure: no database."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tansiq.domain.choices import EVENT_TAXONOMY, ActorTypeChoices, DisorderTypeChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.incidents import validate_incident_input
from tansiq.ingest.reading.acled import (
    ACLED_COLUMNS,
    ACLED_FIELDS,
    IRAQ_TIME,
    acled_row,
    parse_acled_row,
)
from tansiq.ingest.reading.acled_names import (
    actor_type,
    interaction_codes,
    interaction_text,
    ocha_admin1,
    parse_event_date,
)
from tansiq.journal.canonical import iso_utc

FIXTURE = Path(__file__).parents[1] / "data" / "acled_iraq_feb2020.csv"
NOW = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)


def fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_layout_is_acleds_31_current_columns() -> None:
    assert len(ACLED_COLUMNS) == len(set(ACLED_COLUMNS)) == 31
    assert ACLED_COLUMNS[0] == "event_id_cnty" and ACLED_COLUMNS[-1] == "timestamp"
    assert list(fixture_rows()[0]) == list(ACLED_COLUMNS)


def test_every_fixture_row_reads_into_a_valid_incident() -> None:
    for number, row in enumerate(fixture_rows(), start=2):
        item = parse_acled_row(row, number)
        validate_incident_input({**item}, now=NOW)  # raises if the domain refuses it
        assert item["event_id_cnty"] == row["event_id_cnty"]
        assert item["sources"][0] == "ACLED"
        assert item["cross_border"] is False


def test_the_first_row_in_detail() -> None:
    item = parse_acled_row(fixture_rows()[0], 2)
    assert item == {
        "event_id_cnty": "IRQ10501",
        # 1 February in Baghdad starts at 21:00 UTC the day before.
        "occurred_at": "2020-01-31T21:00:00.000000Z",
        "time_precision": "day",
        "location": {"type": "Point", "coordinates": [44.447, 35.139]},
        "geo_precision": 2,
        "place_name": "Daquq",
        "cross_border": False,
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "Islamic State (Iraq)",
        "assoc_actor_1": "",
        "inter1": "Rebel group",
        "actor2": "Civilians (Iraq)",
        "assoc_actor_2": "",
        "inter2": "Civilians",
        "civilian_targeting": True,
        "fatalities": 1,
        "description": fixture_rows()[0]["notes"],
        "sources": ["ACLED", "Shafaq News"],
        "source_scale": "National",
        "tags": "",
    }


def test_numeric_and_text_actor_types_read_the_same() -> None:
    rows = {r["event_id_cnty"]: r for r in fixture_rows()}
    numeric = parse_acled_row(rows["IRQ10502"], 3)  # inter1 1, inter2 2, interaction 12
    text = parse_acled_row(rows["IRQ10518"], 19)  # State forces / Rebel group
    assert rows["IRQ10502"]["inter1"] == "1" and rows["IRQ10518"]["inter1"] == "State forces"
    assert (numeric["inter1"], numeric["inter2"]) == ("State forces", "Rebel group")
    assert (text["inter1"], text["inter2"]) == ("State forces", "Rebel group")
    lone = parse_acled_row(rows["IRQ10504"], 5)  # inter2 0, interaction 80
    assert (lone["inter1"], lone["inter2"]) == ("External/Other forces", "")


@pytest.mark.parametrize(("code", "expected"), [("1", "day"), ("2", "week"), ("3", "month")])
def test_acled_time_precision_becomes_the_incidents(code: str, expected: str) -> None:
    row = {**fixture_rows()[0], "time_precision": code}
    assert parse_acled_row(row, 2)["time_precision"] == expected


def test_acled_governorate_spellings_are_ochas() -> None:
    assert ocha_admin1("Salah Al Din") == "Salah Al-Din"
    assert ocha_admin1("Al Sulaymaniyah") == "Al-Sulaymaniyah"
    assert ocha_admin1("Ninewa") == "Ninewa"
    assert ocha_admin1("Halabja") == "Al-Sulaymaniyah"  # a district in OCHA's 2019 data
    assert ocha_admin1("Salah Al-Din") == "Salah Al-Din"  # OCHA's own, as Tansiq exports
    assert ocha_admin1("Aleppo") is None


@pytest.mark.parametrize(
    "text", ["2020-02-20", "20 February 2020", "20 Feb 2020", "20-February-2020", "20/02/2020"]
)
def test_event_dates_in_every_acled_form(text: str) -> None:
    assert parse_event_date(text) == date(2020, 2, 20)


@pytest.mark.parametrize("text", ["", "2020-02-30", "02/30/2020", "Feb 20 2020", "yesterday"])
def test_bad_event_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="must be a date such as 2020-02-20"):
        parse_event_date(text)


def test_actor_types_and_interactions() -> None:
    assert actor_type("7") == actor_type("Civilians") == actor_type("civilians") == "Civilians"
    assert actor_type("Rebel Groups") == "Rebel group"  # before 2024
    assert actor_type("0") == actor_type("") == ""
    with pytest.raises(ValueError, match="ACLED actor type"):
        actor_type("9")
    assert interaction_codes("17") == interaction_codes("State forces-Civilians") == (1, 7)
    assert (
        interaction_codes("Rebel group only")
        == interaction_codes("Sole Rebel Groups")
        == (
            2,
            0,
        )
    )
    assert interaction_text("Civilians", "State forces") == "State forces-Civilians"
    assert interaction_text("Protesters", "") == "Protesters only"
    assert interaction_text("", "") == ""


BAD_CELLS = [
    ("event_date", "2020-13-01", "must be a date"),
    ("year", "2019", "is 2019 but event_date is in 2020"),
    ("time_precision", "4", "must be 1 (day), 2 (week) or 3 (month)"),
    ("inter1", "9", "must be an ACLED actor type"),
    ("interaction", "17", "but inter1 and inter2 make 'Rebel group-Civilians'"),
    ("civilian_targeting", "yes", "must be empty or 'Civilian targeting'"),
    ("iso", "760", "must be 368 (Iraq)"),
    ("country", "Syria", "must be Iraq"),
    ("admin1", "Aleppo", "'Aleppo' is not one of Iraq's governorates"),
    ("latitude", "35,139", "must be a number in decimal degrees"),
    ("latitude", "135.1", "must be between -90 and 90"),
    ("longitude", "nan", "must be between -180 and 180"),
    ("longitude", "", "must be a number in decimal degrees"),
    ("geo_precision", "0", "must be 1, 2 or 3"),
    ("fatalities", "-1", "must be a whole number"),
    ("timestamp", "yesterday", "must be empty or a Unix time"),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_CELLS)
def test_a_bad_cell_names_its_row_and_column(column: str, value: str, message: str) -> None:
    row = {**fixture_rows()[0], column: value}
    with pytest.raises(ValidationFailed) as caught:
        parse_acled_row(row, 7)
    [error] = caught.value.errors
    assert error.field == f"row 7, column {column}"
    assert message in error.message


def test_every_bad_cell_of_a_row_is_named_at_once() -> None:
    row = {**fixture_rows()[0], "event_date": "soon", "latitude": "north"}
    with pytest.raises(ValidationFailed) as caught:
        parse_acled_row(row, 9)
    assert [e.field for e in caught.value.errors] == [
        "row 9, column event_date",
        "row 9, column latitude",
    ]


def test_the_fixture_rows_come_back_in_acleds_current_form() -> None:
    for number, row in enumerate(fixture_rows(), start=2):
        again = acled_row({**_as_record(parse_acled_row(row, number)), "admin1": None})
        for column in (
            "event_id_cnty",
            "event_date",
            "year",
            "time_precision",
            "disorder_type",
            "event_type",
            "sub_event_type",
            "actor1",
            "actor2",
            "civilian_targeting",
            "location",
            "geo_precision",
            "source",
            "source_scale",
            "notes",
            "fatalities",
            "tags",
        ):
            assert again[column] == row[column], (number, column)
        assert float(again["latitude"]) == float(row["latitude"])
        inter = [actor_type(row["inter1"]), actor_type(row["inter2"])]
        assert again["interaction"] == interaction_text(*inter)


def _as_record(item: dict[str, Any]) -> dict[str, Any]:
    """An incident input as the services would answer it (the fields acled_row reads)."""
    return {
        **item,
        "admin1": "Kirkuk",
        "admin2": "Daquq",
        "admin3": "Markaz Daquq",
        "injured": 0,
        "updated_at": "2020-02-20T09:00:00.000000Z",
    }


def test_an_exact_time_goes_as_its_day_in_baghdad() -> None:
    record = _as_record(parse_acled_row(fixture_rows()[0], 2))
    record.update(occurred_at="2020-02-19T22:30:00.000000Z", time_precision="exact")
    row = acled_row(record)
    # 22:30 UTC is 01:30 on the 20th in Baghdad; ACLED holds the day, not the hour.
    assert (row["event_date"], row["time_precision"]) == ("2020-02-20", "1")
    back = parse_acled_row(row, 2)
    assert (back["occurred_at"], back["time_precision"]) == ("2020-02-19T21:00:00.000000Z", "day")


def test_admin_names_go_in_acleds_spelling() -> None:
    record = {
        **_as_record(parse_acled_row(fixture_rows()[0], 2)),
        "admin1": "Salah Al-Din",
        "admin2": "Tooz Khurmato",
        "admin3": "Al-Amerli",
    }
    row = acled_row(record)
    assert (row["admin1"], row["admin2"], row["admin3"]) == (
        "Salah Al Din",
        "Tooz Khurmato",
        "Al Amerli",
    )
    assert (row["iso"], row["region"], row["country"]) == ("368", "Middle East", "Iraq")
    assert row["timestamp"] == str(int(datetime(2020, 2, 20, 9, tzinfo=UTC).timestamp()))


def test_a_cross_border_incident_goes_without_admin1_and_comes_back_cross_border() -> None:
    record = {
        **_as_record(parse_acled_row(fixture_rows()[2], 4)),
        "cross_border": True,
        "admin1": None,
        "admin2": None,
        "admin3": None,
        "location": {"type": "Point", "coordinates": [43.95, 37.42]},
    }
    row = acled_row(record)
    assert row["admin1"] == ""
    assert parse_acled_row(row, 4)["cross_border"] is True


# -- the round trip of any record ACLED's layout can hold ---------------------------------

texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
events = st.sampled_from([(e, s) for e, subs in EVENT_TAXONOMY.items() for s in subs])
actor_types = st.sampled_from(["", *(c.value for c in ActorTypeChoices)])
# A source is a name without ";" (the column's separator) or edge spaces.
source_names = texts.map(str.strip).filter(lambda s: s and ";" not in s)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    event_type, sub = draw(events)
    day = date(2016, 1, 1) + timedelta(days=draw(st.integers(0, 3650)))
    midnight = datetime(day.year, day.month, day.day, tzinfo=IRAQ_TIME)
    inter1 = draw(actor_types)
    actor2 = draw(texts)
    event_id = draw(st.none() | st.from_regex(r"IRQ[0-9]{1,6}", fullmatch=True))
    sources = draw(st.lists(source_names, max_size=4))
    disorder = (
        DisorderTypeChoices.STRATEGIC_DEVELOPMENTS.value
        if event_type == "Strategic developments"
        else draw(st.sampled_from([c.value for c in DisorderTypeChoices][:3]))
    )
    outside = draw(st.booleans())
    return {
        "id": "0190c9f2-7a00-7000-8000-000000000001",
        "event_id_cnty": event_id,
        "occurred_at": iso_utc(midnight),
        "time_precision": draw(st.sampled_from(["day", "week", "month"])),
        "location": {
            "type": "Point",
            "coordinates": [draw(st.floats(38.0, 49.0)), draw(st.floats(29.0, 38.0))],
        },
        "geo_precision": draw(st.integers(1, 3)),
        "place_name": draw(texts),
        "cross_border": outside,
        "admin1": None if outside else draw(st.sampled_from(["Kirkuk", "Salah Al-Din"])),
        "admin2": None,
        "admin3": None,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": draw(texts),
        "assoc_actor_1": draw(texts),
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": draw(texts),
        "inter2": draw(actor_types) if inter1 else "",
        "civilian_targeting": draw(st.booleans()),
        "fatalities": draw(st.integers(0, 100_000)),
        "injured": 0,
        "description": draw(texts),
        "sources": ["ACLED", *sources] if event_id else sources,
        "source_scale": draw(texts),
        "tags": draw(texts),
        "updated_at": "2020-02-20T09:00:00.000000Z",
    }


@settings(max_examples=300, deadline=None)
@given(records())
def test_acled_row_parsed_back_gives_the_same_event_fields(record: dict[str, Any]) -> None:
    back = parse_acled_row(acled_row(record), 2)
    assert {f: back[f] for f in ACLED_FIELDS} == {f: record[f] for f in ACLED_FIELDS}
