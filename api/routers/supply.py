"""Supply chains: list, detail (members and SUPPLIES edges), risks and opportunities."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path

from guanxi.api.deps import Graph, Page, Store, page, run_copied, run_page
from guanxi.api.errors import ApiError
from guanxi.api.models import ObjectOut, PageOut
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/supply-chains", tags=["supply chains"], route_class=ShapedRoute)
ChainId = Annotated[str, Path(max_length=200, description="supply chain id Z:…")]
MAX_MEMBERS = 1000


@router.get("", name="supply.list", response_model=PageOut)
def chains(graph: Graph, p: Page) -> dict[str, Any]:
    """List supply chains around core enterprises, largest first."""
    rows = run_page(graph, "api_supply_chains", {}, p)
    for r in rows:
        r["profile"] = _json(r.pop("profile_json", None))
    return page(rows, p)


def _json(raw: str | None) -> Any:
    try:
        return json.loads(raw or "null")
    except ValueError:
        return None


def _members(graph: Graph, chain_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows = run_copied(graph, "api_supply_chain_get", {"id": chain_id})
    if not rows:
        raise ApiError(404, "not_found", "no supply chain with that id")
    chain = rows[0]
    chain["profile"] = _json(chain.pop("profile_json", None))
    return chain, run_copied(graph, "api_supply_chain_members",
                             {"id": chain_id, "limit": MAX_MEMBERS})


@router.get("/{chain_id}", name="supply.detail", response_model=ObjectOut)
def chain(store: Store, graph: Graph, chain_id: ChainId) -> dict[str, Any]:
    """Return a chain with its members (side, depth) and the inferred SUPPLIES edges."""
    c, members = _members(graph, chain_id)
    ids = [m["id"] for m in members]
    edges = store.run("api_supplies_among", {"ids": ids, "limit": 5000}) if ids else []
    return {"chain": c, "members": members, "edges": edges}


@router.get("/{chain_id}/risks", name="supply.risks", response_model=PageOut)
def risks(store: Store, graph: Graph, p: Page, chain_id: ChainId) -> dict[str, Any]:
    """Return chain members with negative records or impaired/overdue loans."""
    _, members = _members(graph, chain_id)
    by_id = {m["id"]: m for m in members}
    ids = sorted(by_id)
    out: dict[str, dict[str, Any]] = {}
    if ids:
        for r in store.run("api_records_of", {"ids": ids, "limit": 5000}):
            e = out.setdefault(r["subject"], {**by_id[r["subject"]], "records": [], "loans": []})
            e["records"].append(r)
        for ln in store.run("api_loans_of_parties", {"ids": ids, "limit": 5000}):
            if (ln.get("classification") or "正常") != "正常" or (ln.get("overdue_days") or 0) > 0:
                e = out.setdefault(ln["borrower"], {**by_id[ln["borrower"]], "records": [],
                                                    "loans": []})
                e["loans"].append(ln)
    rows = sorted(out.values(), key=lambda e: (-(len(e["records"]) + len(e["loans"])), e["id"]))
    return page(rows[p.offset : p.offset + p.limit], p)


@router.get("/{chain_id}/opportunities", name="supply.opportunities", response_model=PageOut)
def opportunities(graph: Graph, p: Page, chain_id: ChainId) -> dict[str, Any]:
    """Return chain members that are not yet customers of the bank (upstream first)."""
    _, members = _members(graph, chain_id)
    rows = [m for m in members if m.get("is_customer") is not True]
    rows.sort(key=lambda m: (m.get("side") != "upstream", m.get("depth") or 0, m["id"]))
    return page(rows[p.offset : p.offset + p.limit], p)
