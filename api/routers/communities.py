"""Fund-flow communities found by the marketing analysis (`guanxi.analyses.communities`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from guanxi.analyses.results.marketing import CommunityNode
from guanxi.api import marketing
from guanxi.api.deps import Graph, Page, page
from guanxi.api.marketing import CommunityMember
from guanxi.api.models import PageOf
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/communities", tags=["communities"], route_class=ShapedRoute)


@router.get("", name="communities.list", response_model=PageOf[CommunityNode])
def communities(graph: Graph, p: Page) -> dict[str, Any]:
    """List communities, largest first, with their profiles."""
    return page(marketing.communities(graph, p), p)


@router.get("/{community_id}", name="communities.detail", response_model=PageOf[CommunityMember])
def members(
    graph: Graph,
    p: Page,
    community_id: Annotated[str, Path(max_length=200, description="community id Y:… (url-encode #)")],
) -> dict[str, Any]:
    """Return a page of a community's members, highest rank first."""
    return page(marketing.community_members(graph, community_id, p), p)
