"""Guarantee analysis: circles, circle detail and explanation, chains, systemic ranking.

A circle is computed by `algorithms/guarantee.py`, stored by `analyses/guarantee.py` and
served here: the stored node as `analyses.guarantee.circle_node` reads it, with its members,
loans and guarantees read live (`circle_detail`) and the facts behind its risk
(`circle_explanation`; an impaired loan is `services.is_impaired`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from guanxi.analyses.guarantee import circle_node, systemic_page
from guanxi.analyses.results import dump
from guanxi.analyses.results.risk import SystemicRank
from guanxi.api import services
from guanxi.api.deps import Api, Budget, Graph, Page, Store, page, run_copied, run_page
from guanxi.api.errors import ApiError
from guanxi.api.graphview import GraphView
from guanxi.api.models import CircleDetail, CircleExplanation, CircleRow, GuaranteeChains, PageOf
from guanxi.api.shaping import ShapedRoute
from guanxi.api.traverse import guarantee_chains

router = APIRouter(prefix="/guarantee", tags=["guarantee"], route_class=ShapedRoute)
CircleId = Annotated[str, Path(description="circle id K:…", max_length=200)]
CIRCLE_EXPLAIN_KEYS = ("motifs", "contracted_via", "top_cycles", "break_plan", "live_balance",
                       "live_loans", "history", "hub_guarantors", "sub_circles")
"""The circle facts the explanation returns (#18), as `circle_node` has them."""


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
    return circle_detail(graph, circle_id)


@router.get("/circles/{circle_id}/explain", name="guarantee.circle_explain",
            response_model=CircleExplanation)
def circle_explain(graph: Graph, circle_id: CircleId) -> dict[str, Any]:
    """Explain a circle's risk: the analysis's explanation, motifs and the facts behind them."""
    return circle_explanation(graph, circle_id)


def circle_detail(graph: GraphView, circle_id: str) -> dict[str, Any]:
    """Return a circle (`circle_node`), its members (by id), loans and the guarantees among
    its members; 404 when no circle has that id."""
    rows = run_copied(graph, "api_circle_get", {"id": circle_id})
    if not rows:
        raise ApiError(404, "not_found", "no circle with that id")
    circle = circle_node(rows[0])
    # a UNION cannot be ordered in the dialect both backends share: order here
    members = sorted(run_copied(graph, "api_circle_members", {"id": circle_id}),
                     key=lambda m: m["id"])
    ids = sorted({m["id"] for m in members} | set(circle.get("members") or []))
    loans = run_copied(graph, "api_loans_by_ids", {"ids": list(circle.get("loans") or [])})
    members_set = set(ids)
    guarantees = [g for g in graph.guarantees(ids, "given", 1000) if g["borrower"] in members_set]
    return {"circle": circle, "members": members, "loans": loans, "guarantees": guarantees}


def circle_explanation(graph: GraphView, circle_id: str) -> dict[str, Any]:
    """Return why a circle scores as it does: the analysis's risk, explanation, motifs, the
    merges that close it, its heaviest cycles, 拆圈断链 plan, live balance vs history, hubs,
    sub-circles, and the facts: member and loan counts, balance, impaired loans, the
    members' negative records (≤ 50)."""
    c = circle_detail(graph, circle_id)
    k = c["circle"]
    loans = c["loans"]
    records = graph.records_of([m["id"] for m in c["members"]], 50)
    return {
        "id": circle_id,
        "risk_score": k.get("risk_score"),
        "explanation": k.get("explanation"),
        "contraction": k.get("contraction"),
        **{key: k[key] for key in CIRCLE_EXPLAIN_KEYS if key in k},
        "facts": {
            "members": len(c["members"]),
            "loans": len(loans),
            "total_balance": sum((ln.get("balance") or 0.0) for ln in loans),
            "impaired_loans": [ln for ln in loans if services.is_impaired(ln)],
            "negative_records": records,
        },
    }


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
