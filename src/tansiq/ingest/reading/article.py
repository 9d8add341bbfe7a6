"""A news article from raw HTML or from text copied off a page: headline, time, outlet, body.

HTML goes through trafilatura (main text without navigation, comments or related links)
and the page's own metadata (``article:published_time``, JSON-LD ``datePublished``,
``og:site_name``…); pasted text through ``clean.py``. Either way the body is cleaned of
clutter, the headline is the page's title or the first headline-like line, the time the
first stamp near the top, and the outlet is named by the page, the URL or the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime
from typing import Any, Final
from urllib.parse import urlparse

from tansiq.domain.articles import Article
from tansiq.ingest.reading.clean import clean_lines
from tansiq.ingest.reading.dates import BAGHDAD, parse_datetime
from tansiq.ingest.reading.text import language_of, normal

# (outlet, its domains, how its text names it)
OUTLETS: Final = (
    ("Shafaq News", ("shafaq.com",), ("Shafaq News", "شفق نيوز", "شەفەق نیوز")),
    ("Rudaw", ("rudaw.net",), ("Rudaw", "روداو", "ڕووداو")),
    ("Kurdistan24", ("kurdistan24.net",), ("Kurdistan24", "Kurdistan 24", "كوردستان 24",
                                           "کوردستان24", "کوردستان 24")),
    ("INA", ("ina.iq",), ("Iraqi News Agency", "(INA)", "وكالة الأنباء العراقية", "(واع)")),
    ("Sky News Arabia", ("skynewsarabia.com",), ("Sky News Arabia", "سكاي نيوز عربية")),
    ("Alsumaria", ("alsumaria.tv",), ("Alsumaria", "السومرية نيوز")),
    ("Baghdad Today", ("baghdadtoday.news",), ("Baghdad Today", "بغداد اليوم")),
    ("964", ("964media.com",), ("964 Media",)),
    ("Kirkuk Now", ("kirkuknow.com",), ("Kirkuk Now", "كركوك ناو")),
    ("BasNews", ("basnews.com",), ("BasNews", "باسنيوز")),
    ("The New Arab", ("newarab.com", "alaraby.co.uk"), ("The New Arab", "العربي الجديد")),
    ("Al-Monitor", ("al-monitor.com",), ("Al-Monitor",)),
    ("Iraqi News", ("iraqinews.com",), ("Iraqi News",)),
    ("Reuters", ("reuters.com",), ("(Reuters)", "Reuters")),
    ("AFP", ("afp.com",), ("(AFP)", "AFP")),
)
_HTML: Final = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|article|div|p|meta)\b", re.I)
_BYLINE: Final = re.compile(
    r"^(?:by|written by|reporter|author|reported by|editing by|" + "|".join(
        re.escape(normal(w)) for w in ("بقلم", "كتب", "تقرير", "المحرر", "نووسینی")) + r")\b",
)
_STAMP_LINE: Final = re.compile(
    r"^(?:published|posted|updated|date|on|" + "|".join(
        re.escape(normal(w)) for w in ("نشر", "تاريخ النشر", "آخر تحديث", "بڵاوکراوەتەوە")) + r")\b"
)
_META_TIME: Final = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "date", "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date", "publish-date",
)


def looks_like_html(source: str) -> bool:
    """True when ``source`` is markup rather than text copied from a page."""
    return bool(_HTML.search(source[:4000]))


def content_hash(body: str) -> str:
    """Hex SHA-256 of the folded body: the same article pasted twice hashes the same."""
    return hashlib.sha256(" ".join(normal(body).split()).encode()).hexdigest()


def outlet_of(url: str, text: str, named: str = "") -> str:
    """The outlet named by the page, its URL's host or the text's first and last lines."""
    host = urlparse(url).hostname or ""
    for name, domains, _ in OUTLETS:
        if any(host == d or host.endswith("." + d) for d in domains):
            return name
    if named:
        for name, _, cues in OUTLETS:
            if normal(named) in {normal(c) for c in (name, *cues)}:
                return name
        return named.strip()
    lines = [line for line in text.splitlines() if line.strip()]
    edges = " ".join([*lines[:4], *lines[-4:]])[:3000]
    for name, _, cues in OUTLETS:
        if any(cue in edges for cue in cues):
            return name
    return ""


def _headline_like(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 30 and not _BYLINE.match(normal(line))


def _from_text(text: str, url: str, published: datetime | None, title: str = "",
               outlet: str = "") -> Article:
    lines = clean_lines(text.splitlines())
    stamp: datetime | None = None
    rest: list[str] = []
    for i, line in enumerate(lines):
        folded = normal(line)
        if stamp is None and i < 12 and (found := parse_datetime(line, day_first=language_of(
                line) != "en")) is not None and (len(line.split()) <= 12
                                                 or _STAMP_LINE.match(folded)):
            stamp = found[0]
            continue
        if i < 12 and (_BYLINE.match(folded) or outlet_of("", line) == line.strip()
                       or normal(outlet_of("", line)) == folded):
            continue
        rest.append(line)
    if not title:
        first = next((j for j, line in enumerate(rest) if _headline_like(line)), None)
        if first is not None and first <= 2 and not rest[first].rstrip().endswith("."):
            title = rest.pop(first)
    rest = [line for line in rest if normal(line) != normal(title)]
    body = "\n".join(rest).strip()
    return Article(
        title=title.strip(),
        published_at=stamp or published,
        outlet=outlet_of(url, text, outlet),
        body=body,
        url=url,
        language=language_of(body or title),
        content_hash=content_hash(body),
    )


def _meta(tree: Any) -> dict[str, str]:
    """The page's own title, time and site name, from meta tags, JSON-LD and <time>."""
    import orjson

    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "")
        value = element.get("content") or ""
        key = key.lower()
        if key in _META_TIME and value and "time" not in found:
            found["time"] = value
        elif key in ("og:site_name", "application-name") and value:
            found.setdefault("site", value)
        elif key in ("og:title", "twitter:title") and value:
            found.setdefault("title", value)
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = orjson.loads(script.text)
        except orjson.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                found.setdefault("time", str(item.get("datePublished") or ""))
                publisher = item.get("publisher")
                if isinstance(publisher, dict) and publisher.get("name"):
                    found.setdefault("site", str(publisher["name"]))
                if item.get("headline"):
                    found.setdefault("title", str(item["headline"]))
    for element in tree.iter("time"):
        if element.get("datetime"):
            found.setdefault("time", element.get("datetime"))
            break
    return {key: value for key, value in found.items() if value}


def _from_html(html: str, url: str, published: datetime | None) -> Article:
    import lxml.html
    import trafilatura

    tree = lxml.html.fromstring(html)
    meta = _meta(tree)
    extracted = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False,
        include_tables=False, favor_precision=True,
    )
    document: dict[str, Any] = {}
    if extracted is not None:
        document = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = str(document.get("text") or "")
    if not text.strip():
        text = tree.text_content()
    title = meta.get("title") or str(document.get("title") or "")
    site = meta.get("site") or str(document.get("sitename") or "")
    for name, _, _ in OUTLETS:  # "Headline - Shafaq News": the outlet is not the headline
        title = re.sub(r"\s*[-|–—]\s*" + re.escape(name) + r"\s*$", "", title)
    stamp = parse_datetime(meta["time"]) if meta.get("time") else None
    article = _from_text(text, url, None, title=title, outlet=site)
    if stamp is not None:
        return replace(article, published_at=stamp[0])
    if article.published_at is None:
        # a stamp the extractor left out of the main text ("<div class=date>…")
        page_lines = [line for line in tree.text_content().splitlines() if line.strip()]
        for line in page_lines[:60]:
            found = parse_datetime(line, day_first=language_of(line) != "en")
            if found is not None and len(line.split()) <= 12:
                return replace(article, published_at=found[0])
    if article.published_at is None and document.get("date"):
        # trafilatura's guess (htmldate) only when neither the markup nor the text dates it
        guess = parse_datetime(str(document["date"]))
        return replace(article, published_at=guess[0] if guess else published)
    return article if article.published_at else replace(article, published_at=published)


def read_page(source: str, *, url: str = "", published: datetime | None = None) -> Article:
    """The article in ``source`` (raw HTML or pasted text; decided here).

    ``published`` is used only when the page gives no time of its own; a naive value is
    taken as Baghdad time. Raises ValueError when nothing readable is left.
    """
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=BAGHDAD)
    if looks_like_html(source):
        article = _from_html(source, url, published)
    else:
        article = _from_text(source, url, published)
    if not article.body and not article.title:
        raise ValueError("no article text found")
    return article
