"""The admins' sync status page, the status API, and what non-admins get."""

from __future__ import annotations

from tansiq.services.incidents.commands import create_incident
from tests.api.helpers import TestClient
from tests.factories import incident_data
from tests.federation.nodes import Node
from tests.web.conftest import log_in


def test_an_admin_sees_each_peer_and_others_get_403(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    with TestClient(krg.app) as client:
        log_in(client, "krg_admin")
        page = client.get("/admin/federation")
        assert page.status_code == 200
        assert "fed" in page.text and "Received up to" in page.text
        assert 'href="/admin/federation"' in client.get("/incidents").text
    with TestClient(krg.app) as client:
        log_in(client, "krg_liaison")
        assert client.get("/admin/federation").status_code == 403
        assert 'href="/admin/federation"' not in client.get("/incidents").text
