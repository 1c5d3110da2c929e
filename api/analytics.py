"""Results of the analytics that are not stored as graph nodes, read where they live.

- systemic ranking (DebtRank) and exposure alerts: read from Meta JSON `risk:systemic` /
  `risk:alerts` when the risk analysis stored them (`{"computed_at", "items": [...]}`).
  `guanxi.cli.analyze_risk` does not store them yet, so the API falls back to computing
  them (`compute_guarantee_risk`, `run_exposure_analysis`) in ONE background thread per
  store: a request waits at most its query timeout for that work, then gets 503
  `analysis_pending` ("run `guanxi analyze guarantee` first"); the result is kept for
  `TTL_S` seconds. A request never runs the 49 s county-scale computation itself.
- prospects and referral statistics: stored by `guanxi.cli.analyze_marketing` as Meta JSON
  (`mkt:prospects`, `mkt:referrals`).
Missing results give an empty page with a note, never an error.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from guanxi.api.errors import ApiError
from guanxi.graph.store import GraphStore

TTL_S = 600.0
META_SYSTEMIC = "risk:systemic"
META_ALERTS = "risk:alerts"
_cache: dict[tuple[int, str], tuple[float, Any]] = {}
_running: dict[tuple[int, str], Future[Any]] = {}
_lock = threading.Lock()


def _background(store: GraphStore, what: str, compute: Callable[[], Any], wait_s: float) -> Any:
    """Return the cached or freshly computed value, waiting at most `wait_s` for the
    background computation; raise 503 `analysis_pending` when it is not done by then."""
    key = (id(store), what)
    with _lock:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < TTL_S:
            return hit[1]
        fut = _running.get(key)
        if fut is None:
            fut = Future()
            _running[key] = fut

            def work(f: Future[Any] = fut) -> None:
                try:
                    value = compute()
                except Exception as exc:  # every waiter sees the failure
                    with _lock:
                        _running.pop(key, None)
                    f.set_exception(exc)
                    return
                with _lock:
                    _cache[key] = (time.monotonic(), value)
                    _running.pop(key, None)
                f.set_result(value)

            threading.Thread(target=work, name=f"guanxi-{what}", daemon=True).start()
    try:
        return fut.result(timeout=wait_s)
    except TimeoutError:
        cmd = "guanxi analyze guarantee" if what == "systemic" else "guanxi analyze exposure"
        raise ApiError(503, "analysis_pending",
                       f"the {what} results are not stored; run `{cmd}` first "
                       "(computing them in the background, retry later)") from None


def clear_cache() -> None:
    """Forget cached analytics results (after a reload or re-analysis)."""
    with _lock:
        _cache.clear()


def _empty_graph(store: GraphStore) -> bool:
    return not store.run("api_circles", {"min_size": 0, "skip": 0, "limit": 1}) and not store.run(
        "api_guarantees_any", {"limit": 1}
    )


def _stored_items(store: GraphStore, key: str) -> tuple[list[dict[str, Any]], str] | None:
    meta = _meta_json(store, key)
    if meta is None or not isinstance(meta.get("items"), list):
        return None
    return list(meta["items"]), f"computed_at {meta.get('computed_at')}"


def systemic_ranking(
    store: GraphStore, offset: int, limit: int, wait_s: float = 10.0
) -> tuple[list[dict[str, Any]], str | None]:
    """Return (rows, note): parties ranked by DebtRank in the guarantee network.

    Read from Meta `risk:systemic` if stored, else computed in the background (see module
    docstring); raises 503 when that takes longer than `wait_s`.
    """
    stored = _stored_items(store, META_SYSTEMIC)
    if stored is not None:
        return stored[0][offset : offset + limit], stored[1]
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

    rows = _background(store, "systemic", compute, wait_s)
    return rows[offset : offset + limit], "computed by the API (not stored by the analysis)"


def loan_alerts(
    store: GraphStore, offset: int, limit: int, wait_s: float = 10.0
) -> tuple[list[dict[str, Any]], str | None]:
    """Return (rows, note): live loans whose parties got a negative record after the loan began.

    Read from Meta `risk:alerts` if stored, else computed in the background (503 after
    `wait_s`).
    """
    stored = _stored_items(store, META_ALERTS)
    if stored is not None:
        rows, note = stored
    else:
        try:
            from guanxi.cli.analyze_risk import run_exposure_analysis
        except ImportError:
            return [], "the exposure analysis is not installed"
        rows = _background(store, "alerts", lambda: run_exposure_analysis(store, hops=3)["alerts"],
                           wait_s)
        note = "computed by the API (not stored by the analysis)"
    rows = sorted(rows, key=lambda a: (str(a.get("date") or ""), str(a.get("loan"))), reverse=True)
    return rows[offset : offset + limit], note


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
