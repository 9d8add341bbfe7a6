"""Places, actors, casualties and the pasted-text cleaner of ingest/reading."""

from __future__ import annotations

import pytest

from tansiq.geo.gazetteer import Place
from tansiq.ingest.reading.actors import actor_list, find_actors
from tansiq.ingest.reading.article import read_page
from tansiq.ingest.reading.casualties import Casualties, casualties
from tansiq.ingest.reading.clean import clean_lines
from tansiq.ingest.reading.places import PlaceFinder
from tansiq.ingest.reading.text import language_of


def _place(sentence: str, finder: PlaceFinder | None = None) -> tuple[str, str, int, bool]:
    finder = finder or PlaceFinder()
    found = finder.place(finder.mentions(sentence, language_of(sentence)))
    assert found is not None
    return found.place_name, found.admin1, found.geo_precision, found.location is not None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("An attack on a post in the Khanaqin district of Diyala governorate.",
         ("Khanaqin", "Diyala", 2, True)),
        ("قتل جنديان في قضاء خانقين بمحافظة ديالى.", ("Khanaqin", "Diyala", 2, True)),
        ("دوێنێ لە سنووری قەزای ئامێدی لە پارێزگای دهۆک بۆردومان کرا.",
         ("Amedi", "Duhok", 2, True)),
        # The town takes its district's OCHA spelling: one English name per place.
        ("ISIS militants attacked Tuz Khurmatu.", ("Tooz Khurmato", "Salah Al-Din", 1, True)),
        ("A drone strike hit an area in Dohuk governorate.", ("Duhok", "Duhok", 3, False)),
        ("Turkish warplanes bombed border areas of the Kurdistan Region.",
         ("Kurdistan Region", "", 3, False)),
        ("قصفت طائرات تركية المناطق الحدودية في إقليم كوردستان.",
         ("Kurdistan Region", "", 3, False)),
        ("The IED exploded near the village of Qara Tapa, north of Baqubah.",
         ("Qara Tapa", "Diyala", 2, True)),
        ("Turkish aircraft struck Sidakan in Erbil's Soran district.",
         ("Sidakan", "Erbil", 2, True)),
    ],
)
def test_places_with_their_precision(sentence: str, expected: tuple[str, str, int, bool]) -> None:
    assert _place(sentence) == expected


def test_words_that_are_also_place_names_are_not_places() -> None:
    finder = PlaceFinder()
    assert finder.mentions("The bomb did not hit the convoy in the north.", "en") == []
    assert finder.mentions("وقال إن البلد يمر بمرحلة صعبة في الشمال.", "ar") == []


def test_a_users_own_place_is_found_and_placed_exactly() -> None:
    camp = Place("Camp Lion", "معسكر الاسد", None, 44.2, 35.3, "Kirkuk", "Kirkuk", 0)
    finder = PlaceFinder([camp])
    assert _place("Mortars hit Camp Lion on Monday.", finder) == ("Camp Lion", "Kirkuk", 1, True)
    assert PlaceFinder().mentions("Mortars hit Camp Lion on Monday.", "en") == []


def test_a_users_place_named_as_a_town_leaves_the_town_to_the_gazetteer() -> None:
    # A site someone named "Kirkuk" must not move every mention of the city to it.
    site = Place("Kirkuk", "كركوك", None, 44.0, 35.0, "Kirkuk", "Dibis", 0)
    finder = PlaceFinder([site])
    assert _place("ISIS militants attacked Tuz Khurmatu.", finder)[0] == "Tooz Khurmato"
    found = finder.place(finder.mentions("A car bomb exploded in Kirkuk.", "en"))
    assert found is not None and (found.place_name, found.admin1) == ("Kirkuk", "Kirkuk")
    assert found.location != {"type": "Point", "coordinates": [44.0, 35.0]}


def test_actors_in_three_languages_and_capitals_only_abbreviations() -> None:
    said = "ISIS militants attacked an Iraqi army post. Is it?"
    names = [a.name for a in find_actors(said, "en")]
    assert names == ["Islamic State (Iraq)", "Military Forces of Iraq"]
    assert [a.name for a in find_actors("هاجم مسلحو داعش نقطة للحشد الشعبي", "ar")] == [
        "Islamic State (Iraq)", "Popular Mobilization Forces"]
    assert [a.name for a in find_actors("فڕۆکەکانی تورکیا بنکەکانی پەکەکەیان بۆردومان کرد",
                                        "ckb")] == [
        "Military Forces of Turkey", "PKK: Kurdistan Workers' Party"]
    assert [a.name for a in find_actors("Baghdad and Erbil agreed on Sunday", "en")] == [
        "Government of Iraq", "Kurdistan Regional Government"]
    assert {a.side for a in actor_list()} >= {"fed", "krg", "external"}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Two soldiers were killed and three others wounded on Wednesday.", Casualties(2, 3)),
        ("A Turkish drone strike killed three women.", Casualties(3, None)),
        ("The blast killed a shepherd and injured two of his sons.", Casualties(1, 2)),
        ("leaving three dead and 5 injured", Casualties(3, 5)),
        ("The shelling caused no casualties.", Casualties(0, 0)),
        ("Five suspects were arrested two days ago.", Casualties(None, None)),
        ("أسفر الهجوم عن مقتل جنديين وإصابة ثلاثة آخرين.", Casualties(2, 3)),
        ("سقطت قذائف من دون أن تسفر عن خسائر بشرية.", Casualties(0, 0)),
        ("دوو پێشمەرگە کوژران و سێ کەس بریندار بوون", Casualties(2, 3)),
    ],
)
def test_casualties(sentence: str, expected: Casualties) -> None:
    assert casualties(sentence) == expected


def test_the_cleaner_drops_page_clutter_and_keeps_the_article() -> None:
    pasted = [
        "Home > Iraq > Security", "Share", "Facebook", "A- A A +", "Log in", "Sign up",
        "Two soldiers were killed in Diyala on Wednesday.",
        "Related", "ISIS remnants active in Hamrin", "Oil prices rise",
        "The attack was the third this month.",
        "Leave a Reply", "Your email address will not be published.", "Name *",
        "A comment that is not the article.",
    ]
    assert clean_lines(pasted) == ["Two soldiers were killed in Diyala on Wednesday.",
                                   "The attack was the third this month."]
    arabic = ["الرئيسية", "حجم الخط A- A A+", "قتل جنديان في ديالى.", "اقرأ أيضاً",
              "أسعار النفط", "أضف تعليق", "تعليق"]
    assert clean_lines(arabic) == ["قتل جنديان في ديالى."]


def test_pasted_text_gives_headline_time_outlet_and_body() -> None:
    article = read_page("Shafaq News\nIED kills PMF fighter near Tuz Khurmatu\n"
                        "03/11/2020 11:22:38\nShare\nA PMF fighter was killed yesterday.\n")
    assert (article.title, article.outlet, article.body) == (
        "IED kills PMF fighter near Tuz Khurmatu", "Shafaq News",
        "A PMF fighter was killed yesterday.")
    assert article.published_at is not None and article.published_at.isoformat() == (
        "2020-03-11T11:22:38+03:00")
    assert len(article.content_hash) == 64


def test_nothing_readable_is_refused() -> None:
    with pytest.raises(ValueError, match="no article text"):
        read_page("Share\nFacebook\nTwitter\n")
