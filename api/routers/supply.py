"""Supply chains: list, detail (members and SUPPLIES edges), risks and opportunities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from guanxi.analyses.results.marketing import SupplyChainNode
from guanxi.api import marketing
from guanxi.api.deps import Graph, Page, Store, page
from guanxi.api.marketing import ChainMemberRow, ChainRiskRow, SupplyChainDetail
from guanxi.api.models import PageOf
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/supply-chains", tags=["supply chains"], route_class=ShapedRoute)
ChainId = Annotated[str, Path(max_length=200, description="supply chain id Z:…")]


@router.get("", name="supply.list", response_model=PageOf[SupplyChainNode])
def chains(graph: Graph, p: Page) -> dict[str, Any]:
    """List supply chains around core enterprises, largest first."""
    return page(marketing.supply_chains(graph, p), p)


@router.get("/{chain_id}", name="supply.detail", response_model=SupplyChainDetail,
            response_model_exclude_unset=True)
def chain(store: Store, graph: Graph, chain_id: ChainId) -> SupplyChainDetail:
    """Return a chain with its members (side, depth) and the inferred SUPPLIES edges."""
    return marketing.chain_detail(store, graph, chain_id)


@router.get("/{chain_id}/risks", name="supply.risks", response_model=PageOf[ChainRiskRow])
def risks(store: Store, graph: Graph, p: Page, chain_id: ChainId) -> dict[str, Any]:
    """Return chain members with negative records or impaired/overdue loans."""
    return page(marketing.chain_risks(store, graph, chain_id, p), p)


@router.get("/{chain_id}/opportunities", name="supply.opportunities",
            response_model=PageOf[ChainMemberRow])
def opportunities(graph: Graph, p: Page, chain_id: ChainId) -> dict[str, Any]:
    """Return chain members that are not yet customers of the bank (upstream first)."""
    return page(marketing.chain_opportunities(graph, chain_id, p), p)
