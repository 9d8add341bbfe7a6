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
import random
import sys
import threading
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Literal, NoReturn

from tansiq.testing.lossy_link import (
    Connection,
    LinkSettingError,
    LossyLink,
    Pacer,
    abort_with_rst,
)

__all__ = ["LinkSettingError", "LossyLink", "LossyProxy", "ProxyStats", "main"]


@dataclass(frozen=True)
class ProxyStats:
    """What the proxy has done since it started; bytes are counted as they are forwarded."""

    connections: int = 0  # accepted from clients
    bytes_up: int = 0  # client -> upstream
    bytes_down: int = 0  # upstream -> client
    drops: int = 0  # connections reset by drop_probability (an outage's are not counted)
    cuts: int = 0  # responses cut by cut_probability
    upstream_errors: int = 0  # connections reset because the upstream refused them


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
        self.pacers = (Pacer(), Pacer())  # client -> upstream, upstream -> client
        self._stats = ProxyStats()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._open: set[Connection] = set()
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
        connection: Connection | None = None
        try:
            try:
                upstream = await asyncio.open_connection(*self._upstream)
            except OSError:
                self._count("upstream_errors")
                abort_with_rst(writer)
                return
            connection = Connection(self, (reader, writer), upstream, drop)
            self._open.add(connection)
            if self._server is None:  # the link went down while the upstream answered
                connection.close(reset=True)
            else:
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
