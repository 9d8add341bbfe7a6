"""Shared helpers for the benchmarks: a node on disk, a served node, generated incidents.

Progress goes to stderr; each script prints its figure last on stdout.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import shapely

from tansiq.config import Settings
from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import EVENT_TAXONOMY
from tansiq.geo.boundaries import admin_units
from tansiq.services.accounts.commands import authenticate_password, create_token, create_user
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.directory.commands import create_center, create_party
from tansiq.services.incidents.commands import create_incidents

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
TANSIQ = [sys.executable, "-m", "tansiq"]
SYSTEM = SystemActor("system:bench")
PASSWORD = "bench password 2020"
BATCH = 1000
# Incidents of the generated database span these two years.
SPAN_START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_END = datetime(2025, 1, 1, tzinfo=UTC)

# Relative weight of each governorate: the disputed areas and the north report most.
GOVERNORATE_WEIGHTS = {
    "Ninewa": 14, "Kirkuk": 12, "Diyala": 12, "Salah Al-Din": 12, "Al-Anbar": 10,
    "Baghdad": 10, "Erbil": 5, "Duhok": 5, "Al-Sulaymaniyah": 4, "Babil": 3,
    "Al-Basrah": 3, "Wassit": 2, "Maysan": 2, "Thi Qar": 2, "Al-Najaf": 1,
    "Kerbala": 1, "Al-Qadissiya": 1, "Al-Muthanna": 1,
}
# Just across the border (Turkey, Iran, Syria): filed as cross-border shelling.
CROSS_BORDER_POINTS = [(43.95, 37.42), (44.35, 37.45), (45.95, 36.35), (46.2, 35.45),
                       (40.6, 34.9), (41.9, 37.15)]
JCCS = ("jcc-kirkuk", "jcc-diyala", "jcc-ninewa")
ACTORS = ("Islamic State (Iraq)", "Military Forces of Iraq (2022-)",
          "Unidentified Armed Group (Iraq)", "Peshmerga", "Popular Mobilization Forces",
          "Military Forces of Turkey (2016-)", "Police Forces of Iraq (2022-)",
          "Civilians (Iraq)")
DESCRIPTIONS = (
    "IED struck a patrol on the road {d} km south of {p}; {i} injured.",
    "Small arms fire against a checkpoint near {p} for {d} minutes; no casualties reported.",
    "Mortar rounds landed {d} km east of {p}; damage to farmland.",
    "Joint patrol found a weapons cache near {p} containing {d} rockets.",
    "Drone strike reported {d} km north of {p}; {i} injured according to local sources.",
)


def log(message: str) -> None:
    """Progress line on stderr (stdout carries only the figures)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- a node on disk -----------------------------------------------------------------


@dataclass
class Node:
    """A node's database, key and the bench users' API tokens, all in ``directory``."""

    directory: Path
    tokens: dict[str, str] = field(default_factory=dict)
    # A PostgreSQL URL instead of the SQLite file in ``directory``.
    database_url: str | None = None

    @property
    def db_path(self) -> Path:
        return self.directory / "tansiq.db"

    @property
    def key_path(self) -> Path:
        return self.directory / "node.key"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.db_path}"

    @property
    def settings(self) -> Settings:
        return Settings(database_url=self.url, key_file=str(self.key_path))

    def cli_args(self) -> list[str]:
        """--db and --key-file for a ``tansiq`` command."""
        return ["--db", self.url, "--key-file", str(self.key_path)]

    def context(self) -> ServiceContext:
        return open_context(self.settings)

    def save(self) -> None:
        (self.directory / "node.json").write_text(json.dumps({"tokens": self.tokens}, indent=1))

    @classmethod
    def load(cls, directory: Path) -> Node:
        data = json.loads((directory / "node.json").read_text())
        return cls(directory=directory, tokens=data["tokens"])


def setup_node(directory: Path, database_url: str | None = None) -> Node:
    """``tansiq init`` a fresh node in ``directory``, then add parties, centers, users, tokens.

    Parties fed and krg sit together on three JCCs; fed_liaison and krg_liaison file
    incidents, krg_analyst reads them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    node = Node(directory, database_url=database_url)
    subprocess.run([*TANSIQ, "init", *node.cli_args()], check=True, stdout=subprocess.DEVNULL)
    ctx = node.context()
    create_party(ctx, by=SYSTEM, party_id="fed", name_en="Federal MoD / JOC",
                 name_ar="وزارة الدفاع الاتحادية", name_ckb="وەزارەتی بەرگری فیدراڵ")
    create_party(ctx, by=SYSTEM, party_id="krg", name_en="Ministry of Peshmerga",
                 name_ar="وزارة البيشمركة", name_ckb="وەزارەتی پێشمەرگە")
    for code, gov in zip(JCCS, ("Kirkuk", "Diyala", "Ninewa"), strict=True):
        create_center(ctx, by=SYSTEM, code=code, kind="jcc",
                      names={"en": f"JCC {gov}", "ar": f"مركز {gov}", "ckb": f"ناوەندی {gov}"},
                      governorates=[gov], member_parties=["fed", "krg"])
    for username, party, role in (("fed_liaison", "fed", "liaison"),
                                  ("krg_liaison", "krg", "liaison"),
                                  ("krg_analyst", "krg", "analyst")):
        create_user(ctx, by=SYSTEM, username=username, party=party, roles=[role],
                    password=PASSWORD)
        node.tokens[username], _ = create_token(ctx, by=SYSTEM, username=username, days=3650)
    ctx.engine.dispose()
    node.save()
    return node


def actor(ctx: ServiceContext, username: str) -> Actor:
    """The acting user behind ``username`` (bench password)."""
    return authenticate_password(ctx, username=username, password=PASSWORD)


# --- generated incidents ------------------------------------------------------------


class IncidentGenerator:
    """Realistic incident bodies (the API's wire form) spread over two years and Iraq."""

    def __init__(self, seed: int = 2020, center_ids: Sequence[str] = ()) -> None:
        self.rng = random.Random(seed)
        self.center_ids = list(center_ids)
        self.governorates = list(GOVERNORATE_WEIGHTS)
        self.weights = [GOVERNORATE_WEIGHTS[g] for g in self.governorates]
        self.points = _point_pools(self.governorates, per_governorate=3000, seed=seed)
        self.span = int((SPAN_END - SPAN_START).total_seconds())
        self.events = [(e, s) for e, subs in EVENT_TAXONOMY.items() for s in subs]

    def item(self) -> dict[str, Any]:
        """One incident body, as a client would POST it."""
        rng = self.rng
        if rng.random() < 0.01:
            lon, lat = rng.choice(CROSS_BORDER_POINTS)
            gov, cross_border = "the border", True
            event = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
        else:
            gov = rng.choices(self.governorates, self.weights)[0]
            lon, lat = rng.choice(self.points[gov])
            cross_border = False
            event = rng.choice(self.events)
        when = SPAN_START + timedelta(seconds=rng.randrange(self.span))
        roll = rng.random()
        releasability = "all" if roll < 0.55 else "party" if roll < 0.85 else "center"
        injured = rng.choice((0, 0, 0, 1, 2, 3, 5))
        return {
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "time_precision": rng.choice(("exact", "day", "day", "day", "week")),
            "location": {"type": "Point", "coordinates": [lon, lat]},
            "geo_precision": rng.choice((1, 1, 2, 3)),
            "place_name": f"{gov} area",
            "cross_border": cross_border,
            "event_type": event[0],
            "sub_event_type": event[1],
            "actor1": rng.choice(ACTORS),
            "actor2": rng.choice(ACTORS),
            "fatalities": rng.choice((0, 0, 0, 0, 1, 2)),
            "injured": injured,
            "description": rng.choice(DESCRIPTIONS).format(
                d=rng.randrange(1, 40), p=gov, i=injured),
            "sources": rng.sample(("JCC liaison", "Local police", "Shafaq News", "Rudaw",
                                   "Security Media Cell"), rng.randrange(1, 3)),
            "source_reliability": rng.choice("ABBCCCDF"),
            "credibility": rng.randrange(1, 7),
            "releasability": releasability,
            "center_id": rng.choice(self.center_ids) if releasability == "center" else None,
            "status": "draft" if rng.random() < 0.15 else "submitted",
        }

    def batch(self, size: int = BATCH) -> list[dict[str, Any]]:
        return [self.item() for _ in range(size)]


def _point_pools(
    governorates: Sequence[str], *, per_governorate: int, seed: int
) -> dict[str, list[tuple[float, float]]]:
    """Random points (5 decimals) inside each governorate's polygon."""
    rng = np.random.default_rng(seed)
    shapes = {u.name_en: u.geometry for u in admin_units(1)}
    pools: dict[str, list[tuple[float, float]]] = {}
    for gov in governorates:
        geom = shapes[gov]
        west, south, east, north = geom.bounds
        found: list[tuple[float, float]] = []
        while len(found) < per_governorate:
            xs = rng.uniform(west, east, 4 * per_governorate).round(5)
            ys = rng.uniform(south, north, 4 * per_governorate).round(5)
            inside = shapely.contains_xy(geom, xs, ys)
            found.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
        pools[gov] = found[:per_governorate]
    return pools


def center_ids(ctx: ServiceContext) -> list[str]:
    """Ids of the bench JCCs."""
    from tansiq.services.directory.commands import list_centers

    return [c["id"] for c in list_centers(ctx) if c["code"] in JCCS]


# --- the cached large database ------------------------------------------------------


def database_dir(size: int) -> Path:
    return OUT_DIR / f"db-{size}"


def ensure_database(size: int, *, seed: int = 2020) -> Node:
    """The node holding ``size`` incidents, generated once through the services and cached.

    A cached database is migrated to the newest schema before use.

    Generation goes through ``create_incidents`` in batches of 1,000 (alternating
    fed and krg liaisons), so the journal is complete and ``tansiq verify`` passes.
    """
    final = database_dir(size)
    if (final / "complete").exists():
        log(f"using cached database {final}; bringing its schema up to date")
        node = Node.load(final)
        # New migrations (new tables) apply in place; a change to how incidents are
        # journaled needs a fresh database: delete bench/out/db-<size>/.
        subprocess.run([*TANSIQ, "db", "upgrade", *node.cli_args()], check=True,
                       stdout=subprocess.DEVNULL)
        return node
    work = final.with_name(final.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    log(f"generating {size:,} incidents into {work} (cached for later runs)")
    node = setup_node(work)
    ctx = node.context()
    actors = [actor(ctx, "fed_liaison"), actor(ctx, "krg_liaison")]
    generator = IncidentGenerator(seed, center_ids(ctx))
    started = time.perf_counter()
    done = 0
    while done < size:
        count = min(BATCH, size - done)
        create_incidents(ctx, actor=actors[(done // BATCH) % 2], items=generator.batch(count))
        done += count
        if done % 50_000 == 0 or done == size:
            rate = done / (time.perf_counter() - started)
            log(f"  {done:,}/{size:,} incidents, {rate:,.0f}/s, "
                f"{(size - done) / rate:,.0f} s to go")
    with ctx.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    ctx.engine.dispose()
    (work / "complete").write_text(f"{size}\n")
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    return Node.load(final)


# --- a served node ------------------------------------------------------------------


class Server:
    """``tansiq serve`` in a subprocess on 127.0.0.1 and a free port."""

    def __init__(self, node: Node, *, log_name: str, workers: int = 1) -> None:
        self.node = node
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = OUT_DIR / "logs" / f"{log_name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until it answers; raises RuntimeError if it dies."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as out:
            self.process = subprocess.Popen(
                [*TANSIQ, "serve", *self.node.cli_args(), "--host", "127.0.0.1",
                 "--port", str(self.port), "--workers", str(self.workers)],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            try:
                httpx.get(f"{self.base_url}/api/v1/openapi.json", timeout=1.0)
                log(f"server pid {self.pid} on {self.base_url}")
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def status_kb(self, field_name: str) -> int:
        """A ``/proc/<pid>/status`` memory field (VmHWM, VmRSS) in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
        raise KeyError(field_name)

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server has used so far (less noisy than wall time)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def client(self, username: str) -> httpx.Client:
        """An HTTP client authenticated as ``username``."""
        return httpx.Client(
            base_url=self.base_url, timeout=120.0,
            headers={"Authorization": f"Bearer {self.node.tokens[username]}"},
        )


class Profiler:
    """Optional ``py-spy record`` of a running process; a no-op without ``output``.

    The format follows the suffix: .svg flame graph, .json speedscope, otherwise raw
    collapsed stacks. py-spy is found on PATH or via the PY_SPY variable.
    """

    def __init__(self, pid: int, output: str | None) -> None:
        self.pid = pid
        self.output = output
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Profiler:
        if self.output:
            self.process = subprocess.Popen(py_spy_command(self.output) + ["--pid", str(self.pid)])
            time.sleep(1.0)  # let py-spy attach before the load starts
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=60)
            log(f"profile written to {self.output}")


def py_spy_command(output: str) -> list[str]:
    """``py-spy record`` arguments writing ``output``; raises SystemExit without py-spy."""
    exe = os.environ.get("PY_SPY") or shutil.which("py-spy")
    if not exe:
        raise SystemExit("--profile needs py-spy on PATH (or PY_SPY=/path/to/py-spy)")
    fmt = {".svg": "flamegraph", ".json": "speedscope"}.get(Path(output).suffix, "raw")
    return [exe, "record", "--rate", "200", "--threads", "--format", fmt, "--output", output]
