"""Load the February 2020 demo through the services, so every record is journaled.

Loading is idempotent: parties, centers and users are matched by id, code and
username, and the incidents are filed only while the demo users have filed none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

from tansiq.demo.coordination_feb2020 import CoordinationSummary, load_coordination
from tansiq.demo.directory_feb2020 import CENTERS, MEMBER_PARTIES, PARTIES, USERS, demo_password
from tansiq.demo.incidents_feb2020 import INCIDENTS
from tansiq.demo.operations_feb2020 import load_operations
from tansiq.demo.sectors_feb2020 import load_sectors
from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import IncidentStatusChoices
from tansiq.domain.errors import NotFound
from tansiq.services.accounts.commands import (
    authenticate_password,
    create_user,
    get_user_by_username,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import (
    create_center,
    create_party,
    list_centers,
    list_parties,
)
from tansiq.services.incidents.commands import create_incidents, update_incident
from tansiq.services.incidents.queries import MAX_PAGE, IncidentFilters, list_incidents

DEMO_ACTOR: Final = SystemActor("system:demo")
BAGHDAD: Final = timezone(timedelta(hours=3))
# Keys of an INCIDENTS entry that steer the loader rather than being incident fields.
_LOADER_KEYS: Final = frozenset(
    {"filer", "when", "lon", "lat", "what", "center", "status", "admin1"}
)
# The terminal table names each UI language in English, next to its code.
LANGUAGE_NAMES_EN: Final = {"en": "English", "ar": "Arabic", "ckb": "Sorani Kurdish"}
WARNING: Final = (
    "WARNING: these are demo credentials, published with the source code. Use this node "
    "for local evaluation only: never expose it to a network or enter real data."
)


@dataclass(frozen=True)
class DemoLogin:
    """One demo user and the password the demo gave them."""

    username: str
    party: str
    role: str
    display_name: str
    password: str
    language: str = "en"

    @property
    def language_name(self) -> str:
        """The UI language the user's pages open in, e.g. ``ar (Arabic)``."""
        return f"{self.language} ({LANGUAGE_NAMES_EN.get(self.language, self.language)})"


@dataclass(frozen=True)
class DemoSummary:
    """What a run of the demo created (zero when it was already loaded) and the logins."""

    parties: int
    centers: int
    users: int
    incidents: int
    logins: tuple[DemoLogin, ...]
    coordination: CoordinationSummary | None = None
    sectors: int = 0
    sites: int = 0
    plans: int = 0

    @property
    def created_anything(self) -> bool:
        """True when this run added at least one record."""
        coordinated = self.coordination is not None and self.coordination.created_anything
        counts = (self.parties, self.centers, self.users, self.incidents)
        return coordinated or any((*counts, self.sectors, self.sites, self.plans))

    def describe(self) -> str:
        """A report for the terminal: what was created, a warning and the logins table."""
        lines = ["Tansiq demo: Iraq, 15 January - 24 February 2020 (illustrative incidents)."]
        if self.created_anything:
            lines.append(
                f"Created {self.parties} parties, {self.centers} centers, {self.users} users "
                f"and {self.incidents} incidents."
            )
        else:
            lines.append("The demo was already loaded: nothing new was created.")
        if self.sectors or self.sites or self.plans:
            lines.append(
                f"Sectors and plans: {self.sectors} sectors, {self.sites} protected sites and "
                f"{self.plans} proposed joint plan(s) with findings to acknowledge."
            )
        if self.coordination is not None and self.coordination.created_anything:
            lines.append(self.coordination.describe())
        lines += ["", WARNING, ""]
        # The language column: a newcomer logging in on an English page should know
        # that fed_liaison's pages open in Arabic (the account's setting wins).
        header = ("username", "party", "role", "password", "UI language", "name")
        rows = [header] + [
            (x.username, x.party, x.role, x.password, x.language_name, x.display_name)
            for x in self.logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[-1]]))
        return "\n".join(lines)


def occurred(when: str) -> tuple[datetime, str]:
    """Read a Baghdad-time ``YYYY-MM-DD[ HH:MM]`` into (UTC datetime, time precision)."""
    local = datetime.fromisoformat(when).replace(tzinfo=BAGHDAD)
    return local.astimezone(UTC), "exact" if " " in when else "day"


LATEST_OCCURRED_AT: Final = max(occurred(entry["when"])[0] for entry in INCIDENTS)


def load_demo(ctx: ServiceContext, *, party: str | None = None) -> DemoSummary:
    """Create whatever part of the demo is missing and return what was created.

    With ``party``, only that party's part, for its own node of a federated pair
    (``make run-pair``): its users, the incidents it filed, its sectors and sites;
    the other party's node loads the rest and sync brings each side the other's.
    Plans and meetings, which need both parties' signatures, stay in the one-node demo.

    Raises ValueError, before changing anything, when the clock is earlier than the
    demo's last incident (the services refuse incidents from the future).
    """
    now = ctx.clock()
    if now < LATEST_OCCURRED_AT:
        raise ValueError(
            f"the demo's incidents run to {LATEST_OCCURRED_AT:%Y-%m-%d %H:%M} UTC, "
            f"after the clock ({now:%Y-%m-%d %H:%M} UTC)"
        )
    parties = _load_parties(ctx)
    centers, center_ids = _load_centers(ctx)
    parties_here = frozenset({party}) if party else frozenset(u.party for u in USERS)
    users = _load_users(ctx, parties_here)
    incidents = _load_incidents(ctx, center_ids, parties_here)
    sectors, sites = load_sectors(ctx, parties=parties_here)
    plans = load_operations(ctx) if party is None else 0
    coordination = load_coordination(ctx) if party is None else CoordinationSummary()
    logins = tuple(
        DemoLogin(
            u.username, u.party, u.role, u.display_name, demo_password(u.username), u.language
        )
        for u in USERS
        if u.party in parties_here
    )
    return DemoSummary(
        parties,
        centers,
        users,
        incidents,
        logins,
        coordination=coordination,
        sectors=sectors,
        sites=sites,
        plans=plans,
    )


def _load_parties(ctx: ServiceContext) -> int:
    existing = {party["id"] for party in list_parties(ctx)}
    missing = [party for party in PARTIES if party["party_id"] not in existing]
    for party in missing:
        create_party(ctx, by=DEMO_ACTOR, **party)
    return len(missing)


def _load_centers(ctx: ServiceContext) -> tuple[int, dict[str, str]]:
    ids = {center["code"]: center["id"] for center in list_centers(ctx)}
    created = 0
    for center in CENTERS:
        if center.code in ids:
            continue
        record = create_center(
            ctx,
            by=DEMO_ACTOR,
            code=center.code,
            kind=center.kind,
            names=center.names,
            governorates=center.governorates,
            member_parties=MEMBER_PARTIES,
        )
        ids[center.code] = record["id"]
        created += 1
    return created, ids


def _load_users(ctx: ServiceContext, parties: frozenset[str]) -> int:
    created = 0
    for user in USERS:
        if user.party not in parties or _user_exists(ctx, user.username):
            continue
        create_user(
            ctx,
            by=DEMO_ACTOR,
            username=user.username,
            party=user.party,
            roles=[user.role],
            display_name=user.display_name,
            password=demo_password(user.username),
            language=user.language,
        )
        created += 1
    return created


def _user_exists(ctx: ServiceContext, username: str) -> bool:
    try:
        get_user_by_username(ctx, username=username)
    except NotFound:
        return False
    return True


def _actor(ctx: ServiceContext, username: str) -> Actor:
    # Logging in as the demo user, after the centers exist, gives the actor its centers.
    return authenticate_password(ctx, username=username, password=demo_password(username))


def _has_filed(ctx: ServiceContext, actor: Actor) -> bool:
    cursor = None
    while True:
        page = list_incidents(
            ctx,
            actor=actor,
            filters=IncidentFilters(party=actor.party),
            cursor=cursor,
            limit=MAX_PAGE,
        )
        if any(item["created_by"] == actor.user_id for item in page.items):
            return True
        if page.next_cursor is None:
            return False
        cursor = page.next_cursor


def _wire(entry: Mapping[str, Any], center_ids: Mapping[str, str]) -> dict[str, Any]:
    """The incident as a client would send it, from one INCIDENTS entry."""
    when, precision = occurred(entry["when"])
    event_type, sub_event_type = entry["what"]
    wire = {key: value for key, value in entry.items() if key not in _LOADER_KEYS}
    wire.setdefault("time_precision", precision)
    wire.update(
        occurred_at=when.isoformat(),
        location={"type": "Point", "coordinates": [entry["lon"], entry["lat"]]},
        event_type=event_type,
        sub_event_type=sub_event_type,
        center_id=center_ids[entry["center"]] if entry.get("center") else None,
        # A verified report is filed as submitted, then verified by an analyst.
        status=IncidentStatusChoices.DRAFT.value
        if entry["status"] == IncidentStatusChoices.DRAFT
        else IncidentStatusChoices.SUBMITTED.value,
    )
    return wire


def _load_incidents(
    ctx: ServiceContext, center_ids: Mapping[str, str], parties: frozenset[str]
) -> int:
    party_of = {user.username: user.party for user in USERS}
    batches: dict[str, list[dict[str, Any]]] = {}
    for entry in INCIDENTS:
        if party_of[entry["filer"]] in parties:
            batches.setdefault(entry["filer"], []).append(entry)
    filers = {username: _actor(ctx, username) for username in batches}
    if any(_has_filed(ctx, actor) for actor in filers.values()):
        return 0
    analysts: dict[str, Actor] = {
        party: _actor(ctx, f"{party}_analyst") for party in MEMBER_PARTIES if party in parties
    }
    for username, entries in batches.items():
        actor = filers[username]
        items = [_wire(entry, center_ids) for entry in entries]
        records = create_incidents(ctx, actor=actor, items=items)
        for entry, record in zip(entries, records, strict=True):
            if entry["status"] == IncidentStatusChoices.VERIFIED:
                update_incident(
                    ctx,
                    actor=analysts[actor.party],
                    incident_id=record["id"],
                    changes={"status": IncidentStatusChoices.VERIFIED.value},
                    expected_version=record["version"],
                )
    return sum(len(entries) for entries in batches.values())
