"""Marketing analyses over a store: fund-flow communities, MGM referrals, 1+N supply chains.

`run_communities`, `run_referrals` and `run_supply_chain` export projections, run the pure
algorithms in `guanxi.algorithms` and write the results back so the API serves them without
recomputing (see docs/marketing.md for what is stored where):

- Community nodes (`Y:r<resolution>#<n>`, profile in `profile_json`) + IN_COMMUNITY edges;
- Meta `mkt:referrals` (trees, referrer stats, K-factors) and `mkt:prospects` (ranked list);
- SupplyChain nodes (`Z:<core id>`, profile in `profile_json`) + IN_CHAIN + inferred SUPPLIES
  edges; Meta `mkt:fund_tracing` (loan round trips and other cycles of funds).

Every run replaces the previous results of the same analysis, so reruns are idempotent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

from guanxi.algorithms import communities as comm
from guanxi.algorithms import fund_tracing as ft
from guanxi.algorithms import prospects as pros
from guanxi.algorithms import referrals as refs
from guanxi.algorithms import supply_chain as sc
from guanxi.analyses import flow_projection as fp
from guanxi.graph import ids as graph_ids
from guanxi.graph.ids import edge_key
from guanxi.graph.model import label_of
from guanxi.graph.store import GraphStore

Progress = Callable[[str], None] | None
Engine = Literal["single", "spark"]

META_REFERRALS = "mkt:referrals"
META_PROSPECTS = "mkt:prospects"
META_TRACING = "mkt:fund_tracing"
META_COMMUNITIES = "mkt:communities"


def _say(progress: Progress, msg: str) -> None:
    if progress is not None:
        progress(msg)


def _now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _grid_managers(grids: pa.Table) -> dict[str, str]:
    return {
        g: m
        for g, m in zip(grids["id"].to_pylist(), grids["manager_id"].to_pylist(), strict=True)
        if m
    }


def _household_of(parties: pa.Table) -> dict[str, str]:
    return {
        p: h
        for p, h in zip(parties["id"].to_pylist(), parties["household_id"].to_pylist(),
                        strict=True)
        if h and graph_ids.is_label(p, "Person")
    }


def _replace_nodes(store: GraphStore, label: str, keep: set[str]) -> int:
    old = store.export_nodes(label, [])["id"].to_pylist()
    stale = [x for x in old if x not in keep]
    return store.delete_nodes(label, stale) if stale else 0


# -- communities ------------------------------------------------------------------------------


def compute_communities(
    proj: fp.MarketingProjection,
    *,
    resolution: float = 1.0,
    merge_households: bool = False,
    weight: comm.Weight = "log_amount",
    seed: int = 42,
) -> dict[str, Any]:
    """Return communities of a projection: assignment, ids, profiles, flows and modularity.

    Keys: assignment (node id → index), ids (index → `Y:` id), profiles, flows (the
    party-level aggregated flows), modularity, graph (nodes, edges).
    """
    owners = fp.owner_map(proj.accounts)
    flows = fp.party_flows(proj.transfers, owners)
    hh = _household_of(proj.parties) if merge_households else {}
    if merge_households:
        g_flows = fp.party_flows(proj.transfers, fp.owner_map(proj.accounts, hh))
    else:
        g_flows = flows
    g = comm.flow_graph(g_flows, weight=weight)
    membership = comm.leiden(g, resolution=resolution, seed=seed)
    mod = comm.modularity(g, membership, resolution=resolution)
    node_comm = dict(zip(g.vs["name"], membership, strict=True)) if g.vcount() else {}
    assignment: dict[str, int] = {}
    if merge_households:
        by_h: dict[str, list[str]] = defaultdict(list)
        for p, h in hh.items():
            by_h[h].append(p)
        for node, c in node_comm.items():
            for m in by_h.get(node, [node]):
                assignment[m] = c
    else:
        assignment = node_comm
    pg = comm.flow_graph(flows, weight=weight) if merge_households else g
    rank = dict(zip(pg.vs["name"], comm.weighted_pagerank(pg), strict=True)) if pg.vcount() else {}
    ids = {c: graph_ids.community_id(resolution, c) for c in sorted(set(assignment.values()))}
    profiles = comm.community_profiles(
        assignment, flows, proj.parties, rank=rank, grid_managers=_grid_managers(proj.grids)
    )
    for p in profiles:
        p["id"] = ids[p["index"]]
    return {
        "assignment": assignment,
        "ids": ids,
        "profiles": profiles,
        "flows": flows,
        "rank": rank,
        "modularity": mod,
        "graph": {"nodes": g.vcount(), "edges": g.ecount()},
    }


def run_communities(
    store: GraphStore,
    *,
    resolution: float = 1.0,
    merge_households: bool = False,
    min_size: int = 2,
    progress: Progress = None,
    engine: str = "single",
    extract: str | None = None,
) -> dict[str, Any]:
    """Find fund-flow communities, write Community nodes + IN_COMMUNITY edges; return a summary.

    Communities smaller than `min_size` are not written. Returns modularity, counts and the
    profiles of the written communities (largest first). `engine="spark"` computes them on
    Spark from the extract folder `extract` (see guanxi.analyses.spark).
    """
    if engine == "spark":
        from guanxi.analyses.spark import engine as spark_engine

        _say(progress, "Spark: flows, components and Leiden from the extract")
        res = spark_engine.communities(store, extract, resolution=resolution,
                                       merge_households=merge_households)
    else:
        _say(progress, "exporting transfers, accounts and parties")
        proj = fp.export_projection(store)
        _say(progress, f"Leiden on {proj.transfers.num_rows:,} transfers")
        res = compute_communities(proj, resolution=resolution,
                                  merge_households=merge_households)
    profiles = [p for p in res["profiles"] if p["size"] >= min_size]
    keep = {p["id"] for p in profiles}
    now = _now()
    _say(progress, f"writing {len(profiles):,} communities")
    _replace_nodes(store, "Community", keep)
    if profiles:
        store.upsert_nodes(
            "Community",
            pa.table(
                {
                    "id": [p["id"] for p in profiles],
                    "size": pa.array([p["size"] for p in profiles], pa.int64()),
                    "profile_json": [json.dumps(p, ensure_ascii=False) for p in profiles],
                    "computed_at": [now] * len(profiles),
                }
            ),
        )
    by_label: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for node, c in res["assignment"].items():
        cid = res["ids"][c]
        if cid not in keep:
            continue
        by_label[label_of(node)].append((node, cid, float(res["rank"].get(node, 0.0))))
    for label, rows in sorted(by_label.items()):
        if label not in ("Person", "Company", "Account"):
            continue
        store.upsert_edges(
            "IN_COMMUNITY",
            label,
            "Community",
            pa.table(
                {
                    "src": [r[0] for r in rows],
                    "dst": [r[1] for r in rows],
                    "key": pa.array([edge_key("IN_COMMUNITY", r[0]) for r in rows], pa.int64()),
                    "rank": pa.array([r[2] for r in rows], pa.float64()),
                }
            ),
        )
    summary = {
        "resolution": resolution,
        "merge_households": merge_households,
        "modularity": round(res["modularity"], 4),
        "graph": res["graph"],
        "communities": len(profiles),
        "members": sum(p["size"] for p in profiles),
        "computed_at": now,
    }
    store.set_meta(META_COMMUNITIES, json.dumps(summary, ensure_ascii=False))
    return {**summary, "profiles": profiles}


def stored_assignment(store: GraphStore) -> dict[str, str]:
    """Return node id → stored community id (`Y:…`) from IN_COMMUNITY edges."""
    e = store.export_edges("IN_COMMUNITY", [])
    return dict(zip(e["src"].to_pylist(), e["dst"].to_pylist(), strict=True))


# -- referrals and prospects -----------------------------------------------------------------


def compute_prospects(
    proj: fp.MarketingProjection, assignment: dict[str, str], **kw: Any
) -> list[dict[str, Any]]:
    """Return ranked prospects given a stored assignment (node → `Y:` id)."""
    idx = {cid: i for i, cid in enumerate(sorted(set(assignment.values())))}
    flows = fp.party_flows(proj.transfers, fp.owner_map(proj.accounts))
    return pros.find_prospects(
        flows,
        proj.parties,
        {n: idx[c] for n, c in assignment.items()},
        community_ids={i: c for c, i in idx.items()},
        grid_managers=_grid_managers(proj.grids),
        **kw,
    )


def run_referrals(
    store: GraphStore, *, top: int = 20, progress: Progress = None
) -> dict[str, Any]:
    """Analyse MGM referral trees and rank prospects; store both as Meta JSON; return them.

    Uses the stored communities (runs `run_communities` first if there are none). Returns
    trees, referrers (best first), campaigns and grids (K-factor), influencers (top), and
    prospects (ranked, each with reason and manager).
    """
    _say(progress, "exporting referrals")
    r = fp.export_referrals(store)
    proj = fp.export_projection(store)
    grid_of = {
        p: g
        for p, g in zip(proj.parties["id"].to_pylist(), proj.parties["grid_id"].to_pylist(),
                        strict=True)
        if g
    }
    trees = refs.referral_trees(r)
    stats = refs.referrer_stats(r, grid_of)
    names = dict(zip(proj.parties["id"].to_pylist(), proj.parties["name"].to_pylist(),
                     strict=True))
    for s in stats:
        s["name"] = names.get(s["referrer"])
    campaigns = refs.group_k_factor(r, by="campaign")
    grids = refs.group_k_factor(r, grid_of, by="referrer")
    assignment = stored_assignment(store)
    if not assignment:
        _say(progress, "no stored communities: running communities first")
        run_communities(store, progress=progress)
        assignment = stored_assignment(store)
    _say(progress, "ranking prospects")
    prospects = compute_prospects(proj, assignment)
    now = _now()
    ref_out = {
        "computed_at": now,
        "n_referrals": r.num_rows,
        "trees": trees,
        "referrers": stats,
        "campaigns": campaigns,
        "grids": grids,
        "influencers": stats[:top],
    }
    store.set_meta(META_REFERRALS, json.dumps(ref_out, ensure_ascii=False))
    store.set_meta(
        META_PROSPECTS, json.dumps({"computed_at": now, "prospects": prospects},
                                   ensure_ascii=False)
    )
    return {**ref_out, "prospects": prospects}


# -- supply chains ---------------------------------------------------------------------------


def _related_index(tables: dict[str, pa.Table], household_of: dict[str, str],
                   parties: set[str]) -> dict[str, set[str]]:
    def pairs(t: pa.Table) -> list[tuple[str, str]]:
        return list(zip(t["src"].to_pylist(), t["dst"].to_pylist(), strict=True))

    lr, sh, ex = pairs(tables["legal_rep"]), pairs(tables["shareholder"]), pairs(
        tables["executive"])
    return ft.related_index(parties, legal_rep=lr, shareholder=sh, executive=ex,
                            household_of=household_of)


def compute_supply_chains(
    proj: fp.MarketingProjection,
    loan_tables: dict[str, pa.Table] | None = None,
    *,
    min_counterparties: int = 4,
    max_depth: int = 1,
    window_days: int = 30,
) -> dict[str, Any]:
    """Return supplies, chains (each with its risk profile), round trips and cycles."""
    firm_of = fp.firm_of_account(proj.accounts, proj.parties)
    owners = fp.owner_map(proj.accounts)
    supplies = sc.infer_supplies(proj.transfers, firm_of)
    cores = sc.find_cores(supplies, min_counterparties=min_counterparties)
    chains = sc.build_chains(supplies, [c["id"] for c in cores], max_depth=max_depth)
    cf = sc.firm_cashflows(proj.transfers, firm_of, owners, proj.accounts)
    trips: list[dict[str, Any]] = []
    if loan_tables is not None and loan_tables["deposits"].num_rows:
        b = loan_tables["borrowed"]
        borrowers = dict(zip(b["dst"].to_pylist(), b["src"].to_pylist(), strict=True))
        related = _related_index(loan_tables, _household_of(proj.parties),
                                 set(borrowers.values()))
        trips = ft.trace_loans(loan_tables["deposits"], borrowers, proj.transfers, owners,
                               related, window_days=window_days)
    cycles = ft.fund_cycles(proj.transfers, owners, window_days=window_days)
    core_info = {c["id"]: c for c in cores}
    names = dict(zip(proj.parties["id"].to_pylist(), proj.parties["name"].to_pylist(),
                     strict=True))
    names.update(zip(proj.merchants["id"].to_pylist(), proj.merchants["name"].to_pylist(),
                     strict=True))
    for ch in chains:
        mem = set(ch["members"])
        ch["core_name"] = names.get(ch["core"])
        ch["core_stats"] = core_info[ch["core"]]
        ch["risk"] = sc.chain_risk(ch, cf)
        ch["round_trips"] = [t for t in trips if t["borrower"] in mem
                             and t["kind"] == "round_trip"]
        ch["cycles"] = [c for c in cycles if mem & set(c["owners"])][:20]
        ch["risk_score"] = round(
            len(ch["risk"]["concentration"]) / max(ch["size"], 1)
            + ch["risk"]["leakage_share"]
            + min(len(ch["round_trips"]), 3)
            + 0.5 * min(len(ch["cycles"]), 2),
            4,
        )
    return {"supplies": supplies, "cores": cores, "chains": chains, "round_trips": trips,
            "cycles": cycles}


def run_supply_chain(
    store: GraphStore,
    *,
    min_counterparties: int = 4,
    max_depth: int = 1,
    window_days: int = 30,
    progress: Progress = None,
) -> dict[str, Any]:
    """Infer 1+N supply chains and their funding risk; write them back; return a summary.

    Writes SUPPLIES edges (replacing earlier inferred ones), SupplyChain nodes `Z:<core>`
    with the profile (members, risk, round trips, cycles) in `profile_json`, IN_CHAIN edges
    (side core|upstream|downstream, depth), and Meta `mkt:fund_tracing`.
    """
    _say(progress, "exporting transfers, accounts, loans")
    proj = fp.export_projection(store)
    loans = fp.export_loan_tracing(store)
    _say(progress, "inferring supplier → buyer relations")
    res = compute_supply_chains(proj, loans, min_counterparties=min_counterparties,
                                max_depth=max_depth, window_days=window_days)
    now = _now()
    _say(progress, f"writing {len(res['supplies']):,} SUPPLIES, {len(res['chains'])} chains")
    store.run("mkt_clear_supplies", {"min_score": 0.0})
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in res["supplies"]:
        groups[(label_of(s["supplier"]), label_of(s["buyer"]))].append(s)
    for (sl, bl), rows in sorted(groups.items()):
        store.upsert_edges(
            "SUPPLIES", sl, bl,
            pa.table({
                "src": [r["supplier"] for r in rows],
                "dst": [r["buyer"] for r in rows],
                "key": pa.array([edge_key("SUPPLIES", r["supplier"], r["buyer"])
                                 for r in rows], pa.int64()),
                "score": pa.array([r["score"] for r in rows], pa.float64()),
                "n_transfers": pa.array([r["n_transfers"] for r in rows], pa.int64()),
                "amount": pa.array([r["amount"] for r in rows], pa.float64()),
                "evidence": [r["evidence"] for r in rows],
            }),
        )
    chains = res["chains"]
    ids = {c["core"]: graph_ids.supply_chain_id(c["core"]) for c in chains}
    _replace_nodes(store, "SupplyChain", set(ids.values()))
    if chains:
        store.upsert_nodes("SupplyChain", pa.table({
            "id": [ids[c["core"]] for c in chains],
            "core_id": [c["core"] for c in chains],
            "size": pa.array([c["size"] for c in chains], pa.int64()),
            "profile_json": [json.dumps({**c, "id": ids[c["core"]]}, ensure_ascii=False)
                             for c in chains],
            "computed_at": [now] * len(chains),
        }))
    chain_edges: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)
    for c in chains:
        zid = ids[c["core"]]
        chain_edges[label_of(c["core"])].append((c["core"], zid, "core", 0))
        for side in ("upstream", "downstream"):
            for m in c[side]:
                chain_edges[label_of(m["id"])].append((m["id"], zid, side, m["depth"]))
    for label, crow in sorted(chain_edges.items()):
        store.upsert_edges("IN_CHAIN", label, "SupplyChain", pa.table({
            "src": [r[0] for r in crow],
            "dst": [r[1] for r in crow],
            "key": pa.array([edge_key("IN_CHAIN", r[0], r[1]) for r in crow], pa.int64()),
            "side": [r[2] for r in crow],
            "depth": pa.array([r[3] for r in crow], pa.int64()),
        }))
    tracing = {"computed_at": now, "round_trips": res["round_trips"], "cycles": res["cycles"]}
    store.set_meta(META_TRACING, json.dumps(tracing, ensure_ascii=False))
    chains_sorted = sorted(chains, key=lambda c: (-c["risk_score"], c["core"]))
    return {
        "computed_at": now,
        "supplies": len(res["supplies"]),
        "cores": res["cores"],
        "chains": chains_sorted,
        "round_trips": res["round_trips"],
        "cycles": res["cycles"],
    }


# -- CLI ---------------------------------------------------------------------------------------


def _emit_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def register_analyze(analyze_app: typer.Typer) -> None:
    """Add `communities`, `referrals` and `supply-chain` to `guanxi analyze`."""
    from guanxi.cli.context import store_session

    con = Console(stderr=True)

    @analyze_app.command("communities")
    def communities_cmd(
        resolution: Annotated[float, typer.Option(help="Leiden resolution (higher: smaller).")]
        = 1.0,
        merge_households: Annotated[bool, typer.Option(help="Treat a household as one node.")]
        = False,
        top: Annotated[int, typer.Option(help="Communities to show.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        engine: Annotated[Engine, typer.Option(help="single (one process) or spark "
                                               "(GUANXI_SPARK_MASTER; needs guanxi[spark]).")]
        = "single",
        extract: Annotated[str | None, typer.Option(
            help="Extract folder Spark reads (default GUANXI_SPARK_EXTRACT).")] = None,
    ) -> None:
        """Find fund-flow communities (Leiden) and store them with their profiles."""
        with store_session(command="analyze communities", need_data=True) as st:
            out = run_communities(st, resolution=resolution, merge_households=merge_households,
                                  progress=None if as_json else con.log, engine=engine,
                                  extract=extract)
        if as_json:
            _emit_json(out)
            return
        c = Console()
        c.print(f"{out['communities']} communities, {out['members']:,} members, "
                f"modularity {out['modularity']}")
        t = Table("community", "size", "customers", "tiers", "internal flow", "grids",
                  "key members")
        for p in out["profiles"][:top]:
            t.add_row(p["id"], str(p["size"]), f"{p['customers']}/{p['size']}",
                      " ".join(f"{k}{v}" for k, v in p["tiers"].items()),
                      f"¥{p['internal_flow']:,.0f} ({p['internal_share']:.0%})",
                      " ".join(g for g, _ in p["grids"]),
                      ", ".join((k["name"] or k["id"]) for k in p["key_members"][:3]))
        c.print(t)

    @analyze_app.command("referrals")
    def referrals_cmd(
        top: Annotated[int, typer.Option(help="Rows per list.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Analyse MGM referral trees (K-factor, influencers) and rank prospects."""
        with store_session(command="analyze referrals", need_data=True) as st:
            out = run_referrals(st, progress=None if as_json else con.log)
        if as_json:
            _emit_json(out)
            return
        c = Console()
        c.print(f"{len(out['trees'])} referral trees from {out['n_referrals']} referrals")
        t = Table("influencer", "name", "invites", "converted", "K", "downline converted")
        for s in out["influencers"][:top]:
            t.add_row(s["referrer"], s["name"] or "", str(s["invites"]), str(s["converted"]),
                      f"{s['k_factor']:.2f}", str(s["descendants_converted"]))
        c.print(t)
        t = Table("campaign", "referrers", "invites", "conversion", "K-factor")
        for g in out["campaigns"]:
            t.add_row(g["group"], str(g["referrers"]), str(g["invites"]),
                      f"{g['conversion_rate']:.0%}", f"{g['k_factor']:.2f}")
        c.print(t)
        t = Table("prospect", "manager", "reason")
        for p in out["prospects"][:top]:
            t.add_row(p["name"] or p["prospect"], p["manager"], p["reason"])
        c.print(t)

    @analyze_app.command("supply-chain")
    def supply_chain_cmd(
        min_counterparties: Annotated[int, typer.Option(help="Counterparties of a core.")] = 4,
        window_days: Annotated[int, typer.Option(help="Loan tracing window (days).")] = 30,
        top: Annotated[int, typer.Option(help="Chains to show.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Infer 1+N supply chains, their funding risk and loan round trips (资金回流)."""
        with store_session(command="analyze supply-chain", need_data=True) as st:
            out = run_supply_chain(st, min_counterparties=min_counterparties,
                                   window_days=window_days,
                                   progress=None if as_json else con.log)
        if as_json:
            _emit_json(out)
            return
        c = Console()
        c.print(f"{out['supplies']} supplier→buyer relations, {len(out['chains'])} chains, "
                f"{sum(t['kind'] == 'round_trip' for t in out['round_trips'])} loan round "
                f"trips, {len(out['cycles'])} other cycles")
        t = Table("core", "up", "down", "concentrated", "to other banks", "round trips",
                  "risk")
        for ch in out["chains"][:top]:
            t.add_row(f"{ch['core_name'] or ''} {ch['core']}", str(len(ch["upstream"])),
                      str(len(ch["downstream"])), str(len(ch["risk"]["concentration"])),
                      f"{ch['risk']['leakage_share']:.0%}", str(len(ch["round_trips"])),
                      f"{ch['risk_score']:.2f}")
        c.print(t)


__all__ = [
    "compute_communities",
    "compute_prospects",
    "compute_supply_chains",
    "register_analyze",
    "run_communities",
    "run_referrals",
    "run_supply_chain",
]
