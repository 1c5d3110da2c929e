"""Exposure: negative events near an entity, and loan alerts from the exposure analysis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guanxi.api import analytics
from guanxi.api.deps import Api, Budget, Graph, Page, Store, WaitS, page
from guanxi.api.errors import ApiError
from guanxi.api.models import PageOut
from guanxi.api.shaping import ShapedRoute
from guanxi.api.traverse import RISK_TYPES, check_types, neighbourhood

router = APIRouter(prefix="/exposure", tags=["exposure"], route_class=ShapedRoute)


@router.get("/events", name="exposure.events", response_model=PageOut)
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
    ids = sorted(hop_of)
    rows = graph.records_of(ids, p.offset + p.limit) if ids else []
    for r in rows:
        r["hop"] = hop_of.get(r["subject"])
    rows.sort(key=lambda r: (r["hop"], str(r.get("date") or "")[::-1], r["id"]))
    return page(rows[p.offset : p.offset + p.limit], p)


@router.get("/alerts", name="exposure.alerts", response_model=PageOut)
def alerts(store: Store, p: Page, wait_s: WaitS) -> dict[str, Any]:
    """Return live loans whose borrower, guarantor or a related party has a newer negative record.

    503 `analysis_pending` when the alerts are not stored and not computed within the
    query timeout."""
    rows, note = analytics.loan_alerts(store, p.offset, p.limit, wait_s)
    return page(rows, p, note=note)
