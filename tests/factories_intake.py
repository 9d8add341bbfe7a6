"""Factory functions for the review queue: articles and candidates as a reader would give them.

The reader (``ingest/reading``) builds these shapes from HTML or pasted text; the
queue is tested with ones built here, so nothing depends on how well it reads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.articles import (
    Article,
    Candidate,
    CandidateKindChoices,
    ProposedRecordChoices,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.intake.commands import ProposalResult, propose_candidates

# The clock of tests/conftest.py stands at 2020-02-20 09:00 UTC.
PUBLISHED = datetime(2020, 2, 20, 8, 22, 38, tzinfo=UTC)
YESTERDAY = (
    datetime(2020, 2, 18, 21, 0, tzinfo=UTC),
    datetime(2020, 2, 19, 20, 59, 59, tzinfo=UTC),
)
IED_SENTENCE = (
    "Two soldiers of the Iraqi army were killed and three wounded yesterday when an "
    "explosive device went off under their vehicle in Dibis, north-west of Kirkuk."
)
MEETING_SENTENCE = (
    "The two sides agreed to hold a meeting before the end of this month to start work "
    "on joint checkpoints south of Kirkuk."
)
DEPLOYMENT_SENTENCE = (
    "Border guards were deployed to the border areas of Duhok governorate on Thursday."
)
# Dibis, north-west of Kirkuk.
DIBIS = {"type": "Point", "coordinates": [44.0606, 35.6492]}


def article(**overrides: Any) -> Article:
    """A Shafaq News report of an IED near Kirkuk and a meeting agreed in Baghdad."""
    body = " ".join([IED_SENTENCE, MEETING_SENTENCE, DEPLOYMENT_SENTENCE])
    data: dict[str, Any] = {
        "title": "Two soldiers killed in IED blast near Kirkuk",
        "published_at": PUBLISHED,
        "outlet": "Shafaq News",
        "body": body,
        "url": "https://shafaq.com/en/Security/Two-soldiers-killed-in-IED-blast-near-Kirkuk",
        "language": "en",
        "content_hash": "",
    }
    data.update(overrides)
    return Article(**data)


def ied_candidate(**overrides: Any) -> Candidate:
    """The IED in Dibis yesterday: an incident with a point, two killed, three injured."""
    data: dict[str, Any] = {
        "kind": CandidateKindChoices.INCIDENT,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "occurred_from": YESTERDAY[0],
        "occurred_until": YESTERDAY[1],
        "time_precision": "day",
        "admin1": "Kirkuk",
        "admin2": "Dibis",
        "place_name": "Dibis",
        "geo_precision": 1,
        "location": DIBIS,
        "actors": ("Islamic State (Iraq)", "Military Forces of Iraq (2014-)"),
        "fatalities": 2,
        "injured": 3,
        "evidence": (IED_SENTENCE,),
        "confidence": 0.82,
    }
    data.update(overrides)
    return Candidate(**data)


def meeting_candidate(**overrides: Any) -> Candidate:
    """An agreed follow-up meeting due by the end of February: proposes a meeting item."""
    data: dict[str, Any] = {
        "kind": CandidateKindChoices.STRATEGIC_DEVELOPMENT,
        "event_type": "Strategic developments",
        "sub_event_type": "Agreement",
        "occurred_from": None,
        "occurred_until": None,
        "time_precision": "month",
        "admin1": "Kirkuk",
        "admin2": "",
        "place_name": "south of Kirkuk",
        "geo_precision": 3,
        "location": None,
        "actors": ("Military Forces of Iraq (2014-)", "Peshmerga"),
        "fatalities": None,
        "injured": None,
        "evidence": (MEETING_SENTENCE,),
        "confidence": 0.64,
        "proposes": ProposedRecordChoices.MEETING,
        "deadline": datetime(2020, 2, 29, 20, 59, 59, tzinfo=UTC),
    }
    data.update(overrides)
    return Candidate(**data)


def deployment_candidate(**overrides: Any) -> Candidate:
    """Border guards deployed to Duhok's border areas on Thursday: a region, a notice."""
    data: dict[str, Any] = {
        "kind": CandidateKindChoices.STRATEGIC_DEVELOPMENT,
        "event_type": "Strategic developments",
        "sub_event_type": "Change to group/activity",
        "occurred_from": datetime(2020, 2, 19, 21, 0, tzinfo=UTC),
        "occurred_until": datetime(2020, 2, 20, 20, 59, 59, tzinfo=UTC),
        "time_precision": "day",
        "admin1": "Duhok",
        "admin2": "",
        "place_name": "border areas of Duhok governorate",
        "geo_precision": 3,
        "location": None,
        "actors": ("Iraqi border guards",),
        "fatalities": None,
        "injured": None,
        "evidence": (DEPLOYMENT_SENTENCE,),
        "confidence": 0.55,
        "proposes": ProposedRecordChoices.NOTICE,
    }
    data.update(overrides)
    return Candidate(**data)


def propose(
    ctx: ServiceContext,
    actor: Actor,
    *candidates: Candidate,
    **article_overrides: Any,
) -> ProposalResult:
    """Submit :func:`article` (with overrides) and the given candidates (default: all three)."""
    found = candidates or (ied_candidate(), meeting_candidate(), deployment_candidate())
    return propose_candidates(
        ctx, actor=actor, article=article(**article_overrides), candidates=found
    )


def other_article(**overrides: Any) -> Article:
    """Another article (another address and body) about the same IED."""
    return replace(
        article(),
        title="IED kills two soldiers in Dibis",
        outlet="Rudaw",
        url="https://www.rudaw.net/english/middleeast/iraq/200220201",
        body="An IED killed two Iraqi soldiers in Dibis district on Wednesday. " + IED_SENTENCE,
        **overrides,
    )
