"""Entities: search by name or id, detail, bounded neighbourhood."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from guanxi.api.auth import role_of
from guanxi.api.deps import Api, Budget, Graph, Names, Page, page
from guanxi.api.errors import ApiError
from guanxi.api.masking import marketer_may_match
from guanxi.api.models import EntityDetail, EntityHit, GraphOut, PageOf
from guanxi.api.shaping import ShapedRoute
from guanxi.api.traverse import check_types, get_entity, neighbourhood

router = APIRouter(prefix="/entities", tags=["entities"], route_class=ShapedRoute)

EntityId = Annotated[str, Path(description="node id, e.g. P:…, C:…, L:…", max_length=200)]


@router.get("/search", name="entities.search", response_model=PageOf[EntityHit])
def search(
    request: Request,
    graph: Graph,
    names: Names,
    p: Page,
    q: Annotated[str, Query(min_length=1, max_length=100, description="name fragment, id or USCC")],
) -> dict[str, Any]:
    """Search persons and companies by name fragment, exact id or USCC (marketers: companies
    only, matched against the names as they see them: a person's name finds nothing)."""
    want = p.offset + p.limit
    if role_of(request) == "marketer":
        rows = [r for r in graph.search("Company", q, min(4 * want, 2000))
                if marketer_may_match(names, r["id"], r["name"], q)][:want]
    else:
        rows = graph.search("Company", q, want) + graph.search("Person", q, want)
    rows.sort(key=lambda r: (r["name"] is None, r["name"] != q, r["id"]))
    return page(rows[p.offset : p.offset + p.limit], p)


@router.get("/{entity_id}", name="entities.detail", response_model=EntityDetail,
            response_model_exclude_unset=True)
def detail(graph: Graph, entity_id: EntityId) -> dict[str, Any]:
    """Return an entity's properties with its loans, circles, communities and negative records."""
    ent = get_entity(graph, entity_id)
    out: dict[str, Any] = {"entity": ent}
    if ent.get("label") in ("Person", "Company"):
        ids = [entity_id]
        out["loans"] = graph.loans_of(entity_id, 50)
        out["guarantees_given"] = graph.guarantees(ids, "given", 50)
        out["guarantees_received"] = graph.guarantees(ids, "received", 50)
        out["circles"] = graph.circles_of(entity_id)
        out["communities"] = graph.communities_of(entity_id)
        out["negative_records"] = graph.records_of(ids, 50)
    return out


@router.get("/{entity_id}/neighbourhood", name="entities.neighbourhood", response_model=GraphOut)
def neighbourhood_route(
    graph: Graph,
    api: Api,
    budget: Budget,
    entity_id: EntityId,
    hops: Annotated[int, Query(ge=1, le=3, description="depth, at most 3")] = 1,
    max_nodes: Annotated[int, Query(ge=1, le=500, description="most nodes returned")] = 100,
    types: Annotated[
        list[str] | None,
        Query(description="relation types to follow (repeat or comma-separate); default: all "
              "but WORKS_AT/BELONGS_TO/MANAGES/IN_GRID"),
    ] = None,
) -> dict[str, Any]:
    """Return the subgraph within `hops` of the entity (bounded by `max_nodes`)."""
    if hops > api.max_hops:
        raise ApiError(400, "bad_request", f"hops must be ≤ {api.max_hops}")
    return neighbourhood(graph, entity_id, hops, check_types(types), min(max_nodes, api.max_nodes),
                         api.frontier_cap, budget)
