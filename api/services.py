"""Domain rules of the API's route groups, over the analyses' stored results.

Routers parse a request and shape the answer; what counts as an impaired loan, where a
stored result is read and what a page says when the analysis has not run live here. Stored
results are read through `guanxi.analyses` (never cli/); a result that is not computed yet
is an empty page with a note naming the command that computes it. The marketing route
groups' service functions are in `api/marketing.py`.
"""

from __future__ import annotations

from typing import Any

from guanxi.analyses.guarantee import stored_circle
from guanxi.analyses.results import dump
from guanxi.api.deps import run_copied
from guanxi.api.errors import ApiError
from guanxi.api.graphview import GraphView

# -- loans -----------------------------------------------------------------------------------------


def is_impaired(loan: dict[str, Any]) -> bool:
    """Return True for an impaired loan: classified worse than 正常 (pass) or overdue.

    >>> is_impaired({"classification": "关注", "overdue_days": 0}), is_impaired({})
    (True, False)
    >>> is_impaired({"classification": "正常", "overdue_days": 3})
    True
    """
    return (loan.get("classification") or "正常") != "正常" or (loan.get("overdue_days") or 0) > 0


# -- guarantee --------------------------------------------------------------------------------------


CIRCLE_COLUMNS = ("id", "size", "members", "loans", "total_balance", "guaranteed_amount",
                  "risk_score", "contraction", "explanation", "computed_at")
"""The Circle node's columns the circle detail returns as they are stored."""
CIRCLE_FACTS = ("motifs", "cycles", "contracted_via", "grids", "managers", "top_cycles",
                "hub_guarantors", "sub_circles", "break_plan", "live_balance", "live_loans",
                "history")
"""The circle facts the detail returns typed (`models.CircleNode`), as the analysis's
`Circle` has them (parsed once, by `analyses.guarantee.stored_circle`)."""
OLDER_CIRCLE = ("this circle was stored by an older version of the analysis: run `guanxi "
                "analyze guarantee` again for its motifs and break plan")


def circle_node(row: dict[str, Any]) -> dict[str, Any]:
    """Return a stored Circle node (a row of ``api_circle_get``) as `models.CircleNode`:
    its columns, and its facts as the analysis's `Circle` (unset ones left out); only the
    columns and a ``note`` when the node was written by an older version."""
    out = {k: row.get(k) for k in CIRCLE_COLUMNS}
    circle = stored_circle(row)
    if circle is None:
        return {**out, "note": OLDER_CIRCLE}
    facts = dump(circle)
    return {**out, **{k: facts[k] for k in CIRCLE_FACTS if k in facts}}


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


CIRCLE_EXPLAIN_KEYS = ("motifs", "contracted_via", "top_cycles", "break_plan", "live_balance",
                       "live_loans", "history", "hub_guarantors", "sub_circles")
"""The circle facts the explanation returns (#18), as `circle_node` has them."""


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
            "impaired_loans": [ln for ln in loans if is_impaired(ln)],
            "negative_records": records,
        },
    }


# -- exposure -------------------------------------------------------------------------------------


def records_near(graph: GraphView, hop_of: dict[str, int], need: int) -> list[dict[str, Any]]:
    """Return the first `need` negative records about the parties of `hop_of` (party id →
    hops away), nearest party first, then newest first, then by record id; each row gets its
    ``hop``. Reads one hop at a time, so records of far parties never push out nearer ones."""
    out: list[dict[str, Any]] = []
    for hop in sorted(set(hop_of.values())):
        if len(out) >= need:
            break
        ids = sorted(v for v, h in hop_of.items() if h == hop)
        rows = graph.records_of(ids, need - len(out))  # newest first, then id
        for r in rows:
            r["hop"] = hop
        out += rows
    return out[:need]
