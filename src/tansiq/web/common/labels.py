"""What the UI calls each stored value, in the page's language.

Stored values are the wire contract's (ACLED strings, ``party``, ``B``, ``2``…);
pages show them through :class:`Labels`, built once per page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from tansiq.domain.choices import EVENT_TAXONOMY
from tansiq.geo.boundaries import admin_units, governorates
from tansiq.web.common import i18n
from tansiq.web.common.i18n import N_

STATUSES: Mapping[str, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "verified": N_("Verified"),
    "disputed": N_("Disputed"),
    "retracted": N_("Retracted"),
}
# How a record's releasability reads in lists (the owner may be another party) ...
RELEASABILITY: Mapping[str, str] = {
    "party": N_("Owner party only"),
    "center": N_("Center members"),
    "all": N_("All parties"),
}
# ... and as a choice on the owner's own form.
RELEASABILITY_CHOICES: Mapping[str, str] = {
    "party": N_("Only my party"),
    "center": N_("Center members"),
    "all": N_("All parties"),
}
TIME_PRECISIONS: Mapping[str, str] = {
    "exact": N_("Exact time"),
    "day": N_("To the day"),
    "week": N_("To the week"),
    "month": N_("To the month"),
}
# ACLED geo-precision codes.
GEO_PRECISIONS: Mapping[int, str] = {
    1: N_("1 – the exact place"),
    2: N_("2 – near a place, or part of a region"),
    3: N_("3 – only a larger region"),
}
# Admiralty code: source reliability A–F and information credibility 1–6.
SOURCE_RELIABILITIES: Mapping[str, str] = {
    "A": N_("A – completely reliable"),
    "B": N_("B – usually reliable"),
    "C": N_("C – fairly reliable"),
    "D": N_("D – not usually reliable"),
    "E": N_("E – unreliable"),
    "F": N_("F – reliability cannot be judged"),
}
CREDIBILITIES: Mapping[int, str] = {
    1: N_("1 – confirmed by other sources"),
    2: N_("2 – probably true"),
    3: N_("3 – possibly true"),
    4: N_("4 – doubtful"),
    5: N_("5 – improbable"),
    6: N_("6 – truth cannot be judged"),
}
HISTORY_ACTIONS: Mapping[str, str] = {
    "create": N_("Created"),
    "update": N_("Updated"),
    "retract": N_("Retracted"),
}


K = TypeVar("K")


def picker(table: Mapping[K, str], doc: str) -> Callable[[Labels, K], str]:
    """A :class:`Labels` method naming a stored value by ``table`` (the value itself if absent).

    ``doc`` says what the values are.
    """

    def label(self: Labels, value: K) -> str:
        return self._pick(table, value)

    label.__doc__ = doc
    return label


@cache
def _governorate_names() -> dict[str, dict[str, str]]:
    return {row["name_en"]: row for row in governorates()}


@cache
def _district_names() -> dict[str, str]:
    return {unit.name_en: unit.name_ar for unit in admin_units(2)}


@dataclass
class Labels:
    """Translates stored values for one page; ``parties`` and ``centers`` are id → record."""

    lang: str
    parties: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    centers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def _(self, message: str) -> str:
        return str(i18n.translations(self.lang).gettext(message))

    def _pick(self, table: Mapping[Any, str], value: Any) -> str:
        """``value``'s label from ``table``, translated; the value itself when absent."""
        return self._(table[value]) if value in table else str(value)

    status = picker(STATUSES, "An incident status.")
    releasability = picker(RELEASABILITY, "A releasability level as shown on a record.")
    time_precision = picker(TIME_PRECISIONS, "How precisely the time is known.")
    geo_precision = picker(GEO_PRECISIONS, "ACLED's geo-precision code with its meaning.")
    source_reliability = picker(
        SOURCE_RELIABILITIES, "Admiralty source reliability with its meaning."
    )
    credibility = picker(CREDIBILITIES, "Admiralty information credibility with its meaning.")
    action = picker(HISTORY_ACTIONS, "A journal action (create, update, retract).")

    def event(self, value: str) -> str:
        """An ACLED event or sub-event type (the catalogs hold the whole taxonomy)."""
        return self._(value) if value else ""

    def admin1(self, name: str | None) -> str:
        """A governorate's OCHA English name in the page's language."""
        if not name:
            return ""
        row = _governorate_names().get(name)
        if row is None:
            return name
        if self.lang == "ckb" and row["name_ckb"] == row["name_en"]:
            # No Kurdish spelling in the data: the Arabic-script name reads better than Latin.
            return row["name_ar"]
        return row.get(f"name_{self.lang}", name)

    def admin2(self, name: str | None) -> str:
        """A district's OCHA English name; Arabic-script pages get the Arabic spelling."""
        if not name:
            return ""
        return _district_names().get(name, name) if self.lang in i18n.RTL else name

    def party(self, party_id: str) -> str:
        """A party's name in the page's language (its id when unknown)."""
        record = self.parties.get(party_id)
        return str(record.get(f"name_{self.lang}") or party_id) if record else party_id

    def center(self, center_id: str | None) -> str:
        """A center's name in the page's language."""
        record = self.centers.get(center_id or "")
        if not record:
            return center_id or ""
        return str(record.get(f"name_{self.lang}") or record.get("code") or center_id)


def event_choices() -> list[tuple[str, tuple[str, ...]]]:
    """ACLED event types with their sub-event types, in ACLED's order."""
    return list(EVENT_TAXONOMY.items())
