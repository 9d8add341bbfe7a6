"""What every answer's ``history`` holds: one journaled version of a record."""

from __future__ import annotations

from pydantic import BaseModel


class VersionFields(BaseModel):
    """The journal's side of a version; each concept's ``…Version`` adds its ``record``."""

    version: int
    action: str
    actor: str
    at: str
    journal_seq: int
    hash: str
