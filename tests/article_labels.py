"""Scoring extraction against the hand-labelled articles of tests/data/articles/.

Shared by the unit test (which asserts floors) and anyone who wants the figures:
``python -m tests.article_labels`` prints them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tansiq.domain.articles import Candidate
from tansiq.ingest.reading import read_article
from tansiq.ingest.reading.dates import BAGHDAD

ARTICLES = Path(__file__).parent / "data" / "articles"
FIELDS = ("kind", "type", "admin1", "dates", "fatalities")


@dataclass
class Score:
    """Per-field hits over the expected candidates, and the extra ones proposed."""

    expected: int = 0
    found: int = 0
    extra: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.expected if self.expected else 1.0

    def report(self, title: str) -> str:
        figures = ", ".join(f"{name} {self.accuracy(name):.0%}" for name in FIELDS)
        return (f"{title}: {self.expected} expected, {self.found} matched, {self.extra} extra; "
                f"{figures}")


def labels() -> dict[str, list[dict[str, Any]]]:
    data = json.loads((ARTICLES / "labels.json").read_text())
    return {name: entry["candidates"] for name, entry in data["articles"].items()}


def _day(value: Any) -> str | None:
    return value.astimezone(BAGHDAD).date().isoformat() if value is not None else None


def _fields(expected: dict[str, Any], got: Candidate) -> dict[str, bool]:
    return {
        "kind": got.kind.value == expected["kind"],
        "type": (got.event_type, got.sub_event_type)
        == (expected["event_type"], expected["sub_event_type"]),
        "admin1": got.admin1 == expected["admin1"],
        "dates": (_day(got.occurred_from), _day(got.occurred_until))
        == (expected["from"], expected["until"]),
        "fatalities": got.fatalities == expected["fatalities"],
    }


def _match(expected: list[dict[str, Any]], got: list[Candidate]) -> list[Candidate | None]:
    """Pair each expected candidate with a proposed one: same sub-event type, else same
    event type, else the next unused one in order."""
    unused = list(got)
    pairs: list[Candidate | None] = []
    for want in expected:
        pick = next((c for c in unused if c.sub_event_type == want["sub_event_type"]), None)
        pick = pick or next((c for c in unused if c.event_type == want["event_type"]), None)
        pick = pick or (unused[0] if unused else None)
        if pick is not None:
            unused.remove(pick)
        pairs.append(pick)
    return pairs


@cache
def _read(name: str) -> tuple[Candidate, ...]:
    return read_article((ARTICLES / name).read_text(encoding="utf-8")).candidates


def score(names: list[str] | None = None) -> Score:
    """Read every labelled article (or ``names``) and score what it proposes."""
    result = Score()
    for name, expected in labels().items():
        if names is not None and name not in names:
            continue
        got = list(_read(name))
        pairs = _match(expected, got)
        result.expected += len(expected)
        result.extra += len(got) - sum(p is not None for p in pairs)
        for want, pick in zip(expected, pairs, strict=True):
            if pick is None:
                result.misses.append(f"{name}: missed {want['sub_event_type']}")
                continue
            result.found += 1
            for field_name, ok in _fields(want, pick).items():
                result.hits[field_name] += ok
                if not ok:
                    result.misses.append(f"{name}: {field_name} {want} != {_show(pick)}")
        for extra in got[len(expected):] if len(got) > len(expected) else []:
            result.misses.append(f"{name}: extra {_show(extra)}")
    return result


def _show(c: Candidate) -> str:
    return (f"{c.kind.value}/{c.sub_event_type}/{c.admin1}/{_day(c.occurred_from)}.."
            f"{_day(c.occurred_until)}/{c.fatalities}")


def heldout() -> list[str]:
    """The articles written and labelled after the rules last changed, read once."""
    data = json.loads((ARTICLES / "labels.json").read_text())
    return [name for name, entry in data["articles"].items() if entry.get("set") == "heldout"]


def tuned() -> list[str]:
    """The articles the rules were improved on (every one not held out)."""
    out = set(heldout())
    return [name for name in labels() if name not in out]


def by_language() -> dict[str, Score]:
    """The score of the English, Arabic and Sorani articles apart (by file name prefix)."""
    names = list(labels())
    return {lang: score([n for n in names if n.startswith(lang)]) for lang in ("en", "ar", "ckb")}


if __name__ == "__main__":
    total = score()
    for line in total.misses:
        print(line)
    for lang, part in by_language().items():
        print(part.report(lang))
    print(score(tuned()).report("tuned"))
    print(score(heldout()).report("held out"))
    print(total.report("all"))
