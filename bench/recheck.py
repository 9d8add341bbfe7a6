"""The cost of rechecking findings: one plan among many subjects, and one change near many plans.

On a fresh SQLite node: krg declares ``--sectors`` sectors and sites over fed's plans'
area, fed proposes ``--plans`` plans there (each meets every subject), then it times

- ``POST``-equivalent ``recheck_findings`` of one plan after krg withdrew a sector
  (one deconfliction, one finding cleared), and a second recheck (nothing written);
- fed moving one of its own protected sites across the plans: the same transaction
  rechecks every live fed plan near it (``recheck_concerning``).

    .venv/bin/python bench/recheck.py [--plans 20] [--sectors 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import actor, log, setup_node  # noqa: E402

from tansiq.services.core.context import ServiceContext  # noqa: E402
from tansiq.services.operations.commands import create_operation, propose_operation  # noqa: E402
from tansiq.services.operations.rechecks import recheck_findings  # noqa: E402
from tansiq.services.sectors.commands import create_sector, withdraw_sector  # noqa: E402
from tansiq.services.sectors.site_commands import create_site, update_site  # noqa: E402


def square(west: float, south: float, size: float) -> dict[str, Any]:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _layers(ctx: ServiceContext, krg: Any, count: int) -> list[dict[str, Any]]:
    sectors = []
    for i in range(count):
        sectors.append(create_sector(ctx, actor=krg, data={
            "kind": "aor", "name": f"Bench sector {i}", "unit_name": "Bench unit",
            "geometry": square(44.30 + i * 0.001, 35.30, 0.1), "cross_border": False,
            "valid_from": "2027-01-01T00:00:00Z", "valid_until": "2027-12-01T00:00:00Z",
            "releasability": "all", "center_id": None,
        }))
        create_site(ctx, actor=krg, data={
            "kind": "school", "name": f"Bench school {i}", "name_ar": "", "name_ckb": "",
            "geometry": point(44.33 + i * 0.001, 35.33), "cross_border": False,
            "description": "", "releasability": "all", "center_id": None,
        })
    return sectors


def _plans(ctx: ServiceContext, fed: Any, count: int) -> list[dict[str, Any]]:
    plans = []
    for i in range(count):
        plan = create_operation(ctx, actor=fed, data={
            "title": f"Bench plan {i}", "objective": "Bench.",
            "area": square(44.32 + i * 0.0005, 35.32, 0.06),
            "starts_at": "2027-03-01T06:00:00Z", "ends_at": "2027-03-01T18:00:00Z",
            "participants": ["fed", "krg"], "lead_party": "fed",
            "forces": {"fed": "Bench", "krg": "Bench"}, "releasability": "all",
            "center_id": None,
        })
        plans.append(propose_operation(ctx, actor=fed, operation_id=plan["id"]))
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--sectors", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        node = setup_node(Path(tmp))
        ctx = node.context()
        fed, krg = actor(ctx, "fed_liaison"), actor(ctx, "krg_liaison")
        sectors = _layers(ctx, krg, args.sectors)
        own_site = create_site(ctx, actor=fed, data={
            "kind": "school", "name": "Fed bench school", "name_ar": "", "name_ckb": "",
            "geometry": point(44.9, 35.9), "cross_border": False, "description": "",
            "releasability": "all", "center_id": None,
        })
        plans = _plans(ctx, fed, args.plans)
        log(f"{args.sectors} sectors + {args.sectors} sites, {args.plans} fed plans")

        withdraw_sector(ctx, actor=krg, sector_id=sectors[0]["id"])
        start = time.perf_counter()
        first = recheck_findings(ctx, actor=fed, operation_id=plans[-1]["id"])
        one = time.perf_counter() - start
        start = time.perf_counter()
        again = recheck_findings(ctx, actor=fed, operation_id=plans[-1]["id"])
        idle = time.perf_counter() - start
        log(f"recheck of one plan with {len(first['findings'])} findings: {one * 1000:.0f} ms,"
            f" {first['changed']} written; again: {idle * 1000:.0f} ms, {again['changed']} written")

        start = time.perf_counter()
        update_site(ctx, actor=fed, site_id=own_site["id"],
                    changes={"geometry": point(44.35, 35.35)})
        moved = time.perf_counter() - start
        print(f"recheck: one plan {one * 1000:.0f} ms; a site moved onto {args.plans} plans "
              f"{moved * 1000:.0f} ms ({moved / args.plans * 1000:.0f} ms a plan)")
        ctx.engine.dispose()


if __name__ == "__main__":
    main()
