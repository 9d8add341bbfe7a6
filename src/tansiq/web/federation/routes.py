"""The sync status page: per peer, how far this node has received and what is held or refused.

Quarantined entries are listed with their reason, since sync of that peer stops
at them until an admin has looked (see docs/federation.md, "Quarantine").
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.services.federation.status import sync_status_for
from tansiq.web.common.deps import PageDep

router = APIRouter()


@router.get("/admin/federation")
def federation_page(page: PageDep) -> Response:
    """Where sync stands with each peer; raises PermissionDenied (403) for non-admins."""
    peers = sync_status_for(page.ctx, page.actor)
    return page.render("federation/status.html", {"peers": peers, "nav": "federation"})
