"""Dependencies handed to routes: the store, the settings, page parameters, the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from guanxi.api.audit import AuditLog
from guanxi.api.auth import KeyStore
from guanxi.api.errors import ApiError
from guanxi.api.graphview import GraphView
from guanxi.api.limits import Deadline
from guanxi.api.masking import NameRules
from guanxi.api.settings import ApiSettings
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore


@dataclass
class Services:
    """What the app holds for its lifetime: store, graph view, settings, keys and audit log."""

    store: GraphStore
    graph: GraphView
    settings: Settings
    api: ApiSettings
    keys: KeyStore
    audit: AuditLog
    names: NameRules
    """Whose names are personal (`api/masking.py`), built from the graph at start."""


def services_of(request: Request) -> Services:
    """Return the app's services (503 when the store is not open)."""
    svc = getattr(request.app.state, "services", None)
    if svc is None:
        raise ApiError(503, "unavailable", "the store is not open")
    assert isinstance(svc, Services)
    return svc


# The dependencies are `async def` although they do not await: FastAPI runs a plain `def`
# dependency in the thread pool, one thread hand-over (and GIL hand-over) per dependency and
# request, for what is an attribute lookup.


async def get_services(request: Request) -> Services:
    """Return the app's services (dependency)."""
    return services_of(request)


async def get_store(request: Request) -> GraphStore:
    """Return the open GraphStore (dependency)."""
    return services_of(request).store


async def get_graph(request: Request) -> GraphView:
    """Return the graph view the traversal routes read (in-memory index or named queries)."""
    return services_of(request).graph


async def get_name_rules(request: Request) -> NameRules:
    """Return the app's `NameRules` (whose names a marketer sees masked)."""
    return services_of(request).names


async def get_api_settings(request: Request) -> ApiSettings:
    """Return the API limits (dependency)."""
    return services_of(request).api


async def get_deadline(request: Request) -> Deadline:
    """Return a fresh per-request time budget of `settings.query_timeout_s`."""
    return Deadline(services_of(request).settings.query_timeout_s)


@dataclass
class PageParams:
    """`limit` (1..200) and `offset` (≥ 0) of a page."""

    limit: int
    offset: int


async def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (at most 200).")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000, description="Rows to skip (at most 10000).")] = 0,
) -> PageParams:
    """Return the page parameters of the request."""
    return PageParams(limit, offset)


Page = Annotated[PageParams, Depends(page_params)]
Store = Annotated[GraphStore, Depends(get_store)]
Graph = Annotated[GraphView, Depends(get_graph)]
Api = Annotated[ApiSettings, Depends(get_api_settings)]
Names = Annotated[NameRules, Depends(get_name_rules)]
Budget = Annotated[Deadline, Depends(get_deadline)]


def run_page(graph: GraphView, name: str, params: dict[str, Any], p: PageParams) -> list[dict[str, Any]]:
    """Run a paged named query over analysis results and return copies of rows
    `offset … offset+limit` (cached by the graph view where the graph cannot change).

    The query gets `skip = 0` and `limit = offset + limit` and the page is cut here: kuzu
    0.11.3 crashes the process on `SKIP` beyond the last row of some sorted queries.
    """
    rows = graph.run_cached(name, {**params, "skip": 0, "limit": p.offset + p.limit})
    return [dict(r) for r in rows[p.offset :]]


def run_copied(graph: GraphView, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Return copies of the (possibly cached) rows of a named query over analysis results."""
    return [dict(r) for r in graph.run_cached(name, params)]


def page(items: list[dict[str, Any]], p: PageParams, **extra: Any) -> dict[str, Any]:
    """Return the page envelope: items, limit, offset, count, next_offset (None at the end)."""
    return {
        "items": items,
        "limit": p.limit,
        "offset": p.offset,
        "count": len(items),
        "next_offset": p.offset + p.limit if len(items) == p.limit else None,
        **extra,
    }
