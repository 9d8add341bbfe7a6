"""Federated nodes as real processes on one machine: `make run-pair` and the two-node tests.

Each node is a directory with its own database and key, set up with the real
command line (``tansiq init --party``, ``tansiq demo --party``, ``tansiq node show``,
``tansiq peer add``) and served by ``tansiq serve`` in its own process, exactly as
two parties' admins would run them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class NodeProcess:
    """One node: its directory, party, port, environment and (once started) its process."""

    root: Path
    party: str
    port: int
    database_url: str
    sync_interval: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    identity: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where the node answers."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The environment every command of this node runs with."""
        return {
            **os.environ,
            "TANSIQ_DATABASE_URL": self.database_url,
            "TANSIQ_KEY_FILE": str(self.root / "node_ed25519.key"),
            "TANSIQ_SYNC_INTERVAL_SECONDS": str(self.sync_interval),
            **self.extra_env,
        }

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``tansiq ARGS`` for this node and return what it printed."""
        return subprocess.run(
            [sys.executable, "-m", "tansiq", *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self) -> None:
        """Start ``tansiq serve`` and wait until it answers /api/v1/health."""
        self.spawn()
        self.wait()

    def wait(self) -> None:
        """Wait until the spawned server answers; raises RuntimeError if it does not."""
        assert self.process is not None, "spawn() first"
        wait_ready(self.url, self.process)

    def spawn(self) -> None:
        """Start ``tansiq serve`` without waiting for it (start several, then wait)."""
        with (self.root / "serve.log").open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tansiq", "serve", "--port", str(self.port)],
                env=self.env,
                cwd=self.root,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server (SIGKILL with ``kill``, as a crash would)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait for ``url``/api/v1/health; raises RuntimeError if the process dies or it times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the node at {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the node at {url} did not answer within {timeout:.0f} s")


def prepare(node: NodeProcess, *, demo: bool) -> str:
    """Create the node's key and schema, give it its party, load its part of the demo.

    Returns what the demo printed (its logins), or "".
    """
    node.root.mkdir(parents=True, exist_ok=True)
    node.cli("init", "--party", node.party)
    shown = node.cli("demo", "--party", node.party).stdout if demo else ""
    node.identity = json.loads(node.cli("node", "show", "--json").stdout)
    return shown


def register(here: NodeProcess, there: NodeProcess, *, url: str | None = None) -> None:
    """Register ``there`` as a peer of ``here`` (at ``url``, e.g. through a proxy)."""
    here.cli(
        "peer",
        "add",
        "--party",
        there.party,
        "--url",
        url or there.url,
        "--public-key",
        there.identity["public_key"],
        "--node-id",
        there.identity["node_id"],
    )


def pair(
    root: Path,
    *,
    parties: Mapping[str, int],
    database_urls: Mapping[str, str] | None = None,
    demo: bool = False,
    sync_interval: int = 2,
) -> dict[str, NodeProcess]:
    """Prepared nodes of ``parties`` (party -> port), each registered with every other."""
    nodes = {
        party: NodeProcess(
            root / party,
            party,
            port,
            (database_urls or {}).get(party, f"sqlite:///{root / party / 'tansiq.db'}"),
            sync_interval=sync_interval,
        )
        for party, port in parties.items()
    }
    for node in nodes.values():
        node.identity["demo"] = prepare(node, demo=demo)
    for node in nodes.values():
        for other in nodes.values():
            if other is not node:
                register(node, other)
    return nodes


def main() -> None:
    """`make run-pair`: fed on :8000 and krg on :8001, the demo split by owner."""
    root = Path(os.environ.get("TANSIQ_PAIR_DIR", ".tansiq-pair")).resolve()
    fresh = not root.exists()
    ports = {"fed": 8000, "krg": 8001}
    if fresh:
        nodes = pair(root, parties=ports, demo=True)
    else:
        nodes = {
            party: NodeProcess(root / party, party, port, f"sqlite:///{root / party / 'tansiq.db'}")
            for party, port in ports.items()
        }
    try:
        for node in nodes.values():
            node.spawn()
        for node in nodes.values():
            node.wait()
        print("fed: http://127.0.0.1:8000/   krg: http://127.0.0.1:8001/   (Ctrl-C stops both)")
        for node in nodes.values():
            print(node.identity.get("demo", ""))
        print(
            f"File an incident on one node: it appears on the other within seconds ({root}).",
            flush=True,
        )
        while all(node.process and node.process.poll() is None for node in nodes.values()):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for node in nodes.values():
            node.stop()


if __name__ == "__main__":
    main()
