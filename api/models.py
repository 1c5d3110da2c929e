"""Response models for the OpenAPI document (items stay open dicts: rows of named queries)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class PageOut(BaseModel):
    """A page of rows."""

    items: list[dict[str, Any]] = Field(description="rows of this page")
    limit: int
    offset: int
    count: int = Field(description="rows in this page")
    next_offset: int | None = Field(description="offset of the next page, null at the end")
    note: str | None = None
    total: int | None = None


class PageOf(BaseModel, Generic[T]):
    """A page of typed items (`PageOf[Prospect]` is named `PageOf_Prospect_` in the
    OpenAPI document)."""

    items: list[T] = Field(description="the items of this page")
    limit: int
    offset: int
    count: int = Field(description="items in this page")
    next_offset: int | None = Field(description="offset of the next page, null at the end")
    note: str | None = None
    total: int | None = None


class GraphNode(BaseModel):
    """A node of a returned subgraph."""

    id: str
    label: str | None = None
    name: str | None = None
    hop: int | None = None


class GraphOut(BaseModel):
    """A bounded subgraph around `root`."""

    root: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = Field(description="true when a size limit cut the result")


class PathsOut(BaseModel):
    """Shortest paths between two entities."""

    paths: list[dict[str, Any]]
    length: int | None
    truncated: bool


class ObjectOut(BaseModel):
    """A single object (entity, circle, document…) with its related rows."""

    model_config = {"extra": "allow"}


class ErrorBody(BaseModel):
    """The error: a stable code and a one-line message."""

    code: str
    message: str


class ErrorOut(BaseModel):
    """Every 4xx/5xx response."""

    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 413, 422, 429, 503)
}
