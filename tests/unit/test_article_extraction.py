"""Extraction against the hand-labelled articles of tests/data/articles/ (labels.json).

Prints the per-field accuracy (``pytest -s`` shows it; ``python -m tests.article_labels``
prints every miss) and holds it above the floors reached when the articles were written.
The articles were written for this project and the rules were improved while reading
34 of them, so those figures are in-sample; the 6 marked "heldout" were written and
labelled afterwards and read once, without changing a rule for them.
"""

from __future__ import annotations

from tests.article_labels import FIELDS, by_language, heldout, labels, score

# Floors a little under what the shipped rules reach on all 40 articles (kind, admin1
# and fatalities 100 %, type 95 %, dates 98 %, 1 extra; the 6 held-out ones alone: type
# 67 %, dates 83 %): a change that loses a field on a few articles fails here.
FLOORS = {"kind": 0.97, "type": 0.94, "admin1": 0.94, "dates": 0.9, "fatalities": 0.94}


def test_there_are_enough_labelled_articles() -> None:
    names = list(labels())
    assert len(names) >= 30
    assert sum(n.startswith("ar") for n in names) >= 6
    assert any(n.endswith(".html") for n in names) and any(n.endswith(".txt") for n in names)


def test_per_field_accuracy_against_the_labels() -> None:
    total = score()
    for lang, part in by_language().items():
        print(part.report(lang))
    print(score(heldout()).report("held out"))
    print(total.report("all"))
    assert total.found == total.expected, total.misses
    assert total.extra <= 2, total.misses
    for name in FIELDS:
        assert total.accuracy(name) >= FLOORS[name], (name, total.misses)


def test_arabic_articles_give_date_place_and_type() -> None:
    arabic = by_language()["ar"]
    for name in ("type", "admin1", "dates"):
        assert arabic.accuracy(name) >= 0.85, (name, arabic.misses)
