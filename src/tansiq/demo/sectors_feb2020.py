"""The demo's sectors and protected sites, February 2020 (illustrative, not real positions).

Each party holds a few areas, a line and posts in Diyala, Kirkuk and Nineveh, leaving
the Hamrin foothills and the Nineveh plains south of Bashiqa between their lines
uncovered: ``tansiq coverage --area Diyala --at 2020-02-20 --as fed_analyst`` shows
that vacuum and the incidents in it.
Loaded through the services, once: a party that already has sectors gets none.
"""

from __future__ import annotations

from typing import Any, Final

from tansiq.demo.directory_feb2020 import demo_password
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import list_centers
from tansiq.services.sectors.commands import create_sectors
from tansiq.services.sectors.queries import SectorFilters, list_sectors
from tansiq.services.sectors.site_commands import create_sites

VALID: Final = {
    "valid_from": "2020-01-01T00:00:00+03:00",
    "valid_until": "2020-12-31T00:00:00+03:00",
}


def _box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


# (filer, sector fields); "center" names a center code for center releasability.
SECTORS: Final[tuple[tuple[str, dict[str, Any]], ...]] = (
    (
        "fed_liaison",
        {
            "kind": "aor",
            "name": "Sector Jalawla",
            "geometry": _box(45.05, 34.2, 45.3, 34.4),
            "unit_name": "Diyala Operations Command, 5th Division",
            "releasability": "all",
        },
    ),
    (
        "fed_liaison",
        {
            "kind": "aor",
            "name": "Kirkuk South",
            "geometry": _box(44.2, 35.0, 44.6, 35.35),
            "unit_name": "Kirkuk Operations Command",
            "releasability": "center",
            "center": "jcc-kirkuk",
        },
    ),
    (
        "fed_liaison",
        {
            "kind": "checkpoint",
            "name": "Tuz North checkpoint",
            "geometry": _point(44.64, 34.92),
            "radius_m": 1500.0,
            "unit_name": "Federal Police, 3rd Brigade",
            "releasability": "all",
        },
    ),
    (
        "fed_liaison",
        {
            "kind": "base",
            "name": "K1",
            "geometry": _point(44.35, 35.52),
            "radius_m": 2000.0,
            "unit_name": "Kirkuk Operations Command",
            "releasability": "party",
        },
    ),
    (
        "krg_liaison",
        {
            "kind": "aor",
            "name": "Garmiyan East",
            "geometry": _box(45.25, 34.3, 45.45, 34.6),
            "unit_name": "Peshmerga 1st Support Forces",
            "releasability": "all",
        },
    ),
    (
        "krg_liaison",
        {
            "kind": "defensive_line",
            "name": "Qara Tapa - Kifri line",
            "geometry": {
                "type": "LineString",
                "coordinates": [[44.9, 34.45], [45.05, 34.65], [45.1, 34.85]],
            },
            "depth_m": 1500.0,
            "unit_name": "Peshmerga 70 Forces",
            "releasability": "all",
        },
    ),
    (
        "krg_liaison",
        {
            "kind": "aor",
            "name": "Kirkuk North-East",
            "geometry": _box(44.45, 35.45, 44.75, 35.7),
            "unit_name": "Peshmerga 80 Forces",
            "releasability": "center",
            "center": "jcc-kirkuk",
        },
    ),
    (
        "krg_liaison",
        {
            "kind": "checkpoint",
            "name": "Dibis checkpoint",
            "geometry": _point(44.06, 35.64),
            "radius_m": 1000.0,
            "unit_name": "Peshmerga 80 Forces",
            "releasability": "party",
        },
    ),
    (
        "fed_liaison",
        {
            "kind": "aor",
            "name": "Qayyarah",
            "geometry": _box(43.0, 35.7, 43.35, 36.0),
            "unit_name": "Nineveh Operations Command, 15th Division",
            "releasability": "all",
        },
    ),
    (
        "fed_liaison",
        {
            "kind": "aor",
            "name": "Mosul East",
            "geometry": _box(43.1, 36.25, 43.3, 36.42),
            "unit_name": "Nineveh Operations Command, 16th Division",
            "releasability": "all",
        },
    ),
    (
        "krg_liaison",
        {
            "kind": "aor",
            "name": "Bashiqa - Khazir",
            "geometry": _box(43.4, 36.3, 43.62, 36.6),
            "unit_name": "Peshmerga 8th Brigade",
            "releasability": "all",
        },
    ),
    (
        "krg_liaison",
        {
            "kind": "defensive_line",
            "name": "Gwer line",
            "geometry": {"type": "LineString", "coordinates": [[43.45, 36.0], [43.5, 36.25]]},
            "depth_m": 1000.0,
            "unit_name": "Peshmerga 8th Brigade",
            "releasability": "all",
        },
    ),
)

SITES: Final[tuple[dict[str, Any], ...]] = (
    {
        "kind": "school",
        "name": "Jalawla secondary school",
        "name_ar": "إعدادية جلولاء",
        "geometry": _point(45.163, 34.27),
    },
    {
        "kind": "hospital",
        "name": "Khanaqin general hospital",
        "name_ar": "مستشفى خانقين العام",
        "geometry": _point(45.385, 34.345),
    },
    {
        "kind": "idp_camp",
        "name": "Laylan IDP camp",
        "name_ar": "مخيم ليلان",
        "geometry": _box(44.52, 35.28, 44.54, 35.295),
    },
    {"kind": "place_of_worship", "name": "Qara Tapa mosque", "geometry": _point(44.94, 34.42)},
    {
        "kind": "humanitarian_office",
        "name": "NGO coordination office, Kirkuk",
        "geometry": _point(44.39, 35.47),
    },
    {"kind": "clinic", "name": "Daquq primary health centre", "geometry": _point(44.45, 35.14)},
    {
        "kind": "humanitarian_movement",
        "name": "Food convoy Kirkuk - Tuz Khurmatu",
        "geometry": {"type": "LineString", "coordinates": [[44.39, 35.46], [44.63, 34.88]]},
        "starts_at": "2020-02-21T07:00:00+03:00",
        "ends_at": "2020-02-21T17:00:00+03:00",
    },
)


def load_sectors(ctx: ServiceContext, *, parties: frozenset[str] | None = None) -> tuple[int, int]:
    """Declare the demo sectors and sites of each party (of ``parties``) that has none yet.

    Returns (sectors, sites) created; raises as the services do.
    """
    center_ids = {center["code"]: center["id"] for center in list_centers(ctx)}
    made_sectors = made_sites = 0
    for username in dict.fromkeys(filer for filer, _ in SECTORS):
        if parties is not None and username.split("_", 1)[0] not in parties:
            continue
        actor = authenticate_password(ctx, username=username, password=demo_password(username))
        if list_sectors(ctx, actor=actor, filters=SectorFilters(party=actor.party)).items:
            continue
        items = []
        for filer, fields in SECTORS:
            if filer == username:
                item = {k: v for k, v in fields.items() if k != "center"} | VALID
                if "center" in fields:
                    item["center_id"] = center_ids[fields["center"]]
                items.append(item)
        made_sectors += len(create_sectors(ctx, actor=actor, items=items))
        if actor.party == "fed":
            made_sites += len(create_sites(ctx, actor=actor, items=list(SITES)))
    return made_sectors, made_sites
