"""Dependencies handed to routes: the store, the settings, page parameters, the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from guanxi.api.audit import AuditLog
from guanxi.api.auth import KeyStore
from guanxi.api.errors import ApiError
from guanxi.api.limits import Deadline
from guanxi.api.settings import ApiSettings
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore


@dataclass
class Services:
    """What the app holds for its lifetime: store, settings, keys and audit log."""

    store: GraphStore
    settings: Settings
    api: ApiSettings
    keys: KeyStore
    audit: AuditLog


def get_services(request: Request) -> Services:
    """Return the app's services."""
    svc = getattr(request.app.state, "services", None)
    if svc is None:
        raise ApiError(503, "unavailable", "the store is not open")
    assert isinstance(svc, Services)
    return svc


def get_store(request: Request) -> GraphStore:
    """Return the open GraphStore (dependency)."""
    return get_services(request).store


def get_api_settings(request: Request) -> ApiSettings:
    """Return the API limits (dependency)."""
    return get_services(request).api


def get_deadline(request: Request) -> Deadline:
    """Return a fresh per-request time budget of `settings.query_timeout_s`."""
    return Deadline(get_services(request).settings.query_timeout_s)


@dataclass
class PageParams:
    """`limit` (1..200) and `offset` (≥ 0) of a page."""

    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (at most 200).")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000, description="Rows to skip (at most 10000).")] = 0,
) -> PageParams:
    """Return the page parameters of the request."""
    return PageParams(limit, offset)


Page = Annotated[PageParams, Depends(page_params)]
Store = Annotated[GraphStore, Depends(get_store)]
Api = Annotated[ApiSettings, Depends(get_api_settings)]
Budget = Annotated[Deadline, Depends(get_deadline)]


def run_page(store: GraphStore, name: str, params: dict[str, Any], p: PageParams) -> list[dict[str, Any]]:
    """Run a paged named query and return rows `offset … offset+limit`.

    The query gets `skip = 0` and `limit = offset + limit` and the page is cut here: kuzu
    0.11.3 crashes the process on `SKIP` beyond the last row of some sorted queries.
    """
    rows = store.run(name, {**params, "skip": 0, "limit": p.offset + p.limit})
    return rows[p.offset :]


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
