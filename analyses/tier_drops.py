"""Tier-drop alerts: the incremental load's tier records → `algorithms.tier_drops` →
`TierDropsResult` → stored as ``marketing:tier_drops``.

Which drops: persons whose ``tier_drop_on`` is the chosen date (default: the newest
``tier_drop_on`` in the store, i.e. the last load that recorded drops). "Dropped too" for a
neighbour means its ``tier_drop_on`` is on or after ``window_days`` before that date. The
projection: households (MEMBER_OF via ``household_id``), REFERRED, TRANSFER aggregated to the
owners' parties (main counterparties, both directions, all loaded history), IN_COMMUNITY
(when the communities analysis ran), and transfers in the ``window_days`` up to the drop date
from the person's accounts to accounts of other banks (``in_bank`` false).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow.compute as pc

from guanxi.algorithms.tier_drops import DropRules, by_grid, drop_context
from guanxi.analyses.results import Progress, report, write_stored
from guanxi.analyses.results.frontline import (
    TIER_DROPS,
    DropCounterparty,
    DropNeighbour,
    TierDrop,
    TierDropsResult,
)
from guanxi.graph.store import GraphStore

__all__ = ["compute_tier_drops", "run_tier_drops"]

_CHINA = dt.timezone(dt.timedelta(hours=8))


def _ms(day: str, end: bool) -> int:
    d = dt.datetime.fromisoformat(day[:10]).replace(tzinfo=_CHINA)
    if end:
        d += dt.timedelta(days=1)
    return int(d.timestamp() * 1000)


def compute_tier_drops(store: GraphStore, drop_on: str | None = None, *, window_days: int = 31,
                       rules: DropRules = DropRules(), progress: Progress | None = None) -> TierDropsResult:
    """Return the drops of `drop_on` (default: the newest drop date) with their context, per grid."""
    report(progress, "projection")
    persons = store.export_nodes("Person", ["name", "tier", "tier_prev", "tier_drop_on", "household_id",
                                            "grid_id", "manager_id"]).to_pylist()
    dates = sorted({str(p["tier_drop_on"]) for p in persons if p["tier_drop_on"]})
    day = drop_on or (dates[-1] if dates else None)
    if day is None:
        return TierDropsResult(drop_on=None, grids=0, items=[])
    since = (dt.date.fromisoformat(day[:10]) - dt.timedelta(days=window_days)).isoformat()
    names = {p["id"]: p["name"] for p in persons}
    drops = [{"person": p["id"], "tier_prev": p["tier_prev"], "tier": p["tier"], "drop_on": str(p["tier_drop_on"]),
              "grid_id": p["grid_id"], "manager_id": p["manager_id"]}
             for p in persons if p["tier_drop_on"] and str(p["tier_drop_on"]) == day]
    dropped = {p["id"] for p in persons if p["tier_drop_on"] and since <= str(p["tier_drop_on"]) <= day}
    household = {p["id"]: p["household_id"] for p in persons if p["household_id"]}
    ref = store.export_edges("REFERRED", ["date"])
    referrer: dict[str, str] = {}
    for er, ee, _d in sorted(zip(ref["src"].to_pylist(), ref["dst"].to_pylist(), ref["date"].to_pylist(),
                                 strict=True), key=lambda x: (str(x[2]), x[0])):
        referrer.setdefault(ee, er)  # the earliest invitation is the one kept
    owns = store.export_edges("OWNS", [])
    owner = {d: s for s, d, lab in zip(owns["src"].to_pylist(), owns["dst"].to_pylist(),
                                       owns["dst_label"].to_pylist(), strict=True) if lab == "Account"}
    acc = store.export_nodes("Account", ["in_bank", "bank_name"]).to_pylist()
    other_bank = {a["id"]: (a["bank_name"] or "他行") for a in acc if a["in_bank"] is False}
    report(progress, "transfers")
    tr = store.export_edges("TRANSFER", ["amount", "ts"])
    lo, hi = _ms(since, True), _ms(day, True)
    who = {d["person"] for d in drops}
    flows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    out: dict[str, list[float]] = {}
    banks: dict[str, set[str]] = defaultdict(set)
    src, dst = tr["src"].to_pylist(), tr["dst"].to_pylist()
    amt, ts = pc.fill_null(tr["amount"], 0.0).to_pylist(), tr["ts"].to_pylist()
    for s, d, a, t in zip(src, dst, amt, ts, strict=True):
        os_, od = owner.get(s, ""), owner.get(d, "")
        if os_ in who and od and od != os_:
            flows[os_][od] += a
        if od in who and os_ and os_ != od:
            flows[od][os_] += a
        if os_ in who and d in other_bank and t is not None and lo <= t < hi:
            o = out.setdefault(os_, [0.0, 0])
            o[0] += a
            o[1] += 1
            banks[os_].add(other_bank[d])
    outflows = {p: (v[0], int(v[1]), sorted(banks[p])) for p, v in out.items()}
    community: dict[str, str] = {}
    try:
        ic = store.export_edges("IN_COMMUNITY", [])
        community = dict(zip(ic["src"].to_pylist(), ic["dst"].to_pylist(), strict=True))
    except Exception:
        community = {}
    report(progress, "context")
    ctx = by_grid(drop_context(drops, household, referrer, flows, outflows, dropped, community or None, rules))
    grids = {g["id"]: g for g in store.export_nodes("Grid", ["name"]).to_pylist()}
    mgrs = {m["id"]: m for m in store.export_nodes("CustomerManager", ["name"]).to_pylist()}
    items = [TierDrop(
        id=c.person, name=names.get(c.person), tier_prev=c.tier_prev, tier=c.tier, drop_on=c.drop_on,
        grid_id=c.grid_id, grid_name=(grids.get(c.grid_id or "") or {}).get("name"),
        manager_id=c.manager_id, manager_name=(mgrs.get(c.manager_id or "") or {}).get("name"),
        household_id=household.get(c.person), household_size=c.household_size,
        household_dropped=[DropNeighbour(id=m, name=names.get(m)) for m in c.household_dropped],
        referrer=c.referrer, referrer_name=names.get(c.referrer or ""), referrer_dropped=c.referrer_dropped,
        referees_dropped=[DropNeighbour(id=m, name=names.get(m)) for m in c.referees_dropped],
        counterparties=[DropCounterparty(id=q, name=names.get(q), amount=a, dropped=x) for q, a, x in c.counterparties],
        community=c.community, community_size=c.community_size, community_dropped=c.community_dropped,
        other_bank_amount=c.other_bank_amount, other_bank_transfers=c.other_bank_transfers,
        other_banks=c.other_banks, score=c.score, signals=c.signals,
        signal_codes=c.signal_codes, signals_en=c.signals_en) for c in ctx]
    return TierDropsResult(drop_on=day, grids=len({c.grid_id for c in ctx}), items=items)


def run_tier_drops(store: GraphStore, drop_on: str | None = None, *, window_days: int = 31,
                   progress: Progress | None = None) -> TierDropsResult:
    """Compute the tier-drop list and store it (``marketing:tier_drops``); return it."""
    res = compute_tier_drops(store, drop_on, window_days=window_days, progress=progress)
    report(progress, "write-back")
    write_stored(store, TIER_DROPS, res.items, parameters={"window_days": window_days},
                 summary={"drop_on": res.drop_on, "grids": res.grids, "drops": len(res.items)})
    return res
