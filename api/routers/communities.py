"""Fund-flow communities found by the marketing analysis."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path

from guanxi.api.deps import Graph, Page, page, run_page
from guanxi.api.errors import ApiError
from guanxi.api.models import PageOut
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/communities", tags=["communities"], route_class=ShapedRoute)


@router.get("", name="communities.list", response_model=PageOut)
def communities(graph: Graph, p: Page) -> dict[str, Any]:
    """List communities, largest first, with their profiles."""
    rows = run_page(graph, "api_communities", {}, p)
    for r in rows:
        try:
            r["profile"] = json.loads(r.pop("profile_json") or "null")
        except ValueError:
            r["profile"] = None
    return page(rows, p)


@router.get("/{community_id}", name="communities.detail", response_model=PageOut)
def members(
    graph: Graph,
    p: Page,
    community_id: Annotated[str, Path(max_length=200, description="community id Y:… (url-encode #)")],
) -> dict[str, Any]:
    """Return a page of a community's members, highest rank first."""
    rows = run_page(graph, "api_community_members", {"id": community_id}, p)
    if not rows and p.offset == 0:
        raise ApiError(404, "not_found", "no community with that id")
    return page(rows, p)
