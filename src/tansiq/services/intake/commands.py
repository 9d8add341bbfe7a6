"""Review queue use cases: propose an article's candidates, edit, accept or discard each one.

Nothing read from an article enters the incident log, the meetings or the notices
until an analyst accepts it: the candidates wait in their own table, the party's
alone. Accepting writes the record through its own service in the same transaction
as the candidate's new version (``acceptance.py``). Every call is one transaction
with its journal entries; nothing is written when it raises. Reads are in
``queries.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlalchemy.exc import IntegrityError

from tansiq.domain.actors import Actor
from tansiq.domain.articles import Article, Candidate
from tansiq.domain.choices import AcceptedRecordChoices, CandidateStatusChoices
from tansiq.domain.choices import ReleasabilityChoices as Reach
from tansiq.domain.errors import ErrorCollector, PermissionDenied, ValidationFailed
from tansiq.domain.fields import check_choice, check_text
from tansiq.domain.intake import (
    MAX_CANDIDATES,
    MAX_REASON,
    article_values,
    candidate_values,
    check_edited,
    validate_changes,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import insert_owned
from tansiq.services.core.kinds import Row
from tansiq.services.core.owned import Change, change_owned, load_owned
from tansiq.services.core.versioning import first_version, insert_records, new_version
from tansiq.services.intake.acceptance import choose_target, proposed_record, write_record
from tansiq.services.intake.policy import may_review, may_submit_article
from tansiq.services.intake.queries import present_candidates
from tansiq.services.intake.records import ARTICLE, CANDIDATE, article_payload, candidate_payload
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.intake import articles


@dataclass(frozen=True)
class ProposalResult:
    """What submitting an article did: the stored article and the candidates proposed now
    (as the queue shows them, with their probable duplicates).

    ``already_ingested`` is true when the party had ingested the same article before
    (``matched_by`` says how: ``content_hash`` or ``url``); then nothing was
    proposed again and ``article`` is the earlier one.
    """

    article: dict[str, Any]
    candidates: list[dict[str, Any]] = field(default_factory=list)
    already_ingested: bool = False
    matched_by: str | None = None


def _require_reviewer(actor: Actor) -> None:
    if not may_review(actor):
        raise PermissionDenied("only an analyst or admin may review candidates")


def _require_pending(current: Row) -> None:
    if current["status"] != CandidateStatusChoices.PENDING:
        raise ValidationFailed.single(
            "status", f"the candidate was already {current['status']}; it cannot change now"
        )


def _earlier(conn: Connection, actor: Actor, values: Mapping[str, Any]) -> tuple[Row, str] | None:
    """The party's article with the same body or address, and which of the two matched."""
    same = [articles.c.content_hash == values["content_hash"]]
    if values["url_key"] is not None:
        same.append(articles.c.url_key == values["url_key"])
    row = (
        conn.execute(
            select(articles)
            .where(articles.c.party_id == actor.party, or_(*same))
            .order_by(articles.c.created_at, articles.c.id)
            .limit(1)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return row, "content_hash" if row["content_hash"] == values["content_hash"] else "url"


def _candidate_rows(found: Sequence[Candidate]) -> list[dict[str, Any]]:
    errors = ErrorCollector()
    if len(found) > MAX_CANDIDATES:
        errors.add("candidates", f"must hold at most {MAX_CANDIDATES} candidates")
        errors.raise_if_any("The article is invalid")
    rows = []
    for index, candidate in enumerate(found):
        values, problems = candidate_values(candidate, f"candidates[{index}].")
        errors.errors.extend(problems)
        rows.append(values)
    errors.raise_if_any("The candidates are invalid")
    return rows


def propose_candidates(
    ctx: ServiceContext, *, actor: Actor, article: Article, candidates: Sequence[Candidate]
) -> ProposalResult:
    """Store an article read for the actor's party and queue its candidates for review.

    An article the party ingested before (same ``content_hash``, or same address)
    proposes nothing again: the answer says so. Raises PermissionDenied (a role that
    may not submit) and ValidationFailed naming ``article.<field>`` or
    ``candidates[i].<field>``; then nothing is written.
    """
    if not may_submit_article(actor):
        raise PermissionDenied("your role may not submit articles to the review queue")
    values = article_values(article)
    found = _candidate_rows(candidates)
    now = ctx.clock()
    own = {"releasability": Reach.PARTY.value, "center_id": None}
    try:
        with write_transaction(ctx.engine) as conn:
            earlier = _earlier(conn, actor, values)
            if earlier is not None:
                row, matched_by = earlier
                return ProposalResult(article_payload(row), [], True, matched_by)
            stored = insert_owned(
                conn, ctx, ARTICLE, {**values, **own}, actor=actor, now=now, action="ingest"
            )
            rows = [
                first_version(
                    {
                        **candidate,
                        **own,
                        "article_id": stored["id"],
                        "position": position,
                        "status": CandidateStatusChoices.PENDING.value,
                        "discard_reason": "",
                        "accepted_kind": None,
                        "accepted_id": None,
                    },
                    actor=actor,
                    now=now,
                )
                for position, candidate in enumerate(found)
            ]
            insert_records(conn, ctx, CANDIDATE, rows, actor_id=actor.user_id, action="propose")
            proposed = present_candidates(conn, actor, rows)
    except IntegrityError:
        # Another request stored the same article first (the unique keys refused this one).
        with read_transaction(ctx.engine) as conn:
            earlier = _earlier(conn, actor, values)
        if earlier is None:
            raise
        return ProposalResult(article_payload(earlier[0]), [], True, earlier[1])
    return ProposalResult(article_payload(stored), proposed)


def edit_candidate(
    ctx: ServiceContext,
    *,
    actor: Actor,
    candidate_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Correct a pending candidate before accepting it: a new version, journaled.

    Raises NotFound (absent, or another party's), PermissionDenied (not a reviewer),
    Conflict (stale ``expected_version``), ValidationFailed naming each bad field
    (and ``status`` once the candidate was accepted or discarded).
    """
    _require_reviewer(actor)
    values = validate_changes(changes)

    def rules(_conn: Connection, current: Row) -> Change:
        _require_pending(current)
        merged = {**current, **values}
        check_edited(merged)
        return Change(merged, action="edit")

    return candidate_payload(
        change_owned(ctx, CANDIDATE, actor, candidate_id, expected_version, rules)
    )


def accept_candidate(
    ctx: ServiceContext,
    *,
    actor: Actor,
    candidate_id: str,
    target: str | None = None,
    record: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Accept a pending candidate as a ``target`` record, written by that record's service.

    ``target`` defaults from what the candidate proposes; ``record`` holds the
    analyst's corrections of the record's fields (its service's input names). The
    record and the candidate's new version (``accepted_kind``, ``accepted_id``)
    commit together. Raises NotFound, PermissionDenied (not a reviewer, or a role the
    target's service refuses), Conflict (stale ``expected_version``),
    ValidationFailed naming ``target``, ``status`` or ``record.<field>``.
    """
    _require_reviewer(actor)
    errors = ErrorCollector()
    if target is not None:
        check_choice(errors, "target", target, AcceptedRecordChoices)
    if record is not None and not isinstance(record, Mapping):
        errors.add("record", "must be an object of the record's fields")
    errors.raise_if_any("The acceptance is invalid")
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = load_owned(
            conn, CANDIDATE, actor=actor, record_id=candidate_id, expected_version=expected_version
        )
        _require_pending(current)
        chosen = choose_target(current, target)
        article = (
            conn.execute(select(articles).where(articles.c.id == current["article_id"]))
            .mappings()
            .one()
        )
        body = {
            **proposed_record(conn, actor, chosen, current, article, now=now),
            **(record or {}),
        }
        written = write_record(conn, ctx, actor, chosen, body)
        accepted = {
            "status": CandidateStatusChoices.ACCEPTED.value,
            "accepted_kind": chosen.value,
            "accepted_id": written["id"],
        }
        changed = new_version(
            conn,
            ctx,
            CANDIDATE,
            current,
            accepted,
            actor_id=actor.user_id,
            now=now,
            action="accept",
        )
    return candidate_payload(changed)


def discard_candidate(
    ctx: ServiceContext,
    *,
    actor: Actor,
    candidate_id: str,
    reason: str = "",
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Discard a pending candidate (kept, with the reason, as every version is).

    Raises NotFound, PermissionDenied (not a reviewer), Conflict (stale
    ``expected_version``), ValidationFailed naming ``reason`` or ``status``.
    """
    _require_reviewer(actor)
    errors = ErrorCollector()
    check_text(errors, "reason", reason, MAX_REASON)
    errors.raise_if_any("The discard is invalid")

    def rules(_conn: Connection, current: Row) -> Change:
        _require_pending(current)
        discarded = CandidateStatusChoices.DISCARDED.value
        return Change(
            {**current, "status": discarded, "discard_reason": reason.strip()}, action="discard"
        )

    return candidate_payload(
        change_owned(ctx, CANDIDATE, actor, candidate_id, expected_version, rules)
    )
