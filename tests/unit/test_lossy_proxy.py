"""The lossy proxy adds latency, caps bandwidth, drops, cuts and goes down as told.

Its upstreams are a threaded echo server and a threaded ``http.server``; the wall-clock
tests are marked ``timing`` so no other xdist worker loads the cores meanwhile.
"""

from __future__ import annotations

import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tansiq.testing.lossy_proxy import LinkSettingError, LossyLink, LossyProxy, ProxyStats

HOST = "127.0.0.1"
SRC = Path(__file__).parents[2] / "src"


def _body(size: int) -> bytes:
    return (bytes(range(256)) * (size // 256 + 1))[:size]


class _Quiet:
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A reset from the proxy is what these tests are about: no traceback on stderr."""


class _EchoServer(_Quiet, socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


class _HttpServer(_Quiet, ThreadingHTTPServer):
    pass


class _Bytes(BaseHTTPRequestHandler):
    """``GET /bytes/N`` answers N known bytes with a Content-Length, on a kept-alive link."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = _body(int(self.path.rsplit("/", 1)[1]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


def _serve(server: socketserver.TCPServer) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def echo_port() -> Iterator[int]:
    yield from _serve(_EchoServer((HOST, 0), _Echo))


@pytest.fixture
def http_port() -> Iterator[int]:
    yield from _serve(_HttpServer((HOST, 0), _Bytes))


def _exchange(port: int, payload: bytes) -> tuple[bytes, bool]:
    """Send ``payload``, half-close, read to the end: (what came back, whether it was reset)."""
    received = bytearray()
    try:
        # Inside the try: under load the proxy's RST can beat connect() back to the caller.
        with socket.create_connection((HOST, port), timeout=5) as sock:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            while chunk := sock.recv(65536):
                received += chunk
    except OSError as exc:
        if isinstance(exc, TimeoutError | ConnectionRefusedError):
            raise
        return bytes(received), True  # ECONNRESET, EPIPE, ENOTCONN: the proxy reset it
    return bytes(received), False


def _get(size: int) -> bytes:
    return f"GET /bytes/{size} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()


def _split(response: bytes) -> tuple[bytes, bytes]:
    end = response.index(b"\r\n\r\n") + 4
    return response[:end], response[end:]


def test_a_clean_link_forwards_every_byte_and_counts_them(echo_port: int) -> None:
    payload = _body(100_000)
    with LossyProxy(HOST, 0, HOST, echo_port) as proxy:
        assert proxy.port != 0 and proxy.url == f"http://{HOST}:{proxy.port}"
        assert _exchange(proxy.port, payload) == (payload, False)
        assert _exchange(proxy.port, b"again") == (b"again", False)
        assert proxy.stats == ProxyStats(
            connections=2, bytes_up=100_005, bytes_down=100_005, drops=0, cuts=0
        )


def test_httpx_over_a_lossless_link_gets_every_body_on_one_connection(http_port: int) -> None:
    sizes = [0, 1, 1000, 70_000, 300_000]
    with LossyProxy(HOST, 0, HOST, http_port, LossyLink(latency_ms=5)) as proxy:
        with httpx.Client(base_url=proxy.url, timeout=5) as client:
            for size in sizes:
                response = client.get(f"/bytes/{size}")
                assert response.status_code == 200 and response.content == _body(size)
        stats = proxy.stats
    assert stats.connections == 1 and stats.drops == stats.cuts == 0
    assert sum(sizes) < stats.bytes_down < sum(sizes) + 200 * len(sizes)


@pytest.mark.timing
def test_latency_is_added_each_way_and_can_be_changed_at_run_time(echo_port: int) -> None:
    def round_trip(sock: socket.socket) -> float:
        started = time.monotonic()
        sock.sendall(b"ping")
        assert sock.recv(16) == b"ping"
        return time.monotonic() - started

    with LossyProxy(HOST, 0, HOST, echo_port, LossyLink(latency_ms=150)) as proxy:
        with socket.create_connection((HOST, proxy.port), timeout=5) as sock:
            slow = [round_trip(sock) for _ in range(2)]
            proxy.set_link(LossyLink())
            fast = round_trip(sock)
    assert all(0.3 <= rtt < 0.45 for rtt in slow), slow
    assert fast < 0.1, fast


@pytest.mark.timing
def test_bandwidth_is_capped_in_each_direction(echo_port: int, http_port: int) -> None:
    link = LossyLink(bandwidth_bps=256_000)
    with LossyProxy(HOST, 0, HOST, http_port, link) as proxy, httpx.Client(timeout=5) as client:
        started = time.monotonic()
        response = client.get(f"{proxy.url}/bytes/32768")
        download = time.monotonic() - started
    assert response.content == _body(32768)
    # 32 KiB and a head of ~100 bytes at 256 kbit/s: 1.03 s.
    assert 1.0 <= download < 1.4, download
    # Up and down are paced apart: 16 KiB echoed takes one 0.51 s crossing, not two.
    with LossyProxy(HOST, 0, HOST, echo_port, LossyLink(bandwidth_bps=256_000)) as proxy:
        started = time.monotonic()
        assert _exchange(proxy.port, _body(16384)) == (_body(16384), False)
        echo = time.monotonic() - started
    assert 0.5 <= echo < 0.8, echo


def test_drops_reset_every_connection_at_one_and_none_at_zero(echo_port: int) -> None:
    payload = _body(1000)
    with LossyProxy(HOST, 0, HOST, echo_port, LossyLink(drop_probability=1.0, seed=3)) as proxy:
        for _ in range(10):
            received, reset = _exchange(proxy.port, payload)
            assert reset and len(received) < len(payload) and payload.startswith(received)
        with pytest.raises(httpx.TransportError):
            httpx.get(proxy.url, timeout=5)
        assert proxy.stats.drops == proxy.stats.connections == 11
        proxy.link = LossyLink(drop_probability=0.0, seed=3)
        for _ in range(10):
            assert _exchange(proxy.port, payload) == (payload, False)
        assert proxy.stats.drops == 11 and proxy.stats.connections == 21


def test_a_cut_response_is_a_strict_prefix_cut_inside_its_body(http_port: int) -> None:
    with LossyProxy(HOST, 0, HOST, http_port, LossyLink(cut_probability=1.0, seed=5)) as proxy:
        for _ in range(10):
            received, reset = _exchange(proxy.port, _get(5000))
            head, body = _split(received)
            assert not reset and b"Content-Length: 5000" in head
            assert len(body) < 5000 and _body(5000).startswith(body)
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{proxy.url}/bytes/5000", timeout=5)
        assert proxy.stats.cuts == proxy.stats.connections == 11
        proxy.link = LossyLink(cut_probability=0.0)
        for _ in range(10):
            assert _split(_exchange(proxy.port, _get(5000))[0])[1] == _body(5000)
        assert proxy.stats.cuts == 11 and proxy.stats.drops == 0


def test_a_new_link_cuts_the_next_response_of_a_kept_alive_connection(http_port: int) -> None:
    with LossyProxy(HOST, 0, HOST, http_port) as proxy:
        with httpx.Client(base_url=proxy.url, timeout=5) as client:
            assert client.get("/bytes/2000").content == _body(2000)
            proxy.link = LossyLink(cut_probability=1.0)
            with pytest.raises(httpx.RemoteProtocolError):
                client.get("/bytes/2000")
        assert proxy.stats.connections == 1 and proxy.stats.cuts == 1


def test_the_same_seed_cuts_the_same_responses_at_the_same_bytes(http_port: int) -> None:
    def lengths(seed: int) -> list[int]:
        link = LossyLink(cut_probability=0.5, seed=seed)
        with LossyProxy(HOST, 0, HOST, http_port, link) as proxy:
            return [len(_split(_exchange(proxy.port, _get(3000))[0])[1]) for _ in range(12)]

    first = lengths(11)
    assert lengths(11) == first
    assert 3000 in first and any(n < 3000 for n in first)
    assert lengths(12) != first


def test_an_outage_refuses_and_resets_connections_until_the_link_is_up(echo_port: int) -> None:
    with LossyProxy(HOST, 0, HOST, echo_port) as proxy:
        port = proxy.port
        with socket.create_connection((HOST, port), timeout=5) as sock:
            sock.sendall(b"before")
            assert sock.recv(16) == b"before"
            proxy.down()
            assert not proxy.is_up
            try:
                assert sock.recv(16) == b""
            except ConnectionResetError:
                pass
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((HOST, port), timeout=5)
        with pytest.raises(httpx.ConnectError):
            httpx.get(proxy.url, timeout=5)
        proxy.up()
        assert proxy.is_up and proxy.port == port
        assert _exchange(port, b"after") == (b"after", False)
        assert proxy.stats.connections == 2 and proxy.stats.drops == 0


def test_an_upstream_that_refuses_resets_the_client() -> None:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        closed_port = probe.getsockname()[1]
    with LossyProxy(HOST, 0, HOST, closed_port) as proxy:
        assert _exchange(proxy.port, b"hello") == (b"", True)
        assert proxy.stats.upstream_errors == 1 and proxy.stats.bytes_up == 0


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"latency_ms": -1}, "latency_ms"),
        ({"bandwidth_bps": -8}, "bandwidth_bps"),
        ({"drop_probability": 1.5}, "drop_probability"),
        ({"cut_probability": -0.1}, "cut_probability"),
    ],
)
def test_a_setting_out_of_range_is_refused_naming_it(settings: dict[str, Any], field: str) -> None:
    with pytest.raises(LinkSettingError, match=f"^{field}: ") as refused:
        LossyLink(**settings)
    assert refused.value.field == field


def _cli(*args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tansiq.testing.lossy_proxy", *args],
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_command_line_proxies_and_takes_down_up_and_quit(echo_port: int) -> None:
    upstream = f"{HOST}:{echo_port}"
    process = _cli("--listen", f"{HOST}:0", "--upstream", upstream, "--seed", "1", stdin=-1)
    assert process.stdin is not None and process.stdout is not None
    try:
        banner = process.stdout.readline()
        port = int(banner.split()[0].rsplit(":", 1)[1])
        assert f"-> {upstream}" in banner
        assert process.stdout.readline().startswith("type down, up, stats or quit")
        assert _exchange(port, b"hello") == (b"hello", False)
        process.stdin.write("down\n")
        process.stdin.flush()
        assert process.stdout.readline().startswith("down ProxyStats(connections=1,")
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((HOST, port), timeout=5)
        process.stdin.write("up\nquit\n")
        process.stdin.flush()
        assert process.stdout.readline().startswith("up ")
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.communicate()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--drop", "1.5"], "argument --drop: drop_probability: must be between 0 and 1"),
        (["--latency-ms", "-5"], "argument --latency-ms: latency_ms:"),
        (["--listen", "nowhere"], "argument --listen: expected HOST:PORT, got 'nowhere'"),
        (["--bandwidth-bps", "fast"], "argument --bandwidth-bps: invalid int value"),
    ],
)
def test_the_command_line_refuses_a_bad_option_in_one_line(args: list[str], named: str) -> None:
    defaults = {"--listen": f"{HOST}:0", "--upstream": f"{HOST}:9"}
    defaults.update(dict(zip(args[::2], args[1::2], strict=True)))
    process = _cli(*[part for pair in defaults.items() for part in pair])
    out, err = process.communicate(timeout=10)
    assert process.returncode == 2 and out == ""
    assert err.count("\n") == 1 and named in err, err
