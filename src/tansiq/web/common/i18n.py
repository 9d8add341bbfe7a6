"""Translations and localised dates for the web UI in English, Arabic and Kurdish (Sorani).

Catalogs are gettext ``.po`` files under ``locales/<lang>/LC_MESSAGES/`` (``messages.po``
plus one file per concept, merged),
read and compiled in memory on first use, so there is no compile step.

Templates translate with ``{{ _("Incidents") }}`` (or ``{% trans %}`` blocks); the
language is taken from the ``lang`` variable of the render context, which every page
passes anyway for ``<html lang>`` (see :func:`page_context`). Reading it from the
context rather than from a global or a contextvar keeps rendering a pure function of
its arguments, so it works the same in sync and async routes, threads and tests.
Macros imported from another template see ``lang`` only when imported
``with context``; without it they render English.

Python code translates with ``translations(lang).gettext("...")``, or marks a message
for later translation with :func:`N_`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.core import Locale
from babel.dates import format_datetime, get_timezone_location
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES: tuple[str, ...] = ("en", "ar", "ckb")
DEFAULT_LANGUAGE = "en"
RTL: frozenset[str] = frozenset({"ar", "ckb"})
# Each language named in its own script, for the language switch.
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "ar": "العربية", "ckb": "کوردی"}
LOCALES_DIR = Path(__file__).parents[1] / "locales"
DOMAIN = "messages"

# Accept-Language tags that mean one of our languages without naming it exactly:
# Kurdish written in Arabic script, or from Iraq, is Sorani in practice.
_ALIASES: Mapping[str, str] = {"ku-arab": "ckb", "ku-iq": "ckb", "ku-arab-iq": "ckb"}
_QUALITY = re.compile(r"^q=([01](?:\.\d{0,3})?)$")
_DATETIME_PATTERN = "yyyy-MM-dd HH:mm"
# Unicode LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE.
_LRI, _PDI = "\u2066", "\u2069"
# Zone cities CLDR does not name in a UI language (it gives the English name instead).
_CITY_NAMES: Mapping[tuple[str, str], str] = {("ckb", "Asia/Baghdad"): "بەغدا"}


def N_(message: str) -> str:
    """Mark ``message`` for extraction and return it untranslated (translate it at render)."""
    return message


def catalog_path(lang: str) -> Path:
    """Return the path of the main ``.po`` file for ``lang`` (which need not exist)."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_paths(lang: str) -> list[Path]:
    """Every ``.po`` file of ``lang``: the main catalog first, then one per concept."""
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    return [catalog_path(lang)] + sorted(p for p in folder.glob("*.po") if p != catalog_path(lang))


def load_catalog(lang: str) -> Catalog:
    """All of ``lang``'s ``.po`` files merged into one catalog.

    Concepts keep their strings in their own file so that they can be edited side by
    side. Raises ValueError when two files translate the same msgid, OSError when the
    main file is missing and babel's PoFileError when a file does not parse.
    """
    merged: Catalog | None = None
    for path in catalog_paths(lang):
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=lang, domain=DOMAIN, abort_invalid=True)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if not message.id:
                continue
            if message.id in merged:
                raise ValueError(f"{path.name} repeats msgid {message.id!r} for {lang}")
            merged[message.id] = message
    assert merged is not None  # catalog_paths always lists the main file
    return merged


@cache
def translations(lang: str) -> Translations:
    """Return the compiled catalog for ``lang``, loaded once per process.

    Raises ValueError for a language outside :data:`LANGUAGES` (or a msgid two
    files both translate), OSError when its main catalog file is missing and
    babel's PoFileError when a file does not parse.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    mo_buffer = BytesIO()
    write_mo(mo_buffer, load_catalog(lang))
    mo_buffer.seek(0)
    return Translations(mo_buffer, domain=DOMAIN)


def _language_of_tag(tag: str) -> str | None:
    """Map one language tag (``ar-IQ``, ``ckb``, ``ku-Arab``) to a UI language, or None."""
    tag = tag.strip().lower().replace("_", "-")
    if tag in _ALIASES:
        return _ALIASES[tag]
    primary = tag.split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def negotiate(accept_language: str | None, cookie_value: str | None) -> str:
    """Pick the UI language: a valid cookie wins, then Accept-Language by weight, then English.

    Never raises; malformed header entries are skipped.
    """
    if cookie_value in LANGUAGES:
        return str(cookie_value)
    weighted: list[tuple[float, int, str]] = []
    for position, entry in enumerate((accept_language or "").split(",")):
        tag, *params = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for param in params:
            match = _QUALITY.match(param.replace(" ", ""))
            if match:
                quality = float(match.group(1))
        language = _language_of_tag(tag) if tag else None
        if language and quality > 0:
            weighted.append((-quality, position, language))
    return min(weighted)[2] if weighted else DEFAULT_LANGUAGE


def babel_locale(lang: str) -> Locale:
    """Return the babel locale for a UI language (``ckb`` falls back to ``ar`` if unknown)."""
    try:
        return Locale.parse(lang)
    except (ValueError, LookupError):
        return Locale.parse("ar" if lang == "ckb" else DEFAULT_LANGUAGE)


def format_datetime_local(
    dt_utc: datetime | str, lang: str, tz: str = "Asia/Baghdad", *, city: bool = True
) -> str:
    """Format an aware datetime in ``tz`` as ``2020-02-20 00:00 (Baghdad)``, city in ``lang``.

    ``dt_utc`` may also be the services' ISO 8601 text (``2020-02-20T09:00:00Z``).

    ``city=False`` leaves out the parenthesised city (for tables whose heading names it).

    For right-to-left languages the numeric part is wrapped in Unicode isolation marks
    (LRI ... PDI) so it reads left to right inside Arabic-script text, in HTML or not.
    Raises ValueError for a naive datetime and zoneinfo.ZoneInfoNotFoundError for an
    unknown zone.
    """
    if isinstance(dt_utc, str):
        dt_utc = datetime.fromisoformat(dt_utc.replace("Z", "+00:00"))
    if dt_utc.tzinfo is None or dt_utc.utcoffset() is None:
        raise ValueError("format_datetime_local needs a timezone-aware datetime")
    zone = ZoneInfo(tz)
    locale = babel_locale(lang)
    stamp = format_datetime(dt_utc, _DATETIME_PATTERN, tzinfo=zone, locale=locale)
    if lang in RTL:
        stamp = f"{_LRI}{stamp}{_PDI}"
    return f"{stamp} ({zone_city(tz, lang)})" if city else stamp


def zone_city(tz: str, lang: str) -> str:
    """Name the city of the time zone ``tz`` in ``lang`` (``Baghdad``, ``بغداد``).

    Raises zoneinfo.ZoneInfoNotFoundError for an unknown zone.
    """
    return _CITY_NAMES.get((lang, tz)) or str(
        get_timezone_location(ZoneInfo(tz), locale=babel_locale(lang), return_city=True)
    )


def page_context(lang: str) -> dict[str, Any]:
    """Return the variables every page needs for its language: ``lang`` and ``rtl``."""
    return {"lang": lang, "rtl": lang in RTL}


def _context_translations(context: jinja2.runtime.Context) -> Translations:
    """Return the catalog for the render context's ``lang``, English when absent or unknown."""
    lang = context.get("lang")
    return translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return str(_context_translations(context).gettext(message))


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return str(_context_translations(context).ngettext(singular, plural, n))


@jinja2.pass_context
def _pgettext(context: jinja2.runtime.Context, msgctxt: str, message: str) -> str:
    return str(_context_translations(context).pgettext(msgctxt, message))


@jinja2.pass_context
def _npgettext(
    context: jinja2.runtime.Context, msgctxt: str, singular: str, plural: str, n: int
) -> str:
    return str(_context_translations(context).npgettext(msgctxt, singular, plural, n))


def install_jinja(env: jinja2.Environment) -> None:
    """Enable ``jinja2.ext.i18n`` (newstyle) on ``env`` with per-render language lookup.

    Also adds the globals ``languages`` (code, own-script name pairs), ``rtl_languages``
    and the filter ``local_time`` (``{{ incident.occurred_at|local_time(lang) }}``).
    """
    env.add_extension("jinja2.ext.i18n")
    # Added to the environment by the i18n extension; jinja's stubs do not declare it.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
        newstyle=True,
    )
    env.globals["languages"] = tuple(LANGUAGE_NAMES.items())
    env.globals["rtl_languages"] = RTL
    env.filters["local_time"] = format_datetime_local
