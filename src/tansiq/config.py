"""One settings object, read from the environment (and CLI flags), with help text.

Outside development it refuses the defaults that are only safe on a laptop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./tansiq.db"
# Which URLs the node fetches an article from for a user (see ingest/addresses.py).
ARTICLE_FETCH_POLICIES = ("public", "any", "off")


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with :func:`load_settings`."""

    database_url: str = DEFAULT_DATABASE_URL
    key_file: str = ".tansiq/node_ed25519.key"
    environment: str = "development"
    cookie_secure: bool = False
    max_body_bytes: int = 4 * 1024 * 1024
    token_days: int = 90
    session_hours: int = 12
    tile_url: str = ""
    display_timezone: str = "Asia/Baghdad"
    escalate_after_hours: int = 72
    protected_buffer_m: int = 1000
    sqlite_synchronous: str = "FULL"
    pinned_public_key: str = ""
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_minutes: int = 15
    hash_concurrency: int = 2
    trust_proxy: bool = False
    max_crossings: int = 10_000
    max_import_bytes: int = 16 * 1024 * 1024
    sync_interval_seconds: int = 30
    sync_batch_bytes: int = 2 * 1024 * 1024
    article_fetch: str = "public"

    def __post_init__(self) -> None:
        """Refuse a setting whose value has no meaning; raises ValueError naming it."""
        if self.article_fetch not in ARTICLE_FETCH_POLICIES:
            raise ValueError(
                f"TANSIQ_ARTICLE_FETCH must be public, any or off, got {self.article_fetch!r}"
            )

    @property
    def key_path(self) -> Path:
        """Where the node's Ed25519 signing key lives (outside the database)."""
        return Path(self.key_file)

    def check_safe(self) -> None:
        """Refuse development-only defaults in production.

        Raises ValueError naming the setting.
        """
        if self.environment == "development":
            return
        if not self.cookie_secure:
            raise ValueError("TANSIQ_COOKIE_SECURE must be 1 outside development")
        key = self.key_path
        if key.exists() and key.stat().st_mode & 0o077:
            raise ValueError(f"TANSIQ_KEY_FILE {key} must be readable by its owner only (0600)")


# Environment variable, attribute and help text of every setting (README lists them all).
SETTINGS_HELP: dict[str, tuple[str, str]] = {
    "TANSIQ_DATABASE_URL": (
        "database_url",
        "SQLAlchemy URL: sqlite:///./tansiq.db (default) or postgresql+psycopg://user@host/db",
    ),
    "TANSIQ_KEY_FILE": (
        "key_file",
        "path of the node's Ed25519 signing key, created by `tansiq init` with mode 0600",
    ),
    "TANSIQ_ENV": (
        "environment",
        "development (default) or production; production refuses unsafe defaults",
    ),
    "TANSIQ_COOKIE_SECURE": (
        "cookie_secure",
        "1 to send session cookies only over HTTPS (required in production)",
    ),
    "TANSIQ_MAX_BODY_BYTES": (
        "max_body_bytes",
        "largest request body accepted, in bytes (default 4 MiB); larger answers 413",
    ),
    "TANSIQ_TOKEN_DAYS": ("token_days", "lifetime of new API tokens in days (default 90)"),
    "TANSIQ_SESSION_HOURS": (
        "session_hours",
        "lifetime of a web login session in hours (default 12)",
    ),
    "TANSIQ_TILE_URL": (
        "tile_url",
        "optional map tile URL template ({z}/{x}/{y}); empty shows only the shipped boundaries",
    ),
    "TANSIQ_DISPLAY_TIMEZONE": (
        "display_timezone",
        "time zone the web UI shows times in (default Asia/Baghdad); storage is UTC",
    ),
    "TANSIQ_ESCALATE_AFTER_HOURS": (
        "escalate_after_hours",
        "hours an action item may stay overdue before it escalates to its center's "
        "dashboard and daily digest (default 72)",
    ),
    "TANSIQ_PROTECTED_BUFFER_M": (
        "protected_buffer_m",
        "metres around an operation plan within which a protected site is a blocking "
        "deconfliction finding (default 1000)",
    ),
    "TANSIQ_SQLITE_SYNCHRONOUS": (
        "sqlite_synchronous",
        "FULL (default): an acknowledged write survives a power loss; NORMAL: faster, survives "
        "a process crash but may lose the last writes on power loss (embedded SQLite only)",
    ),
    "TANSIQ_PINNED_PUBLIC_KEY": (
        "pinned_public_key",
        "the node's Ed25519 public key (hex or base64, as `tansiq verify` prints it), kept "
        "apart from the database and key file; `tansiq verify` then trusts it instead of "
        "the key file, so a replaced key and a re-signed journal are detected",
    ),
    "TANSIQ_LOGIN_MAX_FAILURES": (
        "login_max_failures",
        "failed logins in a row, within the window, that lock an account until an admin "
        "unlocks it (default 5)",
    ),
    "TANSIQ_LOGIN_MAX_FAILURES_PER_ADDRESS": (
        "login_max_failures_per_address",
        "failed logins from one client address, within the window, after which that "
        "address gets 429 until the window ends (default 20)",
    ),
    "TANSIQ_LOGIN_WINDOW_MINUTES": (
        "login_window_minutes",
        "the window, in minutes, over which failed logins are counted (default 15)",
    ),
    "TANSIQ_HASH_CONCURRENCY": (
        "hash_concurrency",
        "password hashes or checks run at once per process (default 2; argon2id takes "
        "64 MiB each); further logins wait their turn",
    ),
    "TANSIQ_SYNC_INTERVAL_SECONDS": (
        "sync_interval_seconds",
        "how often `tansiq serve` pulls from each peer node, in seconds (default 30; 0 "
        "turns the background sync off); a failing peer is retried with back-off",
    ),
    "TANSIQ_SYNC_BATCH_BYTES": (
        "sync_batch_bytes",
        "how many bytes of entries one sync request asks a peer for (default 2 MiB, about "
        "1,700 incidents, 230 KB on the wire); smaller batches commit more often on slow or "
        "lossy links (a full batch takes about 30 s at 64 kbit/s)",
    ),
    "TANSIQ_TRUST_PROXY": (
        "trust_proxy",
        "1 when a reverse proxy fronts the node: trust its X-Forwarded-Proto (Secure "
        "cookies) and the last X-Forwarded-For address (login limits)",
    ),
    "TANSIQ_MAX_CROSSINGS": (
        "max_crossings",
        "most edge crossings between the geometries one coverage or deconfliction request "
        "overlays (default 10000, a few seconds of work at most); more answers 422 naming the area",
    ),
    "TANSIQ_MAX_IMPORT_BYTES": (
        "max_import_bytes",
        "largest file `tansiq sectors import`, `tansiq sites import` and `tansiq coverage "
        "--area` read, in bytes (default 16 MiB); larger is refused before it is parsed",
    ),
    "TANSIQ_ARTICLE_FETCH": (
        "article_fetch",
        "which article URLs the node fetches when a user sends one (`POST /api/v1/articles`, "
        "the review page's form): `public` (default) http(s) on ports 80 and 443 to globally "
        "routable addresses only, checked on connecting and on every redirect, never through "
        "a proxy; `any` every address and port; `off` none (send the page's HTML or text)",
    ),
}


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, then apply non-None ``overrides``.

    Raises ValueError naming a malformed variable.
    """
    values: dict[str, object] = {}
    types = {f.name: f.type for f in fields(Settings)}
    for env, (attr, _help) in SETTINGS_HELP.items():
        raw = os.environ.get(env)
        if raw is None or raw == "":
            continue
        kind = types[attr]
        try:
            if kind in (bool, "bool"):
                values[attr] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif kind in (int, "int"):
                values[attr] = int(raw)
            else:
                values[attr] = raw
        except ValueError:
            raise ValueError(f"{env} must be an integer, got {raw!r}") from None
    settings = replace(Settings(), **values)  # type: ignore[arg-type]
    clean = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **clean)  # type: ignore[arg-type]
