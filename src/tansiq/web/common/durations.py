"""How long something lasts, or how long until or since a deadline, in the page's language.

The one place pages spell durations ("3 days 4 hours", "7 years", "overdue by 2
hours"), so that English, Arabic and Kurdish agree: under 60 days a span is given
in at most two units (days, hours, minutes); from 60 days on it is rounded to
months or years, as CLDR does. English and Arabic take their unit names from CLDR
through Babel (which knows Arabic's six plural forms); Babel has no unit names for
Sorani (it would print "7 y"), so Kurdish takes them from our catalog, where a
number is followed by the singular noun. Digits are Western, like every other
number and date in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from babel.dates import format_timedelta

from tansiq.web.common import i18n
from tansiq.web.common.i18n import N_

# Languages whose unit names Babel lacks: ours come from the catalogs.
OWN_UNITS: frozenset[str] = frozenset({"ckb"})
_UNIT_NAMES: Mapping[str, str] = {
    "year": N_("%(num)d years"),
    "month": N_("%(num)d months"),
    "day": N_("%(num)d days"),
    "hour": N_("%(num)d hours"),
    "minute": N_("%(num)d minutes"),
}
_DAY, _HOUR, _MINUTE = 86_400, 3600, 60
_PRECISE_UNITS = (("day", _DAY), ("hour", _HOUR), ("minute", _MINUTE))
# CLDR's (and Babel's) lengths of a year and a month, for the rounded long spans.
_YEAR, _MONTH = 365 * _DAY, 30 * _DAY
LONG_SPAN = 60 * _DAY


def _gettext(lang: str, message: str) -> str:
    return str(i18n.translations(lang).gettext(message))


def _unit(unit: str, amount: int, lang: str) -> str:
    """``amount`` of ``unit`` ("3 days", "٣ أيام" in Arabic script with Western digits)."""
    if lang in OWN_UNITS:
        return _gettext(lang, _UNIT_NAMES[unit]) % {"num": amount}
    seconds = {"year": _YEAR, "month": _MONTH, "day": _DAY, "hour": _HOUR, "minute": _MINUTE}
    # Just under ``amount``: every larger unit falls short, so CLDR names this one.
    threshold = max(amount - 0.5, 0.5)
    span = timedelta(seconds=seconds[unit] * amount)
    return str(format_timedelta(span, threshold=threshold, locale=i18n.babel_locale(lang)))


def duration(span: timedelta, lang: str) -> str:
    """``span`` (its sign ignored) as "3 days 4 hours", "40 minutes" or, from 60 days, "7 years".

    At least a minute. Raises ValueError for a language outside ``i18n.LANGUAGES``.
    """
    i18n.translations(lang)  # refuses an unknown language even where Babel would answer
    seconds = max(int(abs(span.total_seconds())), _MINUTE)
    if seconds >= LONG_SPAN:
        # Rounded like CLDR: years from 365 days, months below (at least one).
        if seconds >= _YEAR:
            return _unit("year", max(1, round(seconds / _YEAR)), lang)
        return _unit("month", max(1, round(seconds / _MONTH)), lang)
    parts: list[str] = []
    for unit, size in _PRECISE_UNITS:
        amount, seconds = divmod(seconds, size)
        if amount and len(parts) < 2:
            parts.append(_unit(unit, amount, lang))
        elif parts:
            break
    if len(parts) == 1:
        return parts[0]
    return _gettext(lang, "%(larger)s %(smaller)s") % {"larger": parts[0], "smaller": parts[1]}


def countdown(deadline: datetime, now: datetime, lang: str) -> str:
    """ "due in 2 hours" before ``deadline``, "overdue by 3 days" from it on.

    Raises TypeError when one datetime is aware and the other naive.
    """
    if deadline >= now:
        return _gettext(lang, "due in %(time)s") % {"time": duration(deadline - now, lang)}
    return _gettext(lang, "overdue by %(time)s") % {"time": duration(now - deadline, lang)}
