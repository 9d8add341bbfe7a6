"""``tansiq verify``: stream the journal and current rows through the pure verifier."""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import Any

from sqlalchemy import Connection, select

from tansiq.journal.canonical import canonical_json
from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.verify import VerifyReport, verify_journal
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import LOCAL_CHAIN
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.journal import journal, journal_heads

_BATCH = 20_000


def _entries(conn: Connection) -> Generator[Any, None, None]:
    with conn.execution_options(yield_per=_BATCH).execute(
        select(journal).order_by(journal.c.seq)
    ) as result:
        yield from result.mappings()


def _current_records(
    conn: Connection,
) -> Generator[tuple[str, str, Callable[[int], bytes]], None, None]:
    for kind in RECORD_KINDS:
        with conn.execution_options(yield_per=_BATCH).execute(select(kind.table)) as result:
            for row in result.mappings():
                yield kind.name, str(row["id"]), _serialiser(kind, row)


def _serialiser(kind: RecordKind, row: Mapping[Any, Any]) -> Callable[[int], bytes]:
    """The row's canonical payload in the format its latest journal entry used."""

    def in_format(payload_format: int) -> bytes:
        return canonical_json(kind.payload_in(payload_format)(row))

    return in_format


def verify_database(ctx: ServiceContext) -> VerifyReport:
    """Re-walk the whole journal and compare every current row with its last version.

    Trusts only this node's public key, read from the key file, never from the
    database an attacker may have edited.
    """
    keys = {ctx.key.node_id: ctx.key.verify_key}
    with read_transaction(ctx.engine) as conn:
        entries, records = _entries(conn), _current_records(conn)
        try:
            report = verify_journal(entries, records, keys)
        finally:
            # A verify that stops early leaves the streams open: close their cursors now.
            records.close()
            entries.close()
        if not report.ok:
            return report
        head = conn.execute(
            select(journal_heads).where(journal_heads.c.node_id == LOCAL_CHAIN)
        ).first()
        last = conn.execute(
            select(journal.c.seq, journal.c.hash).order_by(journal.c.seq.desc()).limit(1)
        ).first()
    head_state = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    last_state = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    if head_state != last_state:
        report.problem = (
            f"journal head says entry {head_state[0]} but the journal ends at entry "
            f"{last_state[0]}: entries were removed or added around the journal"
        )
    return report
