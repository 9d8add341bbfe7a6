"""The framework-free floor for batch ingest: the same rows and journal, plain ``sqlite3``.

What ``ingest.py`` measures through the API, done with nothing but the work that
cannot be skipped: the same bodies (``IncidentGenerator``, seed 7), placed in their
governorate and district (``locate_many``), written as the same incident rows and
the same journal entries (the payload's canonical JSON, the SHA-256 chain, the
node's Ed25519 signature) with ``executemany``, one transaction per batch of 1,000,
in WAL mode with ``synchronous=FULL``. No HTTP, no validation, no SQLAlchemy. The
ratio of the two figures is what the framework costs.

Afterwards (untimed) ``tansiq verify`` must pass on the database, which proves the
rows and the journal are the ones the real path writes.

    .venv/bin/python bench/ingest_baseline.py [--batches 20]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import uuid6
from nacl.signing import SigningKey

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BATCH,
    TANSIQ,
    IncidentGenerator,
    Node,
    actor,
    center_ids,
    log,
    setup_node,
)

from tansiq.domain.choices import USUAL_DISORDER_TYPE  # noqa: E402
from tansiq.geo.boundaries import locate_many, sub_districts  # noqa: E402

GENESIS = "0" * 64
INCIDENT_COLUMNS = (
    "id", "party_id", "created_by", "updated_by", "status", "occurred_at", "time_precision",
    "lon", "lat", "geo_precision", "place_name", "cross_border", "admin1", "admin2",
    "admin3", "event_id_cnty", "disorder_type", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "civilian_targeting",
    "fatalities", "injured", "description", "sources", "source_scale", "tags",
    "source_reliability", "credibility", "releasability", "center_id", "version",
    "created_at", "updated_at",
)
JOURNAL_COLUMNS = (
    "seq", "node_id", "actor", "at", "record_kind", "record_id", "action", "record_version",
    "owner_party", "releasability", "center_id", "payload", "payload_format", "prev_hash",
    "hash", "signature",
)
# Defaults of the fields a body may leave out (domain/incidents.py DEFAULTS).
DEFAULTS: dict[str, Any] = {
    "time_precision": "day", "geo_precision": 1, "place_name": "", "cross_border": False,
    "actor2": "", "fatalities": 0, "injured": 0, "description": "", "sources": [],
    "source_reliability": "F", "credibility": 6, "releasability": "party",
    "center_id": None, "status": "submitted", "event_id_cnty": None, "assoc_actor_1": "",
    "inter1": "", "assoc_actor_2": "", "inter2": "", "civilian_targeting": False,
    "source_scale": "", "tags": "",
}
# The payload format incidents are journaled in (services/incidents/records.py).
PAYLOAD_FORMAT = 2


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _iso(value: datetime) -> str:
    """The payload form of a UTC datetime (``journal.canonical.iso_utc``)."""
    return value.isoformat(timespec="microseconds")[:-6] + "Z"


def _stored(value: datetime) -> str:
    """How SQLAlchemy's SQLite DATETIME stores a UTC datetime."""
    return value.replace(tzinfo=None).isoformat(" ", timespec="microseconds")


class Writer:
    """Writes batches of incident bodies straight to the node's SQLite file."""

    def __init__(self, conn: sqlite3.Connection, key: SigningKey, user_id: str,
                 party: str) -> None:
        self.conn = conn
        self.key = key
        self.node_id = "node-" + hashlib.sha256(bytes(key.verify_key)).hexdigest()[:12]
        self.user_id = user_id
        self.party = party
        self.insert_incident = _insert("incidents", INCIDENT_COLUMNS)
        self.insert_entry = _insert("journal", JOURNAL_COLUMNS)

    def write(self, body: bytes) -> None:
        """One batch: parse, place, build rows and entries, insert, move the head, commit."""
        items = [{**DEFAULTS, **item} for item in orjson.loads(body)["items"]]
        points = [tuple(item["location"]["coordinates"]) for item in items]
        areas = locate_many(points)
        admin3s = sub_districts(points, areas)
        now = datetime.now(UTC)
        stamp, at = _stored(now), _iso(now)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        seq, prev = conn.execute(
            "SELECT seq, hash FROM journal_heads WHERE node_id = 'local'").fetchone()
        rows, entries = [], []
        for item, area, admin3 in zip(items, areas, admin3s, strict=True):
            disorder = USUAL_DISORDER_TYPE[item["event_type"]].value
            record_id = str(uuid6.uuid7())
            occurred = datetime.fromisoformat(item["occurred_at"]).astimezone(UTC)
            lon, lat = (float(c) for c in item["location"]["coordinates"])
            admin1 = area.admin1 if area else None
            admin2 = area.admin2 if area else None
            rows.append((
                record_id, self.party, self.user_id, self.user_id, item["status"],
                _stored(occurred), item["time_precision"], lon, lat, item["geo_precision"],
                item["place_name"], item["cross_border"], admin1, admin2, admin3,
                item["event_id_cnty"], disorder, item["event_type"], item["sub_event_type"],
                item["actor1"], item["assoc_actor_1"], item["inter1"], item["actor2"],
                item["assoc_actor_2"], item["inter2"], item["civilian_targeting"],
                item["fatalities"], item["injured"], item["description"],
                json.dumps(item["sources"]), item["source_scale"], item["tags"],
                item["source_reliability"], item["credibility"], item["releasability"],
                item["center_id"], 1, stamp, stamp,
            ))
            payload = orjson.dumps({
                "id": record_id, "party": self.party, "releasability": item["releasability"],
                "center_id": item["center_id"], "created_by": self.user_id,
                "updated_by": self.user_id, "version": 1, "created_at": at, "updated_at": at,
                "status": item["status"], "occurred_at": _iso(occurred),
                "time_precision": item["time_precision"],
                "location": {"type": "Point", "coordinates": [lon, lat]},
                "geo_precision": item["geo_precision"], "place_name": item["place_name"],
                "cross_border": item["cross_border"], "admin1": admin1, "admin2": admin2,
                "admin3": admin3, "event_id_cnty": item["event_id_cnty"],
                "disorder_type": disorder,
                "event_type": item["event_type"], "sub_event_type": item["sub_event_type"],
                "actor1": item["actor1"], "assoc_actor_1": item["assoc_actor_1"],
                "inter1": item["inter1"], "actor2": item["actor2"],
                "assoc_actor_2": item["assoc_actor_2"], "inter2": item["inter2"],
                "civilian_targeting": item["civilian_targeting"],
                "fatalities": item["fatalities"], "injured": item["injured"],
                "description": item["description"], "sources": item["sources"],
                "source_scale": item["source_scale"], "tags": item["tags"],
                "source_reliability": item["source_reliability"],
                "credibility": item["credibility"],
            }, option=orjson.OPT_SORT_KEYS)
            seq += 1
            entry = {
                "seq": seq, "node_id": self.node_id, "actor": self.user_id, "at": at,
                "record_kind": "incident", "record_id": record_id, "action": "create",
                "record_version": 1, "owner_party": self.party,
                "releasability": item["releasability"], "center_id": item["center_id"],
                "prev_hash": prev, "payload": orjson.Fragment(payload),
                "payload_format": PAYLOAD_FORMAT,
            }
            digest = hashlib.sha256(orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)).digest()
            prev = digest.hex()
            signature = self.key.sign(digest).signature
            entries.append((
                seq, self.node_id, self.user_id, at, "incident", record_id, "create", 1,
                self.party, item["releasability"], item["center_id"], payload.decode(),
                PAYLOAD_FORMAT,
                entry["prev_hash"], prev, signature,
            ))
        conn.executemany(self.insert_incident, rows)
        conn.executemany(self.insert_entry, entries)
        conn.execute("UPDATE journal_heads SET seq = ?, hash = ? WHERE node_id = 'local'",
                     (seq, prev))
        conn.execute("COMMIT")


def _verify(node: Node) -> None:
    result = subprocess.run([*TANSIQ, "verify", *node.cli_args()], capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(f"the baseline's journal does not verify: {result.stderr.strip()}")
    log(result.stdout.splitlines()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20, help="timed batches of 1,000")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tansiq-ingest-baseline-") as tmp:
        node = setup_node(Path(tmp) / "node")
        ctx = node.context()
        generator = IncidentGenerator(seed=7, center_ids=center_ids(ctx))
        liaison = actor(ctx, "fed_liaison")
        key = ctx.key.signing_key
        ctx.engine.dispose()
        bodies = [orjson.dumps({"items": generator.batch()}) for _ in range(args.batches + 1)]
        log(f"{len(bodies)} bodies of {BATCH} incidents ready")
        with closing(sqlite3.connect(node.db_path, isolation_level=None)) as conn:
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                           "wal_autocheckpoint=10000"):
                conn.execute(f"PRAGMA {pragma}")
            writer = Writer(conn, key, liaison.user_id, liaison.party)
            writer.write(bodies[0])  # warm-up: loads the boundaries, as ingest.py does
            cpu_before = time.process_time()
            started = time.perf_counter()
            for number, body in enumerate(bodies[1:], start=1):
                t0 = time.perf_counter()
                writer.write(body)
                log(f"batch {number}/{args.batches}: {time.perf_counter() - t0:.3f} s")
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_before
        _verify(node)
    total = args.batches * BATCH
    log(f"{total:,} incidents in {elapsed:.2f} s; CPU {cpu:.2f} s "
        f"({cpu / args.batches * 1000:.0f} ms per batch of {BATCH})")
    print(f"ingest baseline: {total / elapsed:.0f} incidents/s")


if __name__ == "__main__":
    main()
