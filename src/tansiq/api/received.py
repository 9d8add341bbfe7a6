"""The ``received`` mark every record answer carries: where a remote record came from.

A record of this node answers ``"received": null``; a record another party's node sent
here answers ``{"from": "krg", "node_id": …, "at": …, "precision": …}`` (the services
set it, ``services/core/marks.py``). It is read-only: no request body takes it (they
forbid unknown fields), and a remote record is not changed here at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ReceivedMark(BaseModel):
    """Which peer's node sent the record here, and when its current version arrived."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", description="The party whose node sent it (its owner)")
    node_id: str = Field(description="The id of that node (as `tansiq node show` prints it)")
    at: str = Field(description="When its current version arrived here (UTC)")
    precision: str | None = Field(
        description="The reduced precision it was released at (e.g. `district,day`); "
        "null when exact"
    )


MARK_HELP = (
    "Read-only. Null for this node's own records; for a record another party's node "
    "sent, which node and when its current version arrived"
)


class Received(BaseModel):
    """The ``received`` field of every record's ``…Public`` answer."""

    received: ReceivedMark | None = Field(
        description=MARK_HELP, json_schema_extra={"readOnly": True}
    )


def written(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as this node just wrote it: its own, so ``received`` is null.

    Every write answer passes through here: a remote record is never written here
    (its owner's node alone changes it), so what a write answers is always local.
    """
    return {**record, "received": None}


def written_items(records: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"items": …}`` of records this node just wrote (a batch, an import)."""
    return {"items": [written(r) for r in records]}
