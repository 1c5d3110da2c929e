"""Benchmark: the fund-flow projection and the supply aggregation on three engines — the
single-process engine, DuckDB (one node) and Spark (local[2]) — on one county's extract,
time and peak memory per stage, results checked equal.

    # a county prepared by bench/scale.py (extract, store, Parquet extract) and kept:
    python bench/scale.py --households 50000 --work /tmp/gx-50k --keep --engines single
    pip install -e '.[bench]'                        # duckdb (bench only, never a runtime dep)
    flock /work/bench.lock python bench/engines.py --work /tmp/gx-50k

Each engine runs in its own process (its own peak memory: the summed RSS of its process
tree, sampled every 50 ms):

  * single: the store's projection export → `algorithms.flows.party_flows` and
    `algorithms.supply_chain.infer_supplies` (what `guanxi analyze` runs; its input is the
    store that `guanxi load` filled, so the load is a separate one-off cost);
  * duckdb: the Parquet extract read by DuckDB SQL with the loader's ids (HMAC-SHA256 from
    `sha256`, as the Spark engine builds them), then the same projection and aggregation
    as `analyses/spark/flows.py` and `analyses/spark/supply_chain.supplies` in SQL, scored
    by the same `score_supplies`;
  * spark: the Spark engine's own code (`Extract`, `party_flows`, `supplies`).

The flows (src, dst, n, amount to the fen, first_ts, last_ts, months; channels between
DuckDB and Spark) and the scored supplies must be equal across engines; the script prints
whether they are. DuckDB here is a measuring stick, not an engine of Guanxi.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import cores_of, spark_start
from benchlib import stage as _stage

STAGES = ["read input", "party flows", "supplies"]


def _supplies_json(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Supplies as comparable rows (evidence text left out: it is derived from the rest)."""
    return sorted([r["buyer"], r["supplier"], r["score"], r["n_transfers"], r["amount"],
                   r["months"], r["keyword_share"], r["share_out"], r["share_in"]]
                  for r in rows)


def run_single(work: Path, out_dir: Path) -> dict[str, Any]:
    """Single-process engine: store export → party_flows, infer_supplies."""
    import pyarrow.parquet as pq

    from guanxi.algorithms import flows as pf
    from guanxi.algorithms import supply_chain as sc
    from guanxi.analyses import flow_projection as fp
    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.settings import Settings

    out: dict[str, Any] = {}
    st = EmbeddedStore(work / "store", buffer_pool_mb=Settings().buffer_pool_mb)
    try:
        proj = _stage(out, "read input", lambda: fp.export_projection(st))
    finally:
        st.close()

    def flows() -> int:
        fl = pf.party_flows(proj.transfers, pf.owner_map(proj.accounts))
        pq.write_table(fl, out_dir / "flows-single.parquet")
        return int(fl.num_rows)

    n = _stage(out, "party flows", flows)
    sup = _stage(out, "supplies", lambda: sc.infer_supplies(
        proj.transfers, pf.firm_of_account(proj.accounts, proj.parties)))
    out["_figures"] = {"transfers": proj.transfers.num_rows, "flows": n,
                       "supplies": len(sup)}
    out["_supplies"] = _supplies_json(sup)
    return out


def _hmac_macros(key: bytes) -> str:
    """DuckDB macros computing the loader's ids (`P:`/`A:` + 16 hex of HMAC-SHA256)."""
    if len(key) > 64:
        import hashlib

        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\x00")
    ipad = bytes(b ^ 0x36 for b in key).hex()
    opad = bytes(b ^ 0x5C for b in key).hex()
    return f"""
CREATE MACRO hmac16(s) AS substr(sha256(unhex('{opad}')
    || unhex(sha256(unhex('{ipad}') || encode(s)))), 1, 16);
CREATE MACRO pii(prefix, s) AS CASE WHEN upper(trim(s)) IS NULL OR upper(trim(s)) = ''
    THEN NULL ELSE prefix || ':' || hmac16(upper(trim(s))) END;
CREATE MACRO acct(s) AS pii('A', regexp_replace(s, '[\\s\\-]', '', 'g'));
CREATE MACRO party(typ, nat) AS CASE WHEN typ = 'person' THEN pii('P', nat)
    WHEN typ = 'company' THEN 'C:' || upper(trim(nat)) END;
"""


def _duck_read(con: Any, parquet: Path, key: bytes) -> int:
    """Build parties, accounts, transfers in DuckDB from the Parquet extract, as
    `analyses.spark.extract.Extract` builds them; return the number of transfers."""
    def src(table: str) -> str:
        return f"read_parquet('{parquet / (table + '.parquet')}/**/*.parquet', " \
               "hive_partitioning = false)"

    con.execute(_hmac_macros(key))
    con.execute(f"""
CREATE TABLE parties AS
SELECT DISTINCT ON (id) id, label FROM (
  SELECT pii('P', id_number) AS id, 'Person' AS label FROM {src('persons')}
  UNION ALL
  SELECT 'C:' || upper(trim(uscc)), 'Company' FROM {src('enterprises')}
) WHERE id IS NOT NULL""")
    con.execute(f"""
CREATE TABLE accounts AS
WITH a AS (
  SELECT DISTINCT ON (id) * FROM (
    SELECT acct(account_no) AS id, party(owner_type, owner_id) AS owner FROM {src('accounts')})
  WHERE id IS NOT NULL),
m AS (
  SELECT acct(account_no) AS id, min('S:' || trim(merchant_id)) AS merchant
  FROM {src('merchants')} WHERE account_no IS NOT NULL GROUP BY 1)
SELECT a.id, CASE WHEN p.id IS NOT NULL THEN a.owner END AS owner, m.merchant
FROM a LEFT JOIN parties p ON p.id = a.owner LEFT JOIN m ON m.id = a.id""")
    con.execute(f"""
CREATE TABLE transfers AS
WITH t AS (
  SELECT trim(transfer_id) AS id, acct(from_account) AS src, acct(to_account) AS dst,
         try_cast(replace(CAST(amount AS VARCHAR), ',', '') AS DOUBLE) AS amount,
         try_strptime(regexp_replace(CAST(ts AS VARCHAR),
             '^(\\d{{4}})[-/](\\d{{2}})[-/](\\d{{2}})[ T]', '\\1-\\2-\\3 '),
             '%Y-%m-%d %H:%M:%S') AS local_ts,
         CAST(channel AS VARCHAR) AS channel, CAST(memo AS VARCHAR) AS memo
  FROM {src('transfers')})
SELECT DISTINCT ON (id) id, src, dst, amount,
       (CAST(epoch(local_ts) AS BIGINT) - 28800) * 1000 AS ts,
       CAST(year(local_ts) * 12 + month(local_ts) - 1 AS BIGINT) AS month, channel, memo
FROM t
WHERE id IS NOT NULL AND src IS NOT NULL AND dst IS NOT NULL AND amount IS NOT NULL
  AND amount >= 0 AND local_ts IS NOT NULL
  AND src IN (SELECT id FROM accounts) AND dst IN (SELECT id FROM accounts)""")
    return int(con.execute("SELECT count(*) FROM transfers").fetchone()[0])


DUCK_FLOWS = """
COPY (
  WITH t AS (
    SELECT coalesce(a.owner, tr.src) AS src, coalesce(b.owner, tr.dst) AS dst,
           CAST(coalesce(tr.amount, 0.0) AS DECIMAL(22, 4)) AS amount, tr.ts, tr.month,
           tr.channel
    FROM transfers tr JOIN accounts a ON a.id = tr.src JOIN accounts b ON b.id = tr.dst)
  SELECT src, dst, count(*) AS n, CAST(sum(amount) AS DOUBLE) AS amount,
         min(ts) AS first_ts, max(ts) AS last_ts, count(DISTINCT month) AS months,
         list_sort(list_distinct(list(channel))) AS channels
  FROM t WHERE src <> dst GROUP BY src, dst
) TO '{out}' (FORMAT parquet)
"""


def _sql_any(col: str, words: tuple[str, ...]) -> str:
    return "(" + " OR ".join(f"contains(coalesce({col}, ''), '{w}')" for w in words) + ")"


def _duck_supplies(con: Any) -> list[dict[str, Any]]:
    """The supply aggregation of `analyses.spark.supply_chain.supplies` in DuckDB SQL,
    scored by `algorithms.supply_chain.score_supplies`."""
    from guanxi.algorithms import supply_chain as sc

    chans = ", ".join(f"'{c}'" for c in sc.PAYROLL_CHANNELS)
    con.execute(f"""
CREATE TEMP TABLE tagged AS
WITH acc AS (
  SELECT a.id, coalesce(a.merchant, CASE WHEN p.label = 'Company' THEN a.owner END) AS firm
  FROM accounts a LEFT JOIN parties p ON p.id = a.owner)
SELECT s.firm AS fs, d.firm AS fd, CAST(tr.amount AS DECIMAL(24, 4)) AS dec, tr.month,
       coalesce(tr.channel IN ({chans}), false)
         OR {_sql_any('tr.memo', sc.PAYROLL_MEMOS)} AS payroll,
       {_sql_any('tr.memo', sc.KEYWORDS)} AS kw
FROM transfers tr LEFT JOIN acc s ON s.id = tr.src LEFT JOIN acc d ON d.id = tr.dst
WHERE s.firm IS NOT NULL OR d.firm IS NOT NULL""")
    pairs = con.execute("""
SELECT fs, fd, count(*) AS n, CAST(sum(dec) AS DOUBLE), count(DISTINCT month),
       CAST(sum(CAST(kw AS INT)) AS BIGINT)
FROM tagged WHERE fs IS NOT NULL AND fd IS NOT NULL AND fs <> fd AND NOT payroll
GROUP BY fs, fd HAVING count(*) >= 3""").fetchall()
    out_total = dict(con.execute("SELECT fs, CAST(sum(dec) AS DOUBLE) FROM tagged "
                                 "WHERE fs IS NOT NULL GROUP BY fs").fetchall())
    in_total = dict(con.execute("SELECT fd, CAST(sum(dec) AS DOUBLE) FROM tagged "
                                "WHERE fd IS NOT NULL GROUP BY fd").fetchall())
    return sc.score_supplies(
        [sc.SupplyPair(r[0], r[1], int(r[2]), float(r[3]), int(r[4]), int(r[5]))
         for r in pairs], out_total, in_total)


def run_duckdb(work: Path, key: str, out_dir: Path, threads: int) -> dict[str, Any]:
    """DuckDB: Parquet extract → tables → flows (to Parquet) and supplies."""
    import duckdb

    out: dict[str, Any] = {}
    tmp = out_dir / "duckdb-tmp"
    con = duckdb.connect(config={"threads": threads, "temp_directory": str(tmp),
                                 "preserve_insertion_order": False})
    n_tr = _stage(out, "read input", lambda: _duck_read(con, work / "parquet",
                                                        key.encode("utf-8")))
    target = out_dir / "flows-duckdb.parquet"

    def flows() -> int:
        con.execute(DUCK_FLOWS.format(out=target))
        return int(con.execute(f"SELECT count(*) FROM '{target}'").fetchone()[0])

    n = _stage(out, "party flows", flows)
    sup = _stage(out, "supplies", lambda: _duck_supplies(con))
    con.close()
    out["_figures"] = {"transfers": n_tr, "flows": n, "supplies": len(sup),
                       "duckdb": duckdb.__version__}
    out["_supplies"] = _supplies_json(sup)
    return out


def run_spark(work: Path, key: str, out_dir: Path, master: str) -> dict[str, Any]:
    """Spark engine: Extract → party_flows (to Parquet) and supplies."""
    from guanxi.analyses.spark import flows as sf
    from guanxi.analyses.spark import supply_chain as ssc

    out: dict[str, Any] = {}
    cores = cores_of(master)
    spark, ex = spark_start(out, master, work / "parquet", key)
    n_tr = out.pop("_transfers")
    target = out_dir / f"flows-spark-{cores}"

    def flows() -> int:
        sf.party_flows(ex).write.mode("overwrite").parquet(str(target))
        return int(spark.read.parquet(str(target)).count())

    n = _stage(out, "party flows", flows)
    sup = _stage(out, "supplies", lambda: ssc.supplies(ex))
    spark.stop()
    out["_figures"] = {"transfers": n_tr, "flows": n, "supplies": len(sup)}
    out["_supplies"] = _supplies_json(sup)
    return out


def _flows_table(path: Path) -> Any:
    """Read an engine's flows (file or folder of Parquet) sorted by (src, dst)."""
    import pyarrow.dataset as ds

    t = ds.dataset(str(path), format="parquet").to_table()
    return t.sort_by([("src", "ascending"), ("dst", "ascending")])


def compare_flows(a: Path, b: Path) -> str:
    """Return 'equal' when two engines' flows agree (amount to the fen), else what differs."""
    import numpy as np

    ta, tb = _flows_table(a), _flows_table(b)
    if ta.num_rows != tb.num_rows:
        return f"rows differ: {ta.num_rows} vs {tb.num_rows}"
    for c in ["src", "dst", "n", "first_ts", "last_ts", "months"]:
        if not ta[c].equals(tb[c].cast(ta[c].type)):
            return f"column {c} differs"
    da = np.abs(np.asarray(ta["amount"]) - np.asarray(tb["amount"]))
    if da.max(initial=0.0) > 0.005:
        return f"amount differs by up to {da.max():.4f}"
    if "channels" in ta.column_names and "channels" in tb.column_names:
        if ta["channels"].to_pylist() != tb["channels"].to_pylist():
            return "channels differ"
        return "equal (incl. channels)"
    return "equal"


def child(work: Path, key: str, args: list[str]) -> dict[str, Any]:
    """Run one engine in a child process; return its JSON result."""
    p = subprocess.run([sys.executable, __file__, "--work", str(work), "--key", key,
                        "--child", *args], stdout=subprocess.PIPE, text=True, check=False)
    if p.returncode != 0:
        raise SystemExit(f"engine run failed: {' '.join(args)}")
    return dict(json.loads(p.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Run every engine on the prepared county, check equality, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True,
                    help="a county prepared by bench/scale.py --keep (store/, parquet/)")
    ap.add_argument("--key", default="bench", help="the PII key the county was loaded with")
    ap.add_argument("--engines", default="single,duckdb,local[2]")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    out_dir = a.work / "engines"
    if a.child:
        kind, *rest = a.child
        if kind == "single":
            res = run_single(a.work, out_dir)
        elif kind == "duckdb":
            res = run_duckdb(a.work, a.key, out_dir, int(rest[0]))
        else:
            res = run_spark(a.work, a.key, out_dir, kind)
        print(json.dumps(res))
        return
    if not (a.work / "parquet").exists() or not (a.work / "store").exists():
        raise SystemExit(f"{a.work}: no prepared county (run bench/scale.py --keep first)")
    out_dir.mkdir(exist_ok=True)
    load0 = os.getloadavg()
    results: dict[str, dict[str, Any]] = {}
    files: dict[str, Path] = {}
    for e in a.engines.split(","):
        print(f"engine {e}", file=sys.stderr, flush=True)
        if e == "single":
            results["single process"] = child(a.work, a.key, ["single"])
            files["single process"] = out_dir / "flows-single.parquet"
        elif e == "duckdb":
            results[f"duckdb ({a.threads} threads)"] = child(a.work, a.key, ["duckdb", str(a.threads)])
            files[f"duckdb ({a.threads} threads)"] = out_dir / "flows-duckdb.parquet"
        else:
            results[f"spark {e}"] = child(a.work, a.key, [e])
            files[f"spark {e}"] = out_dir / f"flows-spark-{e[len('local['):-1]}"
    load1 = os.getloadavg()
    engines = list(results)
    n_tr = next(r["_figures"]["transfers"] for r in results.values())
    print(f"\n## bench/engines.py — {a.work.name}: {n_tr:,} transfers, "
          f"{os.cpu_count()} cores (shared machine)\n")
    print(f"- load average (1/5/15 min) at start: {load0[0]:.2f}/{load0[1]:.2f}/"
          f"{load0[2]:.2f}, at end: {load1[0]:.2f}/{load1[1]:.2f}/{load1[2]:.2f}\n")
    print("| stage | " + " | ".join(engines) + " |")
    print("|---|" + "---:|" * len(engines))
    for s in ["session start", *STAGES]:
        cells = []
        for e in engines:
            r = results[e].get(s)
            cells.append(f"{r['s']:.1f} s · {r['peak_gib']:.2f} GiB" if r else "—")
        print(f"| {s} | " + " | ".join(cells) + " |")
    tot = [sum(v["s"] for k, v in results[e].items() if not k.startswith("_"))
           for e in engines]
    print("| **total** | " + " | ".join(f"{x:.1f} s" for x in tot) + " |")
    print()
    print("| figure | " + " | ".join(engines) + " |")
    print("|---|" + "---:|" * len(engines))
    for f in ["transfers", "flows", "supplies"]:
        print(f"| {f} | " + " | ".join(str(results[e]["_figures"].get(f, "—"))
                                         for e in engines) + " |")
    base = engines[0]
    print()
    for e in engines[1:]:
        print(f"- flows {e} vs {base}: {compare_flows(files[base], files[e])}")
        same = results[e]["_supplies"] == results[base]["_supplies"]
        print(f"- supplies {e} vs {base}: {'equal' if same else 'DIFFER'}")
    duck = [e for e in engines if e.startswith("duckdb")]
    spark = [e for e in engines if e.startswith("spark")]
    if duck and spark:
        print(f"- flows {duck[0]} vs {spark[0]}: "
              f"{compare_flows(files[duck[0]], files[spark[0]])}")
    for e in engines:
        fl = results[e]["party flows"]["s"] + results[e]["read input"]["s"]
        print(f"- {e}: read + party flows {fl:.1f} s = {fl / (n_tr / 1e6):.2f} s per million "
              f"transfers; supplies {results[e]['supplies']['s'] / (n_tr / 1e6):.2f} s per "
              "million transfers")


if __name__ == "__main__":
    main()
