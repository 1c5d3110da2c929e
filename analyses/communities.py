"""Fund-flow communities (资金往来圈): projection → Leiden → `Community` profiles → Community
nodes with IN_COMMUNITY memberships.

`compute_communities` cuts the party flow graph of a `MarketingProjection` (one process);
the Spark engine (`guanxi.analyses.spark.engine.communities`) cuts it on Spark. Both end in
`partition`, which turns a node → community assignment into the typed profiles, so the two
engines give one result shape. `run_communities` computes with either engine and writes the
result back: Community nodes ``Y:r<resolution>#<n>`` (profile in ``profile_json``) and
IN_COMMUNITY edges (``rank`` = PageRank) from persons, companies and unowned external
accounts, replacing the previous run's; the run's parameters and summary go to Meta
``mkt:communities``. Communities smaller than ``min_size`` are not written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from guanxi.algorithms import communities as comm
from guanxi.analyses import flow_projection as fp
from guanxi.analyses.results import Progress, WriteCounts, dump, now, report, write_stored
from guanxi.analyses.results.marketing import (
    COMMUNITY_RUN,
    CommunitiesResult,
    Community,
    GraphSize,
)
from guanxi.analyses.writeback import Membership, replace_nodes
from guanxi.graph import ids as graph_ids
from guanxi.graph.ids import edge_key, label_of
from guanxi.graph.store import GraphStore

__all__ = [
    "MEMBER_LABELS",
    "Engine",
    "Partition",
    "compute_communities",
    "grid_managers",
    "household_of",
    "partition",
    "run_communities",
    "stored_assignment",
    "write_communities",
]

Engine = Literal["single", "spark"]
MEMBER_LABELS = ("Person", "Company", "Account")
"""Labels whose nodes get an IN_COMMUNITY edge (household nodes of a merged run do not)."""


@dataclass
class Partition:
    """Communities of one run: node → community index (``assignment``), index → stored id
    (``ids``), the typed profiles (largest first), each node's PageRank, the modularity and
    the size of the graph that was cut (``extra``: engine details, e.g. Spark components)."""

    assignment: dict[str, int]
    ids: dict[int, str]
    profiles: list[Community]
    rank: dict[str, float]
    modularity: float
    graph: GraphSize
    extra: dict[str, Any] = field(default_factory=dict)


def grid_managers(grids: pa.Table) -> dict[str, str]:
    """Return grid id → the manager responsible for it (grids without one left out)."""
    return {
        g: m
        for g, m in zip(grids["id"].to_pylist(), grids["manager_id"].to_pylist(), strict=True)
        if m
    }


def household_of(parties: pa.Table) -> dict[str, str]:
    """Return person id → household id for the persons of `parties` that have one."""
    return {
        p: h
        for p, h in zip(parties["id"].to_pylist(), parties["household_id"].to_pylist(),
                        strict=True)
        if h and graph_ids.is_label(p, "Person")
    }


def partition(
    node_comm: dict[str, int],
    flows: pa.Table,
    parties: pa.Table,
    grids: pa.Table,
    *,
    resolution: float,
    modularity: float,
    graph: GraphSize,
    rank: dict[str, float],
    households: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> Partition:
    """Return the `Partition` of a community assignment of the cut graph's nodes.

    With `households` (household id → its persons: the graph was cut with a household as
    one node) every person gets its household's community. Profiles come from the
    party-level `flows` (`algorithms.communities.community_profiles`), ids are
    `graph.ids.community_id(resolution, index)`.
    """
    assignment: dict[str, int] = {}
    if households is not None:
        for node, c in node_comm.items():
            for m in households.get(node, [node]):
                assignment[m] = c
    else:
        assignment = node_comm
    ids = {c: graph_ids.community_id(resolution, c) for c in sorted(set(assignment.values()))}
    raw = comm.community_profiles(assignment, flows, parties, rank=rank,
                                  grid_managers=grid_managers(grids))
    profiles = [Community.model_validate({**p, "id": ids[p["index"]]}) for p in raw]
    return Partition(assignment=assignment, ids=ids, profiles=profiles, rank=rank,
                     modularity=modularity, graph=graph, extra=extra or {})


def _members_by_household(hh: dict[str, str]) -> dict[str, list[str]]:
    by_h: dict[str, list[str]] = defaultdict(list)
    for p, h in hh.items():
        by_h[h].append(p)
    return by_h


def compute_communities(
    proj: fp.MarketingProjection,
    *,
    resolution: float = 1.0,
    merge_households: bool = False,
    weight: comm.Weight = "log_amount",
    seed: int = 42,
) -> Partition:
    """Return the communities of a projection (Leiden with a fixed seed, one process).

    Leiden runs per connected component (`algorithms.communities.leiden_components`), the
    procedure the Spark engine distributes, so both engines cut the same partition. With
    `merge_households` a household is one node of the cut graph; PageRank (key members) is
    always computed on the party graph.
    """
    owners = fp.owner_map(proj.accounts)
    flows = fp.party_flows(proj.transfers, owners)
    hh = household_of(proj.parties) if merge_households else {}
    g_flows = fp.party_flows(proj.transfers, fp.owner_map(proj.accounts, hh)) \
        if merge_households else flows
    g = comm.flow_graph(g_flows, weight=weight)
    membership = comm.leiden_components(g, resolution=resolution, seed=seed)
    mod = comm.modularity(g, membership, resolution=resolution)
    node_comm = dict(zip(g.vs["name"], membership, strict=True)) if g.vcount() else {}
    pg = comm.flow_graph(flows, weight=weight) if merge_households else g
    rank = dict(zip(pg.vs["name"], comm.weighted_pagerank(pg), strict=True)) if pg.vcount() \
        else {}
    return partition(node_comm, flows, proj.parties, proj.grids, resolution=resolution,
                     modularity=mod, graph=GraphSize(nodes=g.vcount(), edges=g.ecount()),
                     rank=rank,
                     households=_members_by_household(hh) if merge_households else None)


def write_communities(store: GraphStore, part: Partition, kept: list[Community],
                      computed_at: str) -> WriteCounts:
    """Replace the stored Community nodes and IN_COMMUNITY edges with the `kept` communities
    of `part`; return the write counts."""
    keep = {p.id for p in kept}
    nodes = pa.table({
        "id": [p.id for p in kept],
        "size": pa.array([p.size for p in kept], pa.int64()),
        "profile_json": [json.dumps(dump(p), ensure_ascii=False) for p in kept],
        "computed_at": [computed_at] * len(kept),
    })
    src: list[str] = []
    dst: list[str] = []
    keys: list[int] = []
    ranks: list[float] = []
    for node, c in part.assignment.items():
        cid = part.ids[c]
        if cid not in keep or label_of(node) not in MEMBER_LABELS:
            continue
        src.append(node)
        dst.append(cid)
        keys.append(edge_key("IN_COMMUNITY", node))
        ranks.append(float(part.rank.get(node, 0.0)))
    return replace_nodes(store, "Community", nodes, [
        Membership("IN_COMMUNITY", src, dst, keys, {"rank": ranks})])


def run_communities(
    store: GraphStore,
    *,
    resolution: float = 1.0,
    merge_households: bool = False,
    min_size: int = 2,
    progress: Progress | None = None,
    engine: Engine | str = "single",
    extract: str | Path | None = None,
) -> CommunitiesResult:
    """Find fund-flow communities, write them back; return the run's `CommunitiesResult`
    (the profiles of the written communities, largest first).

    `engine="spark"` computes them on Spark from the extract folder `extract` (see
    `guanxi.analyses.spark`); the write-back is the same.
    """
    if engine == "spark":
        from guanxi.analyses.spark import engine as spark_engine

        report(progress, "Spark: flows, components and Leiden from the extract")
        part = spark_engine.communities(store, extract, resolution=resolution,
                                        merge_households=merge_households)
    else:
        report(progress, "exporting transfers, accounts and parties")
        proj = fp.export_projection(store)
        report(progress, f"Leiden on {proj.transfers.num_rows:,} transfers")
        part = compute_communities(proj, resolution=resolution,
                                   merge_households=merge_households)
    kept = [p for p in part.profiles if p.size >= min_size]
    computed_at = now()
    report(progress, f"writing {len(kept):,} communities")
    write_communities(store, part, kept, computed_at)
    result = CommunitiesResult(
        resolution=resolution, merge_households=merge_households,
        modularity=round(part.modularity, 4), graph=part.graph, communities=len(kept),
        members=sum(p.size for p in kept), computed_at=computed_at, profiles=kept)
    summary = dump(result)
    del summary["profiles"]
    write_stored(store, COMMUNITY_RUN, [], computed_at=computed_at,
                 parameters={"resolution": resolution, "merge_households": merge_households,
                             "min_size": min_size, "engine": engine},
                 summary=summary)
    return result


def stored_assignment(store: GraphStore) -> dict[str, str]:
    """Return node id → stored community id (`Y:…`) from the IN_COMMUNITY edges."""
    e = store.export_edges("IN_COMMUNITY", [])
    return dict(zip(e["src"].to_pylist(), e["dst"].to_pylist(), strict=True))
