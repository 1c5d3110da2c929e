"""Why TRANSFER's serial numbers live beside the edge in the embedded store: raw kuzu COPY.

Writes the same 1.2M Account→Account edges (INT64 key, amount, ts) into fresh kuzu databases
four ways and prints edges/s for each, the first line being the baseline:
  * no string at all;
  * plus a distinct 13-character serial number on the relationship;
  * plus the same serial in a node table keyed by the edge key (Guanxi's layout, `RelType.side`);
  * plus the serial on a relationship stored forward only (kuzu's `storage_direction='fwd'`;
    not used: backward traversals, "who paid into this account", would need a full scan).

    python bench/side_props.py [--edges N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import kuzu
import numpy as np
import pyarrow as pa

REL = "CREATE REL TABLE T(FROM Account TO Account, key INT64, amount DOUBLE, ts INT64{extra}){opts}"


def main() -> None:
    """Build the tables, run the four COPYs, print edges/s beside the baseline."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--edges", type=int, default=1_200_000)
    ap.add_argument("--accounts", type=int, default=126_000)
    args = ap.parse_args()
    n, na = args.edges, args.accounts
    rng = np.random.default_rng(1)
    src = pa.array([f"A:{i}" for i in rng.integers(0, na, n)])
    dst = pa.array([f"A:{i}" for i in rng.integers(0, na, n)])
    key = pa.array(np.arange(n, dtype=np.int64) * 7919 + 13)
    serial = pa.array([f"T{20210000000 + i:012d}" for i in range(n)])
    base = {"from": src, "to": dst, "key": key, "amount": pa.array(rng.random(n) * 1000),
            "ts": pa.array(rng.integers(0, 10**9, n))}
    accounts = pa.table({"id": pa.array([f"A:{i}" for i in range(na)])})
    runs = [
        ("key + amount + ts (baseline)", REL.format(extra="", opts=""), base, False),
        ("… + serial on the relationship", REL.format(extra=", id STRING", opts=""),
         {**base, "id": serial}, False),
        ("… + serial in a side node table (Guanxi)", REL.format(extra="", opts=""), base, True),
        ("… + serial on a forward-only relationship",
         REL.format(extra=", id STRING", opts=" WITH (storage_direction='fwd')"),
         {**base, "id": serial}, False),
    ]
    tmp = Path(tempfile.mkdtemp(prefix="guanxi-side-"))
    first = None
    print(f"raw kuzu {kuzu.__version__} COPY of {n:,} edges between {na:,} accounts")
    print("| layout | seconds | edges/s | × baseline |")
    print("|---|---:|---:|---:|")
    try:
        for i, (name, ddl, cols, side) in enumerate(runs):
            db = kuzu.Database(str(tmp / f"db{i}"), buffer_pool_size=2 << 30)
            conn = kuzu.Connection(db)
            conn.execute("CREATE NODE TABLE Account(id STRING, PRIMARY KEY(id))")
            conn.execute("COPY Account FROM $t", {"t": accounts})
            conn.execute(ddl)
            t = time.perf_counter()
            conn.execute("COPY T FROM $t", {"t": pa.table(cols)})
            if side:
                conn.execute("CREATE NODE TABLE T_side(key INT64, id STRING, PRIMARY KEY(key))")
                conn.execute("COPY T_side FROM $t", {"t": pa.table({"key": key, "id": serial})})
            secs = time.perf_counter() - t
            rate = n / secs
            first = first or rate
            print(f"| {name} | {secs:.2f} | {rate:,.0f} | {rate / first:.2f} |", flush=True)
            conn.close()
            db.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
