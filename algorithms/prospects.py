"""Prospects: non-customers and other banks' customers tied to high-value customers by money.

A prospect is a node that is not a customer of the bank — a person or company with
`is_customer = false`, or an external account whose owner is unknown (the account itself
stands for that other bank's customer) — that has strong, recurring flows with a high-value
customer (tier 高端/核心) of the same fund-flow community. Each prospect is routed to the
manager of the customer's grid (责任田), with a reason a marketer can read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from guanxi.graph import ids

HIGH_TIERS = ("高端", "核心")


def _yuan(x: float) -> str:
    return f"¥{x:,.0f}"


def _day(ts: int | None) -> str:
    if ts is None:
        return "?"
    return datetime.fromtimestamp(ts / 1000 + 8 * 3600, tz=UTC).strftime("%Y-%m-%d")


def find_prospects(
    flows: pa.Table,
    parties: pa.Table,
    assignment: dict[str, int],
    *,
    community_ids: dict[int, str] | None = None,
    grid_managers: dict[str, str] | None = None,
    high_tiers: tuple[str, ...] = HIGH_TIERS,
    min_transfers: int = 3,
    min_months: int = 2,
    min_amount: float = 0.0,
    same_community: bool = True,
) -> list[dict[str, Any]]:
    """Return ranked prospects, each with a reason and the manager to route it to.

    Parameters
    ----------
    flows : aggregated party flows (src, dst, n, amount, first_ts, last_ts, months).
    parties : id, label, name, tier, is_customer, grid_id, manager_id.
    assignment : node id → community index (from `communities.leiden`).
    community_ids : community index → stored id (`Y:…`) used in reasons.
    grid_managers : grid id → manager id (the grid's 责任田 owner).
    min_transfers, min_months, min_amount : what counts as strong and recurring (both
        directions of the pair together).
    same_community : require prospect and customer in the same community.

    Returns
    -------
    list of dicts, best first: prospect, kind (person|company|external_account), name,
    customer (the anchoring high-value customer), customer_name, customer_tier, community,
    grid, manager, n_transfers, amount, months, first, last, score, links (how many
    high-value customers it is tied to), reason. Existing customers never appear, and a
    prospect with no reachable manager is left out.

    Examples
    --------
    >>> f = pa.table({"src": ["A:x"], "dst": ["P:c"], "n": [6], "amount": [60000.0],
    ...               "first_ts": [0], "last_ts": [10**10], "months": [4]})
    >>> p = pa.table({"id": ["P:c"], "label": ["Person"], "name": ["王"], "tier": ["高端"],
    ...               "is_customer": [True], "grid_id": ["G:1"], "manager_id": [None]})
    >>> out = find_prospects(f, p, {"A:x": 0, "P:c": 0}, grid_managers={"G:1": "M:9"})
    >>> out[0]["prospect"], out[0]["manager"]
    ('A:x', 'M:9')
    >>> out[0]["reason"].startswith("6 transfers, ¥60,000 in 4 months with customer 王")
    True
    """
    info = {r["id"]: r for r in parties.to_pylist()}
    grid_managers = grid_managers or {}
    community_ids = community_ids or {}

    def kind(x: str) -> str | None:
        r = info.get(x)
        if r is None:
            return "external_account" if ids.is_label(x, "Account") else None
        if r.get("is_customer"):
            return None
        return "person" if r["label"] == "Person" else "company"

    def high(x: str) -> bool:
        r = info.get(x)
        return bool(r and r.get("is_customer") and r.get("tier") in high_tiers)

    pair: dict[tuple[str, str], list[Any]] = {}
    for s, d, n, a, f, la, m in zip(
        flows["src"].to_pylist(),
        flows["dst"].to_pylist(),
        flows["n"].to_pylist(),
        flows["amount"].to_pylist(),
        flows["first_ts"].to_pylist(),
        flows["last_ts"].to_pylist(),
        flows["months"].to_pylist(),
        strict=True,
    ):
        for x, c in ((s, d), (d, s)):
            if high(c) and kind(x) is not None:
                v = pair.get((x, c))
                if v is None:
                    pair[(x, c)] = [n or 0, a or 0.0, f, la, m or 0]
                else:
                    v[0] += n or 0
                    v[1] += a or 0.0
                    v[2] = min(v[2], f) if v[2] is not None and f is not None else v[2] or f
                    v[3] = max(v[3], la) if v[3] is not None and la is not None else v[3] or la
                    v[4] = max(v[4], m or 0)
    best: dict[str, dict[str, Any]] = {}
    links: dict[str, int] = defaultdict(int)
    for (x, c), (n, a, f, la, m) in pair.items():
        if n < min_transfers or m < min_months or a < min_amount:
            continue
        cx, cc = assignment.get(x), assignment.get(c)
        if same_community and (cx is None or cx != cc):
            continue
        cust = info[c]
        grid = cust.get("grid_id")
        manager = grid_managers.get(grid) if grid else None
        manager = manager or cust.get("manager_id")
        if not manager:
            continue
        links[x] += 1
        tier_bonus = 1.0 if cust.get("tier") == high_tiers[0] else 0.0
        score = round(m * math.log10(1.0 + a) + tier_bonus, 4)
        if x in best and best[x]["score"] >= score:
            continue
        comm = community_ids.get(cc, f"#{cc}") if cc is not None else "-"
        cname = cust.get("name") or ""
        reason = (
            f"{n} transfers, {_yuan(a)} in {m} months with customer {cname} {c}"
            f"({cust.get('tier')})"
            + (f", same community {comm}" if same_community else "")
            + f", {_day(f)}..{_day(la)}"
        )
        best[x] = {
            "prospect": x,
            "kind": kind(x),
            "name": (info.get(x) or {}).get("name"),
            "customer": c,
            "customer_name": cname,
            "customer_tier": cust.get("tier"),
            "community": comm,
            "grid": grid,
            "manager": manager,
            "n_transfers": n,
            "amount": round(a, 2),
            "months": m,
            "first": _day(f),
            "last": _day(la),
            "score": score,
            "reason": reason,
        }
    out = []
    for x, row in best.items():
        row["links"] = links[x]
        if links[x] > 1:
            row["reason"] += f"; tied to {links[x]} high-value customers"
        out.append(row)
    out.sort(key=lambda r: (-r["score"], r["prospect"]))
    return out


__all__ = [
    "HIGH_TIERS",
    "find_prospects",
]
