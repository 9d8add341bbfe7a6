"""The background sync loop of ``tansiq serve``: pull every peer, back off from failing ones.

It runs in its own thread with its own pace, so a peer that is down, slow or
answering garbage costs the API nothing but this thread's time; a failing peer
is retried after a delay that doubles with each failure, up to ``MAX_BACKOFF``.
"""

from __future__ import annotations

import logging
import threading
import time

import httpx

from tansiq.domain.errors import NotFound
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.status import active_peers, failures_of, note_attempt
from tansiq.sync.client import SyncFailed, pull

MAX_BACKOFF = 300.0
log = logging.getLogger("tansiq.sync")


def backoff_seconds(interval: float, failures: int) -> float:
    """How long to wait before pulling a peer that failed ``failures`` times in a row."""
    if failures <= 0:
        return interval
    return float(min(interval * 2 ** min(failures, 16), MAX_BACKOFF))


class SyncLoop:
    """Pulls each active peer every ``interval`` seconds (longer after failures)."""

    def __init__(self, ctx: ServiceContext, *, interval: float, timeout: float = 30.0) -> None:
        self.ctx = ctx
        self.interval = interval
        self.timeout = timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tansiq-sync", daemon=True)
        self._due: dict[str, float] = {}

    def start(self) -> None:
        """Start pulling in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the pull in progress (if any)."""
        self._stop.set()
        self._thread.join(timeout=self.timeout + 5)

    def run_once(self, client: httpx.Client) -> None:
        """Pull every peer whose turn has come."""
        now = time.monotonic()
        for peer in active_peers(self.ctx):
            if self._due.get(peer["id"], 0.0) > now:
                continue
            try:
                pull(self.ctx, peer["party_id"], client=client)
            except (SyncFailed, NotFound) as exc:
                log.warning("sync with %s failed: %s", peer["party_id"], exc)
            except Exception as exc:  # noqa: BLE001 - the loop must outlive any one bad pull
                log.exception("sync with %s failed unexpectedly", peer["party_id"])
                note_attempt(self.ctx, peer["id"], error=f"{type(exc).__name__}: {exc}")
            wait = backoff_seconds(self.interval, failures_of(self.ctx, peer["id"]))
            self._due[peer["id"]] = time.monotonic() + wait

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while not self._stop.is_set():
                try:
                    self.run_once(client)
                except Exception:  # noqa: BLE001 - e.g. the database briefly unavailable
                    log.exception("sync loop pass failed")
                self._stop.wait(min(self.interval, 1.0))
