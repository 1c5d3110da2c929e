"""The Guanxi query API: `create_app(store_factory=…, settings=…)` assembles it.

Layers, outside in: `GuardMiddleware` (key lookup, rate limit, body size, audit) →
routers (one per concern; `ACCESS` enforced by a global dependency) → `ShapedRoute`
(PII shaping by role) → named queries on the GraphStore.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from guanxi.api.audit import AuditLog, default_checkpoints, default_key
from guanxi.api.auth import KeyStore, enforce_access
from guanxi.api.deps import Services
from guanxi.api.errors import install_error_handlers
from guanxi.api.graphview import GraphView, IndexedGraph, QueryGraph
from guanxi.api.limits import RateLimiter
from guanxi.api.masking import build_name_rules
from guanxi.api.middleware import GuardMiddleware
from guanxi.api.models import ERRORS
from guanxi.api.routers import (
    admin,
    checks,
    communities,
    documents,
    entities,
    export,
    exposure,
    frontline,
    guarantee,
    meta,
    paths,
    prospects,
    referrals,
    supply,
    workbench,
)
from guanxi.api.settings import ApiSettings
from guanxi.api.shaping import SafeJSONResponse, ShapedRoute
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore

STATIC = Path(__file__).resolve().parent / "static"
ROUTERS = (meta, entities, guarantee, exposure, communities, referrals, prospects, supply,
           frontline, documents, paths, checks, admin, workbench, export)
log = logging.getLogger("guanxi.api")


def create_app(
    store_factory: Callable[[], GraphStore] | None = None,
    settings: Settings | None = None,
    api_settings: ApiSettings | None = None,
    *,
    close_store: bool = True,
) -> FastAPI:
    """Return the FastAPI app serving the store that `store_factory` opens.

    `settings.store` is the folder of the API key and audit SQLite files (for every
    backend); without a factory the configured store is opened (`graph.connect.open_store`).
    The store is opened now (so a locked store fails at start) and closed at shutdown
    (unless `close_store` is False, for a store shared with another app).
    """
    s = settings or Settings()
    api = api_settings or ApiSettings()
    if store_factory is None:
        from guanxi.graph.connect import open_store

        def store_factory() -> GraphStore:
            return open_store(s, command="guanxi serve")

    store = store_factory()
    folder = Path(s.store)
    services = Services(store=store, graph=graph_view(store, api), settings=s, api=api,
                        keys=KeyStore(folder),
                        audit=AuditLog(folder, default_key(folder, s),
                                       default_checkpoints(folder, s)),
                        names=build_name_rules(store))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # few worker threads: with the graph in memory, handlers are CPU work under one GIL,
        # and dozens of threads only add GIL hand-overs (convoys) to every request
        anyio.to_thread.current_default_thread_limiter().total_tokens = api.threads
        # what exists now (the app, the graph index) lives as long as the process: keep it
        # out of the cyclic collector's full passes (tens of ms each at county scale, taken
        # out of whichever request triggers one)
        gc.collect()
        gc.freeze()
        yield
        if close_store:
            store.close()

    app = FastAPI(
        title="Guanxi API",
        version="0.1.0",
        description=(
            "Query API over the Guanxi knowledge graph for risk analysts, marketers, "
            "investigators and admins. Send `X-API-Key`. Every error is "
            '`{"error": {"code": …, "message": …}}`; pages take `limit` (≤ 200) and `offset`.'
        ),
        lifespan=lifespan,
        default_response_class=SafeJSONResponse,
        dependencies=[Depends(enforce_access)],
        responses=ERRORS,
    )
    app.state.services = services
    app.router.route_class = ShapedRoute
    # `/communities/` is not `/communities`: answer the JSON 404 instead of an empty 307
    app.router.redirect_slashes = False
    for mod in ROUTERS:
        mod.router.route_class = ShapedRoute
        app.include_router(mod.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_error_handlers(app)
    app.add_middleware(
        GuardMiddleware,
        keys=services.keys,
        audit=services.audit,
        limiter=RateLimiter(api.rate_per_s, api.burst),
        max_body=api.max_upload_bytes,
    )
    _add_security_scheme(app)
    return app


def worker_app() -> FastAPI:
    """App factory of `guanxi serve --workers N` (one call per worker process): the store
    configured in the environment (`GUANXI_*`), an embedded store opened read-only so that
    the workers can share it. Each worker holds its own in-memory index and rate limits."""
    s = Settings(read_only=True)
    return create_app(settings=s)


def graph_view(store: GraphStore, api: ApiSettings) -> GraphView:
    """Return the in-memory index for an embedded store, else label-specific named queries.

    While a process holds a kuzu store open, read-write or read-only, no other process can
    open it read-write (kuzu 0.11 locks the files), so the graph cannot change under the
    index; Neo4j's graph can."""
    if api.memory_index and store.backend == "embedded":
        t = time.perf_counter()
        g = IndexedGraph(store)
        log.info("graph index: %d nodes, %d edges in %.1f s", len(g.ids), g.n_edges,
                 time.perf_counter() - t)
        return g
    return QueryGraph(store)


def _add_security_scheme(app: FastAPI) -> None:
    """Document the X-API-Key header in the OpenAPI schema."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version,
                             description=app.description, routes=app.routes)
        comps = schema.setdefault("components", {})
        comps.setdefault("securitySchemes", {})["ApiKey"] = {
            "type": "apiKey", "in": "header", "name": "X-API-Key"}
        schema["security"] = [{"ApiKey": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
