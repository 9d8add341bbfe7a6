"""Rows per second of ``tansiq import acled`` on SQLite: a generated 50,000-row Iraq export.

Writes a realistic ACLED CSV for Iraq (the 31 columns; 2017-2024; the governorates
weighted as ACLED's Iraq data is, the disputed areas and Baghdad first; ACLED's actor
names, actor types, interactions, notes, sources and tags; points inside each
governorate), sets up a fresh node and imports the file as ``fed_liaison`` through
``tansiq.ingest.acled.import_acled`` — the code ``tansiq import acled`` runs, CSV
reading and checks, incidents and their signed journal entries, one transaction. Then
it imports the same file again (every row unchanged: nothing is written) and a copy
with ``--changed`` of its rows corrected (new versions), and runs ``tansiq verify``
(untimed). Target: >= 5,000 rows/s for the first import.

    .venv/bin/python bench/import_acled.py [--rows 50000] [--changed 1000] [--numeric-inter]
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import TANSIQ, IncidentGenerator, actor, log, setup_node  # noqa: E402

from tansiq.domain.choices import USUAL_DISORDER_TYPE  # noqa: E402
from tansiq.geo.boundaries import locate_many, sub_districts  # noqa: E402
from tansiq.ingest.acled import import_acled  # noqa: E402
from tansiq.ingest.reading.acled import ACLED_COLUMNS  # noqa: E402
from tansiq.ingest.reading.acled_names import (  # noqa: E402
    ACTOR_TYPE_CODES,
    acled_admin_name,
    interaction_text,
)

START, DAYS = date(2017, 1, 1), 8 * 365
# (event type, sub-event type, actor1, inter1, actor2, inter2, weight), after the mix of
# ACLED's Iraq data: remote violence by IS and Turkey, clashes, protests, arrests.
EVENTS = (
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Islamic State (Iraq)",
     "Rebel group", "Civilians (Iraq)", "Civilians", 14),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED",
     "Unidentified Armed Group (Iraq)", "Political militia", "", "", 8),
    ("Explosions/Remote violence", "Air/drone strike", "Military Forces of Turkey (2016-)",
     "External/Other forces", "PKK: Kurdistan Workers Party", "Rebel group", 9),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack",
     "Military Forces of Turkey (2016-)", "External/Other forces", "", "", 6),
    ("Explosions/Remote violence", "Air/drone strike", "Military Forces of Iraq (2018-2022)",
     "State forces", "Islamic State (Iraq)", "Rebel group", 4),
    ("Battles", "Armed clash", "Military Forces of Iraq (2018-2022)", "State forces",
     "Islamic State (Iraq)", "Rebel group", 10),
    ("Battles", "Armed clash", "Kurdish Regional Government Peshmerga", "State forces",
     "Islamic State (Iraq)", "Rebel group", 3),
    ("Battles", "Armed clash", "Tribal Militia (Iraq)", "Identity militia",
     "Tribal Militia (Iraq)", "Identity militia", 3),
    ("Violence against civilians", "Attack", "Islamic State (Iraq)", "Rebel group",
     "Civilians (Iraq)", "Civilians", 6),
    ("Violence against civilians", "Abduction/forced disappearance",
     "Unidentified Armed Group (Iraq)", "Political militia", "Civilians (Iraq)", "Civilians", 3),
    ("Protests", "Peaceful protest", "Protesters (Iraq)", "Protesters", "", "", 18),
    ("Protests", "Excessive force against protesters", "Police Forces of Iraq (2018-2022)",
     "State forces", "Protesters (Iraq)", "Protesters", 2),
    ("Riots", "Violent demonstration", "Rioters (Iraq)", "Rioters",
     "Police Forces of Iraq (2018-2022)", "State forces", 4),
    ("Strategic developments", "Arrests", "Police Forces of Iraq (2018-2022)", "State forces",
     "Islamic State (Iraq)", "Rebel group", 7),
    ("Strategic developments", "Disrupted weapons use", "Military Forces of Iraq (2018-2022)",
     "State forces", "", "", 3),
)
WEIGHTS = {
    "Ninewa": 13, "Kirkuk": 11, "Diyala": 12, "Salah Al-Din": 11, "Al-Anbar": 9, "Baghdad": 14,
    "Erbil": 5, "Duhok": 7, "Al-Sulaymaniyah": 4, "Babil": 2, "Al-Basrah": 5, "Wassit": 1,
    "Maysan": 1, "Thi Qar": 3, "Al-Najaf": 1, "Kerbala": 1, "Al-Qadissiya": 1, "Al-Muthanna": 1,
}
SOURCES = ("Shafaq News", "Rudaw", "Kurdistan24", "INA", "Security Media Cell", "Baghdad Today",
           "Sky News Arabia", "Alsumaria News", "Reuters", "Xinhua")
SCALES = ("National", "Subnational", "National-International", "Local partner-National",
          "New media-National")
NOTES = (
    "On {d}, {a1} {verb} near {p} ({g}). {f} fatalities were reported.",
    "On {d}, an incident involving {a1} and {a2} took place in {p} ({g}); {f} reported killed.",
    "Around {d} (week of), {a1} {verb} in the vicinity of {p} ({g}). Casualties: {f}.",
)


def write_export(path: Path, rows: int, *, numeric: bool, seed: int = 2020) -> None:
    """A realistic ACLED export for Iraq with ``rows`` events."""
    rng = random.Random(seed)
    pools = IncidentGenerator(seed).points
    governorates = list(WEIGHTS)
    events = [e[:6] for e in EVENTS]
    event_weights = [e[6] for e in EVENTS]
    picked = [rng.choices(governorates, [WEIGHTS[g] for g in governorates])[0]
              for _ in range(rows)]
    points = [rng.choice(pools[g]) for g in picked]
    areas = locate_many(points)
    admin3s = sub_districts(points, areas)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(ACLED_COLUMNS)
        for number, ((lon, lat), area, admin3) in enumerate(
            zip(points, areas, admin3s, strict=True), start=1
        ):
            assert area is not None
            event_type, sub, a1, i1, a2, i2 = rng.choices(events, event_weights)[0]
            day = START + timedelta(days=rng.randrange(DAYS))
            fatalities = rng.choice((0, 0, 0, 0, 1, 1, 2, 3, 5))
            if event_type in ("Protests", "Strategic developments"):
                fatalities = 0
            place = area.admin2 or area.admin1
            notes = rng.choice(NOTES).format(
                d=f"{day.day} {day:%B %Y}", a1=a1, a2=a2 or "unknown actors",
                verb="carried out an attack", p=place, g=area.admin1, f=fatalities,
            )
            code = {t: str(c) for t, c in ACTOR_TYPE_CODES.items()}
            out.writerow([
                f"IRQ{number}", day.isoformat(), day.year,
                rng.choices(("1", "2", "3"), (90, 8, 2))[0],
                USUAL_DISORDER_TYPE[event_type].value, event_type, sub,
                a1, rng.choice(("", "", "", "PMF: Popular Mobilization Forces")) if i1 ==
                "State forces" else "", code[i1] if numeric else i1,
                a2, "", (code[i2] if i2 else "0") if numeric else i2,
                (str(ACTOR_TYPE_CODES[i1]) + str(ACTOR_TYPE_CODES.get(i2, 0))) if numeric
                else interaction_text(i1, i2),
                "Civilian targeting" if a2 == "Civilians (Iraq)" else "",
                368, "Middle East", "Iraq", acled_admin_name(area.admin1),
                acled_admin_name(area.admin2 or ""), acled_admin_name(admin3 or ""),
                place, f"{lat:.4f}", f"{lon:.4f}", rng.choices(("1", "2", "3"), (70, 25, 5))[0],
                "; ".join(rng.sample(SOURCES, rng.randrange(1, 3))), rng.choice(SCALES), notes,
                fatalities, "crowd size=no report" if event_type == "Protests" else "",
                1_700_000_000 + number,
            ])


def changed_copy(source: Path, target: Path, changes: int) -> None:
    """``source`` with the fatalities of its first ``changes`` rows raised by one."""
    with source.open(newline="", encoding="utf-8") as inp, target.open(
        "w", newline="", encoding="utf-8"
    ) as out:
        reader, writer = csv.reader(inp), csv.writer(out)
        writer.writerow(next(reader))
        index = ACLED_COLUMNS.index("fatalities")
        for number, row in enumerate(reader):
            if number < changes:
                row[index] = str(int(row[index]) + 1)
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows in the export")
    parser.add_argument("--changed", type=int, default=1_000, help="rows corrected on re-import")
    parser.add_argument("--numeric-inter", action="store_true", help="inter codes as 1-8")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tansiq-import-acled-") as tmp:
        export = Path(tmp) / "acled_iraq.csv"
        write_export(export, args.rows, numeric=args.numeric_inter)
        log(f"{args.rows:,} rows written to {export} ({export.stat().st_size / 1e6:.1f} MB)")
        node = setup_node(Path(tmp) / "node")
        ctx = node.context()
        liaison = actor(ctx, "fed_liaison")
        cpu, started = time.process_time(), time.perf_counter()
        summary = import_acled(ctx, actor=liaison, path=export)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        # CPU time is steadier than wall time on a shared machine.
        log(f"first import: {summary.created:,} created in {elapsed:.2f} s, CPU {cpu:.2f} s "
            f"({args.rows / cpu:,.0f} rows per CPU second)")
        started = time.perf_counter()
        again = import_acled(ctx, actor=liaison, path=export)
        unchanged_s = time.perf_counter() - started
        log(f"re-import of the same file: {again.unchanged:,} unchanged, {again.updated} "
            f"updated in {unchanged_s:.2f} s ({args.rows / unchanged_s:,.0f} rows/s)")
        if args.changed:
            edited = Path(tmp) / "acled_iraq_changed.csv"
            changed_copy(export, edited, args.changed)
            started = time.perf_counter()
            third = import_acled(ctx, actor=liaison, path=edited)
            changed_s = time.perf_counter() - started
            log(f"re-import with {third.updated:,} rows corrected: {changed_s:.2f} s "
                f"({args.rows / changed_s:,.0f} rows/s)")
        ctx.engine.dispose()
        result = subprocess.run([*TANSIQ, "verify", *node.cli_args()], capture_output=True,
                                text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"the imported journal does not verify: {result.stderr.strip()}")
        log(result.stdout.splitlines()[0])
    print(f"import acled: {args.rows / elapsed:.0f} rows/s")


if __name__ == "__main__":
    main()
