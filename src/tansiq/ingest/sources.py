"""Getting an article's text: from a file, or from a URL over HTTP(S).

Front ends (the CLI, later the API and the web upload) call this, then
``tansiq.ingest.reading.read_article``; reading itself does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx

FETCH_TIMEOUT_S: Final = 20.0
MAX_ARTICLE_BYTES: Final = 5 * 1024 * 1024  # a news page is far smaller; refuse a download


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


def _decode(raw: bytes, name: str) -> str:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise SourceError(f"{name}: larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1256")  # Arabic pages saved by older Windows browsers
        except UnicodeDecodeError:
            raise SourceError(f"{name}: not UTF-8 or Windows-1256 text") from None


def read_file(path: str) -> Source:
    """The text of the file at ``path``; raises SourceError naming it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from None
    return Source(path, _decode(raw, path))


def fetch(url: str, client: httpx.Client | None = None) -> Source:
    """The page at ``url`` (redirects followed); raises SourceError on a network error,
    an HTTP error status or a body that is not text."""
    owned = client is None
    client = client or httpx.Client(timeout=FETCH_TIMEOUT_S, follow_redirects=True,
                                    headers={"User-Agent": "tansiq-ingest"})
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {exc}") from None
    finally:
        if owned:
            client.close()
    if response.status_code >= 400:
        raise SourceError(f"{url}: HTTP {response.status_code}")
    if response.encoding is None or response.charset_encoding is None:
        return Source(url, _decode(response.content, url), url=str(response.url))
    if len(response.content) > MAX_ARTICLE_BYTES:
        raise SourceError(f"{url}: larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB")
    return Source(url, response.text, url=str(response.url))


def load(value: str) -> Source:
    """A file path or a URL, read; raises SourceError naming it."""
    return fetch(value) if is_url(value) else read_file(value)
