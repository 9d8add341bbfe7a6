"""A TCP proxy that makes a link poor on purpose: latency, a bandwidth cap, drops, cuts, outages.

The federation tests sync two nodes through it, since the machines they run on have no
``tc netem``. Pure asyncio on a background thread, so a sync test writes
``with LossyProxy("127.0.0.1", 0, host, port, LossyLink(latency_ms=200)) as proxy:`` and
points its client at ``proxy.port``. docs/lossy-proxy.md describes it and its command line.

Every random choice comes from one ``random.Random(link.seed)``, drawn in the order
connections open and responses start: connections made one after another see the same
drops and cuts on every run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from functools import partial
from types import TracebackType
from typing import Any, Literal, NoReturn

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


@dataclass(frozen=True)
class ProxyStats:
    """What the proxy has done since it started; bytes are counted as they are forwarded."""

    connections: int = 0  # accepted from clients
    bytes_up: int = 0  # client -> upstream
    bytes_down: int = 0  # upstream -> client
    drops: int = 0  # connections reset by drop_probability (an outage's are not counted)
    cuts: int = 0  # responses cut by cut_probability
    upstream_errors: int = 0  # connections reset because the upstream refused them


class _Pacer:
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


def _reset(writer: asyncio.StreamWriter) -> None:
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


class _Connection:
    """One client connection and its upstream: two directions, each a pump and a delivery."""

    def __init__(
        self,
        proxy: LossyProxy,
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
                _reset(writer)
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

    async def _forward(self, queue: _Queue, data: bytes, pacer: _Pacer) -> None:
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


class LossyProxy:
    """A TCP proxy from ``listen_host:listen_port`` (0: any free port) to the upstream.

    `start` / `stop` (or ``with``) run it on a background thread; `link` may be set at
    any time (latency, bandwidth and cuts apply to open connections at once, drops to
    connections opened after; a new link reseeds the random choices); `down` refuses
    and resets every connection until `up`. Raises OSError when it cannot listen.
    """

    def __init__(
        self,
        listen_host: str,
        listen_port: int,
        upstream_host: str,
        upstream_port: int,
        link: LossyLink | None = None,
    ) -> None:
        self.host = listen_host
        self._port = listen_port
        self._upstream = (upstream_host, upstream_port)
        self._state: tuple[LossyLink, random.Random]
        self.link = link or LossyLink()
        self.pacers = (_Pacer(), _Pacer())  # client -> upstream, upstream -> client
        self._stats = ProxyStats()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._open: set[_Connection] = set()
        self._handlers: set[asyncio.Task[Any]] = set()

    @property
    def link(self) -> LossyLink:
        return self._state[0]

    @link.setter
    def link(self, link: LossyLink) -> None:
        # One assignment, so the loop thread never sees a link with another's random source.
        self._state = (link, random.Random(link.seed))

    def set_link(self, link: LossyLink) -> None:
        """Change the link's settings at run time (the same as assigning `link`)."""
        self.link = link

    @property
    def rng(self) -> random.Random:
        return self._state[1]

    @property
    def port(self) -> int:
        """The port listened on: the one picked once started, if 0 was asked for."""
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._port}"

    @property
    def stats(self) -> ProxyStats:
        return self._stats

    @property
    def is_up(self) -> bool:
        return self._server is not None

    def _count(self, name: str, amount: int = 1) -> None:
        # A new frozen snapshot each time, so a reader on another thread sees a whole one.
        self._stats = replace(self._stats, **{name: getattr(self._stats, name) + amount})

    def start(self) -> LossyProxy:
        """Listen and forward on a background thread. Raises OSError if it cannot listen."""
        if self._loop is not None:
            raise RuntimeError("the proxy is already running")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="lossy-proxy")
        self._thread.daemon = True
        self._thread.start()
        try:
            self.up()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every connection and the listener, and end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            self._call(self._shutdown())
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            self._loop = self._thread = None

    def down(self) -> None:
        """An outage: stop listening (connections are refused) and reset the open ones."""
        self._call(self._go_down())

    def up(self) -> None:
        """End an outage: listen again, on the same port. Raises OSError if it cannot."""
        self._call(self._go_up())

    def __enter__(self) -> LossyProxy:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _call(self, step: Coroutine[Any, Any, None]) -> None:
        if self._loop is None:
            step.close()
            raise RuntimeError("the proxy is not running: call start() first")
        asyncio.run_coroutine_threadsafe(step, self._loop).result(timeout=30)

    async def _go_up(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, self.host, self._port)
            self._port = self._server.sockets[0].getsockname()[1]

    async def _go_down(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            for connection in list(self._open):
                connection.close(reset=True)
            await server.wait_closed()

    async def _shutdown(self) -> None:
        await self._go_down()
        # Not cancelled: asyncio 3.11 logs an error for a cancelled start_server callback.
        # Their connections are closed, so they end; only an upstream still connecting
        # can keep one, for as long as its connect takes.
        if self._handlers:
            await asyncio.wait(self._handlers)
        await asyncio.sleep(0)  # let the closed transports call connection_lost

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None  # a start_server callback always runs in a task
        self._handlers.add(task)
        self._count("connections")
        drop: Literal["request", "response"] | None = None
        if self.rng.random() < self.link.drop_probability:
            drop = "request" if self.rng.random() < 0.5 else "response"
        connection: _Connection | None = None
        try:
            try:
                upstream = await asyncio.open_connection(*self._upstream)
            except OSError:
                self._count("upstream_errors")
                _reset(writer)
                return
            connection = _Connection(self, (reader, writer), upstream, drop)
            self._open.add(connection)
            if self._server is None:  # the link went down while the upstream answered
                connection.close(reset=True)
            await connection.run()
        finally:
            if connection is not None:
                self._open.discard(connection)
            self._handlers.discard(task)


_OPTIONS = {"latency_ms": "--latency-ms", "bandwidth_bps": "--bandwidth-bps"}
_OPTIONS |= {"drop_probability": "--drop", "cut_probability": "--cut"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")  # one line, no usage block


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host, int(port)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a proxy until ``quit`` or Ctrl-C; ``down``, ``up`` and ``stats`` on stdin."""
    parser = _Parser(prog="lossy_proxy", description="A TCP proxy over a poor link.")
    parser.add_argument("--listen", type=_address, required=True, metavar="HOST:PORT")
    parser.add_argument("--upstream", type=_address, required=True, metavar="HOST:PORT")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="one way, per chunk")
    parser.add_argument("--bandwidth-bps", type=int, default=0, help="bit/s each way; 0: none")
    parser.add_argument("--drop", type=float, default=0.0, help="probability per connection")
    parser.add_argument("--cut", type=float, default=0.0, help="probability per response")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        link = LossyLink(
            latency_ms=args.latency_ms,
            bandwidth_bps=args.bandwidth_bps,
            drop_probability=args.drop,
            cut_probability=args.cut,
            seed=args.seed,
        )
    except LinkSettingError as exc:
        parser.error(f"argument {_OPTIONS[exc.field]}: {exc}")
    (listen_host, listen_port), (upstream_host, upstream_port) = args.listen, args.upstream
    proxy = LossyProxy(listen_host, listen_port, upstream_host, upstream_port, link)
    try:
        proxy.start()
    except OSError as exc:
        print(
            f"lossy_proxy: error: cannot listen on {proxy.host}:{proxy.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    try:
        print(f"{proxy.host}:{proxy.port} -> {upstream_host}:{upstream_port} {link}")
        print("type down, up, stats or quit", flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "quit":
                break
            if command in ("down", "up"):
                getattr(proxy, command)()
            print("up" if proxy.is_up else "down", proxy.stats, flush=True)
        else:
            threading.Event().wait()  # stdin closed (run in the background): until Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        proxy.stop()
    print(proxy.stats, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
