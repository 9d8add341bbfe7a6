"""Extraction against the hand-labelled articles of tests/data/articles/ (labels.json).

Prints the per-field accuracy (``pytest -s`` shows it; ``python -m tests.article_labels``
prints every miss) and holds it above the floors reached when the articles were written.
The articles were written for this project and the rules were improved while reading
34 of them, so those figures are in-sample; the 6 marked "heldout" were written and
labelled afterwards and read once, without changing a rule for them. The classifier was
wired in (``sentence_types.py``) after all 40 were read, so its thresholds were chosen
seeing every figure: the held-out ones are a check, no longer a blind test.
"""

from __future__ import annotations

from tests.article_labels import FIELDS, by_language, heldout, labels, score, tuned

# Floors a little under what the rules and the classifier reach on all 40 articles (every
# field 100 % but type 98 %, no extra; the 34 tuned ones 100 %, the 6 held-out ones type
# 83 %, the rest 100 %; with the cues alone it was type 95 %, dates 98 %, 1 extra, and
# held out type 67 %, dates 83 %): a change that loses a field on two articles fails here.
FLOORS = {"kind": 0.97, "type": 0.95, "admin1": 0.97, "dates": 0.97, "fatalities": 0.97}
TUNED_FLOOR = 0.97  # one miss in 36
HELDOUT_FLOORS = {"kind": 0.83, "type": 0.8, "admin1": 0.83, "dates": 0.83, "fatalities": 0.83}


def test_there_are_enough_labelled_articles() -> None:
    names = list(labels())
    assert len(names) >= 30
    assert sum(n.startswith("ar") for n in names) >= 6
    assert any(n.endswith(".html") for n in names) and any(n.endswith(".txt") for n in names)


def test_per_field_accuracy_against_the_labels() -> None:
    total = score()
    for lang, part in by_language().items():
        print(part.report(lang))
    tuned_score, heldout_score = score(tuned()), score(heldout())
    print(tuned_score.report("tuned"))
    print(heldout_score.report("held out"))
    print(total.report("all"))
    assert total.found == total.expected, total.misses
    assert total.extra <= 1, total.misses
    for name in FIELDS:
        assert total.accuracy(name) >= FLOORS[name], (name, total.misses)
        assert tuned_score.accuracy(name) >= TUNED_FLOOR, (name, tuned_score.misses)
        assert heldout_score.accuracy(name) >= HELDOUT_FLOORS[name], (name, heldout_score.misses)


def test_arabic_articles_give_date_place_and_type() -> None:
    arabic = by_language()["ar"]
    for name in ("type", "admin1", "dates"):
        assert arabic.accuracy(name) >= 0.85, (name, arabic.misses)
