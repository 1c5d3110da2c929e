"""What bench/scale.py and bench/engines.py share: peak memory of a process tree, timed
stages, and the Spark engine's session start and input read as both benches run them.

Imported by the bench scripts (run as `python bench/<script>.py`, so this folder is on
`sys.path`); not part of the package.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

#: Spark settings of the benches: 64 MB input splits (the long heartbeat and network
#: timeouts a loaded local driver needs are the session's own, `get_session`)
BENCH_CONF = {"spark.sql.files.maxPartitionBytes": str(64 * 2**20)}


class TreePeak:
    """Sample the summed RSS of a process and its descendants every 50 ms; `.peak` bytes."""

    def __init__(self, pid: int | None = None) -> None:
        self.peak = 0
        self._proc = psutil.Process(pid)
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for p in [self._proc, *self._proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(0.05)

    def __enter__(self) -> TreePeak:
        self.peak = self._sample()
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def stage(out: dict[str, Any], name: str, fn: Any) -> Any:
    """Run `fn()`, record its wall time and the process tree's peak RSS in `out[name]`
    ({s, peak_gib}), print them to stderr; return what `fn` returned."""
    with TreePeak() as mem:
        t = time.perf_counter()
        res = fn()
        secs = time.perf_counter() - t
    out[name] = {"s": round(secs, 2), "peak_gib": round(mem.peak / 2**30, 2)}
    print(f"  {name}: {secs:.1f} s, peak {mem.peak / 2**30:.2f} GiB", file=sys.stderr,
          flush=True)
    return res


def cores_of(master: str) -> int:
    """Return the cores of a `local[n]` master (2 for anything else)."""
    return int(master[len("local["):-1]) if master.startswith("local[") else 2


def spark_start(out: dict[str, Any], master: str, parquet: Path, key: str) -> tuple[Any, Any]:
    """Start the bench's Spark session on `master` and read the Parquet extract as the
    engine does, timing both ("session start", "read input": transfers, accounts and
    parties counted). Returns (session, `Extract`); the transfer count is in
    `out["_transfers"]`."""
    from guanxi.analyses.spark.extract import Extract
    from guanxi.analyses.spark.session import get_session

    cores = cores_of(master)
    spark = stage(out, "session start", lambda: get_session(
        master, shuffle_partitions=8 * cores, conf=BENCH_CONF))
    ex = Extract(spark, parquet, key.encode("utf-8"))

    def read_input() -> int:
        n = ex.transfers().count()
        ex.accounts().count()
        ex.parties().count()
        return int(n)

    out["_transfers"] = stage(out, "read input", read_input)
    return spark, ex
