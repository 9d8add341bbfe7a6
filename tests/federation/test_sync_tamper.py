"""A sender's history altered behind its back, garbage, replays and forged answers."""

from __future__ import annotations

import uuid

import httpx
import pytest
from nacl.signing import SigningKey
from sqlalchemy import delete, select, update

from tansiq.journal.canonical import canonical_json
from tansiq.journal.feed import FeedEntry
from tansiq.journal.keys import NodeKey
from tansiq.journal.requests import sign_request
from tansiq.journal.wire import encode_batch
from tansiq.services.core.registry import kind_named
from tansiq.services.core.remote import RemoteVersion, plan_remote_versions, row_from_payload
from tansiq.services.federation.apply import apply_batch
from tansiq.services.federation.status import peer_for, sync_status
from tansiq.services.incidents.commands import create_incident
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import list_findings
from tansiq.services.sectors.commands import create_sector
from tansiq.storage.tables.federation import feed_entries, feed_reach, feed_state
from tansiq.storage.tables.incidents import incidents
from tansiq.sync.client import FEED_PATH, SyncFailed, pull
from tests.factories import incident_data
from tests.factories_operations import PLAN_AREA, operation_data
from tests.factories_sectors import sector_data
from tests.federation.nodes import Node


def _two_sent(fed: Node, krg: Node) -> None:
    for _ in range(2):
        create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    assert krg.pull("fed").applied == 2


def _incident_count(node: Node) -> int:
    with node.ctx.engine.connect() as conn:
        return len(conn.execute(select(incidents.c.id)).all())


def test_an_edited_sent_entry_is_named_at_the_next_sync(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    _two_sent(fed, krg)
    with fed.ctx.engine.begin() as conn:
        body = conn.execute(select(feed_entries.c.body).where(feed_entries.c.seq == 1)).scalar()
        conn.execute(
            update(feed_entries)
            .where(feed_entries.c.seq == 1)
            .values(body=body.replace("IED", "XXX"))
        )
    with pytest.raises(SyncFailed, match="feed entry 1 to krg was altered"):
        krg.pull("fed")


def test_a_truncated_feed_is_named_at_the_next_sync(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    _two_sent(fed, krg)
    with fed.ctx.engine.begin() as conn:
        conn.execute(delete(feed_entries).where(feed_entries.c.seq == 2))
        conn.execute(update(feed_state).values(seq=1))
    with pytest.raises(SyncFailed, match="asks after entry 2"):
        krg.pull("fed")


def test_a_feed_re_signed_with_another_key_is_refused(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    _two_sent(fed, krg)
    # Someone with the database and the key file rebuilds the feed under a new key.
    with fed.ctx.engine.begin() as conn:
        for table in (feed_entries, feed_state, feed_reach):
            conn.execute(delete(table))
    fed.ctx.key = NodeKey(SigningKey.generate(), fed.ctx.key.node_id)
    with pytest.raises(SyncFailed, match="signature does not verify"):
        krg.pull("fed")
    assert _incident_count(krg) == 2


def test_a_mis_signed_or_garbage_entry_is_quarantined_with_nothing_applied(
    pair: tuple[Node, Node],
) -> None:
    fed, krg = pair
    peer = peer_for(krg.ctx, "fed")
    forged = FeedEntry(1, '{"feed":"x"}', "0" * 64, bytes(64))
    result = apply_batch(krg.ctx, peer, entries=[forged], checkpoint=None)
    assert result.quarantined is not None
    assert "bad signature" in result.quarantined
    status = {row["party"]: row for row in sync_status(krg.ctx)}["fed"]
    assert status["received_up_to"] == 0
    assert [q["seq"] for q in status["quarantined"]] == [1]
    assert _incident_count(krg) == 0


def test_a_replayed_request_is_refused(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    target = f"{FEED_PATH}?after=0&max_bytes=1000"
    headers = sign_request(
        krg.ctx.key,
        node_id=peer_for(fed.ctx, "krg")["id"],
        method="GET",
        target=target,
        body=b"",
        now=int(krg.ctx.clock().timestamp()),
    )
    client = krg.client_for("fed")
    assert client.get(target, headers=headers).status_code == 200
    again = client.get(target, headers=headers)
    assert again.status_code == 401
    assert "replayed" in again.json()["detail"]
    unsigned = client.get(target)
    assert unsigned.status_code == 401


def test_a_forged_answer_and_a_truncated_batch_apply_nothing(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    real = encode_batch(feed="f", after=0, entries=[], checkpoint=None, more=False)

    def answer(body: bytes, signature: str) -> httpx.Client:
        def handler(_request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                200,
                content=body,
                headers={
                    "content-type": "application/vnd.tansiq.batch+zstd",
                    "Tansiq-Signature": signature,
                },
            )

        return httpx.Client(transport=httpx.MockTransport(handler))

    with answer(real, "A" * 86 + "==") as forged, pytest.raises(SyncFailed, match="signature"):
        pull(krg.ctx, "fed", client=forged)
    with answer(real[: len(real) // 2], "x") as cut, pytest.raises(SyncFailed):
        pull(krg.ctx, "fed", client=cut)
    assert _incident_count(krg) == 0


def test_a_peer_cannot_send_findings_on_this_nodes_plan(pair: tuple[Node, Node]) -> None:
    fed, _krg = pair
    krg_user = fed.world.actors["krg_liaison"]  # the shared world has krg users here too
    create_sector(fed.ctx, actor=krg_user, data=sector_data(geometry=PLAN_AREA))
    plan = create_operation(fed.ctx, actor=fed.actor(), data=operation_data())
    propose_operation(fed.ctx, actor=fed.actor(), operation_id=plan["id"])
    (finding,) = list_findings(fed.ctx, actor=fed.actor(), operation_id=plan["id"])
    kind = kind_named("deconfliction_finding")
    # krg's node "sends" a finding of its own on fed's plan: a valid, round-tripping payload.
    forged = {**finding, "id": str(uuid.uuid4()), "party": "krg"}
    forged = {
        k: v
        for k, v in forged.items()
        if k
        in kind.payload_in(kind.payload_format)(
            {**{c.key: None for c in kind.table.c}, **row_from_payload(kind, forged)}
        )
    }
    text = canonical_json(forged).decode()
    version = RemoteVersion(forged, text, kind.payload_format)
    with fed.ctx.engine.begin() as conn:
        (planned,) = plan_remote_versions(conn, kind, [version], sender_party="krg")
    assert planned.refused is not None
    assert f"may not send a finding on operation {plan['id']}, a record of fed" in planned.refused


class _ClosedUnder(httpx.BaseTransport):
    """Closes the connection under the first ``times`` requests, then passes them on."""

    def __init__(self, inner: httpx.BaseTransport, times: int) -> None:
        self.inner, self.times, self.closed = inner, times, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.closed < self.times:
            self.closed += 1
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return self.inner.handle_request(request)


def test_a_request_whose_connection_closed_under_it_goes_once_more(
    pair: tuple[Node, Node],
) -> None:
    fed, krg = pair
    create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    inner = krg.client_for("fed")._transport
    twice = _ClosedUnder(inner, times=2)
    with httpx.Client(transport=twice) as client, pytest.raises(SyncFailed, match="disconnected"):
        pull(krg.ctx, "fed", client=client)
    assert _incident_count(krg) == 0
    once = _ClosedUnder(inner, times=1)
    with httpx.Client(transport=once) as client:
        report = pull(krg.ctx, "fed", client=client)
    # Signed anew (a nonce is never sent twice), answered, applied once.
    assert (once.closed, report.applied, report.quarantined) == (1, 1, None)
    assert _incident_count(krg) == 1
