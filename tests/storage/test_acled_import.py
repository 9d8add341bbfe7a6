"""Importing ACLED exports (ingest/acled.py) on SQLite and PostgreSQL: created, updated on
re-import, all or nothing with errors naming row and column."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.ingest.acled import import_acled
from tansiq.ingest.reading.acled import ACLED_COLUMNS, ACLED_FIELDS, acled_row, parse_acled_row
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.services.incidents.queries import IncidentFilters, list_incidents
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.factories import World, build_world, incident_data

FIXTURE = Path(__file__).parents[1] / "data" / "acled_iraq_feb2020.csv"


def rows() -> list[dict[str, str]]:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, table: list[dict[str, str]], header: tuple[str, ...] = ACLED_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        out.writeheader()
        out.writerows(table)
    return path


def counts(ctx: ServiceContext) -> tuple[int, int]:
    """(incidents, journal entries) stored."""
    with ctx.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(incidents)).scalar_one(),
            conn.execute(select(func.count()).select_from(journal)).scalar_one(),
        )


def by_event_id(ctx: ServiceContext, world: World, username: str = "fed_liaison") -> dict[str, Any]:
    page = list_incidents(ctx, actor=world.actors[username], filters=IncidentFilters(), limit=500)
    return {i["event_id_cnty"]: i for i in page.items if i["event_id_cnty"]}


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    return build_world(ctx)


def test_an_export_becomes_incidents_of_the_importing_party(
    ctx: ServiceContext, world: World
) -> None:
    summary = import_acled(ctx, actor=world.actors["fed_liaison"], path=FIXTURE)
    assert (summary.created, summary.updated, summary.unchanged) == (20, 0, 0)
    found = by_event_id(ctx, world)
    assert len(found) == 20
    daquq = found["IRQ10501"]
    assert daquq["party"] == "fed" and daquq["releasability"] == "party"
    assert daquq["status"] == "submitted" and daquq["version"] == 1
    assert daquq["sources"] == ["ACLED", "Shafaq News"]
    assert (daquq["admin1"], daquq["admin2"], daquq["admin3"]) == (
        "Kirkuk",
        "Daquq",
        "Markaz Daquq",
    )
    assert daquq["occurred_at"] == "2020-01-31T21:00:00.000000Z"
    assert (daquq["inter1"], daquq["inter2"], daquq["civilian_targeting"]) == (
        "Rebel group",
        "Civilians",
        True,
    )
    # ACLED's "Salah Al Din" is OCHA's Salah Al-Din; "Halabja" lies in Al-Sulaymaniyah.
    assert found["IRQ10502"]["admin1"] == "Salah Al-Din"
    assert found["IRQ10519"]["admin1"] == "Al-Sulaymaniyah"
    assert found["IRQ10508"]["disorder_type"] == "Political violence; Demonstrations"
    assert found["IRQ10504"]["time_precision"] == "week"
    assert found["IRQ10517"]["time_precision"] == "month"
    assert found["IRQ10507"]["tags"] == "crowd size=hundreds"
    # Released to fed alone: krg sees none of them.
    assert by_event_id(ctx, world, "krg_liaison") == {}
    assert verify_database(ctx).ok


def test_the_stored_incidents_round_trip_through_the_acled_layout(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    import_acled(ctx, actor=world.actors["fed_liaison"], path=FIXTURE)
    stored = by_event_id(ctx, world)
    exported = write(tmp_path / "export.csv", [acled_row(r) for r in stored.values()])
    with exported.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            back = parse_acled_row(row, number)
            record = stored[back["event_id_cnty"]]
            assert {f: back[f] for f in ACLED_FIELDS} == {f: record[f] for f in ACLED_FIELDS}
    # Imported again, the export changes nothing: it is the same events.
    before = counts(ctx)
    summary = import_acled(ctx, actor=world.actors["fed_liaison"], path=exported)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 20)
    assert counts(ctx) == before


def test_a_re_import_updates_and_never_duplicates(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    liaison = world.actors["fed_liaison"]
    import_acled(ctx, actor=liaison, path=FIXTURE)
    before = counts(ctx)

    unchanged = import_acled(ctx, actor=liaison, path=FIXTURE)
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, 20)
    assert counts(ctx) == before  # not a row, not a journal entry

    table = rows()
    table[0] = {**table[0], "fatalities": "2", "notes": table[0]["notes"] + " A second died."}
    summary = import_acled(ctx, actor=liaison, path=write(tmp_path / "week2.csv", table))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 19)
    assert counts(ctx) == (before[0], before[1] + 1)
    daquq = by_event_id(ctx, world)["IRQ10501"]
    assert daquq["version"] == 2 and daquq["fatalities"] == 2
    assert daquq["description"].endswith("A second died.")
    assert verify_database(ctx).ok


def test_a_re_import_keeps_what_the_owner_decided(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    liaison, analyst = world.actors["fed_liaison"], world.actors["fed_analyst"]
    import_acled(ctx, actor=liaison, path=FIXTURE)
    found = by_event_id(ctx, world)
    update_incident(
        ctx,
        actor=analyst,
        incident_id=found["IRQ10502"]["id"],
        changes={"status": "verified", "releasability": "all", "source_reliability": "B"},
    )
    update_incident(
        ctx, actor=liaison, incident_id=found["IRQ10503"]["id"], changes={"status": "retracted"}
    )
    table = [{**row, "fatalities": str(int(row["fatalities"]) + 1)} for row in rows()]
    summary = import_acled(ctx, actor=liaison, path=write(tmp_path / "later.csv", table))
    assert (summary.updated, summary.retracted) == (19, 1)
    after = by_event_id(ctx, world)
    verified = after["IRQ10502"]
    assert (verified["status"], verified["releasability"], verified["source_reliability"]) == (
        "verified",
        "all",
        "B",
    )
    assert verified["fatalities"] == 3
    assert after["IRQ10503"]["status"] == "retracted" and after["IRQ10503"]["fatalities"] == 0
    assert verify_database(ctx).ok


def test_each_party_imports_its_own_copy(ctx: ServiceContext, world: World) -> None:
    import_acled(ctx, actor=world.actors["fed_liaison"], path=FIXTURE)
    summary = import_acled(
        ctx, actor=world.actors["krg_liaison"], path=FIXTURE, releasability="all"
    )
    assert summary.created == 20
    assert counts(ctx)[0] == 40
    assert {i["party"] for i in by_event_id(ctx, world, "krg_liaison").values()} == {"krg"}


def _bad(table: list[dict[str, str]], number: int, **cells: str) -> list[dict[str, str]]:
    """``table`` with data row ``number`` (spreadsheet row number - 2) changed."""
    changed = [dict(row) for row in table]
    changed[number - 2].update(cells)
    return changed


BAD_ROWS = [
    ({"event_date": "31/02/2020"}, "event_date", "must be a date"),
    ({"event_type": "Skirmishes"}, "event_type", "must be one of the ACLED event types"),
    ({"sub_event_type": "Armed clash"}, "sub_event_type", "must be one of the sub-event types"),
    ({"latitude": "north"}, "latitude", "must be a number in decimal degrees"),
    ({"longitude": "244.1"}, "longitude", "must be between -180 and 180"),
    ({"latitude": "31.0", "longitude": "36.0"}, "latitude/longitude", "is outside Iraq"),
    ({"admin1": "Deir ez-Zor"}, "admin1", "is not one of Iraq's governorates"),
    ({"event_date": "2020-03-02", "year": "2020"}, "event_date", "must not be in the future"),
    ({"actor1": ""}, "actor1", "must not be empty"),
    ({"event_id_cnty": "IRQ10501"}, "event_id_cnty", "is also the event id of row 2"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS)
def test_a_bad_row_stores_nothing_and_names_row_and_column(
    ctx: ServiceContext,
    world: World,
    tmp_path: Path,
    cells: dict[str, str],
    column: str,
    message: str,
) -> None:
    liaison = world.actors["fed_liaison"]
    import_acled(ctx, actor=liaison, path=FIXTURE)
    before = counts(ctx)
    # A correction of row 2 and two new events come first: none of them may be stored.
    table = _bad(rows(), 2, fatalities="7")
    table += [{**table[3], "event_id_cnty": f"IRQ2000{n}"} for n in range(2)]
    path = write(tmp_path / "bad.csv", _bad(table, 17, **cells))
    with pytest.raises(ValidationFailed) as caught:
        import_acled(ctx, actor=liaison, path=path)
    assert [(e.field, message in e.message) for e in caught.value.errors] == [
        (f"row 17, column {column}", True)
    ]
    assert caught.value.detail == f"Nothing was imported: row 17, column {column}"
    assert counts(ctx) == before
    assert by_event_id(ctx, world)["IRQ10501"]["fatalities"] == 1


def test_a_wrong_header_stores_nothing(ctx: ServiceContext, world: World, tmp_path: Path) -> None:
    header = tuple("event_day" if c == "event_date" else c for c in ACLED_COLUMNS)
    table = [{("event_day" if k == "event_date" else k): v for k, v in r.items()} for r in rows()]
    with pytest.raises(ValidationFailed) as caught:
        import_acled(
            ctx, actor=world.actors["fed_liaison"], path=write(tmp_path / "h.csv", table, header)
        )
    assert [e.field for e in caught.value.errors] == [
        "row 1, column event_date",
        "row 1, column event_day",
    ]
    assert by_event_id(ctx, world) == {}


def test_a_bad_row_in_a_later_batch_undoes_the_earlier_ones(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    before = counts(ctx)
    template = rows()[5]
    table = [{**template, "event_id_cnty": f"IRQ3{n:04d}"} for n in range(1_203)]
    table[1_200]["latitude"] = "91"
    with pytest.raises(ValidationFailed) as caught:
        import_acled(ctx, actor=world.actors["fed_liaison"], path=write(tmp_path / "b.csv", table))
    assert [e.field for e in caught.value.errors] == ["row 1202, column latitude"]
    assert counts(ctx) == before


def test_only_a_role_that_files_incidents_may_import(ctx: ServiceContext, world: World) -> None:
    before = counts(ctx)
    with pytest.raises(PermissionDenied):
        import_acled(ctx, actor=world.actors["fed_observer"], path=FIXTURE)
    assert counts(ctx) == before


def test_an_event_id_is_one_incident_of_a_party_through_the_api_path_too(
    ctx: ServiceContext, world: World
) -> None:
    liaison = world.actors["fed_liaison"]
    create_incident(ctx, actor=liaison, data=incident_data(event_id_cnty="IRQ10501"))
    before = counts(ctx)
    with pytest.raises(ValidationFailed) as caught:
        create_incident(ctx, actor=liaison, data=incident_data(event_id_cnty="IRQ10501"))
    assert caught.value.errors[0].field == "event_id_cnty"
    assert counts(ctx) == before
    # The import then corrects that incident instead of filing a second one.
    summary = import_acled(ctx, actor=liaison, path=FIXTURE)
    assert (summary.created, summary.updated) == (19, 1)


def test_what_spreadsheets_and_older_exports_add_is_read(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    # A byte-order mark, the columns in another order with pre-2023 extras, a blank end.
    header = ("iso3", *reversed(ACLED_COLUMNS), "data_id")
    table = [{**row, "iso3": "IRQ", "data_id": "7"} for row in rows()[:3]]
    path = write(tmp_path / "excel.csv", table, header)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b"\r\n")
    summary = import_acled(ctx, actor=world.actors["fed_liaison"], path=path)
    assert summary.created == 3


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        (b"", "row 1", "the file is empty"),
        (b"event_id_cnty,event_date\n", "row 1", "29 of its 31 columns are missing"),
        (None, "row 3", "has 30 fields; the header 31"),
        (None, "row 2, column notes", "is not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_an_acled_csv_is_named(
    ctx: ServiceContext,
    world: World,
    tmp_path: Path,
    content: bytes | None,
    field: str,
    message: str,
) -> None:
    path = tmp_path / "odd.csv"
    if content is not None:
        path.write_bytes(content)
    else:
        lines = FIXTURE.read_bytes().split(b"\n")
        if field == "row 3":
            lines[2] = lines[2].rsplit(b",", 1)[0]  # one field short
        else:
            lines[1] = lines[1].replace(b"Daquq (", "Daqéq (".encode("latin-1"))  # not UTF-8
        path.write_bytes(b"\n".join(lines))
    with pytest.raises(ValidationFailed) as caught:
        import_acled(ctx, actor=world.actors["fed_liaison"], path=path)
    [error] = caught.value.errors
    assert error.field == field and message in error.message
    assert counts(ctx)[0] == 0


def test_a_quote_left_open_is_named(ctx: ServiceContext, world: World, tmp_path: Path) -> None:
    lines = FIXTURE.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b',"', b',"a"b', 1)  # a quote inside a quoted field
    path = tmp_path / "quote.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ValidationFailed) as caught:
        import_acled(ctx, actor=world.actors["fed_liaison"], path=path)
    [error] = caught.value.errors
    assert error.field == "row 5" and "the file is not CSV here" in error.message
    assert counts(ctx)[0] == 0
