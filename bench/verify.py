"""Wall time of ``tansiq verify`` over the large database, end to end (CLI start to exit).

Reuses the database ``query.py`` generates (``--size`` incidents, default 1,000,000,
so just over a million journal entries). Target: <= 45 s for 1,000,000 entries on this
2-core machine (the checks run in one worker process per CPU).

    .venv/bin/python bench/verify.py [--size 100000] [--profile out.svg]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import TANSIQ, ensure_database, log, py_spy_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="incidents in the database")
    parser.add_argument("--profile", help="run under py-spy into this file (.svg/.json/raw)")
    args = parser.parse_args()

    node = ensure_database(args.size)
    command = [*TANSIQ, "verify", *node.cli_args()]
    if args.profile:
        command = [*py_spy_command(args.profile), "--", *command]
    log("running " + " ".join(command))
    before = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    # The CLI and its worker processes (each waited for): less sensitive to the
    # machine's load than the wall time.
    cpu = _children_cpu() - before
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(
            f"tansiq verify failed ({result.returncode}): {result.stdout}{result.stderr}"
        )
    log(result.stdout.strip())
    found = re.search(r"ok: (\d+) journal entries", result.stdout)
    entries = int(found.group(1)) if found else 0
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"verify: {elapsed:.1f} s for {entries:,} journal entries "
          f"({entries / elapsed:,.0f} entries/s), {cpu:.1f} s CPU (user+sys), load {load}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
