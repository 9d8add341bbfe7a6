"""Running ``tansiq verify``'s checks in order, in worker processes or in this process.

The verifier reads the database in one process (one snapshot) and cuts what it reads
into chunks; each chunk's check (hashes and signatures of journal entries, or current
records against their latest versions) is a task. The results come back in the order
the tasks were given, so the first break reported is the first one in the chain, as if
every entry were checked one by one. A large journal runs its tasks in worker
processes, one per CPU, while this process reads on; a small one runs them here
(starting workers would cost more than it saves). Pure: nothing here touches the
database.
"""

from __future__ import annotations

import importlib
import io
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

# Journals with at least this many entries run their checks in worker processes.
POOL_THRESHOLD = 50_000
# Rows per task: large enough that sending one is cheap per row, small enough that the
# workers start early and the tasks in flight hold little memory. Larger tasks (5,000
# rows, ~10 MB) cost twice the page faults, as their buffers go back to the system.
CHUNK = 1_000
# Tasks in flight per worker before the reader waits: bounds the memory they hold.
IN_FLIGHT_PER_WORKER = 4

Done = list[tuple[Any, Any]]


class Tasks(Protocol):
    """Runs tasks and hands back (tag, result) pairs in the order the tasks were put."""

    def put(self, tag: Any, task: Callable[..., Any], *args: Any) -> Done:
        """Queue ``task(*args)``; returns the results now ready, oldest first."""

    def put_result(self, tag: Any, result: Any) -> Done:
        """Queue a result found without a task, in its place; returns those now ready."""

    def finish(self) -> Done:
        """Wait for every queued task; returns all the results not yet handed back."""

    def cancel(self) -> None:
        """Drop what is still queued: its results are never handed back."""

    def close(self) -> None:
        """Drop what is still queued and stop the workers, if any (no use afterwards)."""


class InlineTasks:
    """Runs each task in this process as it is put (small journals)."""

    def put(self, tag: Any, task: Callable[..., Any], *args: Any) -> Done:
        return [(tag, task(*args))]

    def put_result(self, tag: Any, result: Any) -> Done:
        return [(tag, result)]

    def finish(self) -> Done:
        return []

    def cancel(self) -> None:
        """Nothing is ever queued."""

    def close(self) -> None:
        """Nothing to stop."""


def _pack(task: Callable[..., Any], args: Sequence[Any]) -> bytes:
    # Without its memo a pickler is several times faster on rows of plain values (no
    # object is shared or refers to itself), and the pool then sends bytes as they are.
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump((task, tuple(args)))
    return buffer.getvalue()


def _run_packed(packed: bytes) -> Any:
    """In a worker (or here once the pool broke): run a task :func:`_pack` packed."""
    task, args = pickle.loads(packed)
    return task(*args)


def _import(modules: Sequence[str]) -> None:
    """Worker start-up: import what the tasks need before the first one arrives."""
    for name in modules:
        importlib.import_module(name)


class PooledTasks:
    """Runs tasks in ``workers`` processes, at most ``IN_FLIGHT_PER_WORKER`` each in flight.

    ``preload`` names modules every worker imports as it starts. A pool whose workers
    died runs the rest of its tasks here rather than give no answer.
    """

    def __init__(self, workers: int, *, preload: Sequence[str] = ()) -> None:
        # spawn, not fork: the caller holds an open database connection, which a
        # forked child must never inherit.
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_import,
            initargs=(tuple(preload),),
        )
        self._limit = workers * IN_FLIGHT_PER_WORKER
        self._pending: deque[tuple[Any, Future[Any] | None, Any]] = deque()
        self._broken = False

    def put(self, tag: Any, task: Callable[..., Any], *args: Any) -> Done:
        packed = _pack(task, args)
        self._pending.append((tag, self._start(packed), packed))
        return self._ready()

    def put_result(self, tag: Any, result: Any) -> Done:
        self._pending.append((tag, None, result))
        return self._ready()

    def _start(self, packed: bytes) -> Future[Any]:
        if not self._broken:
            try:
                return self._pool.submit(_run_packed, packed)
            except BrokenProcessPool:
                self._broken = True
        done: Future[Any] = Future()
        done.set_result(_run_packed(packed))
        return done

    def _ready(self) -> Done:
        done: Done = []
        while self._pending and (
            len(self._pending) > self._limit or _is_done(self._pending[0][1])
        ):
            done.append(self._take())
        return done

    def _take(self) -> tuple[Any, Any]:
        """Wait for the oldest task; its (tag, result)."""
        tag, future, kept = self._pending.popleft()
        if future is None:
            return tag, kept
        try:
            return tag, future.result()
        except BrokenProcessPool:
            # A worker died (killed, or a script without a __main__ guard could not be
            # re-imported): run its task here.
            self._broken = True
            return tag, _run_packed(kept)

    def finish(self) -> Done:
        return [self._take() for _ in range(len(self._pending))]

    def cancel(self) -> None:
        for _tag, future, _kept in self._pending:
            if future is not None:
                future.cancel()
        self._pending.clear()

    def close(self) -> None:
        self.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _is_done(future: Future[Any] | None) -> bool:
    return future is None or future.done()


def tasks_for(
    entries: int,
    *,
    workers: int | None = None,
    threshold: int | None = None,
    preload: Sequence[str] = (),
) -> Tasks:
    """The runner for a journal of about ``entries`` entries.

    In this process below ``threshold`` entries (default ``POOL_THRESHOLD``) or with no
    worker (``workers=0``); else a pool of ``workers`` processes (default: one per CPU
    this process may run on) that import ``preload`` as they start.
    """
    count = _cpus() if workers is None else workers
    if entries < (POOL_THRESHOLD if threshold is None else threshold) or count < 1:
        return InlineTasks()
    return PooledTasks(count, preload=preload)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
