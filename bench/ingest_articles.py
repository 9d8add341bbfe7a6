"""Articles per second of ``tansiq ingest article --json --dry-run`` over a folder, one core.

Copies the folder's articles (default: the labelled test articles, HTML and pasted text,
English, Arabic and Sorani) ``--copies`` times into a scratch folder, then times one
``tansiq ingest article`` run over all of them, end to end (CLI start to exit, output
included), pinned to one core with ``taskset`` where it exists. The figure is articles per
second of the command's CPU time (one core, whatever else the machine is doing); the wall
rate and the load go to stderr. Target: >= 50 articles/s.

    .venv/bin/python bench/ingest_articles.py [--folder DIR] [--copies 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SYSTEM, TANSIQ, log  # noqa: E402

from tansiq.config import load_settings  # noqa: E402
from tansiq.services.accounts.commands import create_user  # noqa: E402
from tansiq.services.core.context import open_context  # noqa: E402
from tansiq.services.directory.commands import create_party  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT / "tests" / "data" / "articles"


def _node(scratch: Path) -> list[str]:
    """An initialised node with one analyst, ``bench``; its --db/--key-file options."""
    options = ["--db", f"sqlite:///{scratch / 'tansiq.db'}", "--key-file",
               str(scratch / "node.key")]
    subprocess.run([*TANSIQ, "init", *options], check=True, capture_output=True)
    ctx = open_context(load_settings(database_url=options[1], key_file=options[3]))
    try:
        create_party(ctx, by=SYSTEM, party_id="fed", name_en="Federal MoD / JOC",
                     name_ar="وزارة الدفاع", name_ckb="وەزارەتی بەرگری")
        create_user(ctx, by=SYSTEM, username="bench", party="fed", roles=["analyst"],
                    password=secrets.token_urlsafe(24))
    finally:
        ctx.engine.dispose()
    return options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER,
                        help="folder of articles (*.html, *.htm, *.txt)")
    parser.add_argument("--copies", type=int, default=10, help="times each article is read")
    args = parser.parse_args()
    sources = sorted(p for p in args.folder.iterdir() if p.suffix in (".html", ".htm", ".txt"))
    if not sources:
        raise SystemExit(f"no articles in {args.folder}")
    with tempfile.TemporaryDirectory(prefix="tansiq-articles-") as tmp:
        scratch = Path(tmp)
        options = _node(scratch)
        files = []
        for copy in range(args.copies):
            for source in sources:
                target = scratch / f"{copy:03d}_{source.name}"
                shutil.copyfile(source, target)
                files.append(str(target))
        pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
        command = [*pin, *TANSIQ, "ingest", "article", *files, "--as", "bench", "--json",
                   "--dry-run", *options]
        log(f"reading {len(files)} articles ({len(sources)} x {args.copies}) on one core")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"tansiq ingest article failed: {result.stdout[-500:]}{result.stderr}")
    lines = result.stdout.count("\n")
    if lines != len(files):
        raise SystemExit(f"expected {len(files)} JSON lines, got {lines}")
    candidates = result.stdout.count('"kind":')
    load = os.getloadavg()[0]
    log(f"{candidates} candidates proposed; {elapsed:.2f} s wall ({len(files) / elapsed:.0f} "
        f"articles/s at load {load:.1f} on {os.cpu_count()} cores), {cpu:.2f} s CPU, start-up "
        f"included")
    # CPU time is what one core spends: the wall figure also counts the machine's other work.
    print(f"ingest articles: {len(files) / cpu:.0f} articles/s on one core "
          f"({len(files)} articles in {cpu:.2f} s of CPU)")


if __name__ == "__main__":
    main()
