"""A local HTTP server of news pages, for the tests that make the node fetch an article.

Started per test on 127.0.0.1 (an ephemeral port), so no test reaches the network;
it records every path it was asked for, so a test can tell nothing was fetched.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ARTICLES = Path(__file__).parent / "data" / "articles"
KHANAQIN = ARTICLES / "en01_khanaqin_attack.html"
SIDAKAN = ARTICLES / "en02_sidakan_drone.txt"


@dataclass
class PageServer:
    """The server's address and the paths it was asked for, in order."""

    url: str
    requested: list[str] = field(default_factory=list)


def _handler(server: PageServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's name is http.server's
            server.requested.append(self.path)
            status, media, body, extra = 200, "text/html; charset=utf-8", b"", {}
            if self.path == "/khanaqin":
                body = KHANAQIN.read_bytes()
            elif self.path == "/sidakan":
                media, body = "text/plain; charset=utf-8", SIDAKAN.read_bytes()
            elif self.path == "/moved":
                status, extra = 302, {"Location": "/khanaqin"}
            elif self.path.startswith("/to?"):
                status, extra = 302, {"Location": self.path.removeprefix("/to?")}
            elif self.path == "/report.pdf":
                media, body = "application/pdf", b"%PDF-1.4 not a page"
            elif self.path in ("/huge", "/unsized"):
                body = b"<html><body><p>" + b"news " * 300_000 + b"</p></body></html>"
            elif self.path == "/arabic":
                media, body = "text/plain", "قتل جنديان في كركوك".encode("cp1256")
            else:
                status, body = 404, b"not here"
            self.send_response(status)
            self.send_header("Content-Type", media)
            for name, value in extra.items():
                self.send_header(name, value)
            if self.path != "/unsized":  # else the body ends when the connection closes
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the node stopped reading (a page over its size limit): as it should

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Pages


@contextmanager
def serving_pages() -> Iterator[PageServer]:
    """Serve the test pages on 127.0.0.1 while the block runs."""
    server = PageServer("")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll interval: shutting the server down waits for one.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
