"""The workbench's lists for the three roles: named, sortable, filterable, paged on the server.

Risk analyst: alerts (the daily worklist), circles (+ a printable one-page report).
Marketer: prospects, referral trees (one drawn as a tree), supply chains, a community broken
down by grid and manager. Investigator: merged events and one event with its documents.
Every list takes `sort`, `order`, `q` (text anywhere in a row), `where=field:value`
(repeatable), `limit`, `offset`, and answers `total` (rows matching) and `facets` (the
values its filters offer). Names pass through the role shaping like every response.
"""

from __future__ import annotations

import html
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from guanxi.api import labels, worklists
from guanxi.api.auth import ACCESS, role_of
from guanxi.api.deps import Graph, Page, Services, get_services, run_copied, services_of
from guanxi.api.errors import ApiError
from guanxi.api.masking import shape_for_role
from guanxi.api.models import (
    AlertRow,
    CircleListRow,
    CommunityBreakdown,
    EventDetail,
    EventRow,
    ListOf,
    ProspectRow,
    ReferralTree,
    ReferralTreeRow,
    SupplyChainRow,
)
from guanxi.api.routers.guarantee import circle_detail
from guanxi.api.shaping import ShapedRoute

router = APIRouter(prefix="/wb", tags=["workbench"], route_class=ShapedRoute)
Svc = Annotated[Services, Depends(get_services)]

_ALL = frozenset({"risk_analyst", "marketer", "investigator", "admin"})
_RISK = frozenset({"risk_analyst", "investigator", "admin"})
_MKT = frozenset({"marketer", "admin"})
_MKT_RISK = frozenset({"marketer", "risk_analyst", "admin"})
WB_ACCESS: dict[str, frozenset[str]] = {
    "wb.labels": _ALL,
    "wb.alerts": _RISK,
    "wb.circles": _RISK,
    "wb.circle_report": _RISK,
    "wb.prospects": _MKT,
    "wb.referral_trees": _MKT,
    "wb.referral_tree": _MKT,
    "wb.supply_chains": _MKT_RISK,
    "wb.community_breakdown": _ALL,
    "wb.events": _RISK,
    "wb.event": _RISK,
}
"""Route → roles of this router (merged into `auth.ACCESS`, the one table the guard reads)."""
ACCESS.update(WB_ACCESS)

FACETS: dict[str, tuple[str, ...]] = {
    "alerts": ("classification", "kind", "grid_name", "manager_name", "role"),
    "circles": ("contraction",),
    "prospects": ("grid_name", "manager_name", "customer_tier"),
    "referral_trees": ("campaign", "grid_name"),
    "supply_chains": (),
    "events": ("kind", "source"),
}

NAMED_FACETS = {"grid_name": "grid", "manager_name": "manager"}
"""Facets that are names: each value comes as {id field: id, name field: name}."""


class ListParams:
    """`sort`, `order`, `q` and `where` of a list request."""

    def __init__(
        self,
        sort: Annotated[str | None, Query(max_length=50, description="column to sort by")] = None,
        order: Annotated[Literal["asc", "desc"], Query()] = "asc",
        q: Annotated[str | None, Query(max_length=100, description="text anywhere in a row")]
        = None,
        where: Annotated[list[str] | None, Query(description="field:value (repeatable)")]
        = None,
    ) -> None:
        self.sort, self.order, self.q = sort, order, q
        self.where = [w[:200] for w in (where or [])][:10]


Lp = Annotated[ListParams, Depends(ListParams)]


def list_page(rows: list[dict[str, Any]], name: str, lp: ListParams, p: Any,
              request: Request) -> dict[str, Any]:
    """Return the page envelope of `rows` filtered, sorted and cut by the request.

    A marketer's text filter and sort see the rows as the marketer sees them (masked), and
    a marketer cannot filter on a name field: nobody can probe for a full name."""
    items, total = filtered(rows, lp, p.offset, p.limit, request)
    facets: dict[str, list[Any]] = {}
    for f in FACETS.get(name, ()):
        id_key = NAMED_FACETS.get(f)
        if id_key is None:
            facets[f] = sorted({r.get(f) for r in rows if r.get(f) is not None}, key=str)[:200]
        else:  # a name: offered with its id (filter by id; the name is shaped by role)
            seen = {r.get(id_key): r.get(f) for r in rows if r.get(id_key) is not None}
            facets[f] = [{id_key: k, f: v} for k, v in sorted(seen.items(),
                                                               key=lambda kv: str(kv[1]))][:200]
    return {"items": items, "limit": p.limit, "offset": p.offset, "count": len(items),
            "total": total, "next_offset": p.offset + p.limit if p.offset + p.limit < total
            else None, "facets": facets}


def filtered(rows: list[dict[str, Any]], lp: ListParams, offset: int, limit: int,
             request: Request) -> tuple[list[dict[str, Any]], int]:
    """Return (rows `offset…offset+limit` after the request's filters and sort, matches)."""
    if role_of(request) != "marketer":
        return worklists.query(rows, sort=lp.sort, order=lp.order, q=lp.q, where=lp.where,
                               offset=offset, limit=limit)
    svc = services_of(request)
    where = [w for w in lp.where if not w.partition(":")[0].endswith("name")]
    shaped = shape_for_role(rows, "marketer", svc.names)
    for i, r in enumerate(shaped):
        r["__row"] = i
    page, total = worklists.query(shaped, sort=lp.sort, order=lp.order, q=lp.q, where=where,
                                  offset=offset, limit=limit)
    return [dict(rows[r["__row"]]) for r in page], total


@router.get("/labels", name="wb.labels", response_class=Response)
def vocabulary() -> Response:
    """Return the display vocabulary (简体中文 / English) of labels, relations, columns,
    roles, booleans and GB/T 4754 industries (no data: not shaped by role)."""
    return Response(orjson.dumps(labels.all_labels()), media_type="application/json")


@router.get("/alerts", name="wb.alerts", response_model=ListOf[AlertRow],
            response_model_exclude_unset=True)
def alerts(request: Request, svc: Svc, p: Page, lp: Lp) -> dict[str, Any]:
    """Return the risk worklist: live-loan alerts with borrower, loan, classification, days
    overdue, the event behind each, grid and manager (newest event first by default)."""
    return list_page(worklists.alert_rows(svc), "alerts", lp, p, request)


@router.get("/circles", name="wb.circles", response_model=ListOf[CircleListRow],
            response_model_exclude_unset=True)
def circles(request: Request, svc: Svc, p: Page, lp: Lp) -> dict[str, Any]:
    """Return guarantee circles, riskiest first, named by their members."""
    return list_page(worklists.circle_rows(svc), "circles", lp, p, request)


@router.get("/circles/{circle_id}/report", name="wb.circle_report", response_class=HTMLResponse)
def circle_report(request: Request, graph: Graph,
                  circle_id: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
    """Return a one-page printable report of a circle for a credit committee (HTML)."""
    c = circle_detail(graph, circle_id)
    k = c["circle"]
    names = {m["id"]: m.get("name") or m["id"] for m in c["members"]}
    request.scope.setdefault("state", {})["result_count"] = 1
    return HTMLResponse(render_report(circle_id, k, c, names))


def _money(v: Any) -> str:
    return f"¥{v:,.0f}" if isinstance(v, int | float) else "—"


def render_report(circle_id: str, k: dict[str, Any], c: dict[str, Any],
                  names: dict[str, str]) -> str:
    """Return the circle report's HTML (A4, one page): explanation, figures, members, loans,
    guarantees."""
    e = html.escape

    def rows(items: list[list[Any]]) -> str:
        return "".join("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in r) + "</tr>"
                       for r in items)

    members = [[m.get("name") or m["id"], labels.display(m.get("label"))] for m in c["members"]]
    loans = [[names.get(ln.get("borrower"), ln.get("borrower_name") or ""), _money(ln.get("amount")),
              _money(ln.get("balance")), ln.get("classification") or "",
              ln.get("overdue_days") if ln.get("overdue_days") is not None else ""]
             for ln in c["loans"]]
    gs = [[g.get("guarantor_name") or g.get("guarantor"), g.get("borrower_name") or
           g.get("borrower"), _money(g.get("amount"))] for g in c["guarantees"]]
    title = "、".join(list(names.values())[:3]) + ("等" if len(names) > 3 else "")
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>担保圈报告 {e(title)}</title>
<style>@page {{ size: A4; margin: 14mm; }} body {{ font: 12px/1.45 "Noto Sans CJK SC",
"Microsoft YaHei", sans-serif; color: #111; max-width: 182mm; margin: auto; }}
h1 {{ font-size: 18px; margin: 0 0 4px; }} h2 {{ font-size: 13px; margin: 10px 0 4px; }}
.expl {{ border-left: 4px solid #a61b1b; background: #fbf3f3; padding: 6px 10px; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 1px solid #bbb;
padding: 2px 6px; text-align: left; }} .figs td {{ border: none; padding: 0 12px 0 0; }}
.muted {{ color: #555; }}</style></head><body>
<h1>担保圈风险报告：{e(title)}</h1>
<p class="muted">编号 {e(circle_id)} · 分析时间 {e(str(k.get("computed_at") or ""))}</p>
<div class="expl"><strong>风险说明</strong><br>{e(str(k.get("explanation") or "（无）"))}</div>
<table class="figs"><tr><td>风险分 <strong>{e(f"{k.get('risk_score') or 0:.2f}")}</strong></td>
<td>成员 <strong>{len(c["members"])}</strong></td><td>贷款 <strong>{len(c["loans"])}</strong></td>
<td>贷款余额合计 <strong>{_money(k.get("total_balance"))}</strong></td>
<td>担保金额合计 <strong>{_money(k.get("guaranteed_amount"))}</strong></td></tr></table>
<h2>成员</h2><table><tr><th>名称</th><th>类型</th></tr>{rows(members)}</table>
<h2>贷款</h2><table><tr><th>借款人</th><th>金额</th><th>余额</th><th>五级分类</th><th>逾期天数</th>
</tr>{rows(loans)}</table>
<h2>担保关系</h2><table><tr><th>担保人</th><th>借款人</th><th>担保金额</th></tr>{rows(gs)}</table>
<p class="muted">审阅意见：______________________ 签字：__________ 日期：__________</p>
</body></html>"""


@router.get("/prospects", name="wb.prospects", response_model=ListOf[ProspectRow],
            response_model_exclude_unset=True)
def prospects(request: Request, svc: Svc, p: Page, lp: Lp) -> dict[str, Any]:
    """Return ranked prospects with the related customer, grid and manager (filter by
    `where=grid_name:…` / `where=manager_name:…` for one manager's Monday list)."""
    return list_page(worklists.prospect_rows(svc), "prospects", lp, p, request)


@router.get("/referrals", name="wb.referral_trees", response_model=ListOf[ReferralTreeRow],
            response_model_exclude_unset=True)
def referral_trees(request: Request, svc: Svc, p: Page, lp: Lp) -> dict[str, Any]:
    """Return MGM referral trees, largest first, with the root's K-factor and the campaign."""
    return list_page(worklists.referral_tree_rows(svc), "referral_trees", lp, p, request)


@router.get("/referrals/{root}", name="wb.referral_tree", response_model=ReferralTree,
            response_model_exclude_unset=True)
def referral_tree(svc: Svc, root: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """Return one referral tree: nodes (name, depth, converted, K-factor) and edges."""
    return worklists.referral_tree(svc, root)


@router.get("/supply-chains", name="wb.supply_chains", response_model=ListOf[SupplyChainRow],
            response_model_exclude_unset=True)
def supply_chains(request: Request, svc: Svc, p: Page, lp: Lp) -> dict[str, Any]:
    """Return 1+N supply chains: core firm, suppliers, buyers, concentration, leakage."""
    return list_page(worklists.supply_chain_rows(svc), "supply_chains", lp, p, request)


@router.get("/communities/{community_id}/breakdown", name="wb.community_breakdown",
            response_model=CommunityBreakdown, response_model_exclude_unset=True)
def community_breakdown(svc: Svc, community_id: Annotated[str, Path(max_length=200)]
                        ) -> dict[str, Any]:
    """Return a community broken down into groups a manager can act on: members per grid and
    manager (customers, non-customers), largest first, each with its top members by rank."""
    rows = run_copied(svc.graph, "api_community_members",
                      {"id": community_id, "skip": 0, "limit": 50_000})
    if not rows:
        raise ApiError(404, "not_found", "no community with that id")
    names = worklists.Names(svc)
    groups: dict[tuple[Any, Any], dict[str, Any]] = {}
    for m in rows:
        place = names.place(m["id"])
        key = (place["grid"], place["manager"])
        g = groups.setdefault(key, {**place, "members": 0, "customers": 0, "top": []})
        g["members"] += 1
        g["customers"] += 1 if m.get("is_customer") else 0
        if len(g["top"]) < 5:
            g["top"].append({"id": m["id"], "label": m.get("label"), "name": m.get("name"),
                             "is_customer": m.get("is_customer")})
    out = sorted(groups.values(), key=lambda g: (-g["members"], str(g["grid"])))
    for g in out:
        g["non_customers"] = g["members"] - g["customers"]
    return {"id": community_id, "size": len(rows), "groups": out}


@router.get("/events", name="wb.events", response_model=ListOf[EventRow],
            response_model_exclude_unset=True)
def events(request: Request, svc: Svc, p: Page, lp: Lp) -> dict[str, Any]:
    """Return negative events, newest first, the bank's record and the documents' records of
    one happening merged into one event with several sources."""
    return list_page(worklists.event_rows(svc), "events", lp, p, request)


@router.get("/events/{event_id}", name="wb.event", response_model=EventDetail,
            response_model_exclude_unset=True)
def event(svc: Svc, event_id: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    """Return one merged event: its sources and documents, each document's text with the
    extracted parties, amounts and guarantees marked and linked to graph nodes."""
    return worklists.event(svc, event_id)
