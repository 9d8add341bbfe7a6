"""Publication stamps and relative dates: what dateparser alone does not resolve."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tansiq.ingest.reading.dates import BAGHDAD, When, find_dates, parse_datetime

THURSDAY = datetime(2020, 2, 20, 11, 22, tzinfo=BAGHDAD)


def _one(sentence: str, published: datetime = THURSDAY) -> When:
    found = find_dates(sentence, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("stamp", "expected", "has_time"),
    [
        ("02/20/2020 11:22:38", datetime(2020, 2, 20, 11, 22, 38), True),
        ("20 February 2020", datetime(2020, 2, 20), False),
        ("Thursday, February 20, 2020 at 10:02 PM", datetime(2020, 2, 20, 22, 2), True),
        ("2020-02-20T08:22:38+00:00", datetime(2020, 2, 20, 11, 22, 38), True),
        ("الخميس 20 شباط 2020 - 11:22", datetime(2020, 2, 20, 11, 22), True),
        ("٢٠ كانون الثاني ٢٠٢٠", datetime(2020, 1, 20), False),
        ("١ تشرين الأول 2020", datetime(2020, 10, 1), False),
        ("٢٠ی شوباتی ٢٠٢٠", datetime(2020, 2, 20), False),
        ("2020/2/20 14:05", datetime(2020, 2, 20, 14, 5), True),
    ],
)
def test_publication_stamps(stamp: str, expected: datetime, has_time: bool) -> None:
    assert parse_datetime(stamp) == (expected.replace(tzinfo=BAGHDAD), has_time)


def test_numeric_dates_day_first_only_where_asked_or_forced() -> None:
    assert parse_datetime("05/04/2020")[0].date() == date(2020, 5, 4)
    assert parse_datetime("05/04/2020", day_first=True)[0].date() == date(2020, 4, 5)
    assert parse_datetime("20/02/2020")[0].date() == date(2020, 2, 20)
    assert parse_datetime("no date here") is None


@pytest.mark.parametrize(
    "sentence",
    ["Two soldiers were killed yesterday, Wednesday, in Diyala.",
     "قتل جنديان أمس الأربعاء في هجوم لداعش.",
     "دوێنێ چوارشەممە دوو پێشمەرگە کوژران."],
)
def test_yesterday_with_its_weekday(sentence: str) -> None:
    when = _one(sentence)
    assert (when.start.date(), when.end.date(), when.precision) == (date(2020, 2, 19),) * 2 + (
        "day",
    )
    assert when.note == ""


def test_yesterday_that_does_not_fit_the_weekday_takes_the_weekday_and_says_so() -> None:
    when = _one("The attack took place yesterday (Tuesday).")
    assert when.start.date() == date(2020, 2, 18)
    assert "does not fit" in when.note


def test_weekdays_past_and_future() -> None:
    assert _one("ISIS attacked a post on Monday.").start.date() == date(2020, 2, 17)
    assert _one("The delegation will visit Erbil on Sunday.").start.date() == date(2020, 2, 23)
    planned = _one("سيعقد الاجتماع يوم الأحد المقبل.")
    assert (planned.role, planned.start.date()) == ("planned", date(2020, 2, 23))


def test_parts_of_the_day_narrow_the_range() -> None:
    evening = _one("هاجم مسلحو داعش مساء الثلاثاء نقطة للجيش.")
    assert (evening.start.hour, evening.end.date()) == (16, date(2020, 2, 18))
    night = _one("A mortar shell hit the village last night.")
    assert (night.start, night.end.date()) == (datetime(2020, 2, 19, 18, tzinfo=BAGHDAD),
                                               date(2020, 2, 20))


def test_a_stated_hour_is_exact() -> None:
    when = _one("A roadside bomb exploded at 10:30 pm on Tuesday.")
    assert (when.start, when.precision) == (datetime(2020, 2, 18, 22, 30, tzinfo=BAGHDAD), "exact")
    arabic = _one("وقع الهجوم الساعة 10 مساء يوم الثلاثاء.")
    assert arabic.start == datetime(2020, 2, 18, 22, tzinfo=BAGHDAD)


@pytest.mark.parametrize(
    "sentence",
    ["Turkish strikes have continued since the middle of last month.",
     "شن الطيران التركي غارات منذ منتصف الشهر الماضي.",
     "فڕۆکەکانی تورکیا لە ناوەڕاستی مانگی ڕابردووەوە بۆردومان دەکەن."],
)
def test_since_the_middle_of_last_month_is_a_range_up_to_publication(sentence: str) -> None:
    when = _one(sentence)
    assert (when.role, when.start.date(), when.end) == ("since", date(2020, 1, 16), THURSDAY)


@pytest.mark.parametrize(
    "sentence",
    ["The centres must open before the end of this month.",
     "اتفق الجانبان على تشكيل لجنة قبل نهاية الشهر الجاري.",
     "پێش کۆتایی ئەم مانگە لیژنەکە پێکدەهێنرێت."],
)
def test_before_the_end_of_this_month_is_a_deadline(sentence: str) -> None:
    when = _one(sentence)
    assert (when.role, when.end) == ("deadline", datetime(2020, 2, 29, 23, 59, 59, tzinfo=BAGHDAD))


def test_other_relative_forms() -> None:
    assert _one("Three days ago a shepherd was killed.").start.date() == date(2020, 2, 17)
    assert _one("قتل راع قبل يومين.").start.date() == date(2020, 2, 18)
    week = _one("The attacks rose last week.")
    assert (week.start.date(), week.end.date(), week.precision) == (
        date(2020, 2, 8), date(2020, 2, 14), "week")
    assert _one("وقع الهجوم في 18 شباط الجاري.").start.date() == date(2020, 2, 18)
    within = _one("خلال يومين سيتم نشر القوات.")
    assert (within.role, within.end.date()) == ("deadline", date(2020, 2, 22))


def test_the_day_it_was_said_is_marked() -> None:
    found = find_dates("Two were killed on Friday, the ministry said on Saturday.", THURSDAY)
    assert [w.reported for w in found] == [False, True]


def test_without_a_publication_date_only_dates_with_a_year_resolve() -> None:
    assert find_dates("Two soldiers were killed yesterday, Wednesday.", None) == []
    assert find_dates("The attack of 18 February 2020 killed two.", None)[0].start.date() == date(
        2020, 2, 18)
