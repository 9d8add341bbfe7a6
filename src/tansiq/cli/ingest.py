"""``tansiq ingest article``: read news articles into proposed incidents, meetings, notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click
import orjson

from tansiq.cli.options import AS_USER, acting_as, node_options
from tansiq.config import Settings


def _published(value: str | None) -> datetime | None:
    from tansiq.ingest.reading.dates import parse_datetime

    if value is None:
        return None
    found = parse_datetime(value, day_first=True)
    if found is None:
        raise click.ClickException(f"--published: not a date: {value!r}")
    return found[0]


def _summary(reading: Any) -> str:
    article = reading.article
    when = article.published_at.isoformat() if article.published_at else "no date"
    lines = [f"{article.title or '(no headline)'} | {article.outlet or 'outlet unknown'} | {when}"]
    for c in reading.candidates:
        day = c.occurred_from.date().isoformat() if c.occurred_from else "?"
        until = c.occurred_until.date().isoformat() if c.occurred_until else "?"
        span = day if day == until else f"{day}..{until}"
        toll = f" killed {c.fatalities}" if c.fatalities is not None else ""
        toll += f" injured {c.injured}" if c.injured is not None else ""
        lines.append(
            f"  {c.proposes.value}: {c.sub_event_type} | {span} ({c.time_precision}) | "
            f"{c.place_name or '?'}, {c.admin1 or '?'} (geo {c.geo_precision}) |"
            f"{toll} | confidence {c.confidence:.2f}"
        )
    if not reading.candidates:
        lines.append("  no event found")
    return "\n".join(lines)


@click.group("ingest")
def ingest() -> None:
    """Read open-source reports into records proposed for review."""


@ingest.command("article")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|URL...")
@AS_USER
@click.option("--json", "as_json", is_flag=True, help="Print each article and its candidates "
              "as one JSON object a line (JSON Lines), in the order given.")
@click.option("--dry-run", is_flag=True,
              help="Read and print only; put nothing in the review queue.")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date (and time, Baghdad unless given) for text that has none.")
@node_options
def article(settings: Settings, sources: tuple[str, ...], username: str, as_json: bool,
            dry_run: bool, published: str | None) -> None:
    """Read news articles (raw HTML or pasted text, files or http(s) URLs) and propose the
    incidents, meetings and notices they describe to the review queue of the user's party
    (an article ingested before proposes nothing again)."""
    from tansiq.domain.articles import article_json, candidate_json
    from tansiq.ingest.reading import read_article
    from tansiq.ingest.sources import SourceError, load
    from tansiq.services.intake.places import own_places

    when = _published(published)
    try:
        loaded = [load(value) for value in sources]  # all or nothing: read every one first
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    with acting_as(settings, username) as (ctx, actor):  # the user must exist, dry run or not
        places = own_places(ctx, actor=actor)  # the protected sites the user sees, as the API
        readings = []
        for source in loaded:
            try:
                readings.append(read_article(source.text, url=source.url, published=when,
                                             extra_places=places))
            except ValueError as exc:
                raise click.ClickException(f"{source.name}: {exc}") from None
        for source, reading in zip(loaded, readings, strict=True):
            status = "" if dry_run else _store(ctx, actor, source.name, reading)
            if as_json:
                payload = {"article": article_json(reading.article),
                           "candidates": [candidate_json(c) for c in reading.candidates]}
                click.echo(orjson.dumps(payload).decode())
                if status:
                    click.echo(status, err=True)  # stdout stays JSON Lines
            else:
                click.echo(_summary(reading))
                if status:
                    click.echo(f"  {status}")


def _store(ctx: Any, actor: Any, name: str, reading: Any) -> str:
    """Queue one article's candidates for review; a one-line account of what was done."""
    from tansiq.services.intake.commands import propose_candidates

    result = propose_candidates(ctx, actor=actor, article=reading.article,
                                candidates=reading.candidates)
    if result.already_ingested:
        return (f"{name}: already ingested (same {result.matched_by}) as article "
                f"{result.article['id']}; nothing proposed again")
    return (f"{name}: {len(result.candidates)} candidate(s) queued for review from article "
            f"{result.article['id']}")


COMMANDS = (ingest,)
