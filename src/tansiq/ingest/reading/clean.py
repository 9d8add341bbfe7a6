"""Page clutter out of text copied from a news site (or left over by the HTML extractor).

What goes: share buttons, font-size controls ("A- A A +"), print/e-mail links, login and
subscribe prompts, breadcrumbs and menus, tags, view counters, copyright lines, photo
credits, and everything from a comment form ("Leave a Reply") on; a "Related" or "Read
also" heading goes with the link titles under it. English, Arabic and Sorani wording.
"""

from __future__ import annotations

import re
from typing import Final

from tansiq.ingest.reading.text import normal


def _any(*phrases: str) -> str:
    return "|".join(re.escape(normal(p)) for p in phrases)


_SHARE_WORDS: Final = frozenset(normal(w) for w in (
    "share shares sharing tweet facebook twitter x whatsapp telegram email e-mail mail print "
    "copy link linkedin messenger pinterest reddit viber on this article via post save "
    "مشاركة شارك طباعة واتساب فيسبوك تويتر تلغرام البريد الإلكتروني نسخ الرابط انستغرام "
    "هاوبەشکردن بڵاوکردنەوە چاپکردن"
).split())
_FONT: Final = re.compile(r"^(?:(?:a[-+]?|[-+]a?|font|size|text|حجم الخط|تكبير|تصغير|الخط|"
                          r"فۆنت)\s*)+$")
_COMMENTS: Final = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add (?:a )?comment|write a comment|"
    r"comments?(?: \(\d+\))?|\d+ comments?|join the discussion|" + _any(
        "اترك تعليقا", "اترك تعليقاً", "اترك ردا", "اترك رداً", "أضف تعليق", "أضف تعليقا",
        "التعليقات", "تعليقات", "اكتب تعليقك", "بۆچوونەکان", "کۆمێنت", "کۆمێنتەکان",
        "بۆچوونی خۆت بنووسە") + r")\s*:?$"
)
_RELATED: Final = re.compile(
    r"^(?:related(?: news| articles| stories| posts| topics)?|read (?:also|more)|see also|"
    r"you (?:may|might) also like|more (?:news|stories|from [\w ]+)|most (?:read|popular|viewed)|"
    r"trending(?: now)?|latest(?: news)?|recommended|" + _any(
        "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضاً", "أخبار ذات صلة", "اخبار ذات صلة",
        "مواضيع ذات صلة", "الأكثر قراءة", "الاكثر قراءة", "شاهد أيضا", "آخر الأخبار",
        "أخبار متعلقة", "هەواڵی پەیوەندیدار", "زیاتر بخوێنەوە", "هەواڵی زیاتر",
        "بابەتی پەیوەندیدار") + r")\s*:?$"
)
_CLUTTER: Final = re.compile(
    r"^(?:skip to (?:main )?content|menu|search|home|advertisement|sponsored|ad|close|"
    r"log ?in|sign ?in|sign up|register|subscribe(?: now)?|log ?out|"
    r"name\s*\*?|email\s*\*?|website|comment\s*\*?|post comment|submit|cancel reply|"
    r"\d+ min(?:ute)?s? read|(?:\d[\d,.]*k?\s*)?views?(?::\s*[\d,.]+k?)?|"
    + _any("الرئيسية", "إعلان", "اعلان", "بحث", "القائمة", "تسجيل الدخول", "تسجيل",
           "اشترك", "اشترك الآن", "الاسم", "البريد الإلكتروني", "إرسال التعليق", "إرسال",
           "سەرەکی", "گەڕان", "چوونەژوورەوە", "بەشداربوون") + r")\s*:?$"
)
_CLUTTER_ANYWHERE: Final = re.compile(
    r"you must be (?:logged|signed) in|log in to (?:comment|reply|continue)|"
    r"sign in to (?:comment|continue)|your email address will not be published|"
    r"required fields are marked|save my name, email|subscribe to (?:our|the) newsletter|"
    r"all rights reserved|^copyright\b|^©|^tags?\s*:|^keywords?\s*:|^(?:file )?photo\s*:|"
    r"^image\s*:|^photo credit|^follow us on|^download (?:our|the) app|join our (?:whatsapp|"
    r"telegram)|(?:\d[\d,]*)\s+(?:views|reads)$|^updated\s*:?\s*$|" + _any(
        "لن يتم نشر عنوان بريدك الإلكتروني", "الحقول الإلزامية مشار إليها",
        "يجب أن تكون مسجل الدخول", "يجب عليك تسجيل الدخول", "جميع الحقوق محفوظة",
        "حقوق النشر محفوظة", "تابعونا على", "اشترك في النشرة", "الوسوم:", "كلمات مفتاحية",
        "الكلمات الدلالية", "مافی بڵاوکردنەوە پارێزراوە", "هەموو مافەکان پارێزراون",
        "بۆ ئەوەی بۆچوونەکەت بنووسیت")
)
_BREADCRUMB: Final = re.compile(r"^[^.!?؟]{1,80}(?:\s[>›»/|]\s[^.!?؟]{1,40}){1,6}$")


def _is_share_line(folded: str) -> bool:
    words = folded.replace("|", " ").replace("/", " ").split()
    return 0 < len(words) <= 10 and all(w in _SHARE_WORDS for w in words)


def is_clutter(line: str) -> bool:
    """True when ``line`` is page furniture rather than part of the article."""
    folded = normal(line)
    if not folded:
        return True
    return bool(
        _is_share_line(folded)
        or _FONT.match(folded)
        or _CLUTTER.match(folded)
        or _CLUTTER_ANYWHERE.search(folded)
        or (_BREADCRUMB.match(line.strip()) and len(folded.split()) <= 12
            and not any(c.isdigit() for c in folded))  # "Kurdistan24 | 17 June 2021" is a stamp
    )


def _looks_like_link(line: str) -> bool:
    """A related-article link: a short line with no closing full stop."""
    return len(line.split()) <= 20 and not line.rstrip().endswith((".", "؟", "?", "!", "”", '"'))


def clean_lines(lines: list[str]) -> list[str]:
    """The lines of an article without the clutter (see the module docstring)."""
    kept: list[str] = []
    skipping_links = False
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue  # blank lines separate link titles too: a paragraph ends the list
        folded = normal(line)
        if _COMMENTS.match(folded):
            break  # a comment section: nothing of the article follows it
        if _RELATED.match(folded):
            skipping_links = True
            continue
        if skipping_links:
            if _looks_like_link(line):
                continue
            skipping_links = False
        if is_clutter(line):
            continue
        kept.append(line)
    return kept
