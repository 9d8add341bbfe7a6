"""The "received from krg at …" mark of a remote record, as every page says it.

The services put a ``received`` mark on each record they answer (None for this
node's own); pages show it with the ``_received.html`` macros, maps as the
``received_text`` property of a feature (the scripts insert it as plain text).
Both say it in the words of :func:`received_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2

from tansiq.web.common import i18n
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc

RECEIVED_FROM = N_("received from %(party)s at %(time)s")


def received_text(mark: Mapping[str, Any] | None, lang: str, tz: str) -> str | None:
    """``received from krg at 2020-02-20 12:00`` in ``lang``, the time in ``tz``; None for a
    record of this node (no mark)."""
    if not mark:
        return None
    when = i18n.format_datetime_local(parse_utc(mark["at"]), lang, tz, city=False)
    template = i18n.translations(lang).gettext(RECEIVED_FROM)
    return str(template) % {"party": mark["from"], "time": when}


@jinja2.pass_context
def received_filter(context: jinja2.runtime.Context, mark: Mapping[str, Any] | None) -> str:
    """``{{ record.received|received_text }}``: :func:`received_text` in the page's language
    and time zone ("" for this node's own records)."""
    return received_text(mark, context["lang"], context["tz"]) or ""


def with_received_text(
    features: list[dict[str, Any]], lang: str, tz: str
) -> list[dict[str, Any]]:
    """Give each GeoJSON feature whose record was received a ``received_text`` property."""
    for feature in features:
        props = feature["properties"]
        text = received_text(props.get("received"), lang, tz)
        if text:
            props["received_text"] = text
    return features
