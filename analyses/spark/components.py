"""Connected components on Spark DataFrames: the large-star / small-star method.

Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii, "Connected Components in MapReduce and
Beyond" (SoCC 2014): alternate a large-star step (link every larger neighbour of a node to the
node's smallest neighbour) and a small-star step (link a node and its smaller neighbours to
the smallest of them) until every edge points at a root. Each round is two joins and two
aggregations over the edge DataFrame; rounds are O(log n). Node ids are strings; a
component is labelled by its smallest member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

MAX_ROUNDS = 64


def _large_star(e: DataFrame) -> DataFrame:
    """Return large-star edges (v, m(u)) for every v > u in Γ(u), m(u) = min(Γ(u) ∪ {u})."""
    from pyspark.sql import functions as F

    both = e.select("u", "v").unionByName(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
    m = both.groupBy("u").agg(F.min("v").alias("m"))
    m = m.select("u", F.least("m", "u").alias("m"))
    out = both.where(F.col("v") > F.col("u")).join(m, "u").select(
        F.col("v").alias("u"), F.col("m").alias("v"))
    return out.where(F.col("u") != F.col("v")).distinct()


def _small_star(e: DataFrame) -> DataFrame:
    """Return small-star edges: for each u, its smaller neighbours and u linked to their min."""
    from pyspark.sql import functions as F

    # orient every edge high → low: (u, v) with v < u
    o = e.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v")).where(
        F.col("u") != F.col("v"))
    m = o.groupBy("u").agg(F.min("v").alias("m"))
    linked = o.join(m, "u").select(F.col("v").alias("u"), F.col("m").alias("v"))
    own = m.select("u", F.col("m").alias("v"))
    return linked.unionByName(own).where(F.col("u") != F.col("v")).distinct()


def connected_components(edges: DataFrame, src: str = "src", dst: str = "dst") -> DataFrame:
    """Return (id, component) for every node of an undirected edge list; a component is
    labelled by its smallest node id. Self-loops are ignored (a node with only a self-loop
    is its own component)."""
    from pyspark.sql import functions as F

    nodes = edges.select(F.col(src).alias("id")).unionByName(
        edges.select(F.col(dst).alias("id"))).distinct()
    e = edges.select(F.col(src).alias("u"), F.col(dst).alias("v")).where(
        F.col("u") != F.col("v"))
    e = e.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v")).distinct()
    e = e.localCheckpoint()
    for _ in range(MAX_ROUNDS):
        e = _small_star(_large_star(e)).localCheckpoint()
        # converged when every edge points at a root (no target is itself linked lower)
        targets = e.select(F.col("v").alias("u")).distinct()
        if e.join(targets, "u", "left_semi").limit(1).count() == 0:
            break
    else:  # pragma: no cover - O(log n) rounds in theory
        raise RuntimeError("connected components did not converge")
    lab = e.select(F.col("u").alias("id"), F.col("v").alias("component"))
    return nodes.join(lab, "id", "left").select(
        "id", F.coalesce("component", "id").alias("component"))
