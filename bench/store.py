"""Bulk upsert and export through the storage contract: embedded kuzu beside Neo4j (ArcadeDB).

    python bench/store.py                 # 1M nodes + 3M edges into both backends
    python bench/store.py --scale 0.1     # 100k nodes + 300k edges (quick look)
    python bench/store.py --skip-neo4j    # embedded only

Both backends get the same Arrow tables through the same `GraphStore` calls (accounts and
transfers with amount, time, channel and a distinct bank serial number, the largest tables
of a county), in the same run, so the ratio is meaningful on a
noisy machine; absolute times are not. A second upsert of the same tables measures the
idempotent no-op path. Goal (issue 3): ≥ 300k edges/s into the embedded store.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.store import GraphStore


def make_tables(n_nodes: int, n_edges: int, seed: int = 1) -> tuple[pa.Table, pa.Table]:
    """Return (accounts, transfers) Arrow tables with model columns."""
    rng = np.random.default_rng(seed)
    ids = pa.array([f"A:{i:016x}" for i in range(n_nodes)])
    nodes = pa.table({
        "id": ids,
        "number_last4": pa.array([f"{i % 10000:04d}" for i in range(n_nodes)]),
        "in_bank": pa.array(rng.random(n_nodes) < 0.9),
        "bank_name": pa.array(["祁门农商银行"] * n_nodes),
    })
    src = rng.integers(0, n_nodes, n_edges)
    dst = rng.integers(0, n_nodes, n_edges)
    edges = pa.table({
        "src": ids.take(pa.array(src)),
        "dst": ids.take(pa.array(dst)),
        "key": pa.array(np.arange(n_edges, dtype=np.int64) * 2654435761 % (2**62)),
        "amount": pa.array(np.round(rng.lognormal(7, 1.5, n_edges), 2)),
        "ts": pa.array(1_700_000_000_000 + rng.integers(0, 31_536_000_000, n_edges)),
        "channel": pa.array(np.array(["手机银行", "网银", "柜面", "POS"])[rng.integers(0, 4, n_edges)]),
        "id": pa.array([f"T{20240000000000 + i:016d}" for i in range(n_edges)]),  # bank serial 流水号
    })
    return nodes, edges


def run_backend(store: GraphStore, nodes: pa.Table, edges: pa.Table) -> dict[str, float]:
    """Return timings (s) of node upsert, edge upsert, export, and the repeat (no-op) upsert."""
    out: dict[str, float] = {}
    t = time.perf_counter()
    r = store.upsert_nodes("Account", nodes)
    out["nodes_s"] = time.perf_counter() - t
    assert r.inserted == nodes.num_rows, r
    t = time.perf_counter()
    r = store.upsert_edges("TRANSFER", "Account", "Account", edges)
    out["edges_s"] = time.perf_counter() - t
    assert r.inserted == edges.num_rows, r
    t = time.perf_counter()
    exported = store.export_edges("TRANSFER", ["amount", "ts"])
    out["export_s"] = time.perf_counter() - t
    assert exported.num_rows == edges.num_rows
    t = time.perf_counter()
    r = store.upsert_edges("TRANSFER", "Account", "Account", edges)
    out["repeat_edges_s"] = time.perf_counter() - t
    assert r.unchanged == edges.num_rows, r
    return out


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 1M nodes + 3M edges")
    ap.add_argument("--skip-neo4j", action="store_true")
    args = ap.parse_args()
    n_nodes, n_edges = int(1_000_000 * args.scale), int(3_000_000 * args.scale)
    nodes, edges = make_tables(n_nodes, n_edges)
    print(f"data: {n_nodes:,} Account nodes, {n_edges:,} TRANSFER edges; "
          f"{os.cpu_count()} cores")

    results: dict[str, dict[str, float]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="guanxi-bench-store-"))
    try:
        emb = EmbeddedStore(tmp / "embedded", buffer_pool_mb=4096)
        results["embedded (kuzu)"] = run_backend(emb, nodes, edges)
        emb.close()
        e = results["embedded (kuzu)"]
        print(f"embedded done: {n_edges / e['edges_s']:,.0f} edges/s", flush=True)
        if not args.skip_neo4j:
            from guanxi.graph.arcadedb import start_arcadedb
            from guanxi.graph.neo4j_store import Neo4jStore

            server = start_arcadedb(tmp / "arcadedb", heap="4g")
            try:
                neo = Neo4jStore(server.uri, server.user, server.password, server.database)
                results["neo4j backend (ArcadeDB)"] = run_backend(neo, nodes, edges)
                neo.close()
            finally:
                server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    head = f"{'backend':<26}{'nodes/s':>12}{'edges/s':>12}{'export 3M-edge s':>18}" \
           f"{'export rows/s':>15}{'no-op edges/s':>15}"
    print(head.replace("3M-edge", f"{n_edges / 1e6:g}M-edge"))
    for name, r in results.items():
        print(f"{name:<26}{n_nodes / r['nodes_s']:>12,.0f}{n_edges / r['edges_s']:>12,.0f}"
              f"{r['export_s']:>18.2f}{n_edges / r['export_s']:>15,.0f}"
              f"{n_edges / r['repeat_edges_s']:>15,.0f}")
    if len(results) == 2:
        a, b = results.values()
        print(f"embedded / neo4j-backend speed ratio: edges ×{b['edges_s'] / a['edges_s']:.1f}, "
              f"export ×{b['export_s'] / a['export_s']:.1f}")
    emb_r = results["embedded (kuzu)"]
    rate = n_edges / emb_r["edges_s"]
    print(f"goal ≥ 300,000 edges/s into the embedded store: {rate:,.0f} "
          f"({'met' if rate >= 300_000 else 'NOT met'})")
    print(f"peak RSS (this process): {peak_rss_mb():,.0f} MiB")


if __name__ == "__main__":
    main()
