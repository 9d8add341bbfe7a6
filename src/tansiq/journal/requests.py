"""Signed sync requests and answers between nodes: no shared passwords, replay refused.

A request is signed by the requesting node's key over its method, path and query,
a timestamp, a fresh nonce and the SHA-256 of its body; the answer is signed by
the answering node over the request's nonce and the SHA-256 of the answer's body,
so an answer cannot be replayed for another request nor altered on the way.
Pure: the API checks nonces against storage, the client sends the headers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from tansiq.journal.keys import NodeKey

REQUEST_DOMAIN = b"tansiq sync request v1\n"
RESPONSE_DOMAIN = b"tansiq sync response v1\n"

NODE_HEADER = "Tansiq-Node"
TIME_HEADER = "Tansiq-Time"
NONCE_HEADER = "Tansiq-Nonce"
SIGNATURE_HEADER = "Tansiq-Signature"

# How far a request's clock may be from ours; a nonce is remembered at least this long.
MAX_SKEW_SECONDS = 300

_NONCE = re.compile(r"[0-9a-f]{32}")


class RequestRefused(ValueError):
    """A sync request or answer is unsigned, mis-signed, stale or replayed."""


def _message(domain: bytes, *parts: str) -> bytes:
    return domain + "\n".join(parts).encode()


def body_digest(body: bytes) -> str:
    """SHA-256 (hex) of a request or answer body."""
    return hashlib.sha256(body).hexdigest()


def sign_request(
    key: NodeKey, *, node_id: str, method: str, target: str, body: bytes, now: int
) -> dict[str, str]:
    """The headers that authenticate a request for ``target`` (path and query)."""
    nonce = secrets.token_hex(16)
    message = _message(REQUEST_DOMAIN, method.upper(), target, str(now), nonce, body_digest(body))
    return {
        NODE_HEADER: node_id,
        TIME_HEADER: str(now),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: base64.b64encode(key.sign(message)).decode(),
    }


@dataclass(frozen=True)
class SignedRequest:
    """The authentication a request carried, once its headers are read."""

    node_id: str
    time: int
    nonce: str
    signature: bytes


def read_request_headers(headers: Mapping[str, str]) -> SignedRequest:
    """The request's node, time, nonce and signature; raises RequestRefused naming a header."""
    values = {name: headers.get(name) for name in (NODE_HEADER, TIME_HEADER, NONCE_HEADER)}
    for name, value in values.items():
        if not value:
            raise RequestRefused(f"header {name} is missing")
    time_text, nonce = values[TIME_HEADER] or "", values[NONCE_HEADER] or ""
    if not time_text.isdigit() or len(time_text) > 12:
        raise RequestRefused(f"header {TIME_HEADER} must be a Unix time in seconds")
    if not _NONCE.fullmatch(nonce):
        raise RequestRefused(f"header {NONCE_HEADER} must be 32 hex digits")
    return SignedRequest(
        node_id=values[NODE_HEADER] or "",
        time=int(time_text),
        nonce=nonce,
        signature=_signature(headers.get(SIGNATURE_HEADER)),
    )


def _signature(text: str | None) -> bytes:
    if not text:
        raise RequestRefused(f"header {SIGNATURE_HEADER} is missing")
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != 64:
        raise RequestRefused(f"header {SIGNATURE_HEADER} must be the base64 of 64 bytes")
    return raw


def check_request(
    request: SignedRequest, key: VerifyKey, *, method: str, target: str, body: bytes, now: int
) -> None:
    """Raise RequestRefused unless ``key`` signed this request recently.

    Replay of a fresh request is the caller's check (the nonce against storage).
    """
    if abs(now - request.time) > MAX_SKEW_SECONDS:
        raise RequestRefused(
            f"the request's time is more than {MAX_SKEW_SECONDS} s from this node's clock"
        )
    message = _message(
        REQUEST_DOMAIN, method.upper(), target, str(request.time), request.nonce, body_digest(body)
    )
    try:
        key.verify(message, request.signature)
    except BadSignatureError:
        raise RequestRefused("the request's signature does not verify") from None


def sign_response(key: NodeKey, *, nonce: str, body: bytes) -> str:
    """The answer's signature header value, bound to the request's ``nonce``."""
    message = _message(RESPONSE_DOMAIN, nonce, body_digest(body))
    return base64.b64encode(key.sign(message)).decode()


def check_response(key: VerifyKey, *, nonce: str, body: bytes, signature: str | None) -> None:
    """Raise RequestRefused unless ``key`` signed this answer to the request ``nonce``."""
    raw = _signature(signature)
    try:
        key.verify(_message(RESPONSE_DOMAIN, nonce, body_digest(body)), raw)
    except BadSignatureError:
        raise RequestRefused("the answer's signature does not verify") from None
