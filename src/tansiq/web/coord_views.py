"""Coordination records as pages show them: times as datetimes, deadlines as countdowns.

The services answer ISO 8601 UTC strings; templates format aware datetimes in the
display time zone with the ``local_time`` filter, so each view adds the parsed
times next to the stored strings. Centers are looked up here for the pages that
hang off a center (``/centers/{code}/…``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from tansiq.domain.choices import AckResponseChoices
from tansiq.domain.errors import NotFound
from tansiq.geo.boundaries import governorate_shape
from tansiq.services.coordination import center_by_code
from tansiq.web.coord_labels import CoordLabels
from tansiq.web.deps import Page
from tansiq.web.present import parse_utc


def member_center(page: Page, code: str) -> dict[str, Any]:
    """The center with this code (or id) if the user's party sits on it; raises NotFound."""
    center = center_by_code(page.ctx, code=code)
    if page.actor.party not in center["member_parties"]:
        raise NotFound(f"no center {code}")
    return center


def _times(record: Mapping[str, Any], **names: str) -> dict[str, Any]:
    view = dict(record)
    for new, old in names.items():
        value = record.get(old)
        view[new] = parse_utc(value) if isinstance(value, str) else None
    return view


def notice_view(notice: Mapping[str, Any], labels: CoordLabels, now: datetime) -> dict[str, Any]:
    """A notice with ``starts``/``ends``/``deadline``/``created``, its countdown and last answer."""
    view = _times(
        notice, starts="starts_at", ends="ends_at", deadline="ack_deadline", created="created_at"
    )
    answers = [
        a for a in notice.get("acknowledgements", []) if a["notice_version"] == notice["version"]
    ]
    view["answer"] = answers[-1] if answers else None
    view["acknowledgements"] = [
        _times(a, created="created_at") for a in notice.get("acknowledgements", [])
    ]
    view["countdown"] = labels.countdown(view["deadline"], now)
    view["answer_final"] = bool(answers) and answers[-1]["response"] == AckResponseChoices.ACK
    return view


def meeting_view(meeting: Mapping[str, Any]) -> dict[str, Any]:
    """A meeting with ``held`` and ``created`` datetimes."""
    return _times(meeting, held="held_at", created="created_at", updated="updated_at")


def action_view(item: Mapping[str, Any], labels: CoordLabels, now: datetime) -> dict[str, Any]:
    """An action item with ``due``/``closed``, its countdown and notes with datetimes."""
    view = _times(item, due="due_at", closed="closed_at", escalates="escalates_at")
    view["countdown"] = labels.countdown(view["due"], now) if item["status"] == "open" else ""
    view["notes"] = [_times(n, created="created_at") for n in item.get("notes", [])]
    return view


def endorsement_view(endorsement: Mapping[str, Any]) -> dict[str, Any]:
    """An endorsement with its ``created`` datetime."""
    return _times(endorsement, created="created_at")


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


@cache
def _area(governorates: tuple[str, ...]) -> BaseGeometry | None:
    shapes = []
    for name in governorates:
        try:
            shapes.append(governorate_shape(name))
        except (KeyError, ValueError):
            continue
    if not shapes:
        return None
    area = shapes[0]
    for more in shapes[1:]:
        area = area.union(more)
    return area


def in_center_area(center: Mapping[str, Any], geometry: Mapping[str, Any]) -> bool:
    """True when a GeoJSON geometry touches one of the center's governorates."""
    area = _area(tuple(center["governorates"]))
    if area is None:
        return False
    try:
        return bool(area.intersects(shape(geometry)))
    except (ValueError, TypeError, AttributeError):
        return False


def concern_center(
    center: Mapping[str, Any], records: Iterable[Mapping[str, Any]], geometry: str
) -> list[Mapping[str, Any]]:
    """The records linked to the center, or unlinked and lying in its area."""
    members = set(center["member_parties"])
    found = []
    for record in records:
        if record.get("center_id") == center["id"]:
            found.append(record)
        elif record.get("center_id") is None and in_center_area(center, record[geometry]):
            parties = {record["party"], *record.get("participants", [record.get("to_party")])}
            if parties <= members | {None}:
                found.append(record)
    return found


def by_party(items: Sequence[Mapping[str, Any]], parties: Sequence[str]) -> dict[str, list[Any]]:
    """Items grouped by owning party, every party of ``parties`` present."""
    grouped: dict[str, list[Any]] = {party: [] for party in parties}
    for item in items:
        grouped.setdefault(item["party"], []).append(item)
    return grouped
