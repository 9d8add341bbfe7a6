"""Reading the review queue: candidates pending first, one with its history, an article.

A candidate answers its journaled payload plus what is read with it: its
article's summary and, while it is pending, the incidents it probably repeats
(``duplicates.py``). Visibility goes through ``visible_to`` like every read; both
articles and candidates are the ingesting party's alone, so another party's answer
is NotFound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import CandidateStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.fields import parse_instant
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.pagination import CursorSeal, Page, check_limit, equal_to
from tansiq.services.core.versioning import visible_row
from tansiq.services.intake.acceptance import choose_target, proposed_record
from tansiq.services.intake.duplicates import duplicates_of
from tansiq.services.intake.records import CANDIDATE, article_payload, candidate_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.intake import articles, candidates
from tansiq.storage.visibility import visible_to

Row = Mapping[Any, Any]
# Each listed candidate is matched against the incidents: pages stay small.
MAX_PAGE = 200
_NOT_OURS = "is not a cursor this server issued"
SUMMARY_FIELDS = ("id", "title", "outlet", "url", "language")


@dataclass(frozen=True)
class CandidateFilters:
    """What the queue may be narrowed by; every field is optional."""

    status: str | None = None
    kind: str | None = None
    proposes: str | None = None
    event_type: str | None = None
    admin1: str | None = None
    article_id: str | None = None


def article_summary(row: Row) -> dict[str, Any]:
    """What a candidate shows of its article: title, outlet, address, date, language."""
    summary = {name: row[name] for name in SUMMARY_FIELDS}
    published = row["published_at"]
    summary["published_at"] = iso_utc(published) if published is not None else None
    return summary


def present_candidates(conn: Connection, actor: Actor, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Candidate rows with their article's summary and their probable duplicates."""
    ids = sorted({row["article_id"] for row in rows})
    found = conn.execute(
        select(articles).where(articles.c.id.in_(ids), visible_to(articles, actor))
    ).mappings()
    summaries = {a["id"]: article_summary(a) for a in found}
    return [
        {
            **candidate_payload(row),
            "article": summaries[row["article_id"]],
            "duplicates": duplicates_of(conn, actor, row),
        }
        for row in rows
    ]


def _rank() -> ColumnElement[int]:
    return case((candidates.c.status == CandidateStatusChoices.PENDING.value, 0), else_=1)


def _encode(seal: CursorSeal, row: Row) -> str:
    rank = 0 if row["status"] == CandidateStatusChoices.PENDING else 1
    return seal.seal(orjson.dumps([rank, iso_utc(row["created_at"]), row["id"]]))


def _after(seal: CursorSeal, cursor: str) -> ColumnElement[bool]:
    try:
        rank, when, last_id = orjson.loads(seal.unseal(cursor))
        instant = parse_instant(when)
        if rank not in (0, 1) or not isinstance(last_id, str) or len(last_id) > 64:
            raise ValueError(cursor)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise ValidationFailed.single("cursor", _NOT_OURS) from None
    c = candidates.c
    later = or_(c.created_at < instant, and_(c.created_at == instant, c.id > last_id))
    return or_(_rank() > rank, and_(_rank() == rank, later))


def _where(filters: CandidateFilters) -> list[ColumnElement[bool]]:
    c = candidates.c
    return equal_to(
        (c.status, filters.status),
        (c.kind, filters.kind),
        (c.proposes, filters.proposes),
        (c.event_type, filters.event_type),
        (c.admin1, filters.admin1),
        (c.article_id, filters.article_id),
    )


def list_candidates(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: CandidateFilters,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """The queue: pending candidates first, then the reviewed; newest articles first and each
    article's candidates in reading order. Raises ValidationFailed naming ``cursor``/``limit``."""
    check_limit(limit, MAX_PAGE)
    seal = CursorSeal.for_table(ctx, candidates)
    query = select(candidates).where(visible_to(candidates, actor), *_where(filters))
    if cursor is not None:
        query = query.where(_after(seal, cursor))
    c = candidates.c
    query = query.order_by(_rank(), c.created_at.desc(), c.id).limit(limit + 1)
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(query).mappings().all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = present_candidates(conn, actor, rows)
    return Page(items, _encode(seal, rows[-1]) if more else None)


def _one(conn: Connection, actor: Actor, candidate_id: str) -> dict[str, Any]:
    row = visible_row(conn, candidates, actor, candidate_id, label="candidate")
    return present_candidates(conn, actor, [row])[0]


def get_candidate(ctx: ServiceContext, *, actor: Actor, candidate_id: str) -> dict[str, Any]:
    """One candidate with its article's summary and duplicates; raises NotFound when absent
    or another party's."""
    with read_transaction(ctx.engine) as conn:
        return _one(conn, actor, candidate_id)


def candidate_detail(ctx: ServiceContext, *, actor: Actor, candidate_id: str) -> dict[str, Any]:
    """:func:`get_candidate` plus ``history``: every version, the reader's first."""
    with read_transaction(ctx.engine) as conn:
        candidate = _one(conn, actor, candidate_id)
        candidate["history"] = record_history(
            conn, actor=actor, kind=CANDIDATE.name, record_id=candidate_id
        )
    return candidate


def get_article(ctx: ServiceContext, *, actor: Actor, article_id: str) -> dict[str, Any]:
    """An ingested article with its candidates in reading order; raises NotFound when absent
    or another party's."""
    with read_transaction(ctx.engine) as conn:
        article = article_payload(visible_row(conn, articles, actor, article_id, label="article"))
        rows = (
            conn.execute(
                select(candidates)
                .where(candidates.c.article_id == article_id, visible_to(candidates, actor))
                .order_by(candidates.c.position)
            )
            .mappings()
            .all()
        )
        article["candidates"] = present_candidates(conn, actor, rows)
    return article


def pending_count(ctx: ServiceContext, *, actor: Actor) -> int:
    """How many candidates of the actor's party await review."""
    query = (
        select(func.count())
        .select_from(candidates)
        .where(
            visible_to(candidates, actor),
            candidates.c.status == CandidateStatusChoices.PENDING.value,
        )
    )
    with read_transaction(ctx.engine) as conn:
        return int(conn.execute(query).scalar_one())


def accept_draft(
    ctx: ServiceContext, *, actor: Actor, candidate_id: str, target: str
) -> dict[str, Any]:
    """What accepting the candidate as ``target`` would send to that record's service now,
    before any correction (a form shows it). Raises NotFound, ValidationFailed naming
    ``target`` for a kind the candidate cannot become."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, candidates, actor, candidate_id, label="candidate")
        chosen = choose_target(row, target)
        article = (
            conn.execute(select(articles).where(articles.c.id == row["article_id"]))
            .mappings()
            .one()
        )
        return proposed_record(conn, actor, chosen, row, article, now=ctx.clock())
