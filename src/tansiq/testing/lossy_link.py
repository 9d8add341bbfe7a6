"""One poor link: its settings (`LossyLink`) and how one connection is carried over it.

`lossy_proxy.LossyProxy` accepts the connections and owns what they share: the link in
force, its random source, the bandwidth of each direction and the counters.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, Protocol

_CHUNK = 65536
_HEAD_LIMIT = 65536  # an HTTP head longer than this is cut like any other bytes
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_Mark = Literal["eof", "cut", "reset"]
_Queue = asyncio.Queue[tuple[float, bytes | _Mark]]


class LinkSettingError(ValueError):
    """A `LossyLink` setting out of range; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class LossyLink:
    """How poor the link is. Raises `LinkSettingError` for a setting out of range.

    ``latency_ms`` is added to every chunk in each direction (a round trip gains twice
    it); ``bandwidth_bps`` caps each direction, shared by all connections (0: no cap);
    ``drop_probability`` is per connection: it is reset (RST) at a random point of its
    first request or response; ``cut_probability`` is per response: the client gets a
    strict prefix of it, then a clean close (an HTTP response with a Content-Length is
    cut inside its body). ``seed`` seeds the proxy's random choices (None: unseeded).
    """

    latency_ms: float = 0.0
    bandwidth_bps: int = 0
    drop_probability: float = 0.0
    cut_probability: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.latency_ms <= 600_000:
            raise LinkSettingError("latency_ms", "must be between 0 and 600000")
        if self.bandwidth_bps < 0:
            raise LinkSettingError("bandwidth_bps", "must be 0 (no cap) or more")
        for name in ("drop_probability", "cut_probability"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise LinkSettingError(name, "must be between 0 and 1")


class Pacer:
    """Serialises one direction's bytes at the link's bandwidth."""

    def __init__(self) -> None:
        self._free_at = 0.0

    def reserve(self, size: int, bps: int) -> float:
        """Book ``size`` bytes on the link; answer the monotonic time their last bit is sent."""
        now = time.monotonic()
        if bps == 0:
            self._free_at = now
            return now
        self._free_at = max(now, self._free_at) + size * 8 / bps
        return self._free_at


class LinkOwner(Protocol):
    """What a connection reads from the proxy that carries it."""

    pacers: tuple[Pacer, Pacer]  # client -> upstream, upstream -> client

    @property
    def link(self) -> LossyLink: ...

    @property
    def rng(self) -> random.Random: ...

    def _count(self, name: str, amount: int = 1) -> None: ...


def abort_with_rst(writer: asyncio.StreamWriter) -> None:
    """Close with an RST, not a FIN: the peer sees "connection reset", as on a dropped link."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _cut_point(data: bytes, rng: random.Random) -> int:
    """How many bytes of a response starting with ``data`` to forward: always fewer than all.

    An HTTP response with a whole head and a Content-Length is cut inside its body;
    any other inside the bytes seen so far.
    """
    end = data.find(b"\r\n\r\n", 0, _HEAD_LIMIT)
    if data.startswith(b"HTTP/") and end >= 0:
        head = end + 4
        length = _CONTENT_LENGTH.search(data, 0, head)
        total = head + int(length.group(1)) if length else len(data)
        if total > head:
            return rng.randint(head, total - 1)
    return rng.randint(0, len(data) - 1)


class Connection:
    """One client connection and its upstream: two directions, each a pump and a delivery."""

    def __init__(
        self,
        proxy: LinkOwner,
        client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        drop: Literal["request", "response"] | None,
    ) -> None:
        self._proxy = proxy
        (self._client_r, self._client_w), (self._up_r, self._up_w) = client, upstream
        self._drop = drop
        self._awaiting_response = True  # the next upstream bytes start a response
        self._tasks: list[asyncio.Task[None]] = []
        self._closed = False

    async def run(self) -> None:
        up: _Queue = asyncio.Queue()
        down: _Queue = asyncio.Queue()
        work = [
            partial(self._pump_requests, up),
            partial(self._deliver, up, self._up_w, "bytes_up"),
            partial(self._pump_responses, down),
            partial(self._deliver, down, self._client_w, "bytes_down"),
        ]
        self._tasks = [asyncio.create_task(self._guarded(step)) for step in work]
        try:
            await asyncio.wait(self._tasks)
        finally:
            self.close(reset=False)
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def close(self, *, reset: bool) -> None:
        """Close both sides (with an RST if ``reset``) and stop this connection's tasks."""
        if self._closed:
            return
        self._closed = True
        for writer in (self._client_w, self._up_w):
            if reset:
                abort_with_rst(writer)
            else:
                writer.close()
        for task in self._tasks:
            if task is not asyncio.current_task():
                task.cancel()

    async def _guarded(self, step: Callable[[], Awaitable[None]]) -> None:
        # Given a function, not a coroutine: a task cancelled before it starts leaves none
        # behind un-awaited.
        try:
            await step()
        except OSError:  # one side went away hard: pass it on as hard to the other
            self.close(reset=True)

    async def _forward(self, queue: _Queue, data: bytes, pacer: Pacer) -> None:
        # Slices of ~20 ms of link time, so a big read trickles out as it would on the wire.
        link = self._proxy.link
        step = max(256, link.bandwidth_bps // 400) if link.bandwidth_bps else _CHUNK
        for start in range(0, len(data), step):
            piece = data[start : start + step]
            sent = pacer.reserve(len(piece), link.bandwidth_bps)
            if (wait := sent - time.monotonic()) > 0:
                await asyncio.sleep(wait)  # the link is busy: hold the reader back
            queue.put_nowait((sent + link.latency_ms / 1000, piece))

    def _enqueue(self, queue: _Queue, mark: _Mark) -> None:
        queue.put_nowait((time.monotonic() + self._proxy.link.latency_ms / 1000, mark))

    async def _pump_requests(self, queue: _Queue) -> None:
        while data := await self._client_r.read(_CHUNK):
            self._awaiting_response = True
            if self._drop == "request":
                keep = self._proxy.rng.randint(0, len(data) - 1)
                await self._forward(queue, data[:keep], self._proxy.pacers[0])
                self._enqueue(queue, "reset")
                return
            await self._forward(queue, data, self._proxy.pacers[0])
        self._enqueue(queue, "eof")

    async def _pump_responses(self, queue: _Queue) -> None:
        mark: _Mark | None = None
        remaining = 0
        while data := await self._up_r.read(_CHUNK):
            if self._awaiting_response:
                self._awaiting_response = False
                mark = self._decide_response()
                if mark is not None:
                    data = await self._whole_head(data)
                    remaining = _cut_point(data, self._proxy.rng)
            if mark is not None and len(data) >= remaining:
                await self._forward(queue, data[:remaining], self._proxy.pacers[1])
                self._enqueue(queue, mark)
                return
            await self._forward(queue, data, self._proxy.pacers[1])
            remaining -= len(data)
        self._enqueue(queue, "eof")

    def _decide_response(self) -> _Mark | None:
        cut = self._proxy.rng.random() < self._proxy.link.cut_probability  # drawn every time
        if self._drop == "response":
            self._drop = None
            return "reset"
        return "cut" if cut else None

    async def _whole_head(self, data: bytes) -> bytes:
        while data.startswith(b"HTTP/") and b"\r\n\r\n" not in data and len(data) < _HEAD_LIMIT:
            if not (more := await self._up_r.read(_CHUNK)):
                break
            data += more
        return data

    async def _deliver(self, queue: _Queue, writer: asyncio.StreamWriter, counter: str) -> None:
        while True:
            due, item = await queue.get()
            if (wait := due - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            if isinstance(item, bytes):
                self._proxy._count(counter, len(item))  # before the peer can see the bytes
                writer.write(item)
                await writer.drain()
            elif item == "eof":
                if writer.can_write_eof():
                    writer.write_eof()
                return
            else:
                self._proxy._count("cuts" if item == "cut" else "drops")
                self.close(reset=item == "reset")
                return
