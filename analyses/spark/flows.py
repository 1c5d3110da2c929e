"""The fund-flow projection in Spark SQL: transfers → party-level flows.

The same projection as `algorithms.flows.party_flows` (owner mapping: an account stands
for its owner, an unowned account for itself; per ordered pair of owner nodes: n, amount,
first_ts, last_ts, months; transfers between a node's own accounts dropped), plus the
channels seen on the pair. The aggregation is shuffled by the source owner's county and the
month first (partial sums per county-month, then per pair), so a province's transfers never
meet in one task. Amounts are summed as decimals (exact to the fen; the single-process
engine's float64 sums agree to the fen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from guanxi.analyses.spark.extract import Extract

FLOWS_SQL = """
WITH t AS (
  SELECT coalesce(os.owner, tr.src) AS src, coalesce(od.owner, tr.dst) AS dst,
         CAST(coalesce(tr.amount, 0.0) AS DECIMAL(22, 4)) AS amount, tr.ts, tr.month, tr.channel,
         coalesce(cs.county, '') AS county
  FROM transfers tr
  LEFT JOIN owners os ON os.id = tr.src
  LEFT JOIN owners od ON od.id = tr.dst
  LEFT JOIN node_county cs ON cs.id = coalesce(os.owner, tr.src)
),
per_month AS (  -- partial aggregate per county, month and pair
  SELECT county, month, src, dst, count(*) AS n, sum(amount) AS amount,
         min(ts) AS first_ts, max(ts) AS last_ts, collect_set(channel) AS channels
  FROM t WHERE src <> dst
  GROUP BY county, month, src, dst
)
SELECT src, dst, CAST(sum(n) AS BIGINT) AS n, CAST(sum(amount) AS DOUBLE) AS amount,
       min(first_ts) AS first_ts, max(last_ts) AS last_ts,
       CAST(count(DISTINCT month) AS BIGINT) AS months,
       array_sort(array_distinct(flatten(collect_list(channels)))) AS channels
FROM per_month
GROUP BY src, dst
"""


def node_county(ex: Extract) -> DataFrame:
    """Return id → county for parties (through their grid's branch) and owned accounts."""
    from pyspark.sql import functions as F

    return (ex.parties().join(ex.grids(), "grid", "left")
            .select("id", F.coalesce("county", F.lit("")).alias("county")))


def party_flows(ex: Extract, *, households: bool = False) -> DataFrame:
    """Return the party-level flows of the extract: src, dst, n, amount, first_ts, last_ts,
    months, channels (sorted distinct). With `households`, persons are replaced by their
    household (`H:` id) first, as `owner_map(accounts, households)` does."""
    from pyspark.sql import functions as F

    spark = ex.spark
    owners = ex.accounts().where(F.col("owner").isNotNull()).select("id", "owner")
    if households:
        hh = ex.parties().where(F.col("household").isNotNull()).select(
            F.col("id").alias("owner"), "household")
        owners = (owners.join(hh, "owner", "left")
                  .select("id", F.coalesce("household", "owner").alias("owner")))
    tr = ex.transfers()
    tr.createOrReplaceTempView("transfers")
    owners.createOrReplaceTempView("owners")
    node_county(ex).createOrReplaceTempView("node_county")
    return spark.sql(FLOWS_SQL)


def flows_to_arrow(flows: DataFrame) -> object:
    """Return flows as a pyarrow Table sorted by (src, dst), columns as `party_flows`
    (channels left out), for comparison with the single-process engine."""
    import pyarrow as pa

    pdf = flows.select("src", "dst", "n", "amount", "first_ts", "last_ts", "months") \
        .orderBy("src", "dst").toPandas()
    return pa.Table.from_pandas(pdf, preserve_index=False)
