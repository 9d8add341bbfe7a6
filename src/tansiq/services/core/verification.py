"""``tansiq verify``: stream the journal and current rows through the pure verifier."""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import Any

from nacl.signing import VerifyKey
from sqlalchemy import Connection, Engine, func, select

from tansiq.config import Settings
from tansiq.journal.canonical import canonical_json
from tansiq.journal.keychain import ChainBreak
from tansiq.journal.keys import NodeKeyError, load_key, parse_public_key
from tansiq.journal.signatures import checker_for
from tansiq.journal.verify import JournalHead, VerifyReport, parse_head, verify_journal
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import LOCAL_CHAIN
from tansiq.services.core.keychain import load_key_chain
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.storage.db import make_engine, snapshot_transaction
from tansiq.storage.tables.journal import journal, journal_heads

_BATCH = 20_000


def _entries(conn: Connection) -> Generator[Any, None, None]:
    with conn.execution_options(yield_per=_BATCH).execute(
        select(journal).order_by(journal.c.seq)
    ) as result:
        yield from result.mappings()


def _current_records(
    conn: Connection, derived_breaks: list[str]
) -> Generator[tuple[str, str, Callable[[int], bytes]], None, None]:
    """Each row's serialiser; the first row whose derived columns differ goes to ``derived_breaks``.

    A derived mismatch is reported only once every payload matched: a row whose
    journaled fields were edited is named for that, not for the columns that follow.
    """
    for kind in RECORD_KINDS:
        with conn.execution_options(yield_per=_BATCH).execute(select(kind.table)) as result:
            for row in result.mappings():
                if not derived_breaks:
                    problem = _derived_problem(kind, row)
                    if problem is not None:
                        derived_breaks.append(problem)
                yield kind.name, str(row["id"]), _serialiser(kind, row)


def _derived_problem(kind: RecordKind, row: Mapping[Any, Any]) -> str | None:
    where = f"record {kind.name} {row['id']}"
    try:
        column = kind.derived_mismatch(row)
    except Exception as exc:  # noqa: BLE001 - an edited row may break the derivation any way
        return f"{where}: its derived columns cannot be recomputed: {exc}"
    if column is None:
        return None
    return (
        f"{where}: column {column} differs from what its journaled fields give "
        "(a derived column was edited)"
    )


def _serialiser(kind: RecordKind, row: Mapping[Any, Any]) -> Callable[[int], bytes]:
    """The row's canonical payload in the format its latest journal entry used."""

    def in_format(payload_format: int) -> bytes:
        return canonical_json(kind.payload_in(payload_format)(row))

    return in_format


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
        derived_breaks: list[str] = []
        # Only picks where signatures are checked (a large journal: worker processes).
        size = conn.execute(select(func.max(journal.c.seq))).scalar() or 0
        signatures = checker_for(size)
        entries, records = _entries(conn), _current_records(conn, derived_breaks)
        try:
            report = verify_journal(
                entries, records, keys, expect_head=expect_head, signatures=signatures
            )
        finally:
            # A verify that stops early leaves the streams open: close their cursors now.
            records.close()
            entries.close()
            signatures.close()
        report.public_key = bytes(trusted).hex()
        report.active_key = bytes(keys.active).hex()
        if report.ok and derived_breaks:
            report.problem = derived_breaks[0]
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
