"""Typing sentences from keyword cues and the event classifier together.

A fake classifier (a dict from text to CASE label and confidence) stands in for the
model, so each rule of ``sentence_types.py`` is tested on its own; the labelled
articles (test_article_extraction.py) test the real model wired in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from tansiq.domain.articles import Article
from tansiq.ingest.reading.classify import Classification, classification
from tansiq.ingest.reading.cues import Cue, cues
from tansiq.ingest.reading.extract import propose
from tansiq.ingest.reading.places import PlaceFinder
from tansiq.ingest.reading.sentence_types import (
    FALLBACK_MIN,
    OVERRIDE_MIN,
    agreeing,
    classified,
    doubted,
    explicit,
    typed,
    wanted,
)


class FakeClassifier:
    """Answers ``answers[text]`` (default: OTHER at 0.05) and records every batch asked."""

    def __init__(self, answers: dict[str, tuple[str, float]]) -> None:
        self.answers = answers
        self.batches: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> list[Classification]:
        self.batches.append(list(texts))
        return [classification(*self.answers.get(t, ("OTHER", 0.05))) for t in texts]


def _lead(sentence: str, label: str, confidence: float) -> Cue | None:
    found = typed(cues(sentence), classification(label, confidence))
    return found[0] if found else None


def test_an_explicit_cue_keeps_its_type_against_the_classifier() -> None:
    arrest = "Police arrested two suspects in Kirkuk on Monday."
    lead = _lead(arrest, "ARMED_CLASH", 0.9)
    assert lead is not None and lead.sub_event_type == "Arrests"
    assert lead.weight == pytest.approx(doubted(0.8, 0.9)) and lead.weight < 0.8
    meeting = "The two sides agreed on a joint plan in Erbil."
    lead = _lead(meeting, "AIR_STRIKE", 0.95)
    assert lead is not None and (lead.sub_event_type, lead.proposes) == ("Agreement", "meeting")
    deployed = "The army deployed two regiments to the border."
    lead = _lead(deployed, "ARMED_CLASH", 0.9)
    assert lead is not None and (lead.sub_event_type, lead.proposes) == (
        "Change to group/activity", "notice")


def test_a_weak_cue_gives_way_to_a_sure_classifier_only() -> None:
    attacked = "Gunmen attacked the village at night."
    assert not explicit(cues(attacked)[0])
    lead = _lead(attacked, "SUIC_BOMB", OVERRIDE_MIN)
    assert lead is not None and (lead.sub_event_type, lead.weight) == ("Suicide bomb",
                                                                       OVERRIDE_MIN)
    unsure = _lead(attacked, "SUIC_BOMB", OVERRIDE_MIN - 0.01)
    assert unsure is not None and unsure.sub_event_type == "Armed clash"
    # the classifier alone never makes a meeting or a notice
    talk = _lead(attacked, "AGREEMENT", 0.9)
    assert talk is not None and talk.sub_event_type == "Armed clash"


def test_the_classifier_picks_among_the_cues_it_names() -> None:
    both = "The army deployed reinforcements after attacks on security posts."
    assert cues(both)[0].sub_event_type == "Armed clash"  # the strongest cue alone
    lead = _lead(both, "CHANGE_TO_GROUP_ACT", 0.2)  # an explicit cue: low confidence is enough
    assert lead is not None and lead.sub_event_type == "Change to group/activity"
    assert lead.weight == pytest.approx(agreeing(0.7, 0.2)) and lead.weight > 0.7
    weak = "The militants attacked and then withdrew to the desert."
    lead = _lead(weak, "NON_VIOL_TERRIT_TRANSFER", 0.1)  # a weak cue needs a sure classifier
    assert lead is not None and lead.sub_event_type == "Armed clash"


def test_a_sentence_without_cues_needs_a_sure_acled_incident_class() -> None:
    plain = "The men were taken to a police station in Hawija for questioning."
    assert cues(plain) == []
    assert typed([], classification("NATURAL_DISASTER", 0.9)) == []
    assert typed([], classification("DIPLO", 0.9)) == []
    assert typed([], classification("ARREST", FALLBACK_MIN - 0.01)) == []
    assert typed([], classification("AGREEMENT", 0.9)) == []
    found = typed([], classification("ARREST", 0.6))
    assert [(c.sub_event_type, c.weight, c.proposes) for c in found] == [
        ("Arrests", 0.6, "incident")]
    assert typed(cues(plain), None) == []


def test_only_the_sentences_the_classifier_can_change_are_asked_once() -> None:
    texts = ["A suicide bomber blew himself up at a checkpoint.",
             "Gunmen attacked the village at night.",
             "Kirkuk - INA",
             "Residents said the men were taken away in two cars."]
    fake = FakeClassifier({})
    out = classified(texts, [cues(t) for t in texts], "en", fake)
    assert fake.batches == [[texts[1], texts[3]]]
    assert [c[0].sub_event_type if c else None for c in out] == [
        "Suicide bomb", "Armed clash", None, None]
    assert not wanted(cues(texts[1]), "ar", texts[1])  # Arabic, Sorani: the cues decide
    assert wanted([], "ar", texts[3]) and wanted([], "ckb", texts[3])
    untouched = classified(texts, [cues(t) for t in texts], "en", None)
    assert untouched == [cues(t) for t in texts]


def _article(body: str, language: str = "en") -> Article:
    return Article(title="", published_at=datetime(2021, 4, 20, 9, tzinfo=UTC), outlet="",
                   body=body, language=language)


def test_propose_drops_a_sentence_the_classifier_calls_a_disaster() -> None:
    flood = "Heavy rain swept away houses in the Shaqlawa district of Erbil on Monday."
    assert propose(_article(flood), PlaceFinder(), FakeClassifier({})) == ()
    disaster = FakeClassifier({flood: ("NATURAL_DISASTER", 0.9)})
    assert propose(_article(flood), PlaceFinder(), disaster) == ()
    assert disaster.batches == [[flood]]
    taken = "Security forces took away three young men from Hawija in Kirkuk on Monday."
    arrest = propose(_article(taken), PlaceFinder(), FakeClassifier({taken: ("ARREST", 0.7)}))
    assert [(c.sub_event_type, c.admin1, c.evidence) for c in arrest] == [
        ("Arrests", "Kirkuk", (taken,))]
    assert 0.3 < arrest[0].confidence <= 0.95


def test_propose_in_arabic_keeps_the_cues_and_asks_only_about_the_rest() -> None:
    body = ("انفجرت عبوة ناسفة على دورية للجيش في قضاء الطارمية شمال بغداد.\n"
            "وقال مصدر أمني إن قوة أمنية طوقت المكان وباشرت بالبحث عن المنفذين.")
    first, second = body.split("\n")
    fake = FakeClassifier({first: ("AIR_STRIKE", 0.99), second: ("DIPLO", 0.9)})
    found = propose(_article(body, "ar"), PlaceFinder(), fake)
    assert [c.sub_event_type for c in found] == ["Remote explosive/landmine/IED"]
    assert first not in [t for batch in fake.batches for t in batch]
