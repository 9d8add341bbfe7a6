"""Plain factory functions for test data (one world: two parties, centers, users)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import tansiq.services.accounts.commands as accounts
from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import RoleChoices
from tansiq.services.accounts.commands import authenticate_password, create_token, create_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import create_center, create_party
from tests import snapshots

SYSTEM = SystemActor("system:test")
PASSWORD = "correct horse battery"


@dataclass
class Clock:
    """A clock tests move by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)


@dataclass
class World:
    """Parties fed and krg (and un, a third party), a JCC, and users of each role."""

    actors: dict[str, Actor] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    centers: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_world(ctx: ServiceContext, *, with_tokens: bool = False) -> World:
    """Create fed, krg and un; JCC Kirkuk (fed+krg) and a fed+un center; users.

    On a session database (tests/conftest.py) an identical earlier build is
    replayed: the same rows, journal and ids, without the services' cost
    (see tests/snapshots.py).
    """
    return snapshots.replay(
        ctx.engine,
        replay_key(ctx, "build_world", with_tokens),
        lambda: _create_world(ctx, with_tokens=with_tokens),
    )


def replay_key(ctx: ServiceContext, *parts: Hashable) -> Hashable | None:
    """What a factory's rows depend on besides the database: ``parts`` and ``ctx``.

    None (build every time) unless the clock is a test :class:`Clock`.
    """
    if not isinstance(ctx.clock, Clock):
        return None
    # The hasher is patched per test; its parameters end up in the stored hashes.
    hasher = accounts._hasher
    return (
        parts,
        ctx.key.node_id,
        ctx.clock.now,
        replace(ctx.settings, key_file=""),
        (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len),
    )


def _create_world(ctx: ServiceContext, *, with_tokens: bool) -> World:
    # The world through the services, as a node would build it.
    world = World()
    create_party(
        ctx,
        by=SYSTEM,
        party_id="fed",
        name_en="Federal MoD / JOC",
        name_ar="وزارة الدفاع الاتحادية",
        name_ckb="وەزارەتی بەرگری فیدراڵ",
    )
    create_party(
        ctx,
        by=SYSTEM,
        party_id="krg",
        name_en="Ministry of Peshmerga",
        name_ar="وزارة البيشمركة",
        name_ckb="وەزارەتی پێشمەرگە",
    )
    create_party(
        ctx,
        by=SYSTEM,
        party_id="un",
        name_en="UN observers",
        name_ar="مراقبو الأمم المتحدة",
        name_ckb="چاودێرانی نەتەوە یەکگرتووەکان",
    )
    names = {"en": "JCC Kirkuk", "ar": "مركز كركوك", "ckb": "ناوەندی کەرکووک"}
    world.centers["kirkuk"] = create_center(
        ctx,
        by=SYSTEM,
        code="jcc-kirkuk",
        kind="jcc",
        names=names,
        governorates=["Kirkuk"],
        member_parties=["fed", "krg"],
    )
    names = {"en": "Fed-UN desk", "ar": "مكتب", "ckb": "مەکتەب"}
    world.centers["fedun"] = create_center(
        ctx,
        by=SYSTEM,
        code="fed-un",
        kind="jcc",
        names=names,
        governorates=["Baghdad"],
        member_parties=["fed", "un"],
    )
    for party in ("fed", "krg", "un"):
        for role in ("liaison", "analyst", "observer", "admin"):
            username = f"{party}_{role}"
            create_user(
                ctx, by=SYSTEM, username=username, party=party, roles=[role], password=PASSWORD
            )
            world.actors[username] = authenticate_password(
                ctx, username=username, password=PASSWORD
            )
            if with_tokens:
                world.tokens[username], _ = create_token(ctx, by=SYSTEM, username=username)
    assert RoleChoices.LIAISON in world.actors["fed_liaison"].roles
    return world


def incident_data(**overrides: Any) -> dict[str, Any]:
    """A valid incident body in Kirkuk, releasable to all; override any field."""
    data: dict[str, Any] = {
        "occurred_at": "2020-02-19T21:00:00Z",
        "time_precision": "day",
        "location": {"type": "Point", "coordinates": [44.392, 35.468]},
        "geo_precision": 1,
        "place_name": "Kirkuk",
        "cross_border": False,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "Islamic State (Iraq)",
        "actor2": "Civilians (Iraq)",
        "fatalities": 0,
        "injured": 2,
        "description": "IED on the road south of Kirkuk.",
        "sources": ["JCC Kirkuk liaison"],
        "source_reliability": "B",
        "credibility": 2,
        "releasability": "all",
        "center_id": None,
    }
    data.update(overrides)
    return data
