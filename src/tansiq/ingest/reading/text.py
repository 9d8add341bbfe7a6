"""Text helpers every reader shares: digits, folding, language, sentences, phrase lookup.

Matching runs on text folded by :func:`tansiq.geo.gazetteer.fold` (case, diacritics,
hamza and letter variants), so one spelling in a list finds every keyboard's spelling
in an article. Arabic glues clitics to the next word (``و`` and, ``ب`` in, ``ل`` to) and
Sorani glues postpositions to the previous one (``هەولێردا`` in Erbil): the phrase
index strips them before giving up on a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Generic, TypeVar

from tansiq.geo.gazetteer import fold

T = TypeVar("T")

_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_WORD: Final = re.compile(r"[^\W_]+")
_KURDISH_LETTERS: Final = frozenset("ەێۆڕڵڤپچژگ")
_ARABIC_RANGE: Final = re.compile(r"[\u0600-\u06ff]")
_LATIN: Final = re.compile(r"[A-Za-z]")
# Arabic clitics written onto a word: conjunction, then preposition, then the article.
_AR_CONJ: Final = ("و", "ف")
_AR_PREP: Final = ("ب", "ل", "ك")
# Sorani postpositions and the ezafe written onto a word's end (folded: ە->ه, ی->ي).
_CKB_SUFFIXES: Final = tuple(
    fold(s) for s in ("ییەکان", "ەکانی", "ەوە", "یان", "یش", "دا", "ەکان", "ەکە", "ی", "ە", "وە")
)
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr lt gen col maj brig capt sgt st no u.s u.n jr sr gov rep sen vs e.g i.e".split()
)
_SENTENCE_END: Final = re.compile(r"(?<=[.!?؟])[\"'”»)]*\s+(?=[\"'“«(]?[A-Z0-9\u0600-\u06ff])")


def ascii_digits(text: str) -> str:
    """Return ``text`` with Arabic-Indic and Persian digits written as ASCII digits."""
    return text.translate(_DIGITS)


# Small on purpose: it saves folding one sentence again for each reader (cues, dates,
# casualties), never a whole article read before.
@lru_cache(maxsize=64)
def normal(text: str) -> str:
    """Return ``text`` folded for matching, with ASCII digits (see the module docstring)."""
    return fold(ascii_digits(text))


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def language_of(text: str) -> str:
    """Guess ``en``, ``ar`` or ``ckb`` from the letters of ``text`` (Latin, Arabic, Sorani)."""
    arabic = len(_ARABIC_RANGE.findall(text))
    latin = len(_LATIN.findall(text))
    if latin >= arabic:
        return "en"
    kurdish = sum(text.count(c) for c in _KURDISH_LETTERS)
    # Sorani writes ە for every short e: a few per hundred letters is already Sorani.
    return "ckb" if kurdish * 40 >= arabic else "ar"


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences: at line breaks and at . ! ? ؟ before a new sentence.

    A full stop after an abbreviation (``Lt.``, ``U.S.``) or an initial does not split.
    """
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = line[start : match.start()].rstrip(".!?؟\"'”»)")
            last = before.rsplit(None, 1)[-1].casefold() if before.split() else ""
            if last.rstrip(".") in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            found.append(line[start : match.start()].strip())
            start = match.end()
        found.append(line[start:].strip())
    return [s for s in found if s]


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return _WORD.findall(normal(text))


@lru_cache(maxsize=16)
def _cased(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", ascii_digits(text))
                   if not unicodedata.combining(c))
    raw = tuple(_WORD.findall(bare))
    return tuple(_fold_word(w) for w in raw), raw


def cased_words(text: str) -> tuple[list[str], list[str]]:
    """The folded words of ``text`` and the same words as written (case kept)."""
    folded, raw = _cased(text)
    return list(folded), list(raw)


def arabic_variants(word: str) -> Iterator[str]:
    """``word`` and what it may be without its Arabic clitics (``وبالموصل`` -> ``الموصل``)."""
    seen = {word}
    yield word
    stems = [word, word[1:]] if len(word) > 3 and word[0] in _AR_CONJ else [word]
    for stem in stems:
        if stem.startswith("لل") and len(stem) > 4:
            forms = ["ال" + stem[2:]]  # ل + ال: the alef is dropped in writing
        elif len(stem) > 3 and stem[0] in _AR_PREP:
            forms = [stem, stem[1:]]
        else:
            forms = [stem]
        for form in forms:
            for variant in (form, form[2:] if form.startswith("ال") and len(form) > 4 else ""):
                if variant and variant not in seen:
                    seen.add(variant)
                    yield variant


def sorani_variants(word: str) -> Iterator[str]:
    """``word`` and what it may be without a Sorani postposition or ezafe."""
    yield word
    for suffix in _CKB_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            yield word[: -len(suffix)]


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """A phrase found in a text: its value, the words it covered and where."""

    value: T
    start: int  # index of the first word
    end: int  # index after the last word
    key: str


class PhraseIndex(Generic[T]):
    """Folded phrases of up to ``max_words`` words mapped to values, found in running text.

    The longest phrase wins where phrases overlap; every value of a key is returned.
    """

    def __init__(self, max_words: int = 5) -> None:
        self._keys: dict[str, list[T]] = {}
        self._firsts: set[str] = set()  # first words of the keys: most words start none
        self.max_words = max_words

    def add(self, phrase: str, value: T) -> None:
        """Index ``value`` under ``phrase`` (folded); an empty phrase is ignored."""
        key = " ".join(words(phrase))
        if key and len(key.split()) <= self.max_words:
            self._firsts.add(key.split()[0])
            bucket = self._keys.setdefault(key, [])
            if value not in bucket:
                bucket.append(value)

    def copy(self) -> PhraseIndex[T]:
        """A new index with the same phrases, to add to without changing this one."""
        other: PhraseIndex[T] = PhraseIndex(self.max_words)
        other._keys = {key: list(values) for key, values in self._keys.items()}
        other._firsts = set(self._firsts)
        return other

    def __contains__(self, phrase: str) -> bool:
        return " ".join(words(phrase)) in self._keys

    def find(self, tokens: list[str], *, language: str = "en") -> list[Hit[list[T]]]:
        """The phrases in ``tokens`` (folded words), left to right, longest first."""
        hits: list[Hit[list[T]]] = []
        i = 0
        while i < len(tokens):
            hit = self._longest_at(tokens, i, language)
            if hit is None:
                i += 1
                continue
            hits.append(hit)
            i = hit.end
        return hits

    def _longest_at(self, tokens: list[str], i: int, language: str) -> Hit[list[T]] | None:
        firsts = list(arabic_variants(tokens[i])) if language != "en" else [tokens[i]]
        if language == "ckb":
            firsts = [v for first in firsts for v in sorani_variants(first)]
        firsts = [first for first in firsts if first in self._firsts]
        if not firsts:
            return None
        for n in range(min(self.max_words, len(tokens) - i), 0, -1):
            for first in firsts:
                phrase = [first, *tokens[i + 1 : i + n]]
                last = phrase.pop()
                ends = sorani_variants(last) if language == "ckb" else iter((last,))
                for end in ends:
                    key = " ".join([*phrase, end])
                    values = self._keys.get(key)
                    if values:
                        return Hit(values, i, i + n, key)
        return None
