"""Results of the analytics that are not stored as graph nodes, read where they live.

- systemic ranking (DebtRank) and exposure alerts: computed by `guanxi.cli.analyze_risk`
  (`compute_guarantee_risk`, `run_exposure_analysis`), which return them without storing;
  the API computes them on first use and caches them for `TTL_S` seconds;
- prospects and referral statistics: stored by `guanxi.cli.analyze_marketing` as Meta JSON
  (`mkt:prospects`, `mkt:referrals`).
Missing results give an empty page with a note, never an error.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from guanxi.graph.store import GraphStore

TTL_S = 600.0
_cache: dict[tuple[int, str], tuple[float, Any]] = {}
_locks: dict[str, threading.Lock] = {"systemic": threading.Lock(), "alerts": threading.Lock()}


def _cached(store: GraphStore, what: str, compute: Callable[[], Any]) -> Any:
    key = (id(store), what)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < TTL_S:
        return hit[1]
    with _locks[what]:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < TTL_S:
            return hit[1]
        value = compute()
        _cache[key] = (time.monotonic(), value)
        return value


def clear_cache() -> None:
    """Forget cached analytics results (after a reload or re-analysis)."""
    _cache.clear()


def _empty_graph(store: GraphStore) -> bool:
    return not store.run("api_circles", {"min_size": 0, "skip": 0, "limit": 1}) and not store.run(
        "api_guarantees_any", {"limit": 1}
    )


def systemic_ranking(
    store: GraphStore, offset: int, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Return (rows, note): parties ranked by DebtRank in the guarantee network."""
    if _empty_graph(store):
        return [], "no guarantees in the store"
    try:
        from guanxi.cli.analyze_risk import compute_guarantee_risk
    except ImportError:
        return [], "the guarantee analysis is not installed"

    def compute() -> list[dict[str, Any]]:
        res = compute_guarantee_risk(store, top=20)
        rows = []
        for pid, s in res.get("scores", {}).items():
            rows.append({
                "id": pid,
                "name": s.get("name"),
                "debtrank": s.get("debtrank"),
                "propagated_probability": s.get("propagated_probability"),
                "base_probability": s.get("base_probability"),
                "paths": s.get("paths"),
            })
        rows.sort(key=lambda r: (-(r["debtrank"] or 0.0), -(r["propagated_probability"] or 0.0),
                                 r["id"]))
        for i, r in enumerate(rows):
            r["rank"] = i + 1
        return rows

    rows = _cached(store, "systemic", compute)
    return rows[offset : offset + limit], None


def loan_alerts(store: GraphStore, offset: int, limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Return (rows, note): live loans whose parties got a negative record after the loan began."""
    try:
        from guanxi.cli.analyze_risk import run_exposure_analysis
    except ImportError:
        return [], "the exposure analysis is not installed"
    rows = _cached(store, "alerts", lambda: run_exposure_analysis(store, hops=3)["alerts"])
    rows = sorted(rows, key=lambda a: (str(a.get("date") or ""), str(a.get("loan"))), reverse=True)
    return rows[offset : offset + limit], None


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
