"""Guarantee analysis: circles, circle detail and explanation, chains, systemic ranking."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from guanxi.analyses.guarantee import systemic_page
from guanxi.analyses.results import dump
from guanxi.analyses.results.risk import SystemicRank
from guanxi.api import services
from guanxi.api.deps import Api, Budget, Graph, Page, Store, page, run_page
from guanxi.api.errors import ApiError
from guanxi.api.models import CircleDetail, CircleExplanation, CircleRow, GuaranteeChains, PageOf
from guanxi.api.shaping import ShapedRoute
from guanxi.api.traverse import guarantee_chains

router = APIRouter(prefix="/guarantee", tags=["guarantee"], route_class=ShapedRoute)
CircleId = Annotated[str, Path(description="circle id K:…", max_length=200)]


@router.get("/circles", name="guarantee.circles", response_model=PageOf[CircleRow])
def circles(
    graph: Graph, p: Page, min_size: Annotated[int, Query(ge=0, le=1000)] = 0
) -> dict[str, Any]:
    """List guarantee circles found by the analysis, riskiest first."""
    rows = run_page(graph, "api_circles", {"min_size": min_size}, p)
    return page(rows, p)


@router.get("/circles/{circle_id}", name="guarantee.circle", response_model=CircleDetail)
def circle(graph: Graph, circle_id: CircleId) -> dict[str, Any]:
    """Return a circle with its members, loans (balances, classification) and guarantees."""
    return services.circle_detail(graph, circle_id)


@router.get("/circles/{circle_id}/explain", name="guarantee.circle_explain",
            response_model=CircleExplanation)
def circle_explain(graph: Graph, circle_id: CircleId) -> dict[str, Any]:
    """Explain a circle's risk: the analysis's explanation, motifs and the facts behind them."""
    return services.circle_explanation(graph, circle_id)


@router.get("/chains", name="guarantee.chains", response_model=GuaranteeChains)
def chains(
    graph: Graph,
    api: Api,
    budget: Budget,
    entity: Annotated[str, Query(min_length=3, max_length=200, description="entity id")],
    direction: Literal["down", "up", "both"] = "both",
    max_hops: Annotated[int, Query(ge=1, le=3)] = 3,
) -> dict[str, Any]:
    """Return the guarantee chains through an entity (down: whom it guarantees; up: who backs it)."""
    if max_hops > api.max_hops:
        raise ApiError(400, "bad_request", f"max_hops must be ≤ {api.max_hops}")
    return guarantee_chains(graph, entity, direction, max_hops, api.frontier_cap, budget)


@router.get("/systemic", name="guarantee.systemic", response_model=PageOf[SystemicRank])
def systemic(store: Store, p: Page) -> dict[str, Any]:
    """Rank parties by systemic importance in the guarantee network (stored by `guanxi
    analyze guarantee`; an empty page with a note before it ran)."""
    rows, note, _ = systemic_page(store, p.offset, p.limit)
    return page(dump(rows), p, note=note)
