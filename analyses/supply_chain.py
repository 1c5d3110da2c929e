"""1+N supply chains and their funding risk: projection → supplies, cores, chains, loan round
trips and cycles of funds → typed `SupplyChainResult` → SUPPLIES edges, SupplyChain nodes
with IN_CHAIN memberships, Meta results.

`compute_supply_chains` runs `algorithms.supply_chain` and `algorithms.fund_tracing` over a
`MarketingProjection` (and the loan tables of `flow_projection.export_loan_tracing`);
`run_supply_chain` writes the result back, each kind once:

- SUPPLIES edges (firm → firm), replacing the previously inferred ones;
- SupplyChain nodes ``Z:<core id>`` (the `SupplyChain` profile in ``profile_json``) and
  IN_CHAIN edges (``side`` core|upstream|downstream, ``depth``);
- ``mkt:round_trips`` (loan proceeds that came back, 资金回流) and ``mkt:fund_cycles``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from guanxi.algorithms import fund_tracing as ft
from guanxi.algorithms import supply_chain as sc
from guanxi.analyses import flow_projection as fp
from guanxi.analyses.communities import Engine, household_of
from guanxi.analyses.results import Progress, dump, now, read_stored, report, write_stored
from guanxi.analyses.results.marketing import (
    FUND_CYCLES,
    ROUND_TRIPS,
    Core,
    FundCycle,
    RoundTrip,
    Supply,
    SupplyChain,
    SupplyChainResult,
)
from guanxi.analyses.writeback import Membership, replace_nodes
from guanxi.graph import ids as graph_ids
from guanxi.graph.ids import edge_key, label_of
from guanxi.graph.store import GraphStore

__all__ = [
    "MAX_CHAIN_CYCLES",
    "SupplyChains",
    "assemble",
    "compute_supply_chains",
    "find_chains",
    "party_names",
    "run_supply_chain",
    "stored_fund_tracing",
    "trip_order",
    "write_chains",
    "write_supplies",
]

MAX_CHAIN_CYCLES = 20
"""Cycles of funds listed per chain (all of them are in ``mkt:fund_cycles``)."""


@dataclass
class SupplyChains:
    """What `compute_supply_chains` found: every SUPPLIES relation, the cores, the chains
    (in core order), every loan round trip and other cycle of funds."""

    supplies: list[Supply]
    cores: list[Core]
    chains: list[SupplyChain]
    round_trips: list[RoundTrip]
    cycles: list[FundCycle]


def _pairs(t: pa.Table) -> list[tuple[str, str]]:
    return list(zip(t["src"].to_pylist(), t["dst"].to_pylist(), strict=True))


def _round_trips(proj: fp.MarketingProjection, loan_tables: dict[str, pa.Table],
                 owners: dict[str, str], window_days: int) -> list[dict[str, Any]]:
    if not loan_tables["deposits"].num_rows:
        return []
    b = loan_tables["borrowed"]
    borrowers = dict(zip(b["dst"].to_pylist(), b["src"].to_pylist(), strict=True))
    related = ft.related_index(set(borrowers.values()),
                               legal_rep=_pairs(loan_tables["legal_rep"]),
                               shareholder=_pairs(loan_tables["shareholder"]),
                               executive=_pairs(loan_tables["executive"]),
                               household_of=household_of(proj.parties))
    return ft.trace_loans(loan_tables["deposits"], borrowers, proj.transfers, owners, related,
                          window_days=window_days)


def compute_supply_chains(
    proj: fp.MarketingProjection,
    loan_tables: dict[str, pa.Table] | None = None,
    *,
    min_counterparties: int = 4,
    max_depth: int = 1,
    window_days: int = 30,
) -> SupplyChains:
    """Return the supplies, cores, chains (each with its risk profile and score), loan round
    trips (when `loan_tables` are given) and cycles of funds of a projection."""
    firm_of = fp.firm_of_account(proj.accounts, proj.parties)
    owners = fp.owner_map(proj.accounts)
    supplies = sc.infer_supplies(proj.transfers, firm_of)
    cores, chains = find_chains(supplies, min_counterparties=min_counterparties,
                                max_depth=max_depth)
    cf = sc.firm_cashflows(proj.transfers, firm_of, owners, proj.accounts)
    trips = _round_trips(proj, loan_tables, owners, window_days) if loan_tables else []
    cycles = ft.fund_cycles(proj.transfers, owners, window_days=window_days)
    return assemble(supplies, cores, chains, cf, trips, cycles,
                    party_names(proj.parties, proj.merchants))


def find_chains(supplies: list[dict[str, Any]], *, min_counterparties: int = 4,
                max_depth: int = 1) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (cores, chains) of the inferred `supplies` (`algorithms.supply_chain`)."""
    cores = sc.find_cores(supplies, min_counterparties=min_counterparties)
    return cores, sc.build_chains(supplies, [c["id"] for c in cores], max_depth=max_depth)


def party_names(parties: pa.Table, merchants: pa.Table) -> dict[str, str | None]:
    """Return id → name of parties and merchants (a merchant's name wins)."""
    names = dict(zip(parties["id"].to_pylist(), parties["name"].to_pylist(), strict=True))
    names.update(zip(merchants["id"].to_pylist(), merchants["name"].to_pylist(), strict=True))
    return names


def trip_order(t: dict[str, Any]) -> tuple[Any, ...]:
    """Sort key of round trips: loan, hops, path, first and last instant (one order for
    every engine)."""
    return (t["loan"], t["hops"], t["path"], t["first_ts"], t["last_ts"])


def assemble(
    supplies: list[dict[str, Any]],
    cores: list[dict[str, Any]],
    chains: list[dict[str, Any]],
    cf: sc.FirmCashflows,
    trips: list[dict[str, Any]],
    cycles: list[dict[str, Any]],
    names: dict[str, str | None],
) -> SupplyChains:
    """Return the typed `SupplyChains`: each chain with its risk (`chain_risk` over `cf`,
    which needs the chain members' flows only), its round trips and cycles, and its score.
    Both engines end here."""
    trips = sorted(trips, key=trip_order)
    core_info = {c["id"]: c for c in cores}
    typed: list[SupplyChain] = []
    for ch in chains:
        mem = set(ch["members"])
        risk = sc.chain_risk(ch, cf)
        chain_trips = [t for t in trips if t["borrower"] in mem and t["kind"] == "round_trip"]
        chain_cycles = [c for c in cycles if mem & set(c["owners"])][:MAX_CHAIN_CYCLES]
        typed.append(SupplyChain.model_validate({
            **ch,
            "core_name": names.get(ch["core"]),
            "core_stats": core_info[ch["core"]],
            "risk": risk,
            "round_trips": chain_trips,
            "cycles": chain_cycles,
            "risk_score": sc.risk_score(ch["size"], len(risk["concentration"]),
                                        risk["leakage_share"], len(chain_trips),
                                        len(chain_cycles)),
        }))
    return SupplyChains(
        supplies=[Supply.model_validate(s) for s in supplies],
        cores=[Core.model_validate(c) for c in cores],
        chains=typed,
        round_trips=[RoundTrip.model_validate(t) for t in trips],
        cycles=[FundCycle.model_validate(c) for c in cycles],
    )


def write_supplies(store: GraphStore, supplies: list[Supply]) -> int:
    """Replace the inferred SUPPLIES edges with `supplies`; return how many were written."""
    store.run("mkt_clear_supplies", {"min_score": 0.0})
    groups: dict[tuple[str, str], list[Supply]] = defaultdict(list)
    for s in supplies:
        groups[(label_of(s.supplier), label_of(s.buyer))].append(s)
    for (sl, bl), rows in sorted(groups.items()):
        store.upsert_edges("SUPPLIES", sl, bl, pa.table({
            "src": [r.supplier for r in rows],
            "dst": [r.buyer for r in rows],
            "key": pa.array([edge_key("SUPPLIES", r.supplier, r.buyer) for r in rows],
                            pa.int64()),
            "score": pa.array([r.score for r in rows], pa.float64()),
            "n_transfers": pa.array([r.n_transfers for r in rows], pa.int64()),
            "amount": pa.array([r.amount for r in rows], pa.float64()),
            "evidence": [r.evidence for r in rows],
        }))
    return len(supplies)


def write_chains(store: GraphStore, chains: list[SupplyChain], computed_at: str) -> None:
    """Replace the stored SupplyChain nodes and IN_CHAIN edges with `chains` (their ids set
    to ``Z:<core>``)."""
    for c in chains:
        c.id = graph_ids.supply_chain_id(c.core)
    nodes = pa.table({
        "id": [c.id for c in chains],
        "core_id": [c.core for c in chains],
        "size": pa.array([c.size for c in chains], pa.int64()),
        "profile_json": [json.dumps(dump(c), ensure_ascii=False) for c in chains],
        "computed_at": [computed_at] * len(chains),
    })
    src: list[str] = []
    dst: list[str] = []
    sides: list[str] = []
    depths: list[int] = []
    for c in chains:
        assert c.id is not None
        rows = [(c.core, "core", 0)] + [(m.id, side, m.depth) for side in ("upstream", "downstream")
                                        for m in getattr(c, side)]
        for member, side, depth in rows:
            src.append(member)
            dst.append(c.id)
            sides.append(side)
            depths.append(depth)
    keys = [edge_key("IN_CHAIN", s, d) for s, d in zip(src, dst, strict=True)]
    replace_nodes(store, "SupplyChain", nodes, [
        Membership("IN_CHAIN", src, dst, keys, {"side": sides, "depth": depths})])


def run_supply_chain(
    store: GraphStore,
    *,
    min_counterparties: int = 4,
    max_depth: int = 1,
    window_days: int = 30,
    progress: Progress | None = None,
    engine: Engine | str = "single",
    extract: str | Path | None = None,
) -> SupplyChainResult:
    """Infer 1+N supply chains and their funding risk, write them back; return the
    `SupplyChainResult` (chains riskiest first).

    `engine="spark"` computes them on Spark from the extract folder `extract` (see
    `guanxi.analyses.spark.supply_chain`); the typed result and the write-back are the
    same."""
    if engine == "spark":
        from guanxi.analyses.spark import engine as spark_engine

        report(progress, "Spark: supplies, chain cash flows and round trips from the extract")
        res = spark_engine.supply_chains(store, extract, min_counterparties=min_counterparties,
                                         max_depth=max_depth, window_days=window_days)
    else:
        report(progress, "exporting transfers, accounts, loans")
        proj = fp.export_projection(store)
        loans = fp.export_loan_tracing(store)
        report(progress, "inferring supplier → buyer relations")
        res = compute_supply_chains(proj, loans, min_counterparties=min_counterparties,
                                    max_depth=max_depth, window_days=window_days)
    computed_at = now()
    report(progress, f"writing {len(res.supplies):,} SUPPLIES, {len(res.chains)} chains")
    write_supplies(store, res.supplies)
    stored = [c.model_copy(deep=True) for c in res.chains]
    write_chains(store, stored, computed_at)
    params = {"min_counterparties": min_counterparties, "max_depth": max_depth,
              "window_days": window_days, "engine": engine}
    write_stored(store, ROUND_TRIPS, res.round_trips, computed_at=computed_at,
                 parameters=params)
    write_stored(store, FUND_CYCLES, res.cycles, computed_at=computed_at, parameters=params)
    return SupplyChainResult(
        computed_at=computed_at,
        supplies=len(res.supplies),
        cores=res.cores,
        chains=sorted(res.chains, key=lambda c: (-c.risk_score, c.core)),
        round_trips=res.round_trips,
        cycles=res.cycles,
    )


def stored_fund_tracing(store: GraphStore) -> tuple[list[RoundTrip], list[FundCycle]] | None:
    """Return the stored (round trips, cycles of funds); None when the analysis has not
    run."""
    trips = read_stored(store, ROUND_TRIPS)
    cycles = read_stored(store, FUND_CYCLES)
    if trips is None or cycles is None:
        return None
    return trips.items, cycles.items
