"""Reading the node's key chain from the journal: its ``node_key`` (rotation) entries."""

from __future__ import annotations

from nacl.signing import VerifyKey
from sqlalchemy import Connection, select

from tansiq.journal.keychain import ROTATION_KIND, KeyChain, build_key_chain
from tansiq.storage.tables.journal import journal


def load_key_chain(conn: Connection, trusted: VerifyKey) -> KeyChain:
    """The chain of the journal's rotation entries, trusting ``trusted``.

    One query on the ``(record_kind, record_id, seq)`` index. Raises ChainBreak
    naming the first bad rotation, or when ``trusted`` is not in the chain.
    """
    rows = conn.execute(
        select(journal).where(journal.c.record_kind == ROTATION_KIND).order_by(journal.c.seq)
    ).mappings()
    return build_key_chain([dict(row) for row in rows], trusted)
