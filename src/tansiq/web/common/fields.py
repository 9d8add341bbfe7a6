"""What every form shares: field messages and the datetime-local inputs, read in a time zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tansiq.domain.fields import parse_instant
from tansiq.web.common.i18n import N_

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


MISSING = N_("This field is required.")


NOT_A_NUMBER = N_("Enter a number.")


NOT_A_WHOLE_NUMBER = N_("Enter a whole number.")


NOT_A_DATETIME = N_("Enter a date and time.")


def text(form: Mapping[str, Any], name: str, *, strip: bool = True) -> str:
    """A posted text value, stripped unless ``strip`` is False ("" when absent or a file)."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def local_input_value(moment: datetime, tz: str) -> str:
    """An aware datetime as a datetime-local value in ``tz`` (minutes precision)."""
    return moment.astimezone(ZoneInfo(tz)).strftime(LOCAL_FORMAT)


def parse_local_datetime(value: str, tz: str) -> datetime:
    """A datetime-local value read in ``tz``, as aware UTC; raises ValueError."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        raise ValueError("datetime-local values carry no offset")
    # parse_instant refuses what falls outside the range the domain accepts once in UTC.
    return parse_instant(parsed.replace(tzinfo=ZoneInfo(tz)))


BAD_DATE = N_("Enter a date as YYYY-MM-DD.")


BAD_CHOICE = N_("Choose one of the listed options.")


BAD_RANGE = N_("Must not be before the start date.")
