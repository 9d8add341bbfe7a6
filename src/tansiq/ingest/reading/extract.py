"""The events an article's body describes, as candidates for an analyst to review.

The body is split into sentences; a sentence with an event cue (``cues.py``) starts an
event or joins the one before it when it reports the same thing (same kind, no other
place or day, no "separately"); a sentence right after it that only adds a toll, a place
or a time joins it too. Each event becomes one candidate with its type, time (a range
with its precision), place (with geo precision), actors, killed and injured, the
sentences it came from and a confidence. Meetings, agreements and announced follow-ups
propose a meeting record (a deadline a follow-up names rides on it); deployments propose
a notice. With a classifier (``sentence_types.py``), each sentence is typed from its cues
and the classifier together before it is grouped, in one classifier call per article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from tansiq.domain.articles import (
    Article,
    Candidate,
    CandidateKindChoices,
    ProposedRecordChoices,
)
from tansiq.ingest.reading.actors import CIVILIANS, ActorRef, event_actors, find_actors
from tansiq.ingest.reading.casualties import Casualties, casualties
from tansiq.ingest.reading.cues import Cue, cues, is_follow_up
from tansiq.ingest.reading.dates import When, day_range, find_dates
from tansiq.ingest.reading.places import Mention, PlaceFinder
from tansiq.ingest.reading.sentence_types import Classifier, classified
from tansiq.ingest.reading.text import normal, sentences

MAX_SENTENCES: Final = 120  # a long feature article is mostly background after this
_SEPARATELY: Final = re.compile(
    r"\b(?:separately|in (?:a |an )?(?:separate|another|other) (?:incident|attack|development)"
    r"|meanwhile|elsewhere|in a related development)\b|" + "|".join(re.escape(normal(w)) for w in (
        "وفي سياق منفصل", "في سياق منفصل", "في حادث آخر", "في حادث منفصل", "من جهة أخرى",
        "من جهة اخرى", "في غضون ذلك", "وفي سياق آخر", "لە ڕووداوێکی تردا", "لە لایەکی ترەوە"))
)
_TALK: Final = re.compile(r"\b(?:discuss\w*|meeting|talks|met)\b|" + "|".join(
    re.escape(normal(w)) for w in ("بحث", "ناقش", "اجتماع", "لقاء", "مباحثات", "كۆبوونەوە",
                                   "گفتوگۆ")))
_MEETING_FAMILY: Final = {"Agreement", "Other"}
_NOTICE_FAMILY: Final = {"Change to group/activity", "Headquarters or base established"}


@dataclass
class _Sentence:
    text: str
    index: int
    cues: list[Cue]
    places: list[Mention]
    actors: list[ActorRef]
    whens: list[When]
    toll: Casualties
    follow_up: bool


@dataclass
class _Event:
    family: str
    sentences: list[_Sentence] = field(default_factory=list)

    @property
    def cues(self) -> list[Cue]:
        return sorted((c for s in self.sentences for c in s.cues), key=lambda c: -c.weight)


_OWN_FAMILY: Final = {"Arrests": "arrest", "Disrupted weapons use": "disrupted",
                     "Non-violent transfer of territory": "transfer", "Peaceful protest": "protest"}


def _family(cue: Cue) -> str:
    """Cues of one family describe one event when they follow each other."""
    if cue.sub_event_type in _MEETING_FAMILY:
        return "meeting"
    if cue.sub_event_type in _NOTICE_FAMILY:
        return "notice"
    return _OWN_FAMILY.get(cue.sub_event_type, "violence")


def _main_cue(sentence: _Sentence) -> Cue | None:
    """The cue that types a sentence; talk about violence at a meeting is the meeting."""
    if not sentence.cues:
        return None
    if _TALK.search(normal(sentence.text)):
        talk = [c for c in sentence.cues if _family(c) == "meeting"]
        if talk:
            return talk[0]
    return sentence.cues[0]


def _days(event: _Event) -> set[object]:
    return {w.start.date() for s in event.sentences for w in s.whens if w.role == "occurred"}


def _admin1s(mentions: Sequence[Mention]) -> set[str]:
    return {r.admin1 for m in mentions for r in m.refs if r.kind == "governorate"}


def _joins(event: _Event, sentence: _Sentence, cue: Cue) -> bool:
    if _family(cue) != event.family or _SEPARATELY.search(normal(sentence.text)):
        return False
    days = {w.start.date() for w in sentence.whens if w.role == "occurred"}
    if days and _days(event) and not days & _days(event):
        return False
    if event.family == "meeting":
        return True  # the places an agreement names are its subject, not other meetings
    # "fired from near the boundary with Nineveh" is not another place for the event
    ours = _admin1s([m for s in event.sentences for m in s.places if not m.near])
    theirs = _admin1s([m for m in sentence.places if not m.near])
    return not (ours and theirs and not ours & theirs)


def _read(text: str, index: int, language: str, places: PlaceFinder,
          published: datetime | None) -> _Sentence:
    return _Sentence(text, index, cues(text), places.mentions(text, language),
                     find_actors(text, language), find_dates(text, published), casualties(text),
                     is_follow_up(text))


def _group(read: list[_Sentence]) -> list[_Event]:
    events: list[_Event] = []
    current: _Event | None = None
    for sentence in read:
        cue = _main_cue(sentence)
        if cue is None:
            adds = sentence.toll != Casualties() or sentence.whens
            if current is not None and adds and sentence.index - current.sentences[-1].index <= 2:
                current.sentences.append(sentence)
            continue
        sentence.cues = [cue, *(c for c in sentence.cues if c is not cue)]
        family = _family(cue)
        joinable = [e for e in reversed(events) if e.family == family][:1]
        if joinable and _joins(joinable[0], sentence, cue):
            joinable[0].sentences.append(sentence)
            current = joinable[0]
        elif family == "meeting" and sentence.follow_up and any(
            e.family == "meeting" for e in events
        ):
            current = next(e for e in reversed(events) if e.family == "meeting")
            current.sentences.append(sentence)
        else:
            current = _Event(family, [sentence])
            events.append(current)
    return events


def _pick_cue(event: _Event) -> Cue:
    first = [c for c in event.sentences[0].cues if _family(c) == event.family]
    best = event.cues[0] if event.family == "violence" else first[0]
    if event.family == "meeting" and any(c.sub_event_type == "Agreement" for c in event.cues):
        best = next(c for c in event.cues if c.sub_event_type == "Agreement")
    if event.family == "violence":
        best = next(c for c in event.cues if _family(c) == "violence")
    return best


def _when(event: _Event, published: datetime | None) -> tuple[When | None, When | None, str]:
    whens = [w for s in event.sentences for w in s.whens]
    deadline = next((w for w in whens if w.role == "deadline"), None)
    wanted = ("occurred", "since", "planned")
    if deadline is None and event.family == "meeting":
        # "the next meeting will be held next Sunday": the follow-up's date is its deadline
        deadline = next((w for s in event.sentences[1:] for w in s.whens if w.role == "planned"),
                        None)
    # What was done before when it was said: "killed on Friday, the ministry said on Saturday".
    for reported in (False, True):
        for role in wanted:
            found = next((w for w in whens if w.role == role and w.reported is reported), None)
            if found is not None:
                return found, deadline, found.note
    if published is None:
        return None, deadline, "no date in the text and no publication date"
    start, end = day_range(published.date())
    return (When(start, min(end, published), "day", "occurred", ""), deadline,
            "date taken from the publication date")


def _candidate(event: _Event, article: Article, places: PlaceFinder,
               headline: _Sentence | None) -> Candidate:
    cue = _pick_cue(event)
    # The headline speaks for the event only when it reports the same kind of event.
    top = _main_cue(headline) if headline is not None else None
    if top is None or _family(top) != event.family:
        headline = None
    actors = event_actors(s.actors for s in event.sentences)
    if not actors and headline is not None:
        actors = event_actors([headline.actors])
    sub, kind_type = cue.sub_event_type, cue.event_type
    if sub == "Armed clash" and CIVILIANS in actors and not any(
        ref.inter == 1 for s in event.sentences for ref in s.actors
    ):
        sub, kind_type = "Attack", "Violence against civilians"
    mentions = [m for s in event.sentences for m in s.places]
    notes: list[str] = []
    located = places.place(mentions)
    if located is None and headline is not None:
        located = places.place(headline.places)
        if located is not None:
            notes.append("place taken from the headline")
    when, deadline, note = _when(event, article.published_at)
    if note:
        notes.append(note)
    tolls = [s.toll for s in event.sentences]
    fatal = max((t.fatalities for t in tolls if t.fatalities is not None), default=None)
    hurt = max((t.injured for t in tolls if t.injured is not None), default=None)
    confidence = 0.3 + 0.4 * cue.weight
    confidence += 0.1 if located is not None and located.geo_precision <= 2 else 0.0
    confidence += 0.05 if located is not None else 0.0
    confidence += 0.1 if when is not None and not note else 0.0
    confidence += 0.05 if actors else 0.0
    proposes = {"meeting": ProposedRecordChoices.MEETING,
                "notice": ProposedRecordChoices.NOTICE}.get(event.family,
                                                            ProposedRecordChoices.INCIDENT)
    return Candidate(
        kind=(CandidateKindChoices.STRATEGIC_DEVELOPMENT if kind_type == "Strategic developments"
              else CandidateKindChoices.INCIDENT),
        event_type=kind_type,
        sub_event_type=sub,
        occurred_from=when.start if when else None,
        occurred_until=(when.end if when else None),
        time_precision=when.precision if when else "day",
        admin1=located.admin1 if located else "",
        admin2=located.admin2 if located else "",
        place_name=located.place_name if located else "",
        geo_precision=located.geo_precision if located else 3,
        location=located.location if located else None,
        actors=actors,
        fatalities=fatal,
        injured=hurt,
        evidence=tuple(s.text for s in event.sentences),
        confidence=min(confidence, 0.95),
        proposes=proposes,
        deadline=deadline.end if deadline is not None else None,
        notes=tuple(notes),
    )


def propose(article: Article, places: PlaceFinder, classify: Classifier | None = None
            ) -> tuple[Candidate, ...]:
    """The candidates ``article`` proposes, in the order its body tells them.

    ``classify`` (``classify.classify_many``) types the sentences with the cues; without
    it the cues alone do. Raises what ``classify`` raises.
    """
    language = article.language
    published = article.published_at
    body = sentences(article.body)[:MAX_SENTENCES]
    read = [_read(text, i, language, places, published) for i, text in enumerate(body)]
    headline = _read(article.title, -1, language, places, published) if article.title else None
    every = [*read, *([headline] if headline is not None else [])]
    for sentence, typed in zip(every, classified([s.text for s in every],
                                                 [s.cues for s in every], language, classify),
                               strict=True):
        sentence.cues = typed
    events = _group(read)
    if not events and headline is not None and headline.cues:
        events = _group([headline])
    return tuple(_candidate(e, article, places, headline) for e in events)


