"""Supply chains on Spark: the aggregations and bounded joins behind
`analyses.supply_chain.compute_supply_chains`, ending in the same pure functions.

- `supplies`: payments between firms grouped per (buyer firm, supplier firm), payroll left
  out — n, amount (decimal sum), distinct months, memos naming goods — and each firm's total
  payments and receipts; `algorithms.supply_chain.score_supplies` keeps and scores them on
  the driver (the pairs are few).
- `chain_cashflows`: for the chain members only, receipts per member (total and top payer),
  payments, and flows to and from other banks' accounts, as `FirmCashflows` for the same
  `chain_risk`.
- `round_trips` (资金回流): from each loan's deposit, ≤ `max_hops` time-ordered self-joins of
  the transfers (each later than the one before, inside the window, carrying ≥ 30 % of the
  loan), ending at an account of a party related to the borrower — the walk of
  `algorithms.fund_tracing.trace_loan`. Where several transfer sequences give one path, the
  one that walk meets first is kept (see `FIRST_FOUND`).
- `large_transfers`: the transfers of at least `min_amount` (the only ones a cycle of funds
  may use) with their owners, for `algorithms.fund_tracing.fund_cycles` on the driver.
"""

from __future__ import annotations

from functools import reduce
from typing import TYPE_CHECKING, Any

from guanxi.algorithms import supply_chain as sc
from guanxi.algorithms.fund_tracing import DAY_MS
from guanxi.analyses.spark.extract import CHINA_OFFSET_S, pii_id

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import Column, DataFrame

    from guanxi.analyses.spark.extract import Extract

__all__ = [
    "FIRST_FOUND",
    "chain_cashflows",
    "firm_of",
    "large_transfers",
    "related",
    "round_trips",
    "supplies",
]

FIRST_FOUND = (
    "trace_loan walks depth first and keeps, per path, the first transfer sequence it meets: "
    "the latest (then largest) transfer on every inner hop and the earliest (then smallest) "
    "on the last hop"
)
"""Which transfer sequence stands for a path of accounts (both engines keep this one)."""

_DEC = "decimal(24,4)"


def _any_contains(col: Column, words: tuple[str, ...]) -> Column:
    from pyspark.sql import functions as F

    return reduce(lambda a, b: a | b, [F.coalesce(col, F.lit("")).contains(w) for w in words])


def firm_of(ex: Extract) -> DataFrame:
    """Return account id → firm (`id`, `firm`): the merchant paid through it, else the
    owning company (as `algorithms.flows.firm_of_account`)."""
    from pyspark.sql import functions as F

    companies = ex.parties().where(F.col("label") == "Company").select(
        F.col("id").alias("owner"), F.lit(True).alias("_company"))
    acc = ex.accounts().join(companies, "owner", "left")
    firm = F.coalesce(F.col("merchant"), F.when(F.col("_company"), F.col("owner")))
    return acc.select("id", firm.alias("firm")).where(F.col("firm").isNotNull())


def _tagged(ex: Extract) -> DataFrame:
    """Transfers with the firm (`fs`, `fd`), owner node (`os`, `od`) and bank name (`bs`,
    `bd`) of both ends, whether each end is another bank's account (`xs`, `xd`) and the amount as a decimal
    (`dec`); built once per extract and cached."""
    return ex._memo("supply_tagged", lambda: _build_tagged(ex))


def _build_tagged(ex: Extract) -> DataFrame:
    from pyspark.sql import functions as F

    acc = ex.accounts().join(firm_of(ex), "id", "left").select(
        "id", "firm", F.coalesce("owner", "id").alias("node"),
        (~F.coalesce(F.col("in_bank"), F.lit(True))).alias("ext"), "bank_name")

    def end(name: str, tag: str) -> DataFrame:
        return acc.select(F.col("id").alias(name), F.col("firm").alias(f"f{tag}"),
                          F.col("node").alias(f"o{tag}"), F.col("ext").alias(f"x{tag}"),
                          F.col("bank_name").alias(f"b{tag}"))

    return (ex.transfers().select("src", "dst", "amount", "ts", "month", "channel", "memo")
            .join(end("src", "s"), "src", "left").join(end("dst", "d"), "dst", "left")
            .withColumn("dec", F.col("amount").cast(_DEC)))


def supplies(ex: Extract, *, keywords: tuple[str, ...] = sc.KEYWORDS,
             min_transfers: int = 3, min_months: int = 3,
             min_score: float = 0.45) -> list[dict[str, Any]]:
    """Return the SUPPLIES relations `algorithms.supply_chain.infer_supplies` returns for
    the extract's transfers: pairs and firm totals aggregated on Spark, scored on the
    driver by `score_supplies`."""
    from pyspark.sql import functions as F

    t = _tagged(ex)
    payroll = (F.coalesce(F.col("channel").isin(*sc.PAYROLL_CHANNELS), F.lit(False))
               | _any_contains(F.col("memo"), sc.PAYROLL_MEMOS))
    pairs = (t.where(F.col("fs").isNotNull() & F.col("fd").isNotNull()
                     & (F.col("fs") != F.col("fd")) & ~payroll)
             .groupBy("fs", "fd")
             .agg(F.count("*").alias("n"), F.sum("dec").cast("double").alias("amount"),
                  F.countDistinct("month").alias("months"),
                  F.sum(_any_contains(F.col("memo"), keywords).cast("int")).alias("kw"))
             .where(F.col("n") >= min_transfers))  # score_supplies drops the rest anyway
    none = F.lit(None).cast("long")

    def total(col: str, kind: str) -> DataFrame:
        return (t.where(F.col(col).isNotNull()).groupBy(col)
                .agg(F.sum("dec").cast("double").alias("amount"))
                .select(F.lit(kind).alias("kind"), F.col(col).alias("fs"),
                        F.lit(None).cast("string").alias("fd"), none.alias("n"), "amount",
                        none.alias("months"), none.alias("kw")))

    rows = (pairs.select(F.lit("pair").alias("kind"), "fs", "fd", "n", "amount", "months",
                         F.col("kw").cast("long").alias("kw"))
            .unionByName(total("fs", "out")).unionByName(total("fd", "in")).collect())
    out_total = {r["fs"]: float(r["amount"]) for r in rows if r["kind"] == "out"}
    in_total = {r["fs"]: float(r["amount"]) for r in rows if r["kind"] == "in"}
    rows = [r for r in rows if r["kind"] == "pair"]
    return sc.score_supplies(
        [sc.SupplyPair(r["fs"], r["fd"], int(r["n"]), float(r["amount"]), int(r["months"]),
                       int(r["kw"])) for r in rows],
        out_total, in_total, min_transfers=min_transfers, min_months=min_months,
        min_score=min_score)


def chain_cashflows(ex: Extract, members: list[str]) -> sc.FirmCashflows:
    """Return the `FirmCashflows` of the chain `members` (what `chain_risk` reads of
    `algorithms.supply_chain.firm_cashflows`): each member's top payer, its receipts from
    it and all receipts; payments to other firms and persons; flows to and from other
    banks' accounts."""
    from pyspark.sql import functions as F

    spark = ex.spark
    if not members:
        return sc.FirmCashflows()
    mem = F.broadcast(spark.createDataFrame([(m,) for m in members], "m string"))
    t = _tagged(ex).where(F.col("fs").isNotNull() | F.col("fd").isNotNull())
    t = t.join(mem, (F.col("fd") == F.col("m")) | (F.col("fs") == F.col("m")), "left_semi") \
        .cache()
    into = t.join(mem, F.col("fd") == F.col("m"), "left_semi")
    out_of = t.join(mem, F.col("fs") == F.col("m"), "left_semi") \
        .where(~F.col("fd").eqNullSafe(F.col("fs")))
    payer = F.coalesce("fs", "os")
    by_payer = (into.withColumn("payer", payer).where(F.col("payer") != F.col("fd"))
                .groupBy("fd", "payer").agg(F.sum("dec").alias("a")))
    top = by_payer.groupBy("fd").agg(F.max(F.struct("a", "payer")).alias("top"),
                                     F.sum("a").cast("double").alias("total"))
    null = F.lit(None).cast("string")

    def rows(df: DataFrame, kind: str, firm: str, key: Column, bank: Column) -> DataFrame:
        return df.select(F.lit(kind).alias("kind"), F.col(firm).alias("firm"),
                         key.alias("key"), F.col("a").cast("double").alias("a"),
                         F.col("total").cast("double").alias("total"), bank.alias("bank"))

    dsum = F.sum("dec").alias("a")
    parts = [
        rows(top.withColumn("a", F.col("top.a")), "top", "fd", F.col("top.payer"), null),
        rows(out_of.groupBy("fs").agg(dsum).withColumn("total", F.lit(None)), "out", "fs",
             null, null),
        rows(out_of.where(F.col("xd")).groupBy("fs", "dst").agg(dsum, F.first("bd").alias("b"))
             .withColumn("total", F.lit(None)), "ox", "fs", F.col("dst"), F.col("b")),
        rows(into.where(F.col("xs") & ~F.col("fs").eqNullSafe(F.col("fd")))
             .groupBy("fd", "src").agg(dsum, F.first("bs").alias("b"))
             .withColumn("total", F.lit(None)), "ix", "fd", F.col("src"), F.col("b")),
    ]
    cf = sc.FirmCashflows()
    for r in reduce(lambda a, b: a.unionByName(b), parts).orderBy("kind", "firm", "key") \
            .collect():
        k, firm = r["kind"], r["firm"]
        if k == "top":
            cf.inflow_top[firm] = (r["key"], float(r["a"]), float(r["total"]))
        elif k == "out":
            cf.outflow_total[firm] = float(r["a"])
        else:
            side = cf.outflow_external if k == "ox" else cf.inflow_external
            side.setdefault(firm, {})[r["key"]] = float(r["a"])
            cf.bank_of[r["key"]] = r["bank"]
    t.unpersist()
    return cf


def related(ex: Extract, borrowers: DataFrame) -> DataFrame:
    """Return (borrower, party) for every party related to each borrower, as
    `algorithms.fund_tracing.related_index`: the borrower, the companies it represents,
    holds shares in or runs (or, for a company, its legal representatives, shareholders and
    executives), and the household members of all of those."""
    from pyspark.sql import functions as F

    known = ex.parties().select("id")
    company = F.concat(F.lit("C:"), F.upper(F.trim("uscc")))
    r = ex.raw("enterprise_roles")
    holder = (F.when(F.col("holder_type") == "person", pii_id("P", F.col("holder_id"), ex.key))
              .when((F.col("holder_type") == "company") & (F.col("role") == "shareholder"),
                    F.concat(F.lit("C:"), F.upper(F.trim("holder_id")))))
    roles = r.where(F.col("role").isin("legal_rep", "shareholder", "executive")).select(
        holder.alias("h"), company.alias("c"), F.col("role"))
    # the loader keeps one legal representative per company: the roles table's, else the
    # enterprise's legal_rep_id
    rep = ex.raw("enterprises").select(pii_id("P", F.col("legal_rep_id"), ex.key).alias("h"),
                                       company.alias("c"))
    rep = rep.join(roles.where(F.col("role") == "legal_rep").select("c"), "c", "left_anti")
    links = (roles.select("h", "c").unionByName(rep.select("h", "c"))
             .join(known.withColumnRenamed("id", "h"), "h", "left_semi")
             .join(known.withColumnRenamed("id", "c"), "c", "left_semi").distinct())
    both = links.select(F.col("h").alias("x"), F.col("c").alias("y")).unionByName(
        links.select(F.col("c").alias("x"), F.col("h").alias("y")))
    b = borrowers.select(F.col("borrower")).distinct()
    rel0 = (b.select("borrower", F.col("borrower").alias("party"))
            .unionByName(b.join(both, F.col("borrower") == F.col("x"))
                         .select("borrower", F.col("y").alias("party"))))
    hh = ex.parties().where((F.col("label") == "Person") & F.col("household").isNotNull()
                            & (F.col("household") != "H:")).select("id", "household")
    via_household = (rel0.join(hh.withColumnRenamed("id", "party"), "party")
                     .join(hh.withColumnRenamed("id", "member"), "household")
                     .select("borrower", F.col("member").alias("party")))
    return rel0.unionByName(via_household).distinct()


def _deposits(ex: Extract) -> DataFrame:
    """Loans paid into a known account: loan, borrower, acct, t0 (China midnight of the
    start date, epoch ms), loan_amount — the DEPOSIT edges the loader writes."""
    from pyspark.sql import functions as F

    day = F.try_to_timestamp(F.col("start_date"), F.lit("yyyy-MM-dd"))
    t0 = ((F.unix_timestamp(day) - CHINA_OFFSET_S) * 1000).cast("long")
    known = ex.accounts().select(F.col("id").alias("acct"))
    return (ex.loans().select("loan", "borrower", F.col("account").alias("acct"),
                              t0.alias("t0"), F.col("amount").alias("loan_amount"))
            .join(known, "acct", "left_semi")
            .where(F.col("t0").isNotNull() & F.col("loan_amount").isNotNull()
                   & (F.col("loan_amount") != 0)))


def round_trips(ex: Extract, *, max_hops: int = 3, window_days: int = 30,
                min_share: float = 0.3) -> list[dict[str, Any]]:
    """Return the round trips `algorithms.fund_tracing.trace_loans` finds for every loan
    deposit of the extract, by ≤ `max_hops` bounded self-joins of the transfers (see the
    module doc; each finding has borrower and loan_amount as there)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    acc = ex.accounts().select("id", F.coalesce("owner", "id").alias("node"))
    dep = (_deposits(ex)
           .join(acc.select(F.col("id").alias("acct"), F.col("node").alias("o0")), "acct")
           .withColumn("need", F.lit(min_share) * F.col("loan_amount"))
           .withColumn("until", F.col("t0") + F.lit(window_days * DAY_MS))
           .withColumn("p0", F.col("acct")))
    rel = F.broadcast(related(ex, dep).withColumn("_r", F.lit(True)).localCheckpoint())
    tr = (ex.transfers().select(F.col("src").alias("_s"), F.col("dst").alias("_d"),
                                F.col("amount").alias("_a"), F.col("ts").alias("_t"))
          .join(acc.select(F.col("id").alias("_d"), F.col("node").alias("_o")), "_d"))
    frontier = dep
    found: list[DataFrame] = []
    for h in range(1, max_hops + 1):
        prev = F.col(f"p{h - 1}")
        step = frontier.join(tr, (F.col("_s") == prev) & (F.col("_t") > F.col(f"t{h - 1}"))
                             & (F.col("_t") <= F.col("until")) & (F.col("_a") >= F.col("need")))
        back_home = (F.col("_d") == F.col("p0")) if h > 1 else F.lit(False)
        on_path = reduce(lambda a, b: a | b, [F.col("_d") == F.col(f"p{i}") for i in range(h)])
        step = (step.where(back_home | ~on_path)
                .withColumn("back_home", back_home)
                .join(rel.select(F.col("borrower"), F.col("party").alias("_o"), "_r"),
                      ["borrower", "_o"], "left")
                .withColumnRenamed("_d", f"p{h}").withColumnRenamed("_t", f"t{h}")
                .withColumnRenamed("_a", f"a{h}").withColumnRenamed("_o", f"o{h}")
                .withColumn(f"r{h}", F.coalesce("_r", F.lit(False))).drop("_s", "_r"))
        find = F.col(f"r{h}")
        if h == 1:  # a first hop between the borrower's own accounts is followed on
            find = find & (F.col("o1") != F.col("o0"))
        step = step.withColumn("_find", find).localCheckpoint()
        first = Window.partitionBy("loan", "path").orderBy("_rank")
        found.append(_findings(step.where("_find"), h)
                     .withColumn("_n", F.row_number().over(first)).where(F.col("_n") == 1)
                     .drop("_n", "_rank"))
        if h < max_hops:
            frontier = step.where(~F.col("_find") & ~F.col("back_home")).drop("_find",
                                                                               "back_home")
    out = []
    for r in reduce(lambda a, b: a.unionByName(b), found).collect():
        d = r.asDict()
        d["amounts"] = [round(a, 2) for a in d["amounts"]]
        out.append(d)
    return out


def _findings(step: DataFrame, h: int) -> DataFrame:
    """The round trips ending at hop `h`, as `trace_loan` records them, with `_rank`: the
    order in which its walk meets transfer sequences of one path (`FIRST_FOUND`)."""
    from pyspark.sql import functions as F

    inner = [F.col(f"r{i}") for i in range(1, h)]
    direct = reduce(lambda a, b: a & b, inner) if inner else F.lit(True)
    rank = [F.struct(*[c for i in range(1, h) for c in (-F.col(f"t{i}"), -F.col(f"a{i}"))],
                     F.col(f"t{h}"), F.col(f"a{h}"))]
    return step.select(
        "loan", F.lit("round_trip").alias("kind"),
        F.when(direct, "direct").otherwise("others").alias("via"),
        F.array(*[F.col(f"p{i}") for i in range(h + 1)]).alias("path"),
        F.array(*[F.col(f"o{i}") for i in range(h + 1)]).alias("owners"),
        F.lit(h).alias("hops"),
        F.array(*[F.col(f"a{i}") for i in range(1, h + 1)]).alias("amounts"),
        F.col(f"o{h}").alias("returns_to"), F.col("t1").alias("first_ts"),
        F.col(f"t{h}").alias("last_ts"), "borrower",
        F.col("loan_amount").cast("double").alias("loan_amount"),
        rank[0].alias("_rank"))


def large_transfers(ex: Extract, min_amount: float) -> tuple[pa.Table, dict[str, str]]:
    """Return the transfers of at least `min_amount` (src, dst, amount, ts; sorted by
    source, time, destination, amount) and the owner node of each of their accounts — all a
    cycle of funds (`fund_cycles`) can use."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    big = (ex.transfers().where(F.col("amount") >= min_amount)
           .select("src", "dst", "amount", "ts").orderBy("src", "ts", "dst", "amount"))
    pdf = big.toPandas()
    ends = big.select(F.col("src").alias("id")).union(big.select(F.col("dst").alias("id")))
    owners = {r["id"]: r["owner"] for r in ex.accounts().join(ends.distinct(), "id", "left_semi")
              .where(F.col("owner").isNotNull()).select("id", "owner").collect()}
    table = pa.table({"src": pa.array(pdf["src"].tolist(), pa.string()),
                      "dst": pa.array(pdf["dst"].tolist(), pa.string()),
                      "amount": pa.array(pdf["amount"].tolist(), pa.float64()),
                      "ts": pa.array(pdf["ts"].tolist(), pa.int64())})
    return table, owners
