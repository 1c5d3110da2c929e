"""The bank extract (docs/extract-format.md) read directly by Spark, with the loader's node ids.

`Extract` opens an extract folder (its `manifest.yaml`, CSV or Parquet per table; a table may
also be a folder of Parquet files, e.g. transfers partitioned by county and month as
`to_parquet` writes them) and returns DataFrames whose ids are the graph's node ids, computed
in Spark SQL exactly as the loader computes them: persons and accounts as `P:`/`A:` + 16 hex
of HMAC-SHA256 under the store's PII key (built from `sha2`, no Python UDF), companies as
`C:<USCC>`, loans `L:`, merchants `S:`, grids `G:`, households `H:`.

Rows are taken as the loader would accept them where Spark can tell cheaply: required fields
present, amounts and instants parse, and references resolve (an edge to an unknown account or
party is dropped, as the loader rejects it). Duplicate keys keep one row. The engine is meant
for an extract that `guanxi load` has already checked (rejected rows are in its quarantine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

CHINA_OFFSET_S = 8 * 3600
#: loan columns that tell a live loan (`algorithms.guarantee.live_loans`)
LIVE_COLUMNS = ("maturity_date", "status", "overdue_days", "classification", "as_of")
#: columns of each table the Spark engine reads (the rest of the extract is not needed)
TABLE_COLUMNS: dict[str, list[str]] = {
    "branches": ["branch_id", "county"],
    "grids": ["grid_id", "branch_id"],
    "households": ["household_id", "grid_id"],
    "persons": ["id_number", "household_id", "name", "tier", "is_customer", "manager_id"],
    "enterprises": ["uscc", "name", "legal_rep_id", "grid_id", "is_customer", "tier",
                    "manager_id"],
    "enterprise_roles": ["holder_type", "holder_id", "uscc", "role", "share"],
    "merchants": ["merchant_id", "name", "owner_type", "owner_id", "account_no", "grid_id"],
    "accounts": ["account_no", "owner_type", "owner_id", "in_bank", "bank_name"],
    "loans": ["loan_id", "borrower_type", "borrower_id", "amount", "balance", "start_date",
              "maturity_date", "classification", "overdue_days", "status", "account_no"],
    "guarantees": ["loan_id", "guarantor_type", "guarantor_id", "gtype", "amount", "group_id"],
    "transfers": ["transfer_id", "from_account", "to_account", "amount", "ts", "channel", "memo"],
}


def _hmac16(col: Column, key: bytes) -> Column:
    """Return the first 16 hex of HMAC-SHA256(key, col) as a Spark column (RFC 2104)."""
    from pyspark.sql import functions as F

    if len(key) > 64:
        import hashlib

        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\x00")
    ipad = bytes(b ^ 0x36 for b in key).hex()
    opad = bytes(b ^ 0x5C for b in key).hex()
    inner = F.unhex(F.sha2(F.concat(F.unhex(F.lit(ipad)), F.encode(col, "UTF-8")), 256))
    return F.substring(F.sha2(F.concat(F.unhex(F.lit(opad)), inner), 256), 1, 16)


def pii_id(prefix: str, col: Column, key: bytes) -> Column:
    """Return `<prefix>:<16 hex HMAC>` of a personal identifier (normalised: trim, upper)."""
    from pyspark.sql import functions as F

    norm = F.upper(F.trim(col))
    return F.when(norm.isNull() | (norm == ""), F.lit(None)).otherwise(
        F.concat(F.lit(f"{prefix}:"), _hmac16(norm, key)))


def account_id(col: Column, key: bytes) -> Column:
    """Return the `A:` id of an account number (spaces and dashes removed, as the loader)."""
    from pyspark.sql import functions as F

    return pii_id("A", F.regexp_replace(col, r"[\s\-]", ""), key)


def party_id(typ: Column, natural: Column, key: bytes) -> Column:
    """Return `P:`+HMAC for type `person`, `C:<USCC>` for `company`, else null."""
    from pyspark.sql import functions as F

    return (F.when(typ == "person", pii_id("P", natural, key))
            .when(typ == "company", F.concat(F.lit("C:"), F.upper(F.trim(natural))))
            .otherwise(F.lit(None)))


def instant_ms(col: Column) -> Column:
    """Return epoch ms (UTC) of a `YYYY-MM-DD HH:MM:SS` China-time instant, null if invalid."""
    from pyspark.sql import functions as F

    s = F.regexp_replace(col, r"^(\d{4})[-/](\d{2})[-/](\d{2})[ T]", "$1-$2-$3 ")
    ts = F.try_to_timestamp(s, F.lit("yyyy-MM-dd HH:mm:ss"))
    return ((F.unix_timestamp(ts) - CHINA_OFFSET_S) * 1000).cast("long")


def month_of(ts_ms: Column) -> Column:
    """Return year*12 + month-1 in China time of an epoch-ms column (as `month_index`)."""
    from pyspark.sql import functions as F

    t = F.timestamp_seconds((ts_ms / 1000).cast("long") + CHINA_OFFSET_S)
    return (F.year(t) * 12 + F.month(t) - 1).cast("long")


def _num(col: Column) -> Column:
    from pyspark.sql import functions as F

    return F.regexp_replace(col.cast("string"), ",", "").try_cast("double")


@dataclass
class Extract:
    """An extract folder read by Spark; table DataFrames are built lazily and cached."""

    spark: SparkSession
    folder: Path
    key: bytes
    _cache: dict[str, DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        man = self.folder / "manifest.yaml"
        files = (yaml.safe_load(man.read_text(encoding="utf-8")) or {}).get("files", {}) \
            if man.exists() else {}
        self.files: dict[str, str] = {t: str(files.get(t, f"{t}.csv")) for t in TABLE_COLUMNS}
        meta = yaml.safe_load(man.read_text(encoding="utf-8")) if man.exists() else None
        self.as_of: str | None = str(meta["as_of"]) if isinstance(meta, dict) and \
            meta.get("as_of") else None

    def raw(self, table: str) -> DataFrame:
        """Return a table as read (CSV: every column a string; Parquet: as stored)."""
        if table in self._cache:
            return self._cache[table]
        path = self.folder / self.files[table]
        pq = self.folder / f"{table}.parquet"
        if not path.exists() and pq.exists():
            path = pq
        if path.suffix == ".csv":
            df = (self.spark.read.option("header", True).option("multiLine", False)
                  .option("inferSchema", False).option("encoding", "UTF-8").csv(str(path)))
        else:
            df = self.spark.read.parquet(str(path))
        cols = [c for c in TABLE_COLUMNS[table] if c in df.columns]
        extra = [c for c in ("county", "month") if c in df.columns and c not in cols]
        df = df.select(*cols, *extra)
        self._cache[table] = df
        return df

    def _memo(self, name: str, build: Callable[[], DataFrame]) -> DataFrame:
        """Return the derived table `name`, built once and kept (cached) for this extract."""
        df = self._cache.get(f"_{name}")
        if df is None:
            df = self._cache[f"_{name}"] = build().cache()
        return df

    def has(self, table: str) -> bool:
        """Return whether the extract has `table`."""
        path = self.folder / self.files[table]
        return path.exists() or (self.folder / f"{table}.parquet").exists()

    # -- nodes -----------------------------------------------------------------------------

    def grids(self) -> DataFrame:
        """Return grids: grid (G: id), county (of its branch; null if unknown)."""
        return self._memo("grids", self._build_grids)

    def _build_grids(self) -> DataFrame:
        from pyspark.sql import functions as F

        g = self.raw("grids").select(F.concat(F.lit("G:"), F.trim("grid_id")).alias("grid"),
                                     F.trim("branch_id").alias("branch_id"))
        if not self.has("branches"):
            return g.select("grid", F.lit(None).cast("string").alias("county"))
        b = self.raw("branches").select(F.trim("branch_id").alias("branch_id"), "county")
        return g.join(b, "branch_id", "left").select("grid", "county")

    def parties(self) -> DataFrame:
        """Return persons and companies: id, label, name, tier, is_customer, grid, household,
        manager."""
        return self._memo("parties", self._build_parties)

    def _build_parties(self) -> DataFrame:
        from pyspark.sql import functions as F

        truthy = F.col("is_customer").cast("string").isin("1", "true", "True", "是")
        h = self.raw("households").select(
            F.concat(F.lit("H:"), F.trim("household_id")).alias("household"),
            F.concat(F.lit("G:"), F.trim("grid_id")).alias("grid"))
        per = (self.raw("persons")
               .select(pii_id("P", F.col("id_number"), self.key).alias("id"),
                       F.concat(F.lit("H:"), F.trim("household_id")).alias("household"),
                       "name", "tier", truthy.alias("is_customer"),
                       F.concat(F.lit("M:"), F.trim("manager_id")).alias("manager"))
               .join(h, "household", "left")
               .select("id", F.lit("Person").alias("label"), "name", "tier", "is_customer",
                       "grid", "household", "manager"))
        com = self.raw("enterprises").select(
            F.concat(F.lit("C:"), F.upper(F.trim("uscc"))).alias("id"),
            F.lit("Company").alias("label"), "name", "tier", truthy.alias("is_customer"),
            F.concat(F.lit("G:"), F.trim("grid_id")).alias("grid"),
            F.lit(None).cast("string").alias("household"),
            F.concat(F.lit("M:"), F.trim("manager_id")).alias("manager"))
        return per.unionByName(com).where(F.col("id").isNotNull()).dropDuplicates(["id"])

    def accounts(self) -> DataFrame:
        """Return accounts: id (A:), owner (party id; null for external or unknown owners),
        in_bank, bank_name, merchant (S: id of the merchant paid through it, or null)."""
        return self._memo("accounts", self._build_accounts)

    def _build_accounts(self) -> DataFrame:
        from pyspark.sql import functions as F

        a = self.raw("accounts")
        acc = a.select(
            account_id(F.col("account_no"), self.key).alias("id"),
            party_id(F.col("owner_type"), F.col("owner_id"), self.key).alias("owner"),
            (~F.col("in_bank").cast("string").isin("0", "false", "False", "否"))
            .alias("in_bank"),
            F.col("bank_name"),
        ).where(F.col("id").isNotNull()).dropDuplicates(["id"])
        known = self.parties().select(F.col("id").alias("owner"), F.lit(True).alias("_k"))
        acc = (acc.join(known, "owner", "left")
               .withColumn("owner", F.when(F.col("_k"), F.col("owner")))
               .drop("_k"))
        if self.has("merchants"):
            m = self.raw("merchants").where(F.col("account_no").isNotNull()).select(
                account_id(F.col("account_no"), self.key).alias("id"),
                F.concat(F.lit("S:"), F.trim("merchant_id")).alias("merchant"))
            m = m.groupBy("id").agg(F.min("merchant").alias("merchant"))
            acc = acc.join(m, "id", "left")
        else:
            acc = acc.withColumn("merchant", F.lit(None).cast("string"))
        return acc.select("id", "owner", "in_bank", "bank_name", "merchant")

    # -- edges -----------------------------------------------------------------------------

    def transfers(self) -> DataFrame:
        """Return transfers: id, src, dst (A: ids), amount, ts (epoch ms), month (China time,
        year*12+month-1), channel, memo — plus `county` when the files are partitioned by it.
        Rows missing a field, with an unparseable amount or instant, or naming an unknown
        account are dropped, as the loader rejects them."""
        return self._memo("transfers", self._build_transfers)

    def _build_transfers(self) -> DataFrame:
        from pyspark.sql import functions as F

        t = self.raw("transfers")
        ts = (F.col("ts").cast("long") if dict(t.dtypes).get("ts") in ("bigint", "int")
              else instant_ms(F.col("ts")))
        cols = [
            F.trim("transfer_id").alias("id"),
            account_id(F.col("from_account"), self.key).alias("src"),
            account_id(F.col("to_account"), self.key).alias("dst"),
            _num(F.col("amount")).alias("amount"),
            ts.alias("ts"),
            F.col("channel").cast("string").alias("channel"),
            F.col("memo").cast("string").alias("memo"),
        ]
        if "county" in t.columns:
            cols.append(F.col("county"))
        out = t.select(*cols).where(
            F.col("id").isNotNull() & F.col("src").isNotNull() & F.col("dst").isNotNull()
            & F.col("amount").isNotNull() & (F.col("amount") >= 0) & F.col("ts").isNotNull())
        out = out.withColumn("month", month_of(F.col("ts")))
        known = self.accounts().select("id")
        out = (out.join(known.withColumnRenamed("id", "src"), "src", "left_semi")
               .join(known.withColumnRenamed("id", "dst"), "dst", "left_semi"))
        return out.dropDuplicates(["id"])

    def loans(self) -> DataFrame:
        """Return loans with a known borrower: loan (L:), borrower, amount, balance,
        start_date, maturity_date, classification, overdue_days, status (null without the
        column), as_of (the manifest's), account (A: id where proceeds went)."""
        return self._memo("loans", self._build_loans)

    def _build_loans(self) -> DataFrame:
        from pyspark.sql import functions as F

        raw = self.raw("loans")
        null = F.lit(None).cast("string")
        ln = raw.select(
            F.concat(F.lit("L:"), F.trim("loan_id")).alias("loan"),
            party_id(F.col("borrower_type"), F.col("borrower_id"), self.key).alias("borrower"),
            _num(F.col("amount")).alias("amount"),
            _num(F.col("balance")).alias("balance"),
            F.col("start_date").cast("string").alias("start_date"),
            (F.col("maturity_date").cast("string") if "maturity_date" in raw.columns else null)
            .alias("maturity_date"),
            F.col("classification").cast("string").alias("classification"),
            F.col("overdue_days").cast("long").alias("overdue_days"),
            (F.col("status").cast("string") if "status" in raw.columns else null)
            .alias("status"),
            F.lit(self.as_of).cast("string").alias("as_of"),
            account_id(F.col("account_no"), self.key).alias("account"),
        ).dropDuplicates(["loan"])
        known = self.parties().select(F.col("id").alias("borrower"))
        return ln.join(known, "borrower", "left_semi")

    def guarantees(self) -> DataFrame:
        """Return one row per guarantee of a borrowed loan, as `analyses.guarantee_projection.
        guarantee_table`: guarantor, borrower, loan, gtype, amount, balance, loan_amount,
        group_id, start_date, maturity_date, status, overdue_days, classification, as_of."""
        return self._memo("guarantees", self._build_guarantees)

    def _build_guarantees(self) -> DataFrame:
        from pyspark.sql import functions as F

        g = self.raw("guarantees").select(
            F.concat(F.lit("L:"), F.trim("loan_id")).alias("loan"),
            party_id(F.col("guarantor_type"), F.col("guarantor_id"), self.key)
            .alias("guarantor"),
            F.col("gtype").cast("string").alias("gtype"),
            _num(F.col("amount")).alias("amount"),
            F.when(F.trim(F.col("group_id")) != "", F.col("group_id").cast("string"))
            .alias("group_id"),
        ).where(F.col("guarantor").isNotNull()).dropDuplicates(["loan", "guarantor"])
        known = self.parties().select(F.col("id").alias("guarantor"))
        ln = self.loans().select("loan", "borrower", "balance",
                                 F.col("amount").alias("loan_amount"), "start_date",
                                 *LIVE_COLUMNS)
        return (g.join(known, "guarantor", "left_semi").join(ln, "loan", "inner")
                .select("guarantor", "borrower", "loan", "gtype", "amount", "balance",
                        "loan_amount", "group_id", "start_date", *LIVE_COLUMNS))

    def related(self, *, households: bool = False, threshold: float = 0.5) -> DataFrame:
        """Return merge pairs (a, b, kind) as `contraction_table`: legal_rep (person →
        company), shareholder (holder owning ≥ `threshold`), household (member → first
        member of the household)."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        known = self.parties().select("id")
        e = self.raw("enterprises").select(
            pii_id("P", F.col("legal_rep_id"), self.key).alias("a"),
            F.concat(F.lit("C:"), F.upper(F.trim("uscc"))).alias("b"),
            F.lit("legal_rep").alias("kind"))
        r = self.raw("enterprise_roles")
        holder = party_id(F.col("holder_type"), F.col("holder_id"), self.key)
        company = F.concat(F.lit("C:"), F.upper(F.trim("uscc")))
        lr = r.where(F.col("role") == "legal_rep").select(
            holder.alias("a"), company.alias("b"), F.lit("legal_rep").alias("kind"))
        sh = r.where((F.col("role") == "shareholder")
                     & (_num(F.col("share")) >= threshold)).select(
            holder.alias("a"), company.alias("b"), F.lit("shareholder").alias("kind"))
        out = e.unionByName(lr).unionByName(sh)
        if households:
            p = self.parties().where(F.col("household").isNotNull()).select("id", "household")
            w = Window.partitionBy("household")
            p = p.withColumn("first", F.min("id").over(w))
            out = out.unionByName(p.where(F.col("id") != F.col("first")).select(
                F.col("id").alias("a"), F.col("first").alias("b"),
                F.lit("household").alias("kind")))
        out = (out.join(known.withColumnRenamed("id", "a"), "a", "left_semi")
               .join(known.withColumnRenamed("id", "b"), "b", "left_semi"))
        return out.dropDuplicates(["a", "b", "kind"]).select("a", "b", "kind")


def to_parquet(spark: SparkSession, extract: Path, out: Path) -> Path:
    """Write `extract` as Parquet under `out`: every table a Parquet folder, transfers
    partitioned by county and month (the layout the Spark engine expects at scale); the
    manifest names the folders. Columns stay text as in the CSV. Returns `out`."""
    from pyspark.sql import functions as F

    ex = Extract(spark, extract, b"")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    county = None
    if ex.has("branches"):
        branches = ex.raw("branches").select("county").distinct().collect()
        county = branches[0]["county"] if len(branches) == 1 else None
    for t in TABLE_COLUMNS:
        if not ex.has(t):
            continue
        path = Path(ex.folder) / ex.files[t]
        df = (spark.read.option("header", True).option("inferSchema", False).csv(str(path))
              if path.suffix == ".csv" else spark.read.parquet(str(path)))
        name = f"{t}.parquet"
        files[t] = name
        if t == "transfers":
            df = (df.withColumn("county", F.lit(county or "unknown"))
                  .withColumn("month", F.substring(F.col("ts"), 1, 7)))
            df.repartition("county", "month").write.mode("overwrite") \
                .partitionBy("county", "month").parquet(str(out / name))
        else:
            df.write.mode("overwrite").parquet(str(out / name))
    man = {"files": files}
    src_man = Path(extract) / "manifest.yaml"
    if src_man.exists():
        man = {**(yaml.safe_load(src_man.read_text(encoding="utf-8")) or {}), "files": files}
    (out / "manifest.yaml").write_text(yaml.safe_dump(man, allow_unicode=True),
                                       encoding="utf-8")
    return out
