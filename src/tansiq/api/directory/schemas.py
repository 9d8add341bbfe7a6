"""Schemas for the node, the user, parties and centers."""

from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    """Liveness and database reachability."""

    status: str
    database: str
    node_id: str


class Me(BaseModel):
    """The authenticated user."""

    id: str
    username: str
    display_name: str
    party: str
    roles: list[str]
    language: str
    centers: list[str]


class PartyPublic(BaseModel):
    """A participating force or ministry."""

    id: str
    name_en: str
    name_ar: str
    name_ckb: str
    version: int
    created_at: str
    updated_at: str


class CenterPublic(BaseModel):
    """The Supreme Committee or a joint coordination center."""

    id: str
    code: str
    kind: str
    name_en: str
    name_ar: str
    name_ckb: str
    governorates: list[str]
    member_parties: list[str]
    version: int
    created_at: str
    updated_at: str
