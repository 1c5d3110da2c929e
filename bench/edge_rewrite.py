"""What the embedded store's rewrite of a relationship table costs (kuzu 0.11.3 workaround).

kuzu 0.11.3 loses unrelated relationship rows when a checkpoint writes back a DELETE or SET of
stored rows (docs/backends.md row 19), so `EmbeddedStore` removes and changes stored edges by
rewriting the whole table (`_rebuild_rel`: read the kept rows, DROP, CREATE, COPY in one
transaction). This builds a store with N TRANSFER edges between `--accounts` accounts, then
prints, in the same run:
  * the baseline: edges/s of the fresh bulk load (`upsert_edges`, one COPY; unchanged path);
  * appending 1,000 new edges to the loaded table (COPY, unchanged path);
  * `delete_edges` of 10 edges (a rewrite of the table);
  * `upsert_edges` with 10 changed edges (a rewrite of the table);
  * a named relationship delete (`nlp_delete_same_as` on N/10 SAME_AS edges);
each as seconds and as stored edges rewritten per second. The old DELETE statement is not
timed: it is what lost the rows.

    python bench/edge_rewrite.py [--edges N] [--accounts N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from guanxi.graph.embedded import EmbeddedStore


def _edges(rng: np.random.Generator, keys: np.ndarray, na: int) -> pa.Table:
    n = len(keys)
    return pa.table({
        "src": pa.array([f"A:{i}" for i in rng.integers(0, na, n)]),
        "dst": pa.array([f"A:{i}" for i in rng.integers(0, na, n)]),
        "key": pa.array(keys.astype(np.int64)),
        "amount": pa.array(rng.random(n) * 1000),
        "ts": pa.array(rng.integers(0, 10**12, n)),
        "channel": pa.array(["ATM"] * n),
    })


def main() -> None:
    """Build the store, run each write once, print seconds and edges/s beside the baseline."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--accounts", type=int, default=300_000)
    args = ap.parse_args()
    n, na = args.edges, args.accounts
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory(prefix="edge_rewrite_") as tmp:
        st = EmbeddedStore(Path(tmp) / "s")
        try:
            st.upsert_nodes("Account", pa.table({"id": [f"A:{i}" for i in range(na)]}))
            nm = n // 10
            st.upsert_nodes("Mention", pa.table({"id": [f"M:{i}" for i in range(nm)]}))
            st.upsert_nodes("Person", pa.table({"id": [f"P:{i}" for i in range(na)]}))
            table = _edges(rng, np.arange(n) * 7919 + 13, na)
            t0 = time.perf_counter()
            st.upsert_edges("TRANSFER", "Account", "Account", table)
            base = time.perf_counter() - t0
            print(f"{'fresh bulk load, COPY (baseline)':46s} {base:8.3f} s  {n / base:12,.0f} edges/s")

            def line(what: str, secs: float, rewritten: int) -> None:
                rate = f"{rewritten / secs:12,.0f} edges/s rewritten" if rewritten else ""
                print(f"{what:46s} {secs:8.3f} s  {rate}  ({secs / base:.2f}x the bulk load)")

            more = _edges(rng, np.arange(1000) * 7919 + 14, na)
            t0 = time.perf_counter()
            st.upsert_edges("TRANSFER", "Account", "Account", more)
            line("append 1,000 new edges (COPY)", time.perf_counter() - t0, 0)
            total = n + 1000
            pick = table.slice(0, 10)
            t0 = time.perf_counter()
            got = st.delete_edges("TRANSFER", "Account", "Account", pick.select(["dst", "key"]))
            line(f"delete_edges of {got} edges (rewrite)", time.perf_counter() - t0, total)
            total -= got
            changed = table.slice(10, 10)
            changed = changed.set_column(3, "amount", pa.array([1.5] * 10))
            t0 = time.perf_counter()
            r = st.upsert_edges("TRANSFER", "Account", "Account", changed)
            line(f"upsert_edges, {r.updated} changed edges (rewrite)", time.perf_counter() - t0, total)
            same = pa.table({
                "src": [f"M:{i}" for i in range(nm)],
                "dst": [f"P:{i}" for i in rng.integers(0, na, nm)],
                "key": pa.array(np.arange(nm, dtype=np.int64)),
                "score": pa.array(rng.random(nm)),
            })
            st.upsert_edges("SAME_AS", "Mention", "Person", same)
            t0 = time.perf_counter()
            out = st.run("nlp_delete_same_as", {"keys": [1, 2]})
            line(f"nlp_delete_same_as, {out[0]['n']} of {nm:,} SAME_AS (rewrite)",
                 time.perf_counter() - t0, nm)
            counts = st.counts()
            assert counts["TRANSFER"] == total and counts["SAME_AS"] == nm - 2, counts
        finally:
            st.close()


if __name__ == "__main__":
    main()
