"""Guarantee circles on Spark: one weakly connected component per executor task.

A guarantee circle (担保圈) is a non-trivial strongly connected component of the guarantor →
borrower graph, plain or after merging related parties (legal representatives, controlling
shareholders, optionally households). Every such component lies inside one weakly connected
component of the guarantee edges plus the merge pairs, so the components are found with the
distributed large-star/small-star method and each is solved by the same pure function
(`algorithms.guarantee.find_circles`) on an executor, through `applyInPandas`. Circle ids
are hashes of their members, so the result equals the single-process engine's.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

    from guanxi.analyses.spark.extract import Extract

BUCKETS = 64


def _opt(values: Any, cast: Any) -> list[Any]:
    import pandas as pd

    return [None if pd.isna(x) else cast(x) for x in values]


def _solve(pdf: pd.DataFrame, max_cycle: int, kinds: tuple[str, ...], include_settled: bool,
           cycle_budget: int | None) -> pd.DataFrame:
    """Return (component, circle_json) for every circle of every component in `pdf`."""
    import pandas as pd
    import pyarrow as pa

    from guanxi.algorithms import guarantee

    comps: list[str] = []
    out: list[str] = []
    for comp, grp in pdf.groupby("component", sort=True):
        g = grp[grp["kind"] == "g"].sort_values(["loan", "guarantor"])
        if len(g) < 2:
            continue
        r = grp[grp["kind"] == "r"]
        gt = pa.table({
            "guarantor": pa.array(g["guarantor"].tolist(), pa.string()),
            "borrower": pa.array(g["borrower"].tolist(), pa.string()),
            "loan": pa.array(g["loan"].tolist(), pa.string()),
            "amount": pa.array([None if pd.isna(x) else float(x) for x in g["amount"]],
                               pa.float64()),
            "balance": pa.array([None if pd.isna(x) else float(x) for x in g["balance"]],
                                pa.float64()),
            "group_id": pa.array(_opt(g["group_id"], str), pa.string()),
            "maturity_date": pa.array(_opt(g["maturity_date"], str), pa.string()),
            "status": pa.array(_opt(g["status"], str), pa.string()),
            "overdue_days": pa.array(_opt(g["overdue_days"], int), pa.int64()),
            "classification": pa.array(_opt(g["classification"], str), pa.string()),
            "as_of": pa.array(_opt(g["as_of"], str), pa.string()),
        })
        rel = pa.table({"a": r["a"].tolist(), "b": r["b"].tolist(),
                        "kind": r["rel"].tolist()}) if len(r) else None
        kw: dict[str, Any] = {} if cycle_budget is None else {"cycle_budget": cycle_budget}
        for c in guarantee.find_circles(guarantee.build_guarantee_graph(gt),
                                        max_cycle=max_cycle, related=rel, kinds=kinds,
                                        include_settled=include_settled, **kw):
            comps.append(str(comp))
            out.append(json.dumps(c, ensure_ascii=False))
    return pd.DataFrame({"component": pd.Series(comps, dtype=object),
                         "circle": pd.Series(out, dtype=object)})


def guarantee_components(guarantees: DataFrame, related: DataFrame) -> DataFrame:
    """Return (id, component) over guarantor–borrower edges and merge pairs (a, b)."""
    from pyspark.sql import functions as F

    from guanxi.analyses.spark.components import connected_components

    e = guarantees.select(F.col("guarantor").alias("src"), F.col("borrower").alias("dst")) \
        .unionByName(related.select(F.col("a").alias("src"), F.col("b").alias("dst")))
    return connected_components(e)


def find_circles(
    ex: Extract,
    *,
    max_cycle: int = 8,
    contract_households: bool = False,
    include_settled: bool = False,
    cycle_budget: int | None = None,
) -> list[dict[str, Any]]:
    """Return guarantee circles of the extract, as `algorithms.guarantee.find_circles`
    returns them for the whole graph (same ids, members, loans, motifs and cycles), sorted
    by id. Merges legal representatives and controlling shareholders, and household members
    with `contract_households` (as `guanxi analyze guarantee --households`); guarantees of
    live loans only unless `include_settled`, as there."""
    from pyspark.sql import functions as F

    kinds = ("legal_rep", "shareholder", "household") if contract_households else (
        "legal_rep", "shareholder")
    gt = ex.guarantees().localCheckpoint()
    rel = ex.related(households=contract_households).where(F.col("kind").isin(*kinds))
    rel = rel.localCheckpoint()
    cc = guarantee_components(gt, rel).localCheckpoint()
    # only components with at least two guarantees can hold a circle
    ng = (gt.join(cc.select(F.col("id").alias("guarantor"), "component"), "guarantor")
          .groupBy("component").agg(F.count("*").alias("ng")).where(F.col("ng") >= 2))
    comp = cc.join(ng.select("component"), "component", "left_semi")
    null = F.lit(None).cast("string")
    g_rows = gt.join(comp.select(F.col("id").alias("guarantor"), "component"), "guarantor") \
        .select("component", F.lit("g").alias("kind"), "guarantor", "borrower", "loan",
                F.col("amount").cast("double"), F.col("balance").cast("double"),
                "group_id", "maturity_date", "status", F.col("overdue_days").cast("long"),
                "classification", "as_of", null.alias("a"), null.alias("b"),
                null.alias("rel"))
    r_rows = rel.join(comp.select(F.col("id").alias("a"), "component"), "a") \
        .select("component", F.lit("r").alias("kind"), null.alias("guarantor"),
                null.alias("borrower"), null.alias("loan"),
                F.lit(None).cast("double").alias("amount"),
                F.lit(None).cast("double").alias("balance"), null.alias("group_id"),
                null.alias("maturity_date"), null.alias("status"),
                F.lit(None).cast("long").alias("overdue_days"), null.alias("classification"),
                null.alias("as_of"), "a", "b", F.col("kind").alias("rel"))
    rows = g_rows.unionByName(r_rows).withColumn(
        "_bucket", F.abs(F.hash("component")) % BUCKETS)

    def run(pdf: pd.DataFrame) -> pd.DataFrame:
        return _solve(pdf, max_cycle, kinds, include_settled, cycle_budget)

    res = rows.groupBy("_bucket").applyInPandas(run, schema="component string, circle string")
    circles = [json.loads(r["circle"]) for r in res.toLocalIterator()]
    circles.sort(key=lambda c: c["id"])
    return circles
