"""Domain rules of the API's route groups, over the analyses' stored results.

Routers parse a request and shape the answer; what counts as an impaired loan, where a
stored result is read and what a page says when the analysis has not run live here. Stored
results are read through `guanxi.analyses` (never cli/); a result that is not computed yet
is an empty page with a note naming the command that computes it.
"""

from __future__ import annotations

import json
from typing import Any

from guanxi.api.graphview import GraphView
from guanxi.graph.store import GraphStore

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


# -- marketing (prospects, referrals) -----------------------------------------------------------


def _meta_json(store: GraphStore, key: str) -> dict[str, Any] | None:
    raw = store.get_meta(key)
    if not raw:
        return None
    try:
        val = json.loads(raw)
    except ValueError:
        return None
    return val if isinstance(val, dict) else None


def prospects(store: GraphStore, offset: int, limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Return (rows, note): ranked prospects stored by the marketing analysis."""
    meta = _meta_json(store, "mkt:prospects")
    if meta is None:
        return [], "no prospects stored yet (run `guanxi analyze referrals`)"
    rows = list(meta.get("prospects") or [])
    return rows[offset : offset + limit], f"computed_at {meta.get('computed_at')}"


def referrers(store: GraphStore, offset: int, limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Return (rows, note): referrers with K-factor stats if stored, else counted from REFERRED."""
    meta = _meta_json(store, "mkt:referrals")
    if meta is not None and meta.get("referrers") is not None:
        rows = list(meta["referrers"])
        return rows[offset : offset + limit], f"computed_at {meta.get('computed_at')}"
    rows = store.run("api_referrals_top", {"skip": 0, "limit": offset + limit})[offset:]
    return rows, "counted from REFERRED edges (no stored referral analysis)"
