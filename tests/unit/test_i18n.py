"""Catalog completeness, language negotiation, local times and the Jinja wiring of web.i18n."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract

from tansiq.web.common import i18n

WEB = Path(i18n.__file__).parents[1]
TEMPLATES = WEB / "templates"
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != "en"]


def _catalog(lang: str) -> Catalog:
    return i18n.load_catalog(lang)


def _msgids(catalog: Catalog) -> set[str]:
    return {str(message.id) for message in catalog if message.id}


def _messages(path: Path) -> Iterator[str]:
    """Yield every translatable string literal in a template or Python file."""
    method = "jinja2.ext:babel_extract" if path.suffix == ".html" else "python"
    with path.open("rb") as source:
        for _lineno, message, _comments, _context in extract(
            method, source, keywords=DEFAULT_KEYWORDS, options={"trimmed": "false"}
        ):
            # ngettext/pgettext give tuples: every part that is text is a msgid.
            parts = message if isinstance(message, tuple) else (message,)
            yield from (part for part in parts if part)


def _ui_sources() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html")) + sorted(WEB.rglob("*.py"))


def test_catalogs_have_utf8_headers_and_plural_forms() -> None:
    for lang in i18n.LANGUAGES:
        catalog = _catalog(lang)
        headers = dict(catalog.mime_headers)
        assert headers["Language"] == lang
        assert "charset=utf-8" in headers["Content-Type"].lower()
        assert headers["Plural-Forms"].startswith("nplurals=")
        assert not [m.id for m in catalog if m.id and m.fuzzy], f"fuzzy entries in {lang}"
    assert _catalog("ar").num_plurals == 6


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_english_msgid_is_translated(lang: str) -> None:
    english = _msgids(_catalog("en"))
    translated = {str(m.id): m.string for m in _catalog(lang) if m.id}
    missing = sorted(msgid for msgid in english if not translated.get(msgid))
    assert not missing, f"{lang} lacks translations for: {missing}"
    stray = sorted(set(translated) - english)
    assert not stray, f"{lang} has msgids that the en catalog does not list: {stray}"


def test_every_ui_string_is_in_all_catalogs() -> None:
    sources = _ui_sources()
    assert TEMPLATES / "base.html" in sources
    found = {(msgid, path.relative_to(WEB)) for path in sources for msgid in _messages(path)}
    assert ("Incidents", Path("templates/base.html")) in found
    for lang in i18n.LANGUAGES:
        msgids = _msgids(_catalog(lang))
        missing = sorted(f"{path}: {msgid!r}" for msgid, path in found if msgid not in msgids)
        assert not missing, f"add these to a catalog in locales/{lang}/LC_MESSAGES/: {missing}"


def test_extraction_sees_every_way_of_marking_a_string(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '{{ _("A") }} {{ gettext("B") }} {% trans %}C{% endtrans %}'
        ' {{ ngettext("%(num)d D", "%(num)d Ds", n) }}',
        encoding="utf-8",
    )
    module = tmp_path / "routes.py"
    module.write_text('flash(t.gettext("E"))\nLABEL = N_("F")\nmsg = _("G")\n', encoding="utf-8")
    found = set(_messages(page)) | set(_messages(module))
    assert found == {"A", "B", "C", "%(num)d D", "%(num)d Ds", "E", "F", "G"}


def test_map_js_default_labels_are_in_the_catalog() -> None:
    script = (WEB / "static" / "map.js").read_text(encoding="utf-8")
    block = re.search(r"DEFAULT_LABELS = \{(.*?)\}", script, re.S)
    assert block is not None
    labels = re.findall(r'\w+: "([^"]+)"', block.group(1))
    assert labels
    assert set(labels) <= _msgids(_catalog("en"))


def test_taxonomy_is_translated() -> None:
    from tansiq.domain.choices import EVENT_TAXONOMY

    terms = set(EVENT_TAXONOMY) | {sub for subs in EVENT_TAXONOMY.values() for sub in subs}
    assert len(terms) == 31
    assert terms <= _msgids(_catalog("en"))


def test_translations_are_cached_and_translate() -> None:
    assert i18n.translations("ar") is i18n.translations("ar")
    assert i18n.translations("ar").gettext("Incidents") == "الحوادث"
    assert i18n.translations("ckb").gettext("Map") == "نەخشە"
    assert i18n.translations("en").gettext("Map") == "Map"
    assert i18n.translations("ar").gettext("not in any catalog") == "not in any catalog"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.translations("fr")


@pytest.mark.parametrize(
    ("header", "cookie", "expected"),
    [
        ("ar-IQ,ar;q=0.9", None, "ar"),
        ("ar-IQ,ar;q=0.9", "ckb", "ckb"),
        ("ar-IQ,ar;q=0.9", "fr", "ar"),
        ("en;q=0.3, ar;q=0.8", None, "ar"),
        ("fr-FR, ckb;q=0.5, en;q=0.4", None, "ckb"),
        ("ku-Arab-IQ", None, "ckb"),
        ("ar;q=0, en;q=0.1", None, "en"),
        ("de, fr", None, "en"),
        ("", None, "en"),
        (None, None, "en"),
        ("ar;q=oops, ;;, ckb;q=0.2", "", "ar"),
    ],
)
def test_negotiate(header: str | None, cookie: str | None, expected: str) -> None:
    assert i18n.negotiate(header, cookie) == expected


def test_format_datetime_local_converts_to_baghdad() -> None:
    moment = datetime(2020, 2, 19, 21, 0, tzinfo=UTC)
    assert i18n.format_datetime_local(moment, "en") == "2020-02-20 00:00 (Baghdad)"
    # RTL languages isolate the numbers so they stay left to right inside Arabic script.
    assert i18n.format_datetime_local(moment, "ar") == "\u20662020-02-20 00:00\u2069 (بغداد)"
    assert i18n.format_datetime_local(moment, "ckb") == "\u20662020-02-20 00:00\u2069 (بەغدا)"
    assert i18n.format_datetime_local(moment, "en", tz="UTC").startswith("2020-02-19 21:00")
    with pytest.raises(ValueError, match="timezone-aware"):
        i18n.format_datetime_local(datetime(2020, 2, 19, 21, 0), "en")


def test_ckb_has_its_own_babel_locale() -> None:
    assert i18n.babel_locale("ckb").language == "ckb"
    assert i18n.babel_locale("ar").character_order == "right-to-left"


@pytest.fixture
def env() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    i18n.install_jinja(environment)
    return environment


def test_jinja_translates_per_render(env: jinja2.Environment) -> None:
    template = env.from_string('{{ _("Incidents") }}|{% trans %}Map{% endtrans %}')
    assert template.render(lang="ar") == "الحوادث|الخريطة"
    assert template.render(lang="en") == "Incidents|Map"
    assert template.render() == "Incidents|Map"
    plural = env.from_string('{{ ngettext("%(num)d day", "%(num)d days", n) }}')
    assert plural.render(lang="en", n=2) == "2 days"


def test_base_template_renders_rtl_with_nav(env: jinja2.Environment) -> None:
    page = env.from_string('{% extends "base.html" %}{% block content %}x{% endblock %}')
    user = {"display_name": "Ali", "username": "ali", "party_id": "krg"}
    html = page.render(**i18n.page_context("ckb"), user=user, csrf_token="tok")
    assert '<html lang="ckb" dir="rtl">' in html
    assert 'href="/map">نەخشە</a>' in html
    assert 'action="/logout"' in html and 'value="tok"' in html
    anonymous = page.render(lang="en")
    assert '<html lang="en" dir="ltr">' in anonymous
    assert 'action="/logout"' not in anonymous
