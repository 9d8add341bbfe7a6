"""Parties and centers: who takes part, and which bodies they sit on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import CenterKindChoices, RoleChoices
from tansiq.domain.errors import ErrorCollector, PermissionDenied
from tansiq.geo.boundaries import governorate_names
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.ids import shared_id
from tansiq.services.core.versioning import insert_records
from tansiq.services.directory.records import CENTER, PARTY, center_payload, party_payload
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.directory import centers, parties

Author = Actor | SystemActor


def _require_admin(by: Author) -> None:
    if isinstance(by, Actor) and RoleChoices.ADMIN not in by.roles:
        raise PermissionDenied("only an admin may change parties and centers")


def create_party(
    ctx: ServiceContext, *, by: Author, party_id: str, name_en: str, name_ar: str, name_ckb: str
) -> dict[str, Any]:
    """Register a party; raises ValidationFailed naming a bad or duplicate field."""
    _require_admin(by)
    errors = ErrorCollector()
    if not party_id.isascii() or not party_id.isalnum() or not 2 <= len(party_id) <= 32:
        errors.add("id", "must be 2-32 ASCII letters or digits")
    for field_name, value in (("name_en", name_en), ("name_ar", name_ar), ("name_ckb", name_ckb)):
        if not value.strip() or len(value) > 200:
            errors.add(field_name, "must be 1-200 characters")
    errors.raise_if_any()
    now = ctx.clock()
    row = {
        "id": party_id.lower(),
        "name_en": name_en,
        "name_ar": name_ar,
        "name_ckb": name_ckb,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    with write_transaction(ctx.engine) as conn:
        if conn.execute(select(parties.c.id).where(parties.c.id == row["id"])).first():
            errors.add("id", f"party {row['id']} already exists")
            errors.raise_if_any()
        insert_records(conn, ctx, PARTY, [row], actor_id=by.user_id)
    return party_payload(row)


def create_center(
    ctx: ServiceContext,
    *,
    by: Author,
    code: str,
    kind: str,
    names: dict[str, str],
    governorates: Sequence[str],
    member_parties: Sequence[str],
) -> dict[str, Any]:
    """Register a center; raises ValidationFailed naming a bad or duplicate field."""
    _require_admin(by)
    errors = ErrorCollector()
    if not (
        2 <= len(code) <= 64 and code.replace("-", "").isascii() and code.replace("-", "").isalnum()
    ):
        errors.add("code", "must be 2-64 ASCII letters, digits or '-'")
    if not member_parties:
        errors.add("member_parties", "must name at least one party")
    if kind not in [k.value for k in CenterKindChoices]:
        errors.add("kind", "must be supreme or jcc")
    known_govs = set(governorate_names())
    for gov in governorates:
        if gov not in known_govs:
            errors.add("governorates", f"unknown governorate {gov!r}")
    for lang in ("en", "ar", "ckb"):
        if not names.get(lang, "").strip():
            errors.add(f"name_{lang}", "is required")
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        known_parties = {r.id for r in conn.execute(select(parties.c.id))}
        for party in member_parties:
            if party not in known_parties:
                errors.add("member_parties", f"unknown party {party!r}")
        if conn.execute(select(centers.c.id).where(centers.c.code == code)).first():
            errors.add("code", f"center {code} already exists")
        errors.raise_if_any()
        row = {
            "id": shared_id("center", code),
            "code": code,
            "kind": kind,
            "name_en": names["en"],
            "name_ar": names["ar"],
            "name_ckb": names["ckb"],
            "governorates": list(governorates),
            "member_parties": sorted(set(member_parties)),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        insert_records(conn, ctx, CENTER, [row], actor_id=by.user_id)
    return center_payload(row)


def list_parties(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Every registered party (parties are shared with all)."""
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(select(parties).order_by(parties.c.id)).mappings().all()
    return [party_payload(r) for r in rows]


def list_centers(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Every center (centers and their membership are shared with all)."""
    with read_transaction(ctx.engine) as conn:
        return centers_in(conn)


def centers_in(conn: Connection) -> list[dict[str, Any]]:
    """Every center, read inside the caller's transaction."""
    rows = conn.execute(select(centers).order_by(centers.c.kind.desc(), centers.c.code))
    return [center_payload(r) for r in rows.mappings()]


def center_ids_of_party(conn: Connection, party: str) -> frozenset[str]:
    """Ids of the centers ``party`` is a member of."""
    rows = conn.execute(select(centers.c.id, centers.c.member_parties))
    return frozenset(r.id for r in rows if party in r.member_parties)
