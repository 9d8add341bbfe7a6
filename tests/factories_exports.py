"""Records for the export tests: each party's incidents, sectors and sites, some released
to the other party and some not, and what each party's users may therefore see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tests.factories import World, incident_data
from tests.factories_sectors import (
    checkpoint_data,
    line_data,
    movement_data,
    sector_data,
    site_data,
    square,
)

ERBIL = {"type": "Point", "coordinates": [44.01, 36.19]}


@dataclass
class Seeded:
    """The ids of what was made, by kind, and which of them krg's users may see."""

    incidents: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    sites: dict[str, str] = field(default_factory=dict)

    def seen_by_krg(self, kind: str) -> set[str]:
        """The ids of ``kind`` (incidents, sectors, sites) that krg may see."""
        records: dict[str, str] = getattr(self, kind)
        return {i for name, i in records.items() if not name.startswith("fed_hidden")}

    def seen_by_fed(self, kind: str) -> set[str]:
        """The ids of ``kind`` that fed may see."""
        records: dict[str, str] = getattr(self, kind)
        return {i for name, i in records.items() if not name.startswith("krg_hidden")}


def _id(record: dict[str, Any]) -> str:
    return str(record["id"])


def seed_exports(ctx: ServiceContext, world: World) -> Seeded:
    """Four incidents, four sectors and four sites per the docstring of :class:`Seeded`.

    Hidden from krg: a fed incident released to fed alone and one released to the
    Fed-UN desk; hidden from fed: a krg checkpoint and a krg clinic released to krg alone.
    """
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    seeded = Seeded()
    kirkuk, fedun = world.centers["kirkuk"]["id"], world.centers["fedun"]["id"]
    made = {
        "fed_all": (fed, incident_data()),
        "fed_kirkuk_center": (
            fed,
            incident_data(releasability="center", center_id=kirkuk, place_name="Daquq"),
        ),
        "fed_hidden_party": (
            fed,
            incident_data(releasability="party", place_name="Fed-only checkpoint"),
        ),
        "fed_hidden_fedun": (
            fed,
            incident_data(releasability="center", center_id=fedun, place_name="Fed-UN desk"),
        ),
        "krg_hidden_battle": (
            krg,
            incident_data(
                location=ERBIL,
                place_name="Erbil",
                occurred_at="2020-02-18T08:00:00Z",
                event_type="Battles",
                sub_event_type="Armed clash",
                releasability="party",
                fatalities=3,
            ),
        ),
    }
    for name, (actor, data) in made.items():
        seeded.incidents[name] = _id(create_incident(ctx, actor=actor, data=data))
    sectors = {
        "krg_area": (krg, sector_data(name="Peshmerga sector")),
        "krg_line": (krg, line_data(name="Line West")),
        "krg_hidden_checkpoint": (krg, checkpoint_data(releasability="party")),
        "fed_base": (
            fed,
            checkpoint_data(
                kind="base",
                name="Base K1",
                geometry={"type": "Point", "coordinates": [44.35, 35.35]},
                radius_m=800.0,
            ),
        ),  # fmt: skip
    }
    for name, (actor, data) in sectors.items():
        seeded.sectors[name] = _id(create_sector(ctx, actor=actor, data=data))
    sites = {
        "fed_school": (fed, site_data()),
        "fed_camp": (fed, site_data(kind="idp_camp", name="Laylan camp",
                                    geometry=square(44.5, 35.2, 0.02))),
        "fed_convoy": (fed, movement_data()),
        "krg_hidden_clinic": (krg, site_data(kind="clinic", name="Clinic 4",
                                             releasability="party")),
    }  # fmt: skip
    for name, (actor, data) in sites.items():
        seeded.sites[name] = _id(create_site(ctx, actor=actor, data=data))
    return seeded
