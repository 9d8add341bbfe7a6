"""Who an article says acted: Iraqi and foreign forces and groups, by their many names.

The list is ``data/iraq_actors.csv``: one row an actor with its name (ACLED's style),
ACLED ``inter`` code, side (``fed``, ``krg`` or ``external``) and aliases in English,
Arabic and Sorani, ``|``-separated. Edit that file to add an actor or a spelling; an
alias in capitals (``IS``, ``PKK``, ``CTS``) is matched only in capitals, so "is" and
"cts" in running text are not actors.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from tansiq.geo.boundaries import read_data
from tansiq.ingest.reading.text import PhraseIndex, cased_words

ACTORS_FILE: Final = "iraq_actors.csv"
UNIDENTIFIED: Final = "Unidentified Armed Group (Iraq)"
CIVILIANS: Final = "Civilians (Iraq)"


@dataclass(frozen=True, slots=True)
class ActorRef:
    """One actor of the list: its name, ACLED ``inter`` code and side."""

    name: str
    inter: int
    side: str


@dataclass(frozen=True, slots=True)
class _Actors:
    index: PhraseIndex[ActorRef]
    cased: frozenset[str]  # folded keys that only capitals may match


# The two governments by their capitals, said together: "Baghdad and Erbil agreed".
_CAPITALS: Final = (
    "Baghdad and Erbil", "Erbil and Baghdad", "Baghdad-Erbil", "Erbil-Baghdad",
    "بغداد وأربيل", "أربيل وبغداد", "بغداد واربيل", "اربيل وبغداد", "بەغدا و هەولێر",
    "هەولێر و بەغدا", "هەولێر و بەغدا", "بەغدا و هەولێر",
)


@cache
def _actors() -> _Actors:
    index: PhraseIndex[ActorRef] = PhraseIndex(max_words=7)
    cased: set[str] = set()
    plain: set[str] = set()
    text = read_data(ACTORS_FILE).decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        ref = ActorRef(row["name"], int(row["inter"]), row["side"])
        for column in ("aliases_en", "aliases_ar", "aliases_ckb"):
            for alias in filter(None, row[column].split("|")):
                index.add(alias, ref)
                key = " ".join(cased_words(alias)[0])
                (cased if alias.isupper() and alias.isascii() else plain).add(key)
    said = cased_words("federal government Kurdistan Regional Government")[0]
    governments = {ref.name: ref for hit in index.find(said) for ref in hit.value}
    for phrase in _CAPITALS:
        for name in ("Government of Iraq", "Kurdistan Regional Government"):
            index.add(phrase, governments[name])
    return _Actors(index, frozenset(cased - plain))


def actor_list() -> list[ActorRef]:
    """Every actor of the shipped list, in file order."""
    text = read_data(ACTORS_FILE).decode("utf-8")
    return [ActorRef(r["name"], int(r["inter"]), r["side"]) for r in csv.DictReader(
        io.StringIO(text))]


def find_actors(sentence: str, language: str) -> list[ActorRef]:
    """The actors ``sentence`` names, in order of first mention, each once."""
    actors = _actors()
    tokens, raw = cased_words(sentence)
    found: dict[str, ActorRef] = {}
    for hit in actors.index.find(tokens, language=language):
        if hit.key in actors.cased and not all(w.isupper() for w in raw[hit.start : hit.end]):
            continue
        for ref in hit.value:
            found.setdefault(ref.name, ref)
    return list(found.values())


def event_actors(groups: Iterable[list[ActorRef]]) -> tuple[str, ...]:
    """The actors of an event from its sentences' actors, in order of first mention.

    "Gunmen" or "militants" are an unidentified armed group only when no named armed
    group (ISIS, the PKK…) is among the event's actors.
    """
    names: dict[str, ActorRef] = {}
    for group in groups:
        for ref in group:
            names.setdefault(ref.name, ref)
    named_group = any(ref.inter in (2, 3) and ref.name != UNIDENTIFIED for ref in names.values())
    return tuple(n for n in names if not (n == UNIDENTIFIED and named_group))
