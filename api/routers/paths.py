"""Shortest paths between two entities over chosen relation types (bounded)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from guanxi.api.deps import Api, Budget, Graph
from guanxi.api.errors import ApiError
from guanxi.api.models import PathsOut
from guanxi.api.shaping import ShapedRoute
from guanxi.api.traverse import check_types, shortest_paths

router = APIRouter(prefix="/paths", tags=["paths"], route_class=ShapedRoute)


@router.get("", name="paths.find", response_model=PathsOut)
def find(
    graph: Graph,
    api: Api,
    budget: Budget,
    src: Annotated[str, Query(min_length=3, max_length=200, description="start entity id")],
    dst: Annotated[str, Query(min_length=3, max_length=200, description="end entity id")],
    max_hops: Annotated[int, Query(ge=1, le=6, description="longest path, at most 6")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="most paths returned")] = 5,
    types: Annotated[
        list[str] | None,
        Query(description="relation types to follow (repeat or comma-separate)"),
    ] = None,
) -> dict[str, Any]:
    """Return up to `limit` shortest paths (edges in either direction) from src to dst."""
    if max_hops > api.max_path_hops:
        raise ApiError(400, "bad_request", f"max_hops must be ≤ {api.max_path_hops}")
    return shortest_paths(graph, src, dst, check_types(types), max_hops, limit,
                          api.frontier_cap, budget)
