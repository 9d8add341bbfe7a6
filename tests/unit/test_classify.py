"""The event classifier: its interface, the CASE→ACLED mapping, clear cases, no network.

The example snippets below are written for these tests and are not in the training
file (a test checks it), so they show what the model does on text it has not seen.
"""

from __future__ import annotations

import socket
from typing import Any

import numpy as np
import pytest

from tansiq.domain.choices import EVENT_TAXONOMY
from tansiq.ingest.reading import event_model
from tansiq.ingest.reading.classify import (
    CASE_LABELS,
    CASE_TO_ACLED,
    Classification,
    classification,
    classify,
    classify_many,
)
from tansiq.ingest.reading.event_cues import CUE_NAMES, cues, is_arabic
from tansiq.ingest.reading.event_model import (
    FEATURE_VERSION,
    MODEL_FILE,
    SNIPPETS_FILE,
    LinearModel,
    prepare,
    read_data,
    shipped_model,
    snippets_digest,
)
from tansiq.ingest.reading.event_snippets import parse_snippets

ENGLISH = {
    "A suicide bomber detonated his vest among shoppers at a market in Tuz Khurmatu, "
    "killing nine people.": "SUIC_BOMB",
    "Turkish warplanes struck villages in the Amedi district of Duhok governorate on "
    "Wednesday, the mayor said.": "AIR_STRIKE",
    "An IED planted on the road to Jalawla blew up under a Federal Police vehicle, "
    "wounding two officers.": "REM_EXPLOS",
    "Security forces arrested four suspected ISIS members during a raid in the Rashad "
    "sub-district of Kirkuk.": "ARREST",
    "Hundreds of teachers demonstrated peacefully outside the governorate building in "
    "Duhok to demand their salaries.": "PEACE_PROTEST",
    "An earthquake of magnitude 6.1 struck near Khanaqin, damaging dozens of houses.":
        "NATURAL_DISASTER",
    "Baghdad and Erbil signed an agreement to deploy joint forces in the areas between "
    "their lines in Nineveh.": "AGREEMENT",
}

ARABIC = {
    "فجر انتحاري حزامه الناسف وسط تجمع للمدنيين في سوق بقضاء طوزخورماتو": (
        "Explosions/Remote violence", "Suicide bomb"),
    "اشتباكات بين الجيش العراقي وعناصر داعش في وادي الشاي أسفرت عن مقتل ثلاثة إرهابيين": (
        "Battles", None),
    "قصفت طائرات تركية قرى في قضاء العمادية بمحافظة دهوك": (
        "Explosions/Remote violence", None),
    "اعتقلت القوات الأمنية أربعة متهمين بالإرهاب في ناحية الرشاد بكركوك": (
        "Strategic developments", "Arrests"),
    "تظاهر مئات المعلمين أمام مبنى محافظة دهوك للمطالبة برواتبهم": ("Protests", None),
    "انفجرت عبوة ناسفة على طريق جلولاء لدى مرور عجلة للشرطة الاتحادية": (
        "Explosions/Remote violence", "Remote explosive/landmine/IED"),
}


def test_mapping_spells_every_acled_sub_event_type_once() -> None:
    mapped = [acled for acled in CASE_TO_ACLED.values() if acled is not None]
    for event_type, sub_event_type in mapped:
        assert sub_event_type in EVENT_TAXONOMY[event_type]
    every = {(t, sub) for t, subs in EVENT_TAXONOMY.items() for sub in subs}
    assert sorted(mapped) == sorted(every)  # all 25, none twice
    assert len(CASE_LABELS) == 30
    outside = {label for label, acled in CASE_TO_ACLED.items() if acled is None}
    assert outside == {"NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME", "DIPLO", "ATTRIB"}


def test_classification_of_a_label() -> None:
    assert classification("ARMED_CLASH", 0.8) == Classification(
        "ARMED_CLASH", "Battles", "Armed clash", 0.8
    )
    assert classification("DIPLO", 1.5) == Classification("DIPLO", None, None, 1.0)
    with pytest.raises(ValueError, match="label"):
        classification("SHELLING", 0.5)


def test_classify_answers_the_interface() -> None:
    result = classify("Gunmen opened fire on a wedding party in a village near Baquba.")
    assert isinstance(result, Classification)
    assert result.label in CASE_LABELS
    assert 0.0 <= result.confidence <= 1.0
    acled = CASE_TO_ACLED[result.label]
    assert (result.event_type, result.sub_event_type) == (acled if acled else (None, None))


@pytest.mark.parametrize("text", ["", "   \n", None, 3])
def test_classify_refuses_what_is_not_text(text: Any) -> None:
    with pytest.raises(ValueError, match="text"):
        classify(text)
    with pytest.raises(ValueError, match=r"texts\[1\]"):
        classify_many(["A rocket hit the airport.", text])


def test_classify_many_of_nothing_is_nothing() -> None:
    assert classify_many([]) == []


def test_clear_english_examples() -> None:
    results = classify_many(list(ENGLISH))
    assert [r.label for r in results] == list(ENGLISH.values())


def test_arabic_examples_yield_their_event_type() -> None:
    assert all(is_arabic(text) for text in ARABIC)
    for text, (event_type, sub_event_type) in ARABIC.items():
        result = classify(text)
        assert result.event_type == event_type, text
        if sub_event_type is not None:
            assert result.sub_event_type == sub_event_type, text


def test_examples_are_not_training_snippets() -> None:
    training = {s.text for s in parse_snippets(read_data(SNIPPETS_FILE).decode(), CASE_LABELS)}
    assert not training & (set(ENGLISH) | set(ARABIC))


def test_deterministic_and_batch_equals_one_by_one() -> None:
    texts = list(ENGLISH)[:3] + list(ARABIC)[:2]
    batch = classify_many(texts)
    assert classify_many(texts) == batch
    for text, result in zip(texts, batch, strict=True):
        alone = classify(text)
        assert alone.label == result.label
        assert alone.confidence == pytest.approx(result.confidence, abs=1e-4)


def test_no_network_is_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the classifier tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Load everything again from the installed files, with the network refused.
    event_model._encoder.cache_clear()
    shipped_model.cache_clear()
    assert classify("Mortar rounds fell on a village in Khanaqin.").label in CASE_LABELS


def test_shipped_model_was_trained_on_the_shipped_snippets() -> None:
    model = shipped_model()
    assert model.snippets_sha256 == snippets_digest(), (
        f"{SNIPPETS_FILE} changed: run tools/train_classifier.py to retrain {MODEL_FILE}"
    )
    assert model.cue_names == CUE_NAMES and model.feature_version == FEATURE_VERSION
    assert set(model.labels) == CASE_LABELS


def test_model_file_round_trips_and_refuses_garbage() -> None:
    model = shipped_model()
    again = LinearModel.from_bytes(model.to_bytes())
    assert again.labels == model.labels and np.array_equal(again.coef, model.coef)
    with pytest.raises(ValueError, match="event classifier"):
        LinearModel.from_bytes(b"not a model")


def test_prepare_collapses_space_and_caps_length() -> None:
    assert prepare("  two\n\tlines  ") == "two lines"
    long = "word " * 1000
    assert len(prepare(long)) <= event_model.MAX_CHARS and not prepare(long).endswith(" ")


def test_arabic_cues_match_through_spelling_variants() -> None:
    # Hamza on the alef, ta marbuta written as ha, harakat: all fold to one spelling.
    assert "arrest" in cues("إعتقلت القوّات الأمنيّة متهماً")
    assert "suicide" in cues("هجوم انتحاريّ")
    assert "ied" in cues("انفجار عبوه ناسفه")
    assert cues("") == frozenset()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[NOPE]\nen: a", "line 1: unknown label"),
        ("en: a", "line 1: snippet before the first"),
        ("[DIPLO]\nfr: a", "line 2: expected"),
        ("[DIPLO]\nen: a\nen: a", "line 3: snippet given twice"),
    ],
)
def test_snippet_file_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_snippets(text, CASE_LABELS)


def test_snippet_file_parses() -> None:
    snippets = parse_snippets("# note\n\n[DIPLO]\nen: one\nar: اثنان\n", CASE_LABELS)
    assert [(s.label, s.language, s.text) for s in snippets] == [
        ("DIPLO", "en", "one"), ("DIPLO", "ar", "اثنان")
    ]
