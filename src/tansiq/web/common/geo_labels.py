"""What the sector, coverage and operation pages call stored values, in the page's language.

:class:`GeoLabels` extends the incident pages' :class:`~tansiq.web.common.labels.Labels` with
sector and site kinds, plan statuses, finding kinds, approval states, map layers,
party colours and numbers in the page's locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babel.numbers import format_decimal

from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import list_centers, list_parties
from tansiq.web.common import i18n
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import Labels, picker

SECTOR_KINDS: Mapping[str, str] = {
    "aor": N_("Area of responsibility"),
    "defensive_line": N_("Defensive line"),
    "checkpoint": N_("Checkpoint"),
    "base": N_("Base"),
}
SITE_KINDS: Mapping[str, str] = {
    "school": N_("School"),
    "clinic": N_("Clinic"),
    "hospital": N_("Hospital"),
    "idp_camp": N_("IDP camp"),
    "place_of_worship": N_("Place of worship"),
    "humanitarian_office": N_("Humanitarian office"),
    "humanitarian_movement": N_("Humanitarian movement"),
}
# Sectors and protected sites share these two statuses.
RECORD_STATUSES: Mapping[str, str] = {"active": N_("In force"), "withdrawn": N_("Withdrawn")}
PLAN_STATUSES: Mapping[str, str] = {
    "draft": N_("Draft"),
    "proposed": N_("Proposed"),
    "approved": N_("Approved"),
    "active": N_("Under way"),
    "completed": N_("Completed"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
}
PLAN_KINDS: Mapping[str, str] = {"joint": N_("Joint"), "notified": N_("Notified")}
FINDING_KINDS: Mapping[str, str] = {
    "sector_overlap": N_("Overlaps another party's sector"),
    "protected_site": N_("Protected site nearby"),
    "operation_overlap": N_("Overlaps another operation"),
    "recent_incident": N_("Recent incident in the area"),
}
# Why a finding was cleared (FindingClearedChoices).
CLEARED_REASONS: Mapping[str, str] = {
    "subject_withdrawn": N_("withdrawn"),
    "subject_retracted": N_("retracted"),
    "subject_ended": N_("the other plan was cancelled, completed or rejected"),
    "no_longer_meets": N_("no longer meets the plan"),
}
# Derived signature states, overall and per party.
APPROVAL_STATES: Mapping[str, str] = {
    "pending": N_("Awaiting signature"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "not_required": N_("No signature needed"),
}
COVERAGE_LAYERS: Mapping[str, str] = {
    "area": N_("Whole area"),
    "coverage": N_("Covered by"),
    "overlap": N_("Covered by more than one party"),
    "gap": N_("Gap (no party covers it)"),
}
# Colour-blind-safe (Okabe-Ito); gaps are red and hatched, so no party is red.
PARTY_PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#f0e442")


@dataclass
class GeoLabels(Labels):
    """Labels for sector, coverage and operation pages (one per page)."""

    sector_kind = picker(SECTOR_KINDS, "An area, line, checkpoint or base.")
    site_kind = picker(SITE_KINDS, "A kind of protected site.")
    record_status = picker(RECORD_STATUSES, "A sector's or site's status (active, withdrawn).")
    plan_status = picker(PLAN_STATUSES, "An operation plan's status.")
    plan_kind = picker(PLAN_KINDS, "Joint or notified.")
    finding_kind = picker(FINDING_KINDS, "What a deconfliction finding is about.")
    cleared_reason = picker(CLEARED_REASONS, "Why a deconfliction finding was cleared.")
    approval = picker(APPROVAL_STATES, "A derived signature state.")
    layer = picker(COVERAGE_LAYERS, "A coverage layer.")

    def swatch(self, party_id: str) -> int:
        """The party's place in the palette (geo.css has a ``swatch-<n>`` class for each)."""
        order = sorted(self.parties) or [party_id]
        index = order.index(party_id) if party_id in order else len(order)
        return index % len(PARTY_PALETTE)

    def colour(self, party_id: str) -> str:
        """The party's colour on maps and legends (stable: by the parties' id order)."""
        return PARTY_PALETTE[self.swatch(party_id)]

    def colours(self) -> dict[str, str]:
        """Every party's colour, for the map scripts."""
        return {party: self.colour(party) for party in self.parties}

    def number(self, value: float | None, digits: int = 1) -> str:
        """A number with grouping in the page's locale (``""`` for None)."""
        if value is None:
            return ""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=i18n.babel_locale(self.lang)))


def geo_labels_for(ctx: ServiceContext, lang: str) -> GeoLabels:
    """Labels for a page in ``lang`` that know every party's and center's name."""
    parties = {p["id"]: p for p in list_parties(ctx)}
    centers = {c["id"]: c for c in list_centers(ctx)}
    return GeoLabels(lang=lang, parties=parties, centers=centers)
