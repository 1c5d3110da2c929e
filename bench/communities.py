"""Leiden (igraph + leidenalg) vs networkx Louvain on a county-scale transfer projection.

Generates a county with `guanxi.loaders.synthetic.generate.generate_county` into a temporary folder
(祁门-scale, 63,000 households; `--xinghua` for 兴化-scale, 330,000), builds the party-level
transfer projection straight from the CSVs (accounts → owners, external accounts as
themselves, transfers aggregated per pair, weight n·log10(1 + mean amount)), then runs both
community algorithms on the same weighted graph in the same process and scores both
partitions with the same function (igraph's weighted modularity).

    python bench/communities.py                 # 祁门 scale
    python bench/communities.py --xinghua       # 兴化 scale (long)
    python bench/communities.py --households 5000 --data /tmp/county   # reuse a folder
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from guanxi.algorithms import communities as comm
from guanxi.analyses import flow_projection as fp

QIMEN = 63_000
XINGHUA = 330_000


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MB (Linux ru_maxrss is in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(folder: Path, name: str, cols: list[str]) -> pa.Table:
    for ext in ("csv", "parquet"):
        p = folder / f"{name}.{ext}"
        if p.exists():
            if ext == "parquet":
                return pq.read_table(p, columns=cols)
            opts = pacsv.ConvertOptions(
                include_columns=cols, column_types={c: pa.string() for c in cols}
            )
            return pacsv.read_csv(p, convert_options=opts)
    raise SystemExit(f"no {name}.csv in {folder}")


def projection_from_csv(folder: Path) -> pa.Table:
    """Return the party-level aggregated flows of an extract folder (src, dst, n, amount…)."""
    acc = _read(folder, "accounts", ["account_no", "owner_type", "owner_id"])
    owners: dict[str, str] = {}
    for a, t, o in zip(acc["account_no"].to_pylist(), acc["owner_type"].to_pylist(),
                       acc["owner_id"].to_pylist(), strict=True):
        owners[a] = f"{t}:{o}" if o and t in ("person", "company") else f"account:{a}"
    tr = _read(folder, "transfers", ["from_account", "to_account", "amount", "ts"])
    amount = pa.array([float(str(x).replace(",", "")) for x in tr["amount"].to_pylist()])
    # times do not enter the community weights: leave them at 0
    t = pa.table({"src": tr["from_account"], "dst": tr["to_account"], "amount": amount,
                  "ts": pa.array([0] * tr.num_rows, pa.int64())})
    return fp.party_flows(t, owners)


def run(households: int, seed: int, data: Path | None, resolution: float) -> None:
    """Generate (or reuse) a county, run both algorithms and print the comparison table."""
    t0 = time.perf_counter()
    if data is None or not (data / "transfers.csv").exists():
        from guanxi.loaders.synthetic.generate import generate_county

        folder = data or Path(tempfile.mkdtemp(prefix="guanxi-bench-"))
        generate_county(folder, households, seed)
        print(f"generated {households:,} households into {folder} "
              f"in {time.perf_counter() - t0:.1f} s")
    else:
        folder = data
    t1 = time.perf_counter()
    cache = folder / "bench_flows.parquet"
    if cache.exists():
        flows = pq.read_table(cache)
    else:
        flows = projection_from_csv(folder)
        pq.write_table(flows, cache)
    g = comm.flow_graph(flows)
    print(f"projection: {g.vcount():,} nodes, {g.ecount():,} edges "
          f"from {int(sum(flows['n'].to_pylist())):,} transfers in {time.perf_counter() - t1:.1f} s")

    t2, c2 = time.perf_counter(), time.process_time()
    m_leiden = comm.leiden(g, resolution=resolution, seed=42)
    dt_leiden, cpu_leiden = time.perf_counter() - t2, time.process_time() - c2
    q_leiden = comm.modularity(g, m_leiden, resolution=resolution)
    rss_leiden = peak_rss_mb()

    t3 = time.perf_counter()
    G = nx.Graph()
    G.add_nodes_from(range(g.vcount()))
    G.add_weighted_edges_from((e.source, e.target, e["weight"]) for e in g.es)
    dt_build = time.perf_counter() - t3
    t4, c4 = time.perf_counter(), time.process_time()
    parts = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=42)
    dt_louvain, cpu_louvain = time.perf_counter() - t4, time.process_time() - c4
    m_louvain = [0] * g.vcount()
    for i, p in enumerate(parts):
        for v in p:
            m_louvain[v] = i
    q_louvain = comm.modularity(g, m_louvain, resolution=resolution)
    rss_all = peak_rss_mb()

    print()
    print(f"| {households:,} households | CPU (s) | wall (s) | modularity | communities |")
    print("|---|---:|---:|---:|---:|")
    print(f"| igraph Leiden (seed 42) | {cpu_leiden:.2f} | {dt_leiden:.2f} | {q_leiden:.4f} | "
          f"{len(set(m_leiden)):,} |")
    print(f"| networkx louvain_communities (seed 42) | {cpu_louvain:.2f} | {dt_louvain:.2f} | "
          f"{q_louvain:.4f} | {len(parts):,} |")
    print(f"\nspeed-up {cpu_louvain / cpu_leiden:.1f}x CPU, {dt_louvain / dt_leiden:.1f}x wall "
          f"(networkx graph build {dt_build:.1f} s not counted); "
          f"modularity Leiden − Louvain = {q_leiden - q_louvain:+.4f}")
    print(f"peak RSS after Leiden {rss_leiden:,.0f} MB, after both {rss_all:,.0f} MB")


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xinghua", action="store_true", help="兴化 scale (330,000 households)")
    ap.add_argument("--households", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--resolution", type=float, default=1.0)
    ap.add_argument("--data", type=Path, default=None, help="extract folder to (re)use")
    a = ap.parse_args(argv)
    hh = a.households or (XINGHUA if a.xinghua else QIMEN)
    run(hh, a.seed, a.data, a.resolution)


if __name__ == "__main__":
    sys.exit(main())
