"""Exposure: negative events near an entity, and loan alerts from the exposure analysis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guanxi.analyses.exposure import alerts_page
from guanxi.analyses.results import dump
from guanxi.analyses.results.risk import LoanAlert
from guanxi.api import services
from guanxi.api.deps import Api, Budget, Graph, Page, Store, page
from guanxi.api.errors import ApiError
from guanxi.api.models import NegativeRecordRow, PageOf
from guanxi.api.shaping import ShapedRoute
from guanxi.api.traverse import RISK_TYPES, check_types, neighbourhood

router = APIRouter(prefix="/exposure", tags=["exposure"], route_class=ShapedRoute)


@router.get("/events", name="exposure.events", response_model=PageOf[NegativeRecordRow])
def events(
    graph: Graph,
    api: Api,
    budget: Budget,
    p: Page,
    entity: Annotated[str, Query(min_length=3, max_length=200, description="entity id")],
    hops: Annotated[int, Query(ge=0, le=3, description="how far to look, at most 3")] = 2,
    types: Annotated[list[str] | None, Query(description="ties to follow (default: risk ties)")]
    = None,
) -> dict[str, Any]:
    """Return negative records of the entity and of parties within `hops` risk ties, nearest first."""
    if hops > api.max_hops:
        raise ApiError(400, "bad_request", f"hops must be ≤ {api.max_hops}")
    if hops == 0:
        from guanxi.api.traverse import get_entity

        get_entity(graph, entity)
        hop_of = {entity: 0}
    else:
        g = neighbourhood(graph, entity, hops, check_types(types, RISK_TYPES), api.max_nodes,
                          api.frontier_cap, budget)
        hop_of = {n["id"]: n["hop"] for n in g["nodes"] if n.get("label") in ("Person", "Company")}
    rows = services.records_near(graph, hop_of, p.offset + p.limit)
    return page(rows[p.offset : p.offset + p.limit], p)


@router.get("/alerts", name="exposure.alerts", response_model=PageOf[LoanAlert])
def alerts(store: Store, p: Page) -> dict[str, Any]:
    """Return live loans whose borrower, guarantor or a related party has a newer negative
    record, newest event first (stored by `guanxi analyze exposure`; an empty page with a
    note before it ran)."""
    rows, note, _ = alerts_page(store, p.offset, p.limit)
    return page(dump(rows), p, note=note)
