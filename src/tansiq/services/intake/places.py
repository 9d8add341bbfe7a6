"""The node's own named places, which the article reader finds beside the gazetteer's.

The places users define on a node are its protected sites (a school, a hospital, an
IDP camp…, named in English, Arabic and Kurdish): "a mortar round fell near Laylan
IDP camp" is then placed at the camp. Only the sites the submitting user may see
count (``visible_to``), active ones with a fixed place (a notified humanitarian
movement is a route in time, not a place).
"""

from __future__ import annotations

from typing import Final

import orjson
from shapely.geometry import shape
from sqlalchemy import select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import ProtectedSiteKindChoices, SectorStatusChoices
from tansiq.geo.gazetteer import Place
from tansiq.services.core.context import ServiceContext
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.sectors import protected_sites
from tansiq.storage.visibility import visible_to

# Each place is located and indexed for every article read: the newest this many.
MAX_OWN_PLACES: Final = 1_000


def own_places(ctx: ServiceContext, *, actor: Actor) -> list[Place]:
    """The active protected sites (not movements) the actor may see, newest first, as
    places at a point on the site (a polygon's representative point); at most
    MAX_OWN_PLACES."""
    c = protected_sites.c
    query = (
        select(c.name, c.name_ar, c.name_ckb, c.geometry)
        .where(
            visible_to(protected_sites, actor),
            c.status == SectorStatusChoices.ACTIVE.value,
            c.kind != ProtectedSiteKindChoices.HUMANITARIAN_MOVEMENT.value,
        )
        .order_by(c.created_at.desc(), c.id)
        .limit(MAX_OWN_PLACES)
    )
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(query).all()
    places = []
    for name, name_ar, name_ckb, geometry in rows:
        point = shape(orjson.loads(geometry)).representative_point()
        places.append(
            Place(
                name=name,
                name_ar=name_ar or None,
                name_ckb=name_ckb or None,
                lon=point.x,
                lat=point.y,
                admin1="",  # the reader locates it in the OCHA boundaries
                admin2=None,
                population=0,
            )
        )
    return places
