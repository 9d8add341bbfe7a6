"""A sentence's event type from its keyword cues and the event classifier together. Pure.

English: the classifier (:mod:`classify`) types a sentence, except where a cue is
explicit: a cue of weight :data:`EXPLICIT_WEIGHT` or more ("suicide bomber", "arrested",
"airstrike") or one that proposes a meeting or a notice (a stated agreement, meeting or
deployment) keeps its type. Among a sentence's cues, the one the classifier names
leads (a weak one only when the classifier is sure, :data:`OVERRIDE_MIN`); a weak cue
("attacked", "bombed") gives way to the classifier's own incident type when it is that
sure. Arabic and Sorani: the cues decide; the classifier reads only a sentence with
none. In any language, a sentence without a cue becomes an event only when the
classifier names an ACLED incident type with :data:`FALLBACK_MIN` confidence: a class
ACLED does not code (disaster, crime, diplomacy, attribution) proposes nothing, and
neither does a meeting or notice type (those need a cue that states them). Agreeing,
the cue's weight and the classifier's confidence add up as independent evidence
(:func:`agreeing`); disagreeing, the classifier's doubt lowers the cue (:func:`doubted`).

The classifier reads only the sentences whose type it can change, in one batch per
article: an English sentence led by an explicit cue keeps the cue's type and weight
unread (the bench's 50 articles/s on one core leaves no room to read every sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from tansiq.ingest.reading.classify import Classification
from tansiq.ingest.reading.cues import Cue

#: Many texts to their classifications, in order (``classify.classify_many``).
Classifier = Callable[[Sequence[str]], Sequence[Classification]]

EXPLICIT_WEIGHT: Final = 0.8
# The classifier's probabilities spread over 30 classes: 0.4 is well above what it gives
# background sentences of the labelled articles (at most 0.31 for an ACLED class).
OVERRIDE_MIN: Final = 0.4
FALLBACK_MIN: Final = 0.4
# Fewer words is a dateline, a byline or page furniture ("Kirkuk - INA"), not an event.
MIN_WORDS: Final = 5
# How far the classifier's doubt lowers a cue it disagrees with: at most by a third.
DOUBT: Final = 1 / 3
_INCIDENT: Final = "incident"


def explicit(cue: Cue) -> bool:
    """Whether ``cue`` states its event so plainly that the classifier cannot retype it."""
    return cue.weight >= EXPLICIT_WEIGHT or cue.proposes != _INCIDENT


def wanted(cues: Sequence[Cue], language: str, text: str) -> bool:
    """Whether the classifier can change how a sentence with ``cues`` is typed."""
    if not cues:
        return len(text.split()) >= MIN_WORDS
    return language == "en" and not explicit(cues[0])


def agreeing(weight: float, confidence: float) -> float:
    """A cue's weight when the classifier names the same type: both are evidence."""
    return 1 - (1 - weight) * (1 - confidence)


def doubted(weight: float, confidence: float) -> float:
    """A cue's weight when the classifier, ``confidence`` sure, names another class."""
    return weight * (1 - DOUBT * confidence)


def typed(cues: Sequence[Cue], found: Classification | None) -> list[Cue]:
    """``cues`` reordered and reweighted by the classifier's ``found``, strongest first.

    ``found`` None (not classified) leaves ``cues`` as they are; an empty answer means
    the sentence reports no event.
    """
    if found is None:
        return list(cues)
    sub, event = found.sub_event_type, found.event_type
    if not cues:
        if (sub is None or event is None or found.confidence < FALLBACK_MIN
                or not _proposes_incident(sub)):
            return []
        return [Cue(sub, event, found.confidence, _INCIDENT, f"classifier: {found.label}")]
    named = next((c for c in cues if c.sub_event_type == sub), None)
    if explicit(cues[0]) and named is not cues[0]:
        named = None  # an explicit cue keeps its type; the classifier's doubt lowers it
    if named is not None and (named is cues[0] or explicit(named)
                              or found.confidence >= OVERRIDE_MIN):
        lead = Cue(named.sub_event_type, named.event_type,
                   agreeing(named.weight, found.confidence), named.proposes, named.phrase)
        rest = [c for c in cues if c is not named]
        return [lead, *sorted(rest, key=lambda c: -c.weight)]
    top = cues[0]
    if sub is not None and event is not None and found.confidence >= OVERRIDE_MIN and (
        _proposes_incident(sub) and not explicit(top)
    ):
        return [Cue(sub, event, found.confidence, _INCIDENT, f"classifier: {found.label}"),
                *cues]
    lead = Cue(top.sub_event_type, top.event_type, doubted(top.weight, found.confidence),
               top.proposes, top.phrase)
    return [lead, *cues[1:]]


# A meeting or a notice needs a cue that states it: the classifier alone proposes incidents.
_NOT_INCIDENTS: Final = frozenset({"Agreement", "Other", "Change to group/activity",
                                   "Headquarters or base established"})


def _proposes_incident(sub_event_type: str) -> bool:
    return sub_event_type not in _NOT_INCIDENTS


def classified(texts: Sequence[str], cue_lists: Sequence[Sequence[Cue]], language: str,
               classify: Classifier | None) -> list[list[Cue]]:
    """Each sentence's cues typed by one ``classify`` call over those it can change.

    ``classify`` None keeps the cues as they are. Raises what ``classify`` raises.
    """
    if classify is None:
        return [list(c) for c in cue_lists]
    asked = [i for i, (text, c) in enumerate(zip(texts, cue_lists, strict=True))
             if wanted(c, language, text)]
    answers = list(classify([texts[i] for i in asked])) if asked else []
    found: dict[int, Classification] = dict(zip(asked, answers, strict=True))
    return [typed(c, found.get(i)) for i, c in enumerate(cue_lists)]
