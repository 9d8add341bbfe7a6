"""Getting an article's text: from a file, an upload, or a URL over HTTP(S).

Front ends (the CLI, the API and the web upload) call this, then
``tansiq.ingest.reading.read_article``; reading itself does no I/O. A URL given to
the node by a user (API, web) is fetched under ``TANSIQ_ARTICLE_FETCH``
(``addresses.py``); the CLI, run by the node's operator, fetches any address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import httpx

from tansiq.ingest.addresses import ANY, OFF, PUBLIC, PUBLIC_PORTS, PublicOnlyTransport

FETCH_TIMEOUT_S: Final = 20.0  # for the whole download, redirects included
MAX_ARTICLE_BYTES: Final = 5 * 1024 * 1024  # a news page is far smaller; refuse a download
MAX_REDIRECTS: Final = 5
BINARY_SNIFF_BYTES: Final = 8192  # a NUL byte this early means a binary file, as git judges
# What a news page is served as; a PDF, an image or a video is refused before it is read.
TEXT_TYPES: Final = ("text/", "application/xhtml+xml", "application/xml")


class SourceError(ValueError):
    """An article could not be read from where it was said to be (names the source)."""


@dataclass(frozen=True)
class Source:
    """An article's raw text and where it came from (its URL, or "" for a file)."""

    name: str
    text: str
    url: str = ""


def is_url(value: str) -> bool:
    """True for an http:// or https:// address."""
    return value.lower().startswith(("http://", "https://"))


def _too_large(name: str) -> SourceError:
    return SourceError(f"{name}: larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB")


def _decode(raw: bytes, name: str, charset: str | None = None) -> str:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise _too_large(name)
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        # Windows-1256 decodes any byte: without this an image would be read as text.
        raise SourceError(f"{name}: a binary file, not text")
    text: str | None = None
    if charset:
        try:
            text = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None  # a wrong or unknown charset header: guess as for a file
    if text is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Arabic pages saved by older Windows browsers (Windows-1256 decodes any byte).
            text = raw.decode("cp1256")
    # A stray NUL further in carries no text, and PostgreSQL text cannot hold it.
    return text.replace("\x00", "")


def from_bytes(raw: bytes, name: str) -> Source:
    """An uploaded file's text (UTF-8, else Windows-1256); raises SourceError naming it."""
    return Source(name, _decode(raw, name))


def read_file(path: str) -> Source:
    """The text of the file at ``path``; raises SourceError naming it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from None
    return Source(path, _decode(raw, path))


def check_url(url: str, policy: str = ANY) -> None:
    """Refuse an address that ``policy`` does not let the node fetch, before connecting.

    Raises SourceError: not http(s), no host, fetching off, or (``public``) a port
    other than 80 and 443. The addresses a host resolves to are checked on connecting.
    """
    if policy == OFF:
        raise SourceError(f"{url}: this node does not fetch pages (TANSIQ_ARTICLE_FETCH=off)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SourceError(f"{url}: not a valid address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SourceError(f"{url}: only http:// and https:// addresses are fetched")
    if policy == PUBLIC and port is not None and port not in PUBLIC_PORTS:
        raise SourceError(f"{url}: only ports 80 and 443 are fetched (TANSIQ_ARTICLE_FETCH=public)")


def _client(policy: str) -> httpx.Client:
    transport = PublicOnlyTransport() if policy == PUBLIC else None
    return httpx.Client(
        timeout=FETCH_TIMEOUT_S,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": "tansiq-ingest"},
        transport=transport,
        trust_env=policy != PUBLIC,
    )


def _download(client: httpx.Client, url: str) -> tuple[bytes, str | None, str]:
    """(body, charset, final address) of the page; raises SourceError."""
    deadline = time.monotonic() + FETCH_TIMEOUT_S
    with client.stream("GET", url) as response:
        if response.status_code >= 400:
            raise SourceError(f"{url}: HTTP {response.status_code}")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media and not media.startswith(TEXT_TYPES):
            raise SourceError(f"{url}: not a web page or text ({media})")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_ARTICLE_BYTES:
            raise _too_large(url)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_ARTICLE_BYTES:
                raise _too_large(url)
            if time.monotonic() > deadline:
                raise SourceError(f"{url}: took longer than {FETCH_TIMEOUT_S:.0f} s")
            chunks.append(chunk)
        return b"".join(chunks), response.charset_encoding, str(response.url)


def fetch(url: str, client: httpx.Client | None = None, *, policy: str = ANY) -> Source:
    """The page at ``url`` (at most MAX_REDIRECTS redirects, MAX_ARTICLE_BYTES and
    FETCH_TIMEOUT_S), fetched as ``policy`` allows; raises SourceError naming the URL on
    a refused address, a network error, an HTTP error status or a body that is not text."""
    check_url(url, policy)
    owned = client is None
    client = client or _client(policy)
    try:
        raw, charset, final = _download(client, url)
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {exc}") from None
    finally:
        if owned:
            client.close()
    return Source(url, _decode(raw, url, charset), url=final)


def load(value: str) -> Source:
    """A file path or a URL, read; raises SourceError naming it."""
    return fetch(value) if is_url(value) else read_file(value)
