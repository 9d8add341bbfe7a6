"""Browser-facing safety: response headers, CSRF token checks and safe redirect targets."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Leaflet draws its default images from data: URIs; everything else is served by us.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DEFAULT_NEXT = "/incidents"


def tile_origin(tile_url: str) -> str:
    """The scheme://host[:port] of a tile URL template, or "" when none is set or it is odd."""
    parts = urlsplit(tile_url.replace("{s}", "a").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    if "{s}" in tile_url:
        # Subdomain templates ({s}.tile.example) need every subdomain allowed.
        host = parts.netloc.split(".", 1)[1] if "." in parts.netloc else parts.netloc
        return f"{parts.scheme}://*.{host}"
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(tile_url: str = "") -> str:
    """The page CSP: only our own scripts, styles and fonts; images also from the tile server."""
    origin = tile_origin(tile_url)
    return _CSP.format(tiles=f" {origin}" if origin else "")


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTML response.

    All responses get ``nosniff`` and ``same-origin`` referrers; HTML pages also get
    the CSP, ``X-Frame-Options: DENY`` and ``Cache-Control: no-store`` (they show
    data only the logged-in user may see).
    """

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and decorate the response start message."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", self.csp)
                    headers.setdefault("X-Frame-Options", "DENY")
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def tokens_match(given: object, expected: str | None) -> bool:
    """True when ``given`` is a string equal to ``expected``, compared in constant time."""
    if not isinstance(given, str) or not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def safe_next(target: object, default: str = DEFAULT_NEXT) -> str:
    """Return ``target`` if it is a path on this site, else ``default``.

    Refuses absolute and scheme-relative URLs (``//evil``, ``/\\evil``), control
    characters and anything that does not start with a single slash.
    """
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return default
    if target.startswith(("//", "/\\")) or any(ord(c) < 32 or c == "\\" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def served_over_https(request: Request, *, trust_proxy: bool) -> bool:
    """True when the browser reached us over HTTPS: directly, or via a trusted proxy.

    ``X-Forwarded-Proto`` is anyone's to send, so it counts only with ``trust_proxy``.
    """
    if request.url.scheme == "https":
        return True
    if not trust_proxy:
        return False
    forwarded = request.headers.get("x-forwarded-proto", "")
    # A chain of proxies lists one scheme each; the first is what the browser used.
    return forwarded.split(",")[0].strip().lower() == "https"


def client_address(request: Request, *, trust_proxy: bool) -> str | None:
    """The client's address for login limits; behind a trusted proxy, the one it saw.

    Only the last ``X-Forwarded-For`` entry is the trusted proxy's own; earlier
    entries are whatever the client chose to send.
    """
    if trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:100]
    return request.client.host if request.client else None
