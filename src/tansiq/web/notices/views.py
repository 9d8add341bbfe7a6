"""Notices as pages show them: times as datetimes, the deadline as a countdown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tansiq.domain.choices import AckResponseChoices
from tansiq.web.common.coordination_labels import CoordLabels
from tansiq.web.common.present import with_times


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
