"""The Spark engine's entry points: the same results as the single-process engine.

`communities`, `circles` and `supply_chains` take an open store (for the PII key and the
parties' attributes) and the extract folder (read by Spark), and return the dictionaries the
single-process `compute_*` functions return (for communities the typed `Partition`), so
one write-back stores either engine's result.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guanxi.graph.pii import pii_key
from guanxi.graph.store import GraphStore

if TYPE_CHECKING:
    from guanxi.analyses.communities import Partition
    from guanxi.analyses.spark.extract import Extract
    from guanxi.analyses.supply_chain import SupplyChains

EXTRACT_ENV = "GUANXI_SPARK_EXTRACT"


def extract_folder(extract: Path | str | None) -> Path:
    """Return the extract folder: `extract`, else `GUANXI_SPARK_EXTRACT`; raise ValueError
    with a one-line message when neither names an existing folder."""
    folder = extract or os.environ.get(EXTRACT_ENV)
    if not folder:
        raise ValueError(f"--engine spark reads the extract: pass --extract or set {EXTRACT_ENV}")
    p = Path(folder)
    if not p.is_dir():
        raise ValueError(f"extract folder not found: {p}")
    return p


def open_extract(store: GraphStore, extract: Path | str | None,
                 master: str | None = None) -> Extract:
    """Return the extract as Spark DataFrames, ids keyed with the store's PII key."""
    from guanxi.analyses.spark.extract import Extract
    from guanxi.analyses.spark.session import get_session
    from guanxi.graph.settings import Settings

    key = pii_key(store, Settings().pii_key)
    return Extract(get_session(master), extract_folder(extract), key)


def communities(
    store: GraphStore,
    extract: Path | str | None = None,
    *,
    resolution: float = 1.0,
    merge_households: bool = False,
    master: str | None = None,
    max_nodes: int | None = None,
) -> Partition:
    """Return communities as `analyses.communities.compute_communities` does (a
    `Partition` with typed profiles), computed on Spark: flows in Spark SQL, components and
    Leiden on executors; profiles from the stored parties."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    from guanxi.algorithms import communities as comm
    from guanxi.analyses import flow_projection as fp
    from guanxi.analyses.communities import partition
    from guanxi.analyses.results.marketing import GraphSize
    from guanxi.analyses.spark import communities as scm
    from guanxi.analyses.spark import flows as sf

    ex = open_extract(store, extract, master)
    flows = sf.party_flows(ex).localCheckpoint()
    g_flows = sf.party_flows(ex, households=True) if merge_households else flows
    region = (ex.parties().join(ex.grids(), "grid", "left")
              .select("id", F.coalesce("county", "grid").alias("region")))
    kw: dict[str, Any] = {} if max_nodes is None else {"max_nodes": max_nodes}
    res = scm.find_communities(g_flows, region=region, resolution=resolution, **kw)
    node_comm = scm.renumbered(res.assignment)
    households: dict[str, list[str]] | None = None
    if merge_households:
        households = {}
        for r in ex.parties().where(F.col("household").isNotNull()).select(
                "id", "household").toLocalIterator():
            households.setdefault(r["household"], []).append(r["id"])
    flows_t = sf.flows_to_arrow(flows)
    assert isinstance(flows_t, pa.Table)
    pg = comm.flow_graph(flows_t)
    rank = dict(zip(pg.vs["name"], comm.weighted_pagerank(pg), strict=True)) if pg.vcount() \
        else {}
    return partition(node_comm, flows_t, fp.export_parties(store), fp.export_grids(store),
                     resolution=resolution, modularity=res.modularity,
                     graph=GraphSize(nodes=res.nodes, edges=res.edges), rank=rank,
                     households=households,
                     extra={"engine": "spark", "components": res.components})


def circles(
    store: GraphStore,
    extract: Path | str | None = None,
    *,
    max_cycle: int = 8,
    contract_households: bool = False,
    include_settled: bool = False,
    cycle_budget: int | None = None,
    master: str | None = None,
) -> list[dict[str, Any]]:
    """Return guarantee circles as `algorithms.guarantee.find_circles` returns them over the
    whole graph, computed per weakly connected component on Spark executors."""
    from guanxi.analyses.spark import circles as scc

    ex = open_extract(store, extract, master)
    return scc.find_circles(ex, max_cycle=max_cycle, contract_households=contract_households,
                            include_settled=include_settled, cycle_budget=cycle_budget)


def supply_chains(
    store: GraphStore,
    extract: Path | str | None = None,
    *,
    min_counterparties: int = 4,
    max_depth: int = 1,
    window_days: int = 30,
    master: str | None = None,
) -> SupplyChains:
    """Return what `analyses.supply_chain.compute_supply_chains` returns (the typed
    `SupplyChains`), computed on Spark: SUPPLIES pairs, the chain members' cash flows and
    loan round trips as aggregations and bounded joins; the transfers large enough to form a
    cycle of funds are searched on the driver. Cores, chains, chain risk and scores are the
    same pure functions; names come from the stored parties."""
    from guanxi.algorithms import fund_tracing as ft
    from guanxi.analyses import flow_projection as fp
    from guanxi.analyses import supply_chain as asc
    from guanxi.analyses.spark import supply_chain as ssc

    ex = open_extract(store, extract, master)
    supplies = ssc.supplies(ex)
    cores, chains = asc.find_chains(supplies, min_counterparties=min_counterparties,
                                    max_depth=max_depth)
    cf = ssc.chain_cashflows(ex, sorted({m for ch in chains for m in ch["members"]}))
    trips = ssc.round_trips(ex, window_days=window_days)
    big, owners = ssc.large_transfers(ex, ft.CYCLE_MIN_AMOUNT)
    cycles = ft.fund_cycles(big, owners, window_days=window_days)
    names = asc.party_names(fp.export_parties(store), fp.export_merchants(store))
    return asc.assemble(supplies, cores, chains, cf, trips, cycles, names)
