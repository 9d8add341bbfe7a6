"""Two nodes, one process: what crosses, what never does, and what a pull leaves behind."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tansiq.domain.errors import NotFound
from tansiq.services.core.verification import verify_database
from tansiq.services.federation.feeds import read_feed
from tansiq.services.federation.status import sync_status
from tansiq.services.incidents.commands import (
    create_incident,
    create_incidents,
    get_incident,
    update_incident,
)
from tansiq.storage.tables.federation import feed_state
from tests.factories import incident_data
from tests.federation.nodes import Node


def test_an_all_record_crosses_and_a_party_record_never_does(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    shared = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    private = create_incident(fed.ctx, actor=fed.actor(), data=incident_data(releasability="party"))
    report = krg.pull("fed")
    assert report.quarantined is None
    assert report.applied == 1
    seen = get_incident(krg.ctx, actor=krg.actor(), incident_id=shared["id"])
    assert seen["party"] == "fed"
    assert seen["description"] == shared["description"]
    with pytest.raises(NotFound):
        get_incident(krg.ctx, actor=krg.actor(), incident_id=private["id"])
    # Both journals still verify, the receiver's with the received record in it.
    assert verify_database(fed.ctx).ok
    assert verify_database(krg.ctx).ok


def test_a_correction_crosses_and_a_second_pull_changes_nothing(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    made = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    update_incident(
        fed.ctx,
        actor=fed.actor(),
        incident_id=made["id"],
        changes={"fatalities": 3},
        expected_version=1,
    )
    assert krg.pull("fed").applied == 1
    assert get_incident(krg.ctx, actor=krg.actor(), incident_id=made["id"])["fatalities"] == 3
    again = krg.pull("fed")
    assert again.applied == 0
    status = {row["party"]: row for row in sync_status(krg.ctx)}["fed"]
    assert status["received_up_to"] == 2
    assert status["behind"] == 0
    assert status["quarantined"] == []
    # The sender holds the receiver's receipt for its whole feed.
    sent = {row["party"]: row for row in sync_status(fed.ctx)}["krg"]
    assert sent["their_receipt"]["seq"] == 2


def test_narrowing_withdraws_the_record_from_the_receiver(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    made = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    update_incident(
        fed.ctx,
        actor=fed.actor(),
        incident_id=made["id"],
        changes={"releasability": "party", "description": "now secret detail"},
        expected_version=1,
    )
    report = krg.pull("fed")
    assert report.withdrawn == 1
    with pytest.raises(NotFound):
        get_incident(krg.ctx, actor=krg.actor(), incident_id=made["id"])
    assert verify_database(krg.ctx).ok


def test_the_feed_is_signed_only_as_far_as_each_answer_reaches(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    create_incidents(fed.ctx, actor=fed.actor(), items=[incident_data() for _ in range(120)])
    first = read_feed(fed.ctx, "krg", after=0, max_bytes=1)
    with fed.ctx.engine.connect() as conn:
        built = conn.execute(
            select(feed_state.c.seq).where(feed_state.c.party_id == "krg")
        ).scalar()
    # One step of the journal was fed, not all of it; the checkpoint says how far.
    assert [entry.seq for entry in first.entries] == [1]
    assert first.more
    assert built is not None and 1 <= built < 120
    assert first.checkpoint.fields()["size"] == built
    # The next answer goes on from the stored entries into the journal, in order.
    second = read_feed(fed.ctx, "krg", after=1, max_bytes=300 * 1024)
    assert [entry.seq for entry in second.entries] == list(range(1, 121))
    assert not second.more
    report = krg.pull("fed")
    assert (report.applied, report.quarantined) == (120, None)
    assert verify_database(krg.ctx).ok
