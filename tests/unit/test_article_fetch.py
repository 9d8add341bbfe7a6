"""Fetching an article for a user: which addresses, how much, what is a page.

The node fetches only public addresses on ports 80/443 unless told otherwise, checks
the address it connects to (each redirect's too), and stops at the size limit
whether or not the server declared a length. Served by a local server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import tansiq.ingest.addresses as addresses
import tansiq.ingest.sources as sources
from tansiq.config import Settings, load_settings
from tansiq.ingest.addresses import is_public
from tansiq.ingest.sources import SourceError, check_url, fetch, from_bytes
from tests.pages import KHANAQIN, PageServer, serving_pages


@pytest.fixture
def pages() -> Iterator[PageServer]:
    with serving_pages() as server:
        yield server


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_only_globally_routable_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize(
    ("url", "policy", "message"),
    [
        ("ftp://example.com/a", "any", "only http:// and https://"),
        ("file:///etc/passwd", "any", "only http:// and https://"),
        ("http:///nohost", "any", "only http:// and https://"),
        ("http://example.com:99999/", "any", "not a valid address"),
        ("http://example.com:8080/", "public", "only ports 80 and 443"),
        ("https://example.com/", "off", "does not fetch pages"),
    ],
)
def test_an_address_is_refused_before_connecting(url: str, policy: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        check_url(url, policy)


def test_standard_ports_pass_the_first_check() -> None:
    for url in ("https://www.rudaw.net/english", "http://shafaq.com:80/en", "https://a.iq:443"):
        check_url(url, "public")


def _treat_loopback_as_public(monkeypatch: pytest.MonkeyPatch, pages: PageServer) -> int:
    """Let the guard pass 127.0.0.1 (only) and the server's port, as if both were public."""
    port = int(pages.url.rsplit(":", 1)[1])
    monkeypatch.setattr(addresses, "is_public", lambda address: address == "127.0.0.1")
    monkeypatch.setattr(addresses, "PUBLIC_PORTS", frozenset({port}))
    monkeypatch.setattr(sources, "PUBLIC_PORTS", frozenset({port}))
    return port


def test_each_redirect_is_checked_where_it_connects(
    pages: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _treat_loopback_as_public(monkeypatch, pages)
    assert fetch(f"{pages.url}/khanaqin", policy="public").text == KHANAQIN.read_text()
    elsewhere = f"{pages.url}/to?http://127.0.0.2:{port}/khanaqin"
    with pytest.raises(SourceError, match="127.0.0.2 resolves to 127.0.0.2, not a public"):
        fetch(elsewhere, policy="public")
    assert pages.requested == ["/khanaqin", elsewhere.removeprefix(pages.url)]


def test_the_checked_address_is_the_one_connected_to(
    pages: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "news.example" resolves nowhere: the page arrives only if the connection goes to the
    # address the guard resolved and checked, not to a second lookup of the name.
    _treat_loopback_as_public(monkeypatch, pages)
    monkeypatch.setattr(addresses, "_addresses", lambda host, port: ["127.0.0.1"])
    url = pages.url.replace("127.0.0.1", "news.example") + "/khanaqin"
    assert fetch(url, policy="public").url == url


def test_without_a_declared_length_the_download_stops_at_the_limit(
    pages: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_ARTICLE_BYTES", 100_000)
    with pytest.raises(SourceError, match="larger than"):
        fetch(f"{pages.url}/unsized")
    with pytest.raises(SourceError, match="larger than"):
        fetch(f"{pages.url}/huge")


def test_a_page_without_a_charset_is_read_as_utf8_or_windows_1256(pages: PageServer) -> None:
    assert fetch(f"{pages.url}/arabic").text == "قتل جنديان في كركوك"


def test_uploaded_bytes_are_decoded_and_stray_nuls_dropped() -> None:
    assert from_bytes("خبر".encode() + b" " * 9000 + b"\x00", "a.txt").text.strip() == "خبر"
    assert from_bytes("كركوك".encode("cp1256"), "a.txt").text == "كركوك"
    with pytest.raises(SourceError, match="a.png: a binary file, not text"):
        from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.png")


def test_the_fetch_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().article_fetch == "public"
    monkeypatch.setenv("TANSIQ_ARTICLE_FETCH", "off")
    assert load_settings().article_fetch == "off"
    monkeypatch.setenv("TANSIQ_ARTICLE_FETCH", "sometimes")
    with pytest.raises(ValueError, match="TANSIQ_ARTICLE_FETCH must be public, any or off"):
        load_settings()
