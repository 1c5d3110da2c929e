"""FinBench SF0.01 on both backends in one run: load time, and per-query latency.

Usage: python bench/finbench.py [DATA_DIR] [--params N]   (default: the shared SF0.01, N=100)

Loads the snapshot into a fresh embedded store (kuzu) and into a fresh ArcadeDB (the Neo4j
backend over Bolt, started here), then runs TCR1–TCR12 on the first N parameter rows of
each query on both, printing median / p99 latency side by side, the number of answers that
found something (non-empty, and for the one-row queries not the "nothing found" row), and
how many answers differ between the backends (should be 0).
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from guanxi.algorithms.finbench import QUERIES, run_query
from guanxi.analyses.finbench import StoreSource
from guanxi.graph.arcadedb import start_arcadedb
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.neo4j_store import Neo4jStore
from guanxi.graph.store import GraphStore
from guanxi.loaders.finbench import load_finbench, read_params

NOTHING = (  # the one-row answers that say "nothing found"
    [{"sum_loan_amount": 0.0, "num_loans": 0}],
    [{"shortest_path_length": -1}],
    [{"num_src": 0, "num_dst": 0, "in_out_ratio": -1.0}],
    [{"ratio_repay": -1.0, "ratio_deposit": -1.0, "ratio_transfer": -1.0}],
    [{"jaccard_similarity": 0.0}],
)


def p99(xs: list[float]) -> float:
    """Return the 99th percentile (nearest rank) of `xs`."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(0.99 * len(s)) - 1))]


def run_all(
    st: GraphStore, data: Path, n: int
) -> dict[str, tuple[list[float], list[list[dict[str, Any]]]]]:
    """Return per query the latencies (ms) and answers over the first `n` parameter rows."""
    src = StoreSource(st)
    out = {}
    for q in QUERIES:
        lat, ans = [], []
        for p in read_params(data, q, n):
            t = time.perf_counter()
            rows = run_query(src, q, p)
            lat.append((time.perf_counter() - t) * 1000)
            ans.append(rows)
        out[q] = (lat, ans)
    return out


def main() -> None:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default="/work/shared/data/finbench-sf0.01")
    ap.add_argument("--params", type=int, default=100)
    a = ap.parse_args()
    data = Path(a.data)
    tmp = Path(tempfile.mkdtemp(prefix="guanxi-fb-bench-"))
    results, loads = {}, {}
    emb = EmbeddedStore(tmp / "store", buffer_pool_mb=512)
    t = time.perf_counter()
    rep = load_finbench(emb, data)
    loads["embedded"] = (time.perf_counter() - t, rep.loaded, rep.rejected)
    results["embedded"] = run_all(emb, data, a.params)
    emb.close()
    server = start_arcadedb()
    try:
        neo = Neo4jStore(server.uri, server.user, server.password, server.database)
        neo.clear()
        t = time.perf_counter()
        rep = load_finbench(neo, data)
        loads["neo4j"] = (time.perf_counter() - t, rep.loaded, rep.rejected)
        slowest = sorted(rep.files, key=lambda f: -f.seconds)[:4]
        results["neo4j"] = run_all(neo, data, a.params)
        neo.close()
    finally:
        server.stop()
    print(f"FinBench SF0.01, first {a.params} parameter rows per query")
    for b, (s, ok, rej) in loads.items():
        print(f"load {b:<9} {s:9.1f} s   ({ok} rows loaded, {rej} rejected)")
    print("slowest neo4j files: " + ", ".join(f"{f.file} {f.seconds:.1f} s" for f in slowest))
    head = ["query", "emb median", "emb p99", "neo4j median", "neo4j p99", "found", "differ"]
    print("".join(f"{h:>14}" for h in head))
    for q in QUERIES:
        el, ea = results["embedded"][q]
        nl, na = results["neo4j"][q]
        nonempty = sum(1 for x in ea if x and x not in NOTHING)
        differ = sum(1 for x, y in zip(ea, na, strict=True) if x != y)
        cells = [
            q,
            f"{statistics.median(el):.2f} ms",
            f"{p99(el):.2f} ms",
            f"{statistics.median(nl):.2f} ms",
            f"{p99(nl):.2f} ms",
            f"{nonempty}/{len(ea)}",
            str(differ),
        ]
        print("".join(f"{c:>14}" for c in cells))


if __name__ == "__main__":
    main()
