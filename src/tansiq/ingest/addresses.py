"""Which addresses the node may fetch an article from when a user hands it a URL.

A URL given to the API or the web form is fetched by the node, from inside its own
network: left unchecked, any liaison could make it probe that network (an admin
page on 10.0.0.1, a cloud metadata service on 169.254.169.254, a database port on
localhost). ``TANSIQ_ARTICLE_FETCH`` says what is allowed:

- ``public`` (the default): http and https on their standard ports (80, 443), to
  hosts whose every address is globally routable; never through a proxy;
- ``any``: every host and port (a node whose news mirror is inside its own network;
  the tests' local server);
- ``off``: no fetching; the page's HTML or text must be sent.

The check is made when the connection is opened, on the address actually connected
to, for the first request and for every redirect, so a name that resolves to a
public address when checked and to a private one a moment later (DNS rebinding) is
refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Final

import httpcore
import httpx

PUBLIC: Final = "public"
ANY: Final = "any"
OFF: Final = "off"
PUBLIC_PORTS: Final = frozenset({80, 443})


class AddressRefused(httpcore.ConnectError):
    """The host of a URL resolves to an address the node may not fetch from."""


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not private, loopback, link-local,
    shared, reserved or multicast); an IPv4-mapped IPv6 address is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class PublicOnlyBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to public addresses on ports 80/443."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve ``host``, refuse it unless every address is public, connect to one of them.

        Raises AddressRefused, or httpcore.ConnectError when no address answers.
        """
        if port not in PUBLIC_PORTS:
            raise AddressRefused(f"port {port} is not 80 or 443 (TANSIQ_ARTICLE_FETCH=public)")
        addresses = _addresses(host, port)
        private = [a for a in addresses if not is_public(a)]
        if private or not addresses:
            raise AddressRefused(
                f"{host} resolves to {', '.join(private) or 'nothing'}, not a public address "
                "(TANSIQ_ARTICLE_FETCH=public)"
            )
        last: httpcore.ConnectError | None = None
        for address in addresses:  # the checked address itself, not the name again
            try:
                return super().connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None  # addresses is not empty
        raise last


class PublicOnlyTransport(httpx.HTTPTransport):
    """An httpx transport whose connections go through :class:`PublicOnlyBackend`."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # httpx offers no public hook for httpcore's network backend: the pool is rebuilt
        # as HTTPTransport builds it (no proxy), with the guarded backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=PublicOnlyBackend(),
        )
