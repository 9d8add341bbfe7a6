"""Reduced-precision release: the peer gets the district point and the day, never the exact."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, select

from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.services.core.verification import verify_database
from tansiq.services.federation.release import set_release_precision
from tansiq.services.incidents.commands import create_incident, get_incident
from tansiq.storage.tables.federation import release_precisions
from tests.factories import incident_data
from tests.federation.nodes import Node

EXACT = {"location": {"type": "Point", "coordinates": [44.39187, 35.46842]}}


def _everything_stored(node: Node) -> str:
    """Every value of every table of the node's database, as one text."""
    tables = MetaData()
    tables.reflect(node.ctx.engine)
    with node.ctx.engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in tables.sorted_tables
            for row in conn.execute(select(table))
        )


def test_the_peer_receives_the_district_and_the_day_only(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    made = create_incident(
        fed.ctx,
        actor=fed.actor(),
        data=incident_data(**EXACT, occurred_at="2020-02-19T21:17:00Z", time_precision="exact"),
    )
    set_release_precision(
        fed.ctx,
        actor=fed.actor(),
        record_kind="incident",
        record_id=made["id"],
        party="krg",
        spec="district,day",
    )
    krg.pull("fed")
    seen = get_incident(krg.ctx, actor=krg.actor(), incident_id=made["id"])
    assert seen["geo_precision"] == 2
    assert seen["time_precision"] == "day"
    assert seen["occurred_at"].startswith("2020-02-19T00:00:00")
    assert seen["location"]["coordinates"] != EXACT["location"]["coordinates"]
    # Its mark says so: where it came from and at what precision it was released.
    assert seen["received"]["from"] == "fed"
    assert seen["received"]["precision"] == "district,day"
    stored = _everything_stored(krg)
    for exact in ("44.39187", "35.46842", "21:17"):
        assert exact not in stored
    # The owner keeps the exact record; both journals verify.
    mine = get_incident(fed.ctx, actor=fed.actor(), incident_id=made["id"])
    assert mine["location"] == EXACT["location"]
    assert mine["received"] is None
    assert verify_database(krg.ctx).ok and verify_database(fed.ctx).ok


def test_only_the_owner_sets_a_valid_precision_and_a_refusal_changes_nothing(
    pair: tuple[Node, Node],
) -> None:
    fed, krg = pair
    made = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    args = {"record_kind": "incident", "record_id": made["id"], "party": "krg"}
    with pytest.raises(ValidationFailed) as bad:
        set_release_precision(fed.ctx, actor=fed.actor(), spec="grid:-1", **args)
    assert bad.value.errors[0].field == "precision"
    with pytest.raises(PermissionDenied):
        set_release_precision(
            krg.ctx, actor=krg.actor(), spec="district", **{**args, "party": "un"}
        )
    with pytest.raises(ValidationFailed):
        set_release_precision(
            fed.ctx, actor=fed.actor(), spec="district", **{**args, "record_kind": "sector"}
        )
    with fed.ctx.engine.connect() as conn:
        assert conn.execute(select(release_precisions)).all() == []
