"""Domain rules of the API's route groups, over the analyses' stored results.

Routers parse a request and shape the answer; what counts as an impaired loan, where a
stored result is read and what a page says when the analysis has not run live here. Stored
results are read through `guanxi.analyses` (never cli/); a result that is not computed yet
is an empty page with a note naming the command that computes it. The marketing route
groups' service functions are in `api/marketing.py`.
"""

from __future__ import annotations

import json
from typing import Any

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


def circle_detail(graph: GraphView, circle_id: str) -> dict[str, Any]:
    """Return a circle (its node), its members (by id), loans and the guarantees among its
    members; 404 when no circle has that id."""
    rows = run_copied(graph, "api_circle_get", {"id": circle_id})
    if not rows:
        raise ApiError(404, "not_found", "no circle with that id")
    circle = rows[0]
    # a UNION cannot be ordered in the dialect both backends share: order here
    members = sorted(run_copied(graph, "api_circle_members", {"id": circle_id}),
                     key=lambda m: m["id"])
    ids = sorted({m["id"] for m in members} | set(circle.get("members") or []))
    loans = run_copied(graph, "api_loans_by_ids", {"ids": list(circle.get("loans") or [])})
    members_set = set(ids)
    guarantees = [g for g in graph.guarantees(ids, "given", 1000) if g["borrower"] in members_set]
    return {"circle": circle, "members": members, "loans": loans, "guarantees": guarantees}


CIRCLE_EXPLAIN_KEYS = ("break_plan", "live_balance", "live_loans", "history", "hub_guarantors",
                       "sub_circles")
"""The stored circle facts the explanation returns beside the motifs (#18)."""


def circle_explanation(graph: GraphView, circle_id: str) -> dict[str, Any]:
    """Return why a circle scores as it does: the analysis's risk, explanation, motifs (as
    stored), 拆圈断链 plan, live balance vs history, hubs, sub-circles, and the facts: member
    and loan counts, balance, impaired loans, the members' negative records (≤ 50)."""
    c = circle_detail(graph, circle_id)
    k = c["circle"]
    try:
        motifs = json.loads(k.get("motifs_json") or "null")
    except ValueError:
        motifs = k.get("motifs_json")
    loans = c["loans"]
    records = graph.records_of([m["id"] for m in c["members"]], 50)
    return {
        "id": circle_id,
        "risk_score": k.get("risk_score"),
        "explanation": k.get("explanation"),
        "motifs": motifs,
        "contraction": k.get("contraction"),
        **{key: motifs.get(key) if isinstance(motifs, dict) else None
           for key in CIRCLE_EXPLAIN_KEYS},
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
