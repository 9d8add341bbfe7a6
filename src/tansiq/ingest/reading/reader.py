"""Reading one article: its text and the candidates it proposes (the entry point)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tansiq.domain.articles import Article, Candidate
from tansiq.geo.gazetteer import Place
from tansiq.ingest.reading.article import read_page
from tansiq.ingest.reading.classify import classify_many
from tansiq.ingest.reading.extract import propose
from tansiq.ingest.reading.places import PlaceFinder


@dataclass(frozen=True)
class Reading:
    """An article as read and the events it describes, proposed for review."""

    article: Article
    candidates: tuple[Candidate, ...]


def read_article(
    source: str,
    *,
    url: str = "",
    published: datetime | None = None,
    extra_places: Sequence[Place] = (),
) -> Reading:
    """Read a news article given as raw HTML or as text copied from a page (decided here).

    ``published`` stands in when the page gives no publication time (naive = Baghdad
    time); ``extra_places`` are the user's own places, found beside the gazetteer's.
    The event classifier types the sentences beside the keyword cues (``sentence_types.py``).
    Raises ValueError when ``source`` holds no readable text.
    """
    article = read_page(source, url=url, published=published)
    return Reading(article, propose(article, PlaceFinder(extra_places), classify_many))
