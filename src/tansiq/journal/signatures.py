"""Checking the journal's Ed25519 signatures, in this process or in worker processes.

The walk (``journal/verify.py``) hands each entry's signature to a checker as
(seq, label, public key, digest, signature) and asks at the end for the earliest
entry whose signature fails. Which key must have signed an entry is the walk's
business; a checker only checks. Checking is about half of ``tansiq verify``'s
time, so a large journal checks in worker processes, in chunks, while the walk
goes on hashing; a small one stays in this process (starting workers would cost
more than it saves). Pure: nothing here touches the database.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

# Journals with at least this many entries check their signatures in worker processes.
POOL_THRESHOLD = 50_000
# Entries per chunk sent to a worker: large enough that the transfer is cheap per
# entry, small enough that the workers start early and a chunk's labels stay few.
CHUNK = 10_000
# Chunks in flight per worker before the walk waits: bounds the memory they hold.
IN_FLIGHT_PER_WORKER = 3


class SignatureChecker(Protocol):
    """Checks Ed25519 signatures of journal entries and names the earliest bad one."""

    def add(self, seq: int, label: str, public_key: bytes, digest: bytes, signature: bytes) -> None:
        """Queue (or check) one entry: ``signature`` over ``digest`` under ``public_key``."""

    @property
    def failed(self) -> bool:
        """True once some queued entry is known to be badly signed (the walk may stop)."""

    def first_bad(self) -> tuple[int, str] | None:
        """Wait for every queued entry; the (seq, label) of the lowest badly signed one."""

    def close(self) -> None:
        """Stop the workers, if any (the checker cannot be used afterwards)."""


class _Keys(dict[bytes, VerifyKey]):
    """VerifyKey objects by their 32 raw bytes, made once each."""

    def __missing__(self, public_key: bytes) -> VerifyKey:
        key = self[public_key] = VerifyKey(public_key)
        return key


def _verifies(key: VerifyKey, digest: bytes, signature: bytes) -> bool:
    try:
        key.verify(digest, signature)
    except BadSignatureError:
        return False
    return True


class InlineChecker:
    """Checks each signature as it is added, in this process (small journals)."""

    def __init__(self) -> None:
        self._keys = _Keys()
        self._bad: tuple[int, str] | None = None

    def add(self, seq: int, label: str, public_key: bytes, digest: bytes, signature: bytes) -> None:
        if self._bad is None and not _verifies(self._keys[public_key], digest, signature):
            self._bad = (seq, label)

    @property
    def failed(self) -> bool:
        return self._bad is not None

    def first_bad(self) -> tuple[int, str] | None:
        return self._bad

    def close(self) -> None:
        """Nothing to stop."""


def _first_bad_index(
    public_keys: list[bytes], digests: list[bytes], signatures: list[bytes]
) -> int | None:
    """In a worker: the index of the first entry of a chunk whose signature fails."""
    keys = _Keys()
    for index, (public_key, digest, signature) in enumerate(
        zip(public_keys, digests, signatures, strict=True)
    ):
        if not _verifies(keys[public_key], digest, signature):
            return index
    return None


class _Chunk:
    """Entries gathered for one worker task; their seqs and labels stay in this process."""

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.labels: list[str] = []
        self.public_keys: list[bytes] = []
        self.digests: list[bytes] = []
        self.signatures: list[bytes] = []


class PooledChecker:
    """Checks signatures in ``workers`` processes, ``chunk`` entries a task, in order.

    The first bad entry of each chunk comes back by index; :meth:`first_bad` names
    the lowest over every chunk, so the answer is the same as checking one by one.
    """

    def __init__(self, workers: int, *, chunk: int | None = None) -> None:
        # spawn, not fork: the caller holds an open database connection, which a
        # forked child must never inherit.
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
        self._size = CHUNK if chunk is None else chunk
        self._limit = workers * IN_FLIGHT_PER_WORKER
        self._pending: deque[tuple[Future[int | None], _Chunk]] = deque()
        self._chunk = _Chunk()
        self._bad: tuple[int, str] | None = None
        self._broken = False

    def add(self, seq: int, label: str, public_key: bytes, digest: bytes, signature: bytes) -> None:
        chunk = self._chunk
        chunk.seqs.append(seq)
        chunk.labels.append(label)
        chunk.public_keys.append(public_key)
        chunk.digests.append(digest)
        chunk.signatures.append(signature)
        if len(chunk.seqs) >= self._size:
            self._submit()

    def _submit(self) -> None:
        chunk, self._chunk = self._chunk, _Chunk()
        if not chunk.seqs:
            return
        self._pending.append((self._start(chunk), chunk))
        while self._pending and (len(self._pending) > self._limit or self._pending[0][0].done()):
            self._collect()

    def _start(self, chunk: _Chunk) -> Future[int | None]:
        """Send ``chunk`` to a worker, or check it here once the pool is broken."""
        if not self._broken:
            try:
                return self._pool.submit(
                    _first_bad_index, chunk.public_keys, chunk.digests, chunk.signatures
                )
            except BrokenProcessPool:
                self._broken = True
        done: Future[int | None] = Future()
        done.set_result(_first_bad_index(chunk.public_keys, chunk.digests, chunk.signatures))
        return done

    def _collect(self) -> None:
        """Wait for the oldest chunk; note its first bad entry if it is the lowest yet."""
        future, chunk = self._pending.popleft()
        try:
            index = future.result()
        except BrokenProcessPool:
            # A worker died (killed, or a script without a __main__ guard could not be
            # re-imported): check its chunk here rather than give no answer.
            self._broken = True
            index = _first_bad_index(chunk.public_keys, chunk.digests, chunk.signatures)
        if index is not None and (self._bad is None or chunk.seqs[index] < self._bad[0]):
            self._bad = (chunk.seqs[index], chunk.labels[index])

    @property
    def failed(self) -> bool:
        return self._bad is not None

    def first_bad(self) -> tuple[int, str] | None:
        self._submit()
        while self._pending:
            self._collect()
        return self._bad

    def close(self) -> None:
        for future, _chunk in self._pending:
            future.cancel()
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)


def checker_for(
    entries: int, *, workers: int | None = None, threshold: int | None = None
) -> SignatureChecker:
    """The checker for a journal of about ``entries`` entries.

    In this process below ``threshold`` entries (default ``POOL_THRESHOLD``) or with
    no worker (``workers=0``); else a pool of ``workers`` processes (default: one per CPU).
    """
    count = (os.cpu_count() or 1) if workers is None else workers
    if entries < (POOL_THRESHOLD if threshold is None else threshold) or count < 1:
        return InlineChecker()
    return PooledChecker(count)
