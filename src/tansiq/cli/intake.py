"""Command line for the review queue: ``tansiq review list``, ``accept`` and ``discard``.

It acts as a named user of this node (``--as``) through the same services as the
API and the web pages: the queue is that user's party's own, and accepting writes
the record through its own service. Times are shown in the display time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
import orjson

from tansiq.cli.options import AS_USER, acting_as, local_time, node_options
from tansiq.config import Settings
from tansiq.domain.choices import AcceptedRecordChoices, CandidateStatusChoices
from tansiq.domain.errors import ValidationFailed

EVIDENCE_SHOWN = 160


@click.group()
def review() -> None:
    """The review queue: events read from news articles, awaiting an analyst."""


def _when(candidate: dict[str, Any], zone: str) -> str:
    start = candidate["occurred_from"] or candidate["deadline"]
    return local_time(start, zone)[:10] if start else "no date"


def _line(candidate: dict[str, Any], zone: str) -> str:
    place = candidate["place_name"] or candidate["admin1"] or "no place"
    return (
        f"{candidate['status']:<9}  {_when(candidate, zone)}  {candidate['proposes']:<8}  "
        f"{candidate['sub_event_type']}  {place}  [{candidate['id']}]"
    )


@review.command("list")
@click.option(
    "--status",
    type=click.Choice([*(s.value for s in CandidateStatusChoices), "all"]),
    default="pending",
    show_default=True,
    help="Which candidates to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON Lines.")
@AS_USER
@node_options
def review_list(settings: Settings, username: str, status: str, as_json: bool) -> None:
    """List your party's candidates, pending first, with the evidence and probable duplicates."""
    from tansiq.services.intake.queries import CandidateFilters, list_candidates

    chosen = None if status == "all" else status
    with acting_as(settings, username) as (ctx, actor):
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = list_candidates(
                ctx, actor=actor, filters=CandidateFilters(status=chosen), cursor=cursor, limit=200
            )
            items += page.items
            cursor = page.next_cursor
            if cursor is None:
                break
    if as_json:
        for item in items:
            click.echo(orjson.dumps(item).decode())
        return
    if not items:
        which = f"{chosen} " if chosen else ""
        click.echo(f"no {which}candidates in {actor.party}'s queue")
    for item in items:
        click.echo(_line(item, settings.display_timezone))
        quoted = " ".join(item["evidence"])
        if len(quoted) > EVIDENCE_SHOWN:
            quoted = quoted[: EVIDENCE_SHOWN - 1] + "…"
        click.echo(f'    "{quoted}" ({item["article"]["outlet"] or "no outlet"})')
        for duplicate in item["duplicates"]:
            click.echo(
                f"    probable duplicate of incident {duplicate['id']} ({duplicate['party']})"
            )


def _corrections(pairs: Sequence[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` pairs as the record's corrections; a VALUE that reads as JSON is that
    (a number, true, null), any other text is itself. Raises ValidationFailed naming ``--set``."""
    record: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationFailed.single("--set", f"{pair!r} is not FIELD=VALUE")
        try:
            record[name.strip()] = orjson.loads(value)
        except orjson.JSONDecodeError:
            record[name.strip()] = value
    return record


@review.command("accept")
@click.argument("candidate_id")
@click.option(
    "--target",
    type=click.Choice([t.value for t in AcceptedRecordChoices]),
    default=None,
    help="What it becomes (default: what it proposes).",
)
@click.option(
    "--set",
    "pairs",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Correct a field of the record (repeat), e.g. --set releasability=all.",
)
@AS_USER
@node_options
def review_accept(
    settings: Settings, username: str, candidate_id: str, target: str | None, pairs: tuple[str, ...]
) -> None:
    """Accept a pending candidate: the record it becomes is written by its own service."""
    from tansiq.services.intake.commands import accept_candidate

    record = _corrections(pairs)
    with acting_as(settings, username) as (ctx, actor):
        accepted = accept_candidate(
            ctx, actor=actor, candidate_id=candidate_id, target=target, record=record
        )
    click.echo(f"accepted as {accepted['accepted_kind']} {accepted['accepted_id']}")


@review.command("discard")
@click.argument("candidate_id")
@click.option("--reason", default="", help="Why it is discarded (kept with it).")
@AS_USER
@node_options
def review_discard(settings: Settings, username: str, candidate_id: str, reason: str) -> None:
    """Discard a pending candidate (it is kept, with the reason)."""
    from tansiq.services.intake.commands import discard_candidate

    with acting_as(settings, username) as (ctx, actor):
        discard_candidate(ctx, actor=actor, candidate_id=candidate_id, reason=reason)
    click.echo(f"discarded {candidate_id}")


COMMANDS: tuple[click.Command, ...] = (review,)
