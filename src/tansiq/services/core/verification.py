"""``tansiq verify``: read the journal and every current row in one snapshot, check them.

This process reads (raw driver rows, ``services/core/verify_rows.py``) and checks
each entry's links to the one before; the rest of the checks — each entry's hash and
signature, each record against its latest entry — run in worker processes for a large
journal (``journal/tasks.py``), in this process for a small one.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from nacl.signing import VerifyKey
from sqlalchemy import Connection, Engine, func, select

from tansiq.config import Settings
from tansiq.journal.entries import ENTRY_COLUMNS
from tansiq.journal.keychain import ChainBreak, KeyChain
from tansiq.journal.keys import NodeKeyError, load_key, parse_public_key
from tansiq.journal.tasks import tasks_for
from tansiq.journal.verify import JournalCheck, JournalHead, VerifyReport, parse_head
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import LOCAL_CHAIN
from tansiq.services.core.keychain import load_key_chain
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.services.core.verify_rows import (
    WORKER_MODULES,
    backend_of,
    columns_of,
    compare_records,
    stream_rows,
)
from tansiq.storage.db import make_engine, snapshot_transaction
from tansiq.storage.tables.journal import journal, journal_heads


def _entries(conn: Connection) -> Generator[list[Sequence[Any]], None, None]:
    """The journal in ``seq`` order, in batches of tuples of ENTRY_COLUMNS."""
    columns = [journal.c[name] for name in ENTRY_COLUMNS]
    for _type_codes, rows in stream_rows(conn, select(*columns).order_by(journal.c.seq)):
        yield rows


def _check_records(conn: Connection, check: JournalCheck) -> None:
    """Every current row of every kind against its latest entry, a batch at a time."""
    backend = backend_of(conn)
    for kind in RECORD_KINDS:
        id_column = columns_of(kind.table).index("id")
        for type_codes, rows in stream_rows(conn, select(kind.table)):
            ids = [str(row[id_column]) for row in rows]
            if not check.records(
                kind.name, ids, rows, compare_records, kind, backend, type_codes
            ):
                return


def verify_database(ctx: ServiceContext, *, expect_head: JournalHead | None = None) -> VerifyReport:
    """Re-walk the whole journal and compare every current row with its last version.

    Trusts the pinned public key (``TANSIQ_PINNED_PUBLIC_KEY``) when one is set, else
    this node's key file, never a key from the database an attacker may have edited
    (the database only links it to the other keys of the chain, see journal/keychain).
    Raises ValueError for a malformed pinned key.
    """
    pinned = ctx.settings.pinned_public_key
    trusted = _named_key(pinned, "TANSIQ_PINNED_PUBLIC_KEY") if pinned else ctx.key.verify_key
    return _verify(ctx.engine, trusted=trusted, expect_head=expect_head)


def verify_node(
    settings: Settings, *, public_key: str | None = None, expect_head: str | None = None
) -> VerifyReport:
    """``tansiq verify``: trust ``public_key``, else the pinned key, else the key file.

    A public key alone is enough: the signing key is not read then. Raises ValueError
    for a malformed ``expect_head`` or key and NodeKeyError for a missing key file,
    before the database is opened.
    """
    head = parse_head(expect_head) if expect_head is not None else None
    if public_key is not None:
        trusted = _named_key(public_key, "--public-key")
    elif settings.pinned_public_key:
        trusted = _named_key(settings.pinned_public_key, "TANSIQ_PINNED_PUBLIC_KEY")
    else:
        trusted = load_key(settings.key_path).verify_key
    engine = make_engine(settings.database_url)
    try:
        return _verify(engine, trusted=trusted, expect_head=head)
    finally:
        engine.dispose()


def _named_key(text: str, source: str) -> VerifyKey:
    try:
        return parse_public_key(text)
    except NodeKeyError as exc:
        raise ValueError(f"{source}: {exc}") from None


def _verify(engine: Engine, *, trusted: VerifyKey, expect_head: JournalHead | None) -> VerifyReport:
    # One snapshot for the journal, the head and every table: a write committed while
    # verify runs must not look like a record without its entry.
    with snapshot_transaction(engine) as conn:
        try:
            # The trusted key may be any key of the chain its rotation entries form.
            keys = load_key_chain(conn, trusted)
        except ChainBreak as exc:
            return VerifyReport(problem=str(exc), public_key=bytes(trusted).hex())
        report = _check(conn, keys, expect_head)
        report.public_key = bytes(trusted).hex()
        report.active_key = bytes(keys.active).hex()
        if not report.ok:
            return report
        head = conn.execute(
            select(journal_heads.c.seq, journal_heads.c.hash).where(
                journal_heads.c.node_id == LOCAL_CHAIN
            )
        ).first()
    if head is None:
        report.problem = (
            "the journal head is missing: it was deleted around the journal, "
            "and writes refuse until the database is restored"
        )
    elif JournalHead(head.seq, head.hash) != report.head:
        report.problem = (
            f"journal head says entry {head.seq} but the journal ends at entry "
            f"{report.head.seq}: entries were removed or added around the journal"
        )
    return report


def _check(conn: Connection, keys: KeyChain, expect_head: JournalHead | None) -> VerifyReport:
    """The journal, then every table, through a JournalCheck (in workers when large)."""
    # Only picks where the checks run (a large journal: worker processes).
    size = conn.execute(select(func.max(journal.c.seq))).scalar() or 0
    tasks = tasks_for(size, preload=WORKER_MODULES)
    entries = _entries(conn)
    try:
        check = JournalCheck(keys, expect_head=expect_head, tasks=tasks)
        if all(check.entries(rows) for rows in entries) and check.end_of_journal():
            _check_records(conn, check)
        return check.finish()
    finally:
        # A verify that stops early leaves the stream open: close its cursor now.
        entries.close()
        tasks.close()
