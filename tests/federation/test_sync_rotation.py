"""A node's key rotation crosses to its peers, signed by the old key; a forged one does not."""

from __future__ import annotations

import pytest
from nacl.signing import SigningKey

from tansiq.journal.keys import NodeKey
from tansiq.services.core.rotation import rotate_node_key
from tansiq.services.federation.audit import verify_received
from tansiq.services.federation.feeds import feed_key_rotation
from tansiq.services.federation.status import peer_for
from tansiq.services.incidents.commands import create_incident, get_incident
from tansiq.storage.db import write_transaction
from tansiq.sync.client import SyncFailed
from tests.factories import SYSTEM, incident_data
from tests.federation.nodes import Node


def test_a_rotated_key_is_taken_on_the_old_keys_word(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    old_key = fed.ctx.key.public_key_hex
    rotated = rotate_node_key(fed.ctx, by=SYSTEM)
    fed.ctx.key = rotated.new  # the node restarts with its new key
    after = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    report = krg.pull("fed")
    assert report.quarantined is None
    assert get_incident(krg.ctx, actor=krg.actor(), incident_id=after["id"])["party"] == "fed"
    assert peer_for(krg.ctx, "fed")["public_key"] == rotated.new.public_key_hex != old_key
    # fed's own requests, signed by the new key, are now accepted by krg.
    assert fed.pull("krg").quarantined is None
    checked = verify_received(krg.ctx, "fed")
    assert checked.ok, checked.problem
    assert checked.entries == 3  # incident, rotation, incident


def test_a_rotation_entry_not_signed_by_the_old_key_is_refused(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    held_key = peer_for(krg.ctx, "fed")["public_key"]
    # Someone who swapped the key file "rotates" from the swapped key: the rotation
    # entry is signed by a key krg never trusted.
    fed.ctx.key = NodeKey(SigningKey.generate(), fed.ctx.key.node_id)
    with write_transaction(fed.ctx.engine) as conn:
        feed_key_rotation(conn, fed.ctx, NodeKey(SigningKey.generate(), "node-forged"))
    with pytest.raises(SyncFailed, match="signature"):
        krg.pull("fed")
    assert peer_for(krg.ctx, "fed")["public_key"] == held_key
