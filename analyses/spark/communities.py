"""Fund-flow communities on Spark: components first, then Leiden per component on executors.

1. The undirected weighted flow graph (both directions of a pair summed; weight as
   `algorithms.communities.flow_graph`, default n·log10(1 + mean amount)).
2. Connected components with the large-star/small-star method (`components`).
3. Components up to `max_nodes` nodes: Leiden per component, in parallel (`applyInPandas`
   over buckets of components) with the same `algorithms.communities.leiden` code. Modularity
   is additive over components when each component's resolution is γ·m_k/m (m_k its edge
   weight, m the whole graph's), so per-component Leiden optimises the same objective as one
   Leiden over the whole graph.
4. A component larger than `max_nodes` (a province's giant component) is split by county
   (`region`): Leiden per county on the county's internal edges, then the graph of those
   communities (cross-county edges included) is solved again by Leiden, which merges
   communities across county borders where that raises modularity.
Returns node → community label (`<component>#<n>`) and the modularity over the whole graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

DEFAULT_MAX_NODES = 2_000_000
BUCKETS = 64


@dataclass
class SparkCommunities:
    """Result of `find_communities`: the assignment DataFrame (id, community) and figures."""

    assignment: DataFrame
    modularity: float
    nodes: int
    edges: int
    components: int
    split_components: int


def undirected_edges(flows: DataFrame, *, weight: str = "log_amount") -> DataFrame:
    """Return (a, b, weight) with a < b: both directions of each pair summed, then weighted
    as `flow_graph` does (n, amount or n·log10(1 + amount / n))."""
    from pyspark.sql import functions as F

    e = flows.where(F.col("src") != F.col("dst")).select(
        F.least("src", "dst").alias("a"), F.greatest("src", "dst").alias("b"),
        F.coalesce(F.col("n"), F.lit(0)).cast("double").alias("n"),
        F.coalesce(F.col("amount"), F.lit(0.0)).cast("double").alias("amount"))
    e = e.groupBy("a", "b").agg(F.sum("n").alias("n"), F.sum("amount").alias("amount"))
    if weight == "n":
        w = F.col("n")
    elif weight == "amount":
        w = F.col("amount")
    else:
        w = F.col("n") * F.log10(F.lit(1.0) + F.col("amount") / F.greatest("n", F.lit(1.0)))
    return e.select("a", "b", w.alias("weight"))


def _leiden_frame(pdf: pd.DataFrame, resolution: float, total: float, seed: int,
                  key: str) -> pd.DataFrame:
    """Run Leiden on every graph of `pdf` (edges a, b, weight, grouped by `key`); return
    (id, community) with community = `<key value>#<index>`."""
    import igraph as ig
    import pandas as pd

    from guanxi.algorithms import communities as comm

    ids: list[str] = []
    labels: list[str] = []
    for k, grp in pdf.groupby(key, sort=True):
        grp = grp.sort_values(["a", "b"])
        names = sorted(set(grp["a"]) | set(grp["b"]))
        index = {x: i for i, x in enumerate(names)}
        g = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in
                                          zip(grp["a"], grp["b"], strict=True)])
        g.vs["name"] = names
        g.es["weight"] = [float(w) for w in grp["weight"]]
        if "sa" in grp.columns:  # a region of a split component: the whole graph's null model
            strength = dict(zip(grp["a"], grp["sa"], strict=True))
            strength.update(zip(grp["b"], grp["sb"], strict=True))
            memb = _cpm(g, [float(strength[x]) for x in names], resolution, total, seed)
        else:
            mk = float(grp["weight"].sum())
            res = resolution * mk / total if total > 0 else resolution
            memb = comm.leiden(g, resolution=res, seed=seed)
        ids.extend(names)
        labels.extend(f"{k}#{c}" for c in memb)
    # typed columns: an empty frame of untyped columns fails Spark's Arrow conversion
    return pd.DataFrame({"id": pd.Series(ids, dtype=object),
                         "community": pd.Series(labels, dtype=object)})


def _cpm(g: object, strengths: list[float], resolution: float, total: float,
         seed: int) -> list[int]:
    """Return Leiden memberships optimising the whole graph's modularity on a subgraph:
    CPM with node weights = the nodes' strengths in the whole graph and resolution
    γ/(2m) — igraph's own reduction of modularity to CPM — so cross-border degree counts."""
    import random

    import igraph as ig

    assert isinstance(g, ig.Graph)
    state = random.getstate()
    random.seed(seed)
    try:
        c = g.community_leiden(objective_function="CPM", weights="weight",
                               node_weights=strengths,
                               resolution=resolution / (2.0 * total) if total else resolution,
                               n_iterations=2)
    finally:
        random.setstate(state)
    return list(c.membership)


def _leiden_by(edges: DataFrame, key: str, resolution: float, total: float,
               seed: int) -> DataFrame:
    """Return (id, community): Leiden per group of `edges` (a, b, weight, `key`), the groups
    spread over buckets so many small graphs share one Python call."""
    from pyspark.sql import functions as F

    def run(pdf: pd.DataFrame) -> pd.DataFrame:
        return _leiden_frame(pdf, resolution, total, seed, key)

    return (edges.withColumn("_bucket", F.abs(F.hash(key)) % BUCKETS)
            .groupBy("_bucket").applyInPandas(run, schema="id string, community string"))


def _scalar(df: DataFrame) -> float:
    """Return the single value of a one-row, one-column aggregate (0.0 for null)."""
    row = df.first()
    return float(row[0] or 0.0) if row is not None else 0.0


def modularity(edges: DataFrame, assignment: DataFrame, *, resolution: float = 1.0) -> float:
    """Return weighted modularity (igraph's definition) of `assignment` (id, community) on
    undirected `edges` (a, b, weight)."""
    from pyspark.sql import functions as F

    ca = assignment.select(F.col("id").alias("a"), F.col("community").alias("ca"))
    cb = assignment.select(F.col("id").alias("b"), F.col("community").alias("cb"))
    e = edges.join(ca, "a").join(cb, "b")
    m = _scalar(edges.agg(F.sum("weight")))
    if m == 0:
        return 0.0
    internal = _scalar(e.where(F.col("ca") == F.col("cb")).agg(F.sum("weight")))
    deg = (e.select(F.col("ca").alias("c"), "weight")
           .unionByName(e.select(F.col("cb").alias("c"), "weight"))
           .groupBy("c").agg(F.sum("weight").alias("d")))
    sq = _scalar(deg.agg(F.sum(F.col("d") * F.col("d"))))
    return float(internal / m - resolution * sq / (4.0 * m * m))


def find_communities(
    flows: DataFrame,
    *,
    region: DataFrame | None = None,
    resolution: float = 1.0,
    weight: str = "log_amount",
    seed: int = 42,
    max_nodes: int = DEFAULT_MAX_NODES,
    refine_rounds: int = 12,
) -> SparkCommunities:
    """Return fund-flow communities of party-level `flows` (src, dst, n, amount).

    `region` (id, region) places nodes of a component larger than `max_nodes` into counties
    for the split solve; a node without a region takes the region of its heaviest neighbour
    (else its own component's). See the module docstring for the method.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from guanxi.analyses.spark.components import connected_components

    edges = undirected_edges(flows, weight=weight).localCheckpoint()
    total = _scalar(edges.agg(F.sum("weight")))
    cc = connected_components(edges, "a", "b").localCheckpoint()
    sizes = cc.groupBy("component").agg(F.count("*").alias("size"))
    ce = edges.join(cc.select(F.col("id").alias("a"), "component"), "a")
    big = sizes.where(F.col("size") > max_nodes).select("component")
    n_big = big.count()
    small_e = ce.join(big, "component", "left_anti")
    parts = [_leiden_by(small_e, "component", resolution, total, seed)]
    if n_big:
        big_e = ce.join(big, "component", "left_semi")
        nodes = cc.join(big, "component", "left_semi")
        reg = region if region is not None else nodes.select(
            "id", F.lit(None).cast("string").alias("region"))
        nodes = nodes.join(reg.select("id", "region"), "id", "left")
        # unplaced nodes take the region of their heaviest placed neighbour
        both = big_e.select("a", "b", "weight").unionByName(
            big_e.select(F.col("b").alias("a"), F.col("a").alias("b"), "weight"))
        placed = nodes.where(F.col("region").isNotNull()).select(
            F.col("id").alias("b"), F.col("region").alias("nr"))
        w = Window.partitionBy("a").orderBy(F.desc("weight"), "nr")
        guess = (both.join(placed, "b").withColumn("_r", F.row_number().over(w))
                 .where(F.col("_r") == 1).select(F.col("a").alias("id"), "nr"))
        nodes = (nodes.join(guess, "id", "left")
                 .select("id", "component", F.coalesce("region", "nr", "component")
                         .alias("region")))
        ra = nodes.select(F.col("id").alias("a"), F.col("region").alias("ra"))
        rb = nodes.select(F.col("id").alias("b"), F.col("region").alias("rb"))
        be = big_e.join(ra, "a").join(rb, "b")
        strength = both.groupBy("a").agg(F.sum("weight").alias("k"))
        sa = strength.select("a", F.col("k").alias("sa"))
        sb = strength.select(F.col("a").alias("b"), F.col("k").alias("sb"))
        inner = be.where(F.col("ra") == F.col("rb")).join(sa, "a").join(sb, "b").select(
            "a", "b", "weight", "sa", "sb", F.concat_ws("|", "component", "ra").alias("part"))
        first = _leiden_by(inner, "part", resolution, total, seed)
        # nodes with no edge inside their region are singletons of phase 1
        first = nodes.join(first, "id", "left").select(
            "id", "component", F.coalesce("community", F.concat_ws("|", F.lit("s"), "id"))
            .alias("c1")).localCheckpoint()
        c1a = first.select(F.col("id").alias("a"), F.col("c1").alias("x"))
        c1b = first.select(F.col("id").alias("b"), F.col("c1").alias("y"))
        agg = (be.join(c1a, "a").join(c1b, "b")
               .select(F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"),
                       "weight", "component")
               .groupBy("component", "a", "b").agg(F.sum("weight").alias("weight")))
        # the graph of phase-1 communities, with self-loops holding internal weight
        second = _leiden_by(agg, "component", resolution, total, seed)
        merged = (first.join(second.select(F.col("id").alias("c1"), "community"), "c1", "left")
                  .select("id", F.coalesce("community", "c1").alias("community")))
        parts.append(refine_borders(both, strength, merged, total=total,
                                    resolution=resolution, rounds=refine_rounds))
    assignment = parts[0]
    for p in parts[1:]:
        assignment = assignment.unionByName(p)
    assignment = assignment.localCheckpoint()
    q = modularity(edges, assignment, resolution=resolution)
    return SparkCommunities(
        assignment=assignment, modularity=q, nodes=cc.count(), edges=edges.count(),
        components=sizes.count(), split_components=n_big)


def refine_borders(both: DataFrame, strength: DataFrame, assignment: DataFrame, *,
                   total: float, resolution: float = 1.0, rounds: int = 12) -> DataFrame:
    """Return `assignment` (id, community) after distributed local moves: each round, every
    node of one half (by a hash of id and round, so neighbours rarely move together) moves
    to the neighbouring community with the largest positive modularity gain
    ΔQ ∝ (k_i,C − k_i,own) − γ·k_i·(Σ_C − Σ_own + k_i)/(2m). Stops after `rounds` rounds or
    when no node moves. `both` holds every edge in both directions (a, b, weight);
    `strength` is (a, k)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    cur = assignment.localCheckpoint()
    for r in range(rounds):
        sig = (cur.join(strength.select(F.col("a").alias("id"), "k"), "id")
               .groupBy("community").agg(F.sum("k").alias("sig")))
        ca = cur.select(F.col("id").alias("a"), F.col("community").alias("ca"))
        cb = cur.select(F.col("id").alias("b"), F.col("community").alias("cb"))
        kic = (both.join(ca, "a").join(cb, "b").groupBy("a", "ca", "cb")
               .agg(F.sum("weight").alias("w")))
        own = kic.where(F.col("ca") == F.col("cb")).select("a", F.col("w").alias("kia"))
        cand = (kic.where((F.col("ca") != F.col("cb"))
                          & (F.abs(F.hash("a", F.lit(r))) % 2 == 0))
                .join(own, "a", "left").join(strength, "a")
                .join(sig.select(F.col("community").alias("ca"), F.col("sig").alias("sa")), "ca")
                .join(sig.select(F.col("community").alias("cb"), F.col("sig").alias("sb")), "cb")
                .withColumn("gain", (F.col("w") - F.coalesce("kia", F.lit(0.0)))
                            - F.lit(resolution) * F.col("k")
                            * (F.col("sb") - F.col("sa") + F.col("k")) / F.lit(2.0 * total))
                .where(F.col("gain") > 1e-12))
        w = Window.partitionBy("a").orderBy(F.desc("gain"), "cb")
        best = (cand.withColumn("_r", F.row_number().over(w)).where(F.col("_r") == 1)
                .select(F.col("a").alias("id"), F.col("cb").alias("new"))).localCheckpoint()
        if best.limit(1).count() == 0:
            break
        cur = (cur.join(best, "id", "left")
               .select("id", F.coalesce("new", "community").alias("community"))
               .localCheckpoint())
    return cur


def renumbered(assignment: DataFrame) -> dict[str, int]:
    """Return node → community index, communities renumbered as `communities.renumber`
    (largest first, ties by smallest member) — collected to the driver."""
    from collections import defaultdict

    members: dict[str, list[str]] = defaultdict(list)
    for r in assignment.toLocalIterator():
        members[r["community"]].append(r["id"])
    order = sorted(members, key=lambda c: (-len(members[c]), min(members[c])))
    out: dict[str, int] = {}
    for i, c in enumerate(order):
        for m in members[c]:
            out[m] = i
    return out
