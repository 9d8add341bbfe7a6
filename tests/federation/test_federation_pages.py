"""The admins' sync status page, the status API, and what non-admins get."""

from __future__ import annotations

from tansiq.services.incidents.commands import create_incident
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.sectors.commands import create_sector
from tests.api.helpers import TestClient
from tests.factories import incident_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data
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


def test_remote_records_say_where_they_came_from(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    incident = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    sector = create_sector(fed.ctx, actor=fed.actor(), data=sector_data())
    plan = create_operation(fed.ctx, actor=fed.actor(), data=operation_data())
    propose_operation(fed.ctx, actor=fed.actor(), operation_id=plan["id"])
    krg.pull("fed")
    with TestClient(krg.app) as client:
        log_in(client, "krg_liaison")
        for path in (
            f"/incidents/{incident['id']}",
            f"/sectors/{sector['id']}",
            f"/operations/{plan['id']}",
        ):
            page = client.get(path)
            assert page.status_code == 200, path
            assert "from the node of" in page.text and "read-only here" in page.text, path
    with TestClient(fed.app) as client:
        log_in(client, "fed_liaison")
        assert "from the node of" not in client.get(f"/incidents/{incident['id']}").text
