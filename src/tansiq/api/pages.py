"""Cursor pages for the list routes: the ``cursor``/``limit`` query and the page answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol, TypeVar

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.deps import Cursor, GeoJSONLimit, Limit
from tansiq.api.received import Received
from tansiq.api.responses import GeoJSONBytes, JSONBytes
from tansiq.domain.actors import Actor
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.pagination import Page

F = TypeVar("F")
F_contra = TypeVar("F_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)


@dataclass(frozen=True)
class PageQuery:
    """Where a list resumes (``cursor``; None from the start) and how many items it answers."""

    cursor: str | None
    limit: int


def page_query(cursor: Cursor = None, limit: Limit = 100) -> PageQuery:
    """The ``cursor`` and ``limit`` (1–1,000, default 100) of a JSON list."""
    return PageQuery(cursor=cursor, limit=limit)


def geojson_page_query(cursor: Cursor = None, limit: GeoJSONLimit = 10_000) -> PageQuery:
    """The ``cursor`` and ``limit`` (1–50,000, default 10,000) of a GeoJSON list."""
    return PageQuery(cursor=cursor, limit=limit)


PageDep = Annotated[PageQuery, Depends(page_query)]
GeoJSONPageDep = Annotated[PageQuery, Depends(geojson_page_query)]


class FilteredQuery(Protocol[F_contra, R_co]):
    """A list service: what of the records released to ``actor`` match ``filters``, paged."""

    def __call__(
        self,
        ctx: ServiceContext,
        /,
        *,
        actor: Actor,
        filters: F_contra,
        cursor: str | None,
        limit: int,
    ) -> R_co: ...


def page_answer(page: Page) -> JSONBytes:
    """One page of a list as ``{"items": …, "next_cursor": …}``."""
    return JSONBytes({"items": page.items, "next_cursor": page.next_cursor})


def list_page(
    lister: FilteredQuery[F, Page], ctx: ServiceContext, actor: Actor, filters: F, page: PageQuery
) -> JSONBytes:
    """Answer one page of ``lister``; raises what it raises (ValidationFailed on a bad cursor)."""
    answer = lister(ctx, actor=actor, filters=filters, cursor=page.cursor, limit=page.limit)
    return page_answer(answer)


def geojson_page(
    lister: FilteredQuery[F, dict[str, Any]],
    ctx: ServiceContext,
    actor: Actor,
    filters: F,
    page: PageQuery,
) -> GeoJSONBytes:
    """Answer ``lister``'s FeatureCollection (RFC 7946); raises what it raises."""
    collection = lister(ctx, actor=actor, filters=filters, cursor=page.cursor, limit=page.limit)
    return GeoJSONBytes(collection)


class FeatureProperties(Received):
    """The record's other fields (as its list answers them), with its ``received`` mark."""

    model_config = ConfigDict(extra="allow")


class FeaturePublic(BaseModel):
    """A GeoJSON Feature of a list: the record's id, its geometry and its other fields."""

    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any] = Field(description="A GeoJSON geometry, [longitude, latitude]")
    properties: FeatureProperties


class FeaturePage(BaseModel):
    """One page of a GeoJSON list (RFC 7946); pass ``next_cursor`` as ``cursor`` for the next."""

    type: Literal["FeatureCollection"]
    features: list[FeaturePublic]
    next_cursor: str | None
