"""Notices as pages show them: times as datetimes, the deadline as a countdown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tansiq.domain.choices import AckResponseChoices
from tansiq.web.common.coordination_labels import CoordLabels
from tansiq.web.common.deps import Page
from tansiq.web.common.geo_views import collection, feature
from tansiq.web.common.present import with_times
from tansiq.web.common.surroundings import surroundings


def notice_view(notice: Mapping[str, Any], labels: CoordLabels, now: datetime) -> dict[str, Any]:
    """A notice with ``starts``/``ends``/``deadline``/``created``, its countdown and last answer."""
    view = with_times(
        notice, starts="starts_at", ends="ends_at", deadline="ack_deadline", created="created_at"
    )
    answers = [
        a for a in notice.get("acknowledgements", []) if a["notice_version"] == notice["version"]
    ]
    view["answer"] = answers[-1] if answers else None
    view["acknowledgements"] = [
        with_times(a, created="created_at") for a in notice.get("acknowledgements", [])
    ]
    view["countdown"] = labels.countdown(view["deadline"], now)
    view["answer_final"] = bool(answers) and answers[-1]["response"] == AckResponseChoices.ACK
    return view


def notice_map(page: Page, notice: Mapping[str, Any]) -> dict[str, Any]:
    """The notice's point or area and what surrounds it when it starts (see surroundings)."""
    own = feature(
        notice["location"],
        layer="notice",
        id=notice["id"],
        party=notice["party"],
        label=notice["subject"],
        detail=notice["place_name"] or None,
    )
    nearby = surroundings(page, notice["location"], at=notice["starts"], skip={notice["id"]})
    return collection([*nearby, own])
