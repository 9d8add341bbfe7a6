"""The labelled news snippets the event classifier is trained on (``data/event_snippets.txt``).

The file is written by hand for Tansiq (see its header): blocks headed ``[LABEL]`` (a
CASE 2021 Task 2 class), one snippet a line, prefixed with its language (``en:`` or
``ar:``). Lines starting with ``#`` and blank lines are ignored. Pure: no I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\[([A-Z_]+)\]$")
_LINE = re.compile(r"^(en|ar): (\S.*)$")


@dataclass(frozen=True)
class Snippet:
    """One training snippet: its class, its language and its text."""

    label: str
    language: str
    text: str


def parse_snippets(text: str, labels: frozenset[str]) -> list[Snippet]:
    """The snippets of a file in the format above, in file order.

    Raises ValueError naming the line for an unknown label, a snippet before any
    label, a line in neither form, or a snippet given twice.
    """
    out: list[Snippet] = []
    seen: set[str] = set()
    label = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if header := _HEADER.match(line):
            label = header.group(1)
            if label not in labels:
                raise ValueError(f"line {number}: unknown label {label!r}")
            continue
        body = _LINE.match(line)
        if body is None:
            raise ValueError(f"line {number}: expected '[LABEL]', 'en: …' or 'ar: …'")
        if not label:
            raise ValueError(f"line {number}: snippet before the first [LABEL]")
        snippet_text = body.group(2).strip()
        if snippet_text in seen:
            raise ValueError(f"line {number}: snippet given twice")
        seen.add(snippet_text)
        out.append(Snippet(label=label, language=body.group(1), text=snippet_text))
    return out
