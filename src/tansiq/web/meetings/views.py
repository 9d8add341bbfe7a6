"""Meetings, decisions, endorsements and action items as pages show them."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tansiq.web.common.coordination_labels import CoordLabels
from tansiq.web.common.present import with_times


def meeting_view(meeting: Mapping[str, Any]) -> dict[str, Any]:
    """A meeting with ``held`` and ``created`` datetimes."""
    return with_times(meeting, held="held_at", created="created_at", updated="updated_at")


def action_view(item: Mapping[str, Any], labels: CoordLabels, now: datetime) -> dict[str, Any]:
    """An action item with ``due``/``closed``, its countdown and notes with datetimes."""
    view = with_times(item, due="due_at", closed="closed_at", escalates="escalates_at")
    view["countdown"] = labels.countdown(view["due"], now) if item["status"] == "open" else ""
    view["notes"] = [with_times(n, created="created_at") for n in item.get("notes", [])]
    return view


def endorsement_view(endorsement: Mapping[str, Any]) -> dict[str, Any]:
    """An endorsement with its ``created`` datetime."""
    return with_times(endorsement, created="created_at")


def decision_text(decision: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """The decision's text in ``lang`` if it has one, else in English: (language, text)."""
    own = str(decision.get(f"text_{lang}") or "")
    return (lang, own) if own.strip() else ("en", str(decision["text_en"]))


def other_texts(decision: Mapping[str, Any], shown: str) -> list[tuple[str, str]]:
    """The decision's texts in the other languages, (language, text), English first."""
    return [
        (lang, str(decision[f"text_{lang}"]))
        for lang in ("en", "ar", "ckb")
        if lang != shown and str(decision.get(f"text_{lang}") or "").strip()
    ]


def text_dir(text: str, default: str = "ltr") -> str:
    """HTML's ``dir=auto`` done on the server: the direction of the first strong character.

    WeasyPrint ignores ``dir=auto``, so the printable minutes name each text's direction.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default
