"""Two nodes, one process: what crosses, what never does, and what a pull leaves behind."""

from __future__ import annotations

import pytest

from tansiq.domain.errors import NotFound
from tansiq.services.core.verification import verify_database
from tansiq.services.federation.status import sync_status
from tansiq.services.incidents.commands import create_incident, get_incident, update_incident
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
