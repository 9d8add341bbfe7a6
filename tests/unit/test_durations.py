"""Durations read the same in English, Arabic and Kurdish: two units below 60 days, then
rounded to months or years; Kurdish from our catalog because Babel has no Sorani units."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tansiq.web.common.durations import countdown, duration

NOW = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("span", "lang", "expected"),
    [
        (timedelta(days=2471, hours=14), "en", "7 years"),
        (timedelta(days=2471, hours=14), "ar", "7 سنوات"),
        (timedelta(days=2471, hours=14), "ckb", "7 ساڵ"),
        (timedelta(days=100), "en", "3 months"),
        (timedelta(days=100), "ckb", "3 مانگ"),
        (timedelta(days=3, hours=4, minutes=5), "en", "3 days 4 hours"),
        (timedelta(days=3, hours=4), "ar", "3 أيام و4 ساعات"),
        (timedelta(days=3, hours=4), "ckb", "3 ڕۆژ و 4 کاتژمێر"),
        (timedelta(minutes=40), "en", "40 minutes"),
        (timedelta(seconds=5), "en", "1 minute"),
        (timedelta(days=-2), "en", "2 days"),
    ],
)
def test_duration_is_humanised_in_each_language(span: timedelta, lang: str, expected: str) -> None:
    assert duration(span, lang) == expected


def test_no_language_falls_back_to_babel_s_root_abbreviations() -> None:
    # Babel's root data would spell "7 y" or "3 d": every language names its units.
    for lang in ("en", "ar", "ckb"):
        for span in (timedelta(days=2500), timedelta(days=90), timedelta(days=3, hours=1)):
            text = duration(span, lang)
            assert not re.search(r"\d [a-z]\b", text), (lang, text)


def test_countdown_before_and_after_the_deadline() -> None:
    assert countdown(NOW + timedelta(hours=2), NOW, "en") == "due in 2 hours"
    assert countdown(NOW - timedelta(days=2571), NOW, "en") == "overdue by 7 years"
    assert countdown(NOW - timedelta(days=2571), NOW, "ar") == "متأخر 7 سنوات"
    assert countdown(NOW - timedelta(days=2571), NOW, "ckb").startswith("7 ساڵ")


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        duration(timedelta(hours=1), "fr")
