"""Benchmark: generate a county and load it into the embedded store, beside a naive baseline.

    python bench/load.py             # 祁门-scale: 63,000 households
    python bench/load.py --xinghua   # 兴化-scale: 330,000 households
    python bench/load.py --households 5000   # quick run

Prints rows/s per table (read + validate + hash + bulk upsert), generation and load time,
peak RSS of the load, and in the same run two baselines on the same store type:
  * bulk: `upsert_edges(TRANSFER)` of the already-prepared edge table into a store holding only
    the accounts (pure write speed of the bulk path);
  * naive: row-by-row parameterised MERGE through the same store (`cypher/load_naive_merge_*`)
    on a sample (first N transfers and first N persons); its rows/s is extrapolated from the
    sample, not measured on the whole table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pyarrow as pa

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.load import load_extract
from guanxi.loaders.synthetic.generate import generate_county

XINGHUA_HOUSEHOLD_SIZE = 3.33  # ~1.1M persons in 330,000 households
GOALS = {"edges_per_s": 300_000, "qimen_total_s": 120, "xinghua_total_s": 600, "xinghua_rss_gib": 8}


class PeakRSS:
    """Sample a process's RSS (default: this one) every 50 ms in a thread; `.peak` is the
    largest seen (bytes)."""

    def __init__(self, pid: int | None = None) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process(pid)
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self._proc.memory_info().rss)
            except psutil.NoSuchProcess:
                return
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRSS:
        self.peak = self._proc.memory_info().rss
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def naive_baseline(main: EmbeddedStore, folder: Path, n: int) -> dict[str, float]:
    """Return rows/s of row-by-row MERGE (persons, transfers) and of one bulk TRANSFER upsert."""
    persons = main.export_nodes(
        "Person", ["id_hash", "name", "sex", "birth_date", "tier", "household_id"]
    )
    accounts = main.export_nodes("Account")
    transfers = main.export_edges("TRANSFER", ["id", "amount", "ts", "channel", "memo"])
    out: dict[str, float] = {}
    st = EmbeddedStore(folder, buffer_pool_mb=2048)
    try:
        t = time.perf_counter()
        for row in persons.slice(0, n).to_pylist():
            st.run("load_naive_merge_person", row)
        out["naive_person"] = min(n, persons.num_rows) / (time.perf_counter() - t)
        st.upsert_nodes("Account", accounts)
        t = time.perf_counter()
        for row in transfers.slice(0, n).to_pylist():
            row.pop("src_label"), row.pop("dst_label")
            st.run("load_naive_merge_transfer", row)
        out["naive_transfer"] = min(n, transfers.num_rows) / (time.perf_counter() - t)
        st.clear()
        st.upsert_nodes("Account", accounts)
        edges = transfers.drop_columns(["src_label", "dst_label"])
        t = time.perf_counter()
        st.upsert_edges("TRANSFER", "Account", "Account", edges)
        out["bulk_transfer_write"] = edges.num_rows / (time.perf_counter() - t)
        out["bulk_transfer_rows"] = edges.num_rows
    finally:
        st.close()
    return out


def reload_in_child(store_dir: Path, extract: Path) -> tuple[float, int]:
    """Load `extract` into `store_dir` again in a child process; check that it changed
    nothing; return (seconds, peak RSS bytes of the child)."""
    code = (
        "import json, sys; from pathlib import Path; "
        "from guanxi.graph.embedded import EmbeddedStore; from guanxi.graph.settings import Settings; "
        "from guanxi.loaders.load import load_extract; "
        f"st = EmbeddedStore(Path({str(store_dir)!r}), buffer_pool_mb=Settings().buffer_pool_mb); "
        f"r = load_extract(st, Path({str(extract)!r}), settings=Settings(store=Path({str(store_dir)!r}), "
        "pii_key='bench')); st.close(); "
        "print(json.dumps(sum(t.inserted + t.updated for t in r.tables.values())))"
    )
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    with PeakRSS(child.pid) as rss:
        out, _ = child.communicate()
    secs = time.perf_counter() - t
    if child.returncode != 0 or out.strip() != "0":
        raise SystemExit(f"the second load failed or changed the graph: {out.strip()!r}")
    return secs, rss.peak


def main() -> None:
    """Run the benchmark and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xinghua", action="store_true", help="兴化-scale: 330,000 households")
    ap.add_argument("--households", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sample", type=int, default=3_000, help="rows per naive baseline sample")
    ap.add_argument("--work", type=Path, default=Path("/tmp/guanxi-bench-load"))
    args = ap.parse_args()
    hh = args.households or (330_000 if args.xinghua else 63_000)
    scale = "兴化" if args.xinghua else ("祁门" if args.households is None else f"{hh} households")
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    extract, store_dir = args.work / "extract", args.work / "store"

    t0 = time.perf_counter()
    generate_county(extract, households=hh, seed=args.seed,
                    household_size=XINGHUA_HOUSEHOLD_SIZE if args.xinghua else None)
    gen_s = time.perf_counter() - t0
    pool_mb = Settings().buffer_pool_mb  # what `guanxi load` opens the store with
    st = EmbeddedStore(store_dir, buffer_pool_mb=pool_mb)
    with PeakRSS() as rss:
        t1 = time.perf_counter()
        report = load_extract(st, extract, settings=Settings(store=store_dir, pii_key="bench"))
        load_s = time.perf_counter() - t1
    # the second load runs as its own process, as the next night's `guanxi load` would
    st.close()
    reload_s, reload_peak = reload_in_child(store_dir, extract)
    st = EmbeddedStore(store_dir, buffer_pool_mb=pool_mb)
    base = naive_baseline(st, args.work / "baseline", args.sample)
    st.close()

    print(f"\n## bench/load.py — {scale} scale ({hh:,} households), seed {args.seed}\n")
    print("| table | rows | rejected | seconds | rows/s |")
    print("|---|---:|---:|---:|---:|")
    for name, t in report.tables.items():
        rate = t.read / t.seconds if t.seconds else float("nan")
        print(f"| {name} | {t.read:,} | {t.rejected:,} | {t.seconds:.2f} | {rate:,.0f} |")
    total_rows = sum(t.read for t in report.tables.values())
    print(
        f"| **all** | {total_rows:,} | {report.rejected:,} | {load_s:.2f} | {total_rows / load_s:,.0f} |"
    )
    tr = report.tables.get("transfers")
    tr_rate = tr.read / tr.seconds if tr and tr.seconds else 0.0
    total_s = gen_s + load_s
    print()
    print("| measure | result | baseline (same run) | goal |")
    print("|---|---:|---:|---:|")
    print(
        f"| TRANSFER edges/s, load end to end (read+validate+hash+write) | {tr_rate:,.0f} "
        f"| naive MERGE {base['naive_transfer']:,.0f} (sample of {args.sample:,}, extrapolated) "
        f"| ≥ {GOALS['edges_per_s']:,} |"
    )
    print(
        f"| TRANSFER edges/s, bulk write only (upsert_edges of {base['bulk_transfer_rows']:,.0f}) "
        f"| {base['bulk_transfer_write']:,.0f} | naive MERGE {base['naive_transfer']:,.0f} "
        f"| ≥ {GOALS['edges_per_s']:,} |"
    )
    pr = report.tables.get("persons")
    p_rate = pr.read / pr.seconds if pr and pr.seconds else 0.0
    print(
        f"| Person rows/s, load end to end | {p_rate:,.0f} | naive MERGE {base['naive_person']:,.0f} "
        f"(sample of {args.sample:,}, extrapolated) | — |"
    )
    goal_s = GOALS["xinghua_total_s"] if args.xinghua else GOALS["qimen_total_s"]
    print(f"| generation | {gen_s:.1f} s | — | — |")
    print(f"| load | {load_s:.1f} s | — | — |")
    print(f"| end to end (generate + load) | {total_s:.1f} s | — | ≤ {goal_s} s |")
    print(f"| second load of the same extract (no-op, its own process) | {reload_s:.1f} s | — | — |")
    gib = rss.peak / 2**30
    rss_goal = f"≤ {GOALS['xinghua_rss_gib']} GiB" if args.xinghua else "—"
    print(f"| peak RSS during load (process; kuzu buffer pool {pool_mb:,} MiB) | {gib:.2f} GiB "
          f"| — | {rss_goal} |")
    print(f"| peak RSS of the no-op second load (its process) | {reload_peak / 2**30:.2f} GiB | — | — |")
    est = sum(t.read for t in report.tables.values()) / (
        (base["naive_person"] + base["naive_transfer"]) / 2
    )
    print(f"| naive row-by-row load of all rows (extrapolated) | {est:,.0f} s | — | — |")
    _ = pa  # keep pyarrow imported for readers running pieces interactively


if __name__ == "__main__":
    main()
