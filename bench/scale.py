"""Benchmark: the flow and circle analyses on Spark (local[1], local[2]) beside the
single-process engine, on one generated county, time and peak memory per stage.

    flock /work/bench.lock python bench/scale.py --xinghua   # 兴化-scale: 330,000 households
    python bench/scale.py --households 3000                   # quick run
    python bench/scale.py --xinghua --keep --engines 'local[1]'  # one engine, county kept

Generates the county (bench/load.py's 兴化 shape), loads it into the embedded store (the
single-process engine reads the store; Spark reads the extract, converted once to Parquet
with transfers partitioned by county and month), then runs each engine in its own process:

  * single: export projection from the store → party flows → Leiden communities per
    connected component → guarantee circles … (the code `guanxi analyze` runs); and, as a
    baseline not counted in its total, the communities as before #15's fix (the graph
    built in a Python loop, one Leiden over the whole graph);
  * spark local[1] / local[2]: party flows (Spark SQL, written to Parquet) → components +
    Leiden per component (applyInPandas) → guarantee circles per component ….

Every engine's communities are scored by modularity and by NMI against the communities the
generator planted (truth.json; `algorithms.communities.planted_nmi`, as the equality tests).

Peak memory is the largest summed RSS of the engine's process tree (for Spark: the Python
driver, the JVM and the Python workers) sampled every 50 ms during the stage. The machine is
shared: compare engines within one run, not across runs. Also prints per-partition costs
(seconds per input partition of the flow stage) that docs/scale-out.md projects from.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(Path(__file__).resolve().parents[1]))  # tests.refs: planted ids
from benchlib import cores_of, spark_start
from benchlib import stage as _stage

XINGHUA_HOUSEHOLD_SIZE = 3.33
KEY = "bench"
#: the single engine's baseline stage (not in its total): communities as they ran before
#: #15's fix (the graph built in a Python loop, one Leiden over the whole graph)
BEFORE = "communities, before: Python-loop graph, one Leiden over the whole graph"


def _flow_graph_before(flows: Any) -> Any:
    """`algorithms.communities.flow_graph` as it was before #15's fix (a Python loop over
    the flows), verbatim but for the weight choice: the baseline stage's graph builder. It
    builds the same graph as the Arrow version (names, edge order, weights bit for bit)."""
    import math
    from collections import defaultdict

    import igraph as ig

    src = flows["src"].to_pylist()
    dst = flows["dst"].to_pylist()
    n = flows["n"].to_pylist()
    amt = flows["amount"].to_pylist()
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for s, d, k, a in zip(src, dst, n, amt, strict=True):
        if s == d:
            continue
        key = (s, d) if s < d else (d, s)
        v = acc[key]
        v[0] += k or 0
        v[1] += a or 0.0
    names = sorted({x for e in acc for x in e})
    index = {x: i for i, x in enumerate(names)}
    edges = sorted(acc)
    w = [acc[e][0] * math.log10(1.0 + acc[e][1] / max(acc[e][0], 1.0)) for e in edges]
    g = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in edges], directed=False)
    g.vs["name"] = names
    g.es["weight"] = w
    return g


def _planted(work: Path) -> list[list[str]]:
    """The generated county's planted communities (truth.json) as node ids under the
    bench's PII key — the ids both engines compute."""
    from tests.refs import planted_communities

    truth = json.loads((work / "extract" / "truth.json").read_text(encoding="utf-8"))
    return planted_communities(truth, KEY.encode("utf-8"))


def run_single(store_dir: Path) -> dict[str, Any]:
    """Run the single-process engine's stages; return {stage: {s, peak_gib}} and figures."""
    from guanxi.algorithms import communities as comm
    from guanxi.algorithms import flows as pf
    from guanxi.algorithms import guarantee
    from guanxi.analyses import flow_projection as fp
    from guanxi.analyses import guarantee_projection as gp
    from guanxi.analyses.guarantee import contraction_table
    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.settings import Settings

    out: dict[str, Any] = {}
    st = EmbeddedStore(store_dir, buffer_pool_mb=Settings().buffer_pool_mb)
    try:
        proj = _stage(out, "read input", lambda: fp.export_projection(st))
        flows = _stage(out, "party flows",
                       lambda: pf.party_flows(proj.transfers, pf.owner_map(proj.accounts)))

        def communities(build: Any, cut: Any) -> tuple[float, dict[str, int]]:
            g = build(flows)
            m = cut(g)
            return comm.modularity(g, m), dict(zip(g.vs["name"], m, strict=True))

        # what compute_communities runs: the flow graph, Leiden per connected component
        q, found = _stage(out, "communities", lambda: communities(
            comm.flow_graph, comm.leiden_components))
        # the baseline, before #15's fix: the Python-loop graph, one Leiden over all of it
        q0, found0 = _stage(out, BEFORE, lambda: communities(
            _flow_graph_before, comm.leiden))
        planted = _planted(store_dir.parent)
        nmis = [round(comm.planted_nmi(f, planted), 4) for f in (found, found0)]
        del found, found0

        def circles() -> int:
            gg = guarantee.build_guarantee_graph(gp.guarantee_table(st))
            return len(guarantee.find_circles(gg, related=contraction_table(st)))

        n = _stage(out, "circles", circles)
        from guanxi.algorithms import fund_tracing as ft
        from guanxi.algorithms import supply_chain as sc
        from guanxi.analyses import supply_chain as asc

        def chains() -> tuple[int, int]:
            firm_of = fp.firm_of_account(proj.accounts, proj.parties)
            supplies = sc.infer_supplies(proj.transfers, firm_of)
            _, chs = asc.find_chains(supplies)
            cf = sc.firm_cashflows(proj.transfers, firm_of, pf.owner_map(proj.accounts),
                                   proj.accounts)
            for ch in chs:
                sc.chain_risk(ch, cf)
            return len(supplies), len(chs)

        n_sup, n_chains = _stage(out, "supplies + chain risk", chains)
        loans = fp.export_loan_tracing(st)
        owners = pf.owner_map(proj.accounts)
        trips = _stage(out, "round trips", lambda: asc._round_trips(proj, loans, owners, 30))
        cycles = _stage(out, "cycles of funds", lambda: ft.fund_cycles(proj.transfers, owners))
    finally:
        st.close()
    out["_figures"] = {"flows": flows.num_rows, "modularity": round(q, 4), "nmi": nmis[0],
                       "modularity_before": round(q0, 4), "nmi_before": nmis[1], "circles": n,
                       "transfers": proj.transfers.num_rows, "supplies": n_sup,
                       "chains": n_chains, "round_trips": len(trips), "cycles": len(cycles)}
    return out


def run_spark(master: str, parquet: Path, key: str, work: Path) -> dict[str, Any]:
    """Run the Spark engine's stages on `master`; return {stage: {s, peak_gib}} and figures."""
    from guanxi.analyses.spark import circles as scc
    from guanxi.analyses.spark import communities as scm
    from guanxi.analyses.spark import flows as sf

    out: dict[str, Any] = {}
    cores = cores_of(master)
    spark, ex = spark_start(out, master, parquet, key)
    n_transfers = out.pop("_transfers")
    parts = ex.raw("transfers").rdd.getNumPartitions()
    flows_dir = work / f"flows-{cores}"

    def flows() -> int:
        sf.party_flows(ex).write.mode("overwrite").parquet(str(flows_dir))
        return spark.read.parquet(str(flows_dir)).count()

    n_flows = _stage(out, "party flows", flows)
    fl = spark.read.parquet(str(flows_dir))
    res = _stage(out, "communities", lambda: scm.find_communities(fl))
    from guanxi.algorithms import communities as comm

    nmi = round(comm.planted_nmi(scm.renumbered(res.assignment), _planted(parquet.parent)), 4)
    n_circles = len(_stage(out, "circles", lambda: scc.find_circles(ex)))
    from guanxi.algorithms import fund_tracing as ft
    from guanxi.algorithms import supply_chain as sc
    from guanxi.analyses import supply_chain as asc
    from guanxi.analyses.spark import supply_chain as ssc

    def chains() -> tuple[int, int]:
        supplies = ssc.supplies(ex)
        _, chs = asc.find_chains(supplies)
        cf = ssc.chain_cashflows(ex, sorted({m for ch in chs for m in ch["members"]}))
        for ch in chs:
            sc.chain_risk(ch, cf)
        return len(supplies), len(chs)

    n_sup, n_chains = _stage(out, "supplies + chain risk", chains)
    trips = _stage(out, "round trips", lambda: ssc.round_trips(ex))

    def cycles() -> int:
        big, owners = ssc.large_transfers(ex, ft.CYCLE_MIN_AMOUNT)
        return len(ft.fund_cycles(big, owners))

    n_cycles = _stage(out, "cycles of funds", cycles)
    out["_figures"] = {"transfers": n_transfers, "flows": n_flows,
                       "modularity": round(res.modularity, 4), "nmi": nmi,
                       "circles": n_circles, "components": res.components,
                       "input_partitions": parts, "supplies": n_sup, "chains": n_chains,
                       "round_trips": len(trips), "cycles": n_cycles}
    spark.stop()
    return out


def child(args: list[str], save: Path) -> dict[str, Any] | None:
    """Run one engine in a child process (its own peak memory); return its JSON result
    (also saved to `save`, with the load average and clock around the run), or None if
    the engine failed."""
    cmd = [sys.executable, __file__, "--child", *args]
    load0, t0 = os.getloadavg(), time.strftime("%H:%M:%S")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if p.returncode != 0:
        print(f"engine run failed: {' '.join(args)}", file=sys.stderr, flush=True)
        return None
    res = dict(json.loads(p.stdout.strip().splitlines()[-1]))
    load1 = os.getloadavg()
    res["_run"] = (f"{t0}–{time.strftime('%H:%M:%S')} UTC, load {load0[0]:.1f} → "
                   f"{load1[0]:.1f}")
    save.write_text(json.dumps(res), encoding="utf-8")
    return res


def main() -> None:
    """Generate, load, run every engine, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xinghua", action="store_true", help="兴化-scale: 330,000 households")
    ap.add_argument("--households", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path("/tmp/guanxi-bench-scale"))
    ap.add_argument("--engines", default="single,local[1],local[2]",
                    help="comma list of engines to run: single and/or Spark masters")
    ap.add_argument("--keep", action="store_true", help="reuse a generated county in --work")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, *rest = a.child
        res = run_single(Path(rest[0])) if kind == "single" else run_spark(
            rest[0], Path(rest[1]), rest[2], Path(rest[3]))
        print(json.dumps(res))
        return

    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.settings import Settings
    from guanxi.loaders.load import load_extract
    from guanxi.loaders.synthetic.generate import generate_county

    hh = a.households or (330_000 if a.xinghua else 63_000)
    load0 = os.getloadavg()
    scale = "兴化" if a.xinghua else f"{hh:,} households"
    extract, store_dir, parquet = a.work / "extract", a.work / "store", a.work / "parquet"
    key = KEY
    prep: dict[str, float] = {}
    if not (a.keep and (a.work / "ready").exists()):
        shutil.rmtree(a.work, ignore_errors=True)
        a.work.mkdir(parents=True)
        t = time.perf_counter()
        generate_county(extract, hh, a.seed,
                        household_size=XINGHUA_HOUSEHOLD_SIZE if a.xinghua else None)
        prep["generate"] = time.perf_counter() - t
        t = time.perf_counter()
        st = EmbeddedStore(store_dir, buffer_pool_mb=Settings().buffer_pool_mb)
        load_extract(st, extract, settings=Settings(store=store_dir, pii_key=key))
        st.close()
        prep["load into the store (single-process input)"] = time.perf_counter() - t
        t = time.perf_counter()
        code = ("import sys; from pathlib import Path; "
                "from guanxi.analyses.spark.session import get_session; "
                "from guanxi.analyses.spark.extract import to_parquet; "
                f"to_parquet(get_session('local[2]'), Path({str(extract)!r}), "
                f"Path({str(parquet)!r}))")
        subprocess.run([sys.executable, "-c", code], check=True)
        prep["extract → Parquet (Spark input, local[2])"] = time.perf_counter() - t
        (a.work / "ready").write_text("ok")
    if prep:
        (a.work / "prep.json").write_text(json.dumps(prep), encoding="utf-8")
    elif (a.work / "prep.json").exists():
        prep = json.loads((a.work / "prep.json").read_text(encoding="utf-8"))
    for m in a.engines.split(","):
        print(f"engine {m}", file=sys.stderr, flush=True)
        if m == "single":
            child(["single", str(store_dir)], a.work / "result-single.json")
        elif m:
            child(["spark", m, str(parquet), key, str(a.work)], a.work / f"result-{m}.json")
    # the table: every engine run on this county so far (this run and earlier --keep runs)
    results: dict[str, dict[str, Any]] = {}
    for name, f in [("single process", "single"), ("spark local[1]", "local[1]"),
                    ("spark local[2]", "local[2]")]:
        if (a.work / f"result-{f}.json").exists():
            results[name] = json.loads((a.work / f"result-{f}.json").read_text("utf-8"))
    if not results:
        raise SystemExit("no engine ran")

    engines = list(results)
    stages = ["session start", "read input", "party flows", "communities", "circles",
              "supplies + chain risk", "round trips", "cycles of funds"]
    print(f"\n## bench/scale.py — {scale} ({hh:,} households), seed {a.seed}, "
          f"{os.cpu_count()} cores (shared machine)\n")
    for k, v in prep.items():
        print(f"- {k}: {v:.1f} s")
    load1 = os.getloadavg()
    print(f"- load average (1/5/15 min) at start: {load0[0]:.2f}/{load0[1]:.2f}/{load0[2]:.2f}"
          f", at end: {load1[0]:.2f}/{load1[1]:.2f}/{load1[2]:.2f}")
    print()
    print("| stage | " + " | ".join(engines) + " |")
    print("|---|" + "---:|" * len(engines))
    for s in [*stages[:4], BEFORE, *stages[4:]]:
        cells = []
        for e in engines:
            r = results[e].get(s)
            cells.append(f"{r['s']:.1f} s · {r['peak_gib']:.2f} GiB" if r else "—")
        print(f"| {s} | " + " | ".join(cells) + " |")
    tot = [sum(results[e][s]["s"] for s in stages if s in results[e]) for e in engines]
    print("| **total** | " + " | ".join(f"{x:.1f} s" for x in tot) + " |")
    print("| ran (UTC, 1-min load before → after) | "
          + " | ".join(results[e].get("_run", "—") for e in engines) + " |")
    print()
    print("| figure | " + " | ".join(engines) + " |")
    print("|---|" + "---:|" * len(engines))
    for f in ["transfers", "flows", "modularity", "nmi", "modularity_before", "nmi_before",
              "circles", "components", "input_partitions", "supplies", "chains",
              "round_trips", "cycles"]:
        print(f"| {f} | " + " | ".join(str(results[e]["_figures"].get(f, "—"))
                                         for e in engines) + " |")
    n_tr = next(r["_figures"]["transfers"] for r in results.values())
    for e in [e for e in engines if e.startswith("spark")]:
        fig, fl = results[e]["_figures"], results[e]["party flows"]["s"]
        cores = int(e.split("[")[1].rstrip("]"))
        print(f"\n{e}: party flows {fl:.1f} s over {fig['input_partitions']} input partitions "
              f"= {fl * cores / max(fig['input_partitions'], 1):.2f} core·s per partition, "
              f"{fl * cores / (n_tr / 1e6):.1f} core·s per million transfers; communities "
              f"{results[e]['communities']['s'] * cores / (n_tr / 1e6):.1f} core·s per million "
              f"transfers; circles {results[e]['circles']['s'] * cores:.1f} core·s; supplies + "
              f"chain risk {results[e]['supplies + chain risk']['s'] * cores / (n_tr / 1e6):.1f}"
              f", round trips {results[e]['round trips']['s'] * cores / (n_tr / 1e6):.1f} "
              f"core·s per million transfers")


if __name__ == "__main__":
    main()
