"""Migration 0009 gives the incidents already stored the values incident format 1 implies."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from tansiq.storage.db import make_engine
from tansiq.storage.migrate import alembic_config, upgrade

STAMP = "2020-01-01 00:00:00.000000"


def test_stored_incidents_get_their_usual_disorder_type_and_no_acled_coding(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    try:
        upgrade(engine)
        command.downgrade(alembic_config(engine), "0009_incident_acled@-1")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO parties (id, name_en, name_ar, name_ckb, version, created_at, "
                    "updated_at) VALUES ('fed', 'FED', 'FED', 'FED', 1, :at, :at)"
                ),
                {"at": STAMP},
            )
            for number, event_type in enumerate(("Protests", "Strategic developments", "Riots")):
                conn.execute(
                    text(
                        "INSERT INTO incidents (id, party_id, created_by, updated_by, status, "
                        "occurred_at, time_precision, lon, lat, geo_precision, place_name, "
                        "cross_border, event_type, sub_event_type, actor1, actor2, fatalities, "
                        "injured, description, sources, source_reliability, credibility, "
                        "releasability, version, created_at, updated_at) VALUES (:id, 'fed', "
                        "'u', 'u', 'submitted', :at, 'day', 44.39, 35.47, 1, '', 0, :event_type, "
                        "'Other', 'a', '', 0, 0, '', '[]', 'F', 6, 'party', 1, :at, :at)"
                    ),
                    {"id": f"i{number}", "at": STAMP, "event_type": event_type},
                )
        upgrade(engine)
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT event_type, disorder_type, event_id_cnty, admin3, inter1, inter2, "
                    "assoc_actor_1, civilian_targeting, source_scale, tags FROM incidents "
                    "ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in found] == [
        ("Protests", "Demonstrations", None, None, "", "", "", 0, "", ""),
        ("Strategic developments", "Strategic developments", None, None, "", "", "", 0, "", ""),
        ("Riots", "Demonstrations", None, None, "", "", "", 0, "", ""),
    ]
