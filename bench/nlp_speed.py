"""NLP speed: document ingest into a county store (batched vs per-document) and extraction.

Ingest (the demo's NLP step, end to end): generate a county as `guanxi demo` does (default
63,000 households, seed 7), load its extract into an embedded store, copy the store twice, and
ingest the county's `documents/` folder into each copy in a fresh process, both with today's
code:

- per-document (baseline): `ingest_documents(..., batch_size=1)`: every document is its own
  batch (its own state read, linking reads, plan and write), as ingest was before #17;
- batched (current): `ingest_documents` with its default batch size (read + extract
  everything, then link and write in batches: one read per lookup kind, one upsert per
  label / relationship type).

Each child process times `ingest_documents` from the first file read to the last write,
including loading jieba/spaCy (as the demo pays it), counts the statements sent to the
engine, and reports the graph after it (counts and a digest of every row ingest writes), so
both paths can be seen to write the same graph. A second ingest of the batched path shows the
rerun of unchanged documents (skipped by their content stamps). Extraction alone: docs/s of
`extract` beside `jieba.lcut` on the dev set.

Usage (hold the bench lock: the load and the baseline take minutes):
    flock /work/bench.lock python bench/nlp_speed.py [--households 63000] [--work DIR]
    python bench/nlp_speed.py --extract-only [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "nlp" / "devset"


# -- extraction alone -----------------------------------------------------------------------


def extraction_table(rounds: int) -> None:
    """Print docs/s and MB/s of `extract` beside jieba-only segmentation on the dev set."""
    from guanxi.nlp import extract, read_text
    from guanxi.nlp.pipeline import get_nlp, load_jieba

    texts = [read_text(p) for p in sorted(DEVSET.iterdir()) if p.suffix not in (".json", ".py")]
    legal = [t for t in texts if "人民法院" in t or "处罚" in t]
    mb = sum(len(t.encode("utf-8")) for t in legal) / 1e6
    jieba = load_jieba()
    get_nlp()
    extract(legal[0])  # warm up: dictionary and pipeline load once per process
    for t in legal:
        jieba.lcut(t)

    def timed(fn: Any) -> float:
        t0 = time.perf_counter()
        for _ in range(rounds):
            for t in legal:
                fn(t)
        return time.perf_counter() - t0

    t_jieba = timed(jieba.lcut)
    t_full = timed(extract)
    n = len(legal) * rounds
    print(f"extraction: {len(legal)} dev-set documents x {rounds} rounds, "
          f"mean {mb * 1000 / len(legal):.1f} KB (UTF-8), one process")
    print(f"| {'pipeline':<28} | {'docs/s':>8} | {'MB/s':>6} | {'ms/doc':>7} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 8}|{'-' * 9}|")
    for name, t in (("jieba.lcut (segment only)", t_jieba), ("guanxi.nlp.extract (full)", t_full)):
        print(f"| {name:<28} | {n / t:>8.1f} | {mb * rounds / t:>6.2f} | {1000 * t / n:>7.2f} |")
    print(f"ratio full / jieba-only time: {t_full / t_jieba:.2f}x")


# -- ingest -----------------------------------------------------------------------------------


def _count_statements(store: Any) -> list[int]:
    """Count every statement the store sends to its engine (embedded: `_exec`); return the
    one-element counter list (empty when the store has no such hook)."""
    counter = [0]
    inner = getattr(store, "_exec", None)
    if inner is None:
        return []

    def counted(*a: Any, **k: Any) -> Any:
        counter[0] += 1
        return inner(*a, **k)

    store._exec = counted
    return counter


def _graph_digest(store: Any) -> dict[str, Any]:
    """Return the counts and a SHA-256 per label/type ingest writes over its exported rows."""
    out: dict[str, Any] = {"counts": {k: v for k, v in store.counts().items() if v}}
    for label in NLP_LABELS:
        rows = store.export_nodes(label).to_pylist()
        out[label] = _digest(rows)
    for rel in NLP_RELS:
        rows = store.export_edges(rel).to_pylist()
        out[rel] = _digest(rows)
    return out


def _digest(rows: list[dict[str, Any]]) -> str:
    """Return 16 hex of the SHA-256 of the rows as sorted JSON lines."""

    lines = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


NLP_LABELS = ("Document", "Mention", "NegativeRecord")
NLP_RELS = ("PARTY_TO", "SAME_AS", "SUBJECT_OF", "EVIDENCED_BY", "GUARANTEE_FACT")
PATHS = {"per-document": 1, "batched": None}
"""Ingest paths: today's code with one document per batch (each document its own read,
link, plan and write: the per-document ingest), and today's default batch size."""


def child(which: str, store_dir: Path, docs: Path, repeat: int) -> None:
    """Ingest `docs` into the store (fresh process); print one JSON line per run."""
    from guanxi.graph.connect import open_store
    from guanxi.graph.settings import Settings
    from guanxi.nlp.ingest import BATCH, ingest_documents

    s = Settings(store=store_dir)
    size = PATHS[which] or BATCH
    store = open_store(s)
    counter = _count_statements(store)
    try:
        for i in range(repeat):
            before = store.counts()
            n0 = counter[0] if counter else 0
            t0 = time.perf_counter()
            rep = ingest_documents(store, [docs], settings=s, batch_size=size)
            dt = time.perf_counter() - t0
            statements = counter[0] - n0 if counter else None
            after = store.counts()
            print(json.dumps({
                "run": i, "seconds": dt, "ok": rep.ok, "failed": rep.failed,
                "skipped": sum(bool(getattr(d, "skipped", False)) for d in rep.documents),
                "errors": sorted({d.error or "" for d in rep.documents if d.status != "ok"})[:5],
                "linked": rep.linked, "mentions": rep.mentions, "statements": statements,
                "changed": {k: after[k] - before.get(k, 0) for k in after
                            if after[k] != before.get(k, 0)},
                "graph": _graph_digest(store) if i == 0 else None,
            }))
    finally:
        store.close()


def _run_child(which: str, store_dir: Path, docs: Path, repeat: int) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", which, "--store", str(store_dir),
         "--docs", str(docs), "--repeat", str(repeat)],
        capture_output=True, text=True,
    )
    if proc.returncode:
        raise SystemExit(f"{which} child failed:\n{proc.stderr[-3000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def ingest_table(households: int, seed: int, work: Path) -> None:
    """Generate + load a county (reused when present), then time both ingest paths."""
    from guanxi.graph.connect import open_store
    from guanxi.graph.settings import Settings
    from guanxi.loaders.load import load_extract
    from guanxi.loaders.synthetic.generate import generate_county

    county = work / f"county-{households}-{seed}"
    base = work / f"store-{households}-{seed}"
    if not (county / "documents").is_dir():
        shutil.rmtree(county, ignore_errors=True)
        generate_county(county, households=households, seed=seed)
    if not base.exists():
        s = Settings(store=base)
        st = open_store(s)
        try:
            load_extract(st, county, settings=s)
        finally:
            st.close()
    docs = county / "documents"
    n_docs = sum(1 for p in docs.iterdir() if p.is_file())
    results: dict[str, list[dict[str, Any]]] = {}
    for which, repeat in (("per-document", 1), ("batched", 2)):
        copy = work / f"ingest-{which}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy)
        keys = base.with_name(base.name + ".keys")  # the PII key lives beside the store
        shutil.rmtree(copy.with_name(copy.name + ".keys"), ignore_errors=True)
        if keys.exists():
            shutil.copytree(keys, copy.with_name(copy.name + ".keys"))
        results[which] = _run_child(which, copy, docs, repeat)
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(copy.with_name(copy.name + ".keys"), ignore_errors=True)
    b, c = results["per-document"][0], results["batched"][0]
    print(f"ingest: {n_docs} documents of a generated county ({households:,} households, "
          f"seed {seed}), each path into its own copy of the same freshly loaded embedded "
          "store; today's code, fresh process each, jieba/spaCy load included")
    print(f"| {'path':<38} | {'ok':>4} | {'failed':>6} | {'seconds':>8} | {'docs/s':>7} "
          f"| {'statements':>10} | {'linked':>6} |")
    print(f"|{'-' * 40}|{'-' * 6}|{'-' * 8}|{'-' * 10}|{'-' * 9}|{'-' * 12}|{'-' * 8}|")
    rows = (("per-document (batch_size=1, baseline)", b), ("batched (current default)", c))
    for name, r in rows:
        st = "n/a" if r["statements"] is None else str(r["statements"])
        print(f"| {name:<38} | {r['ok']:>4} | {r['failed']:>6} | {r['seconds']:>8.1f} "
              f"| {(r['ok'] + r['failed']) / r['seconds']:>7.1f} | {st:>10} | {r['linked']:>6} |")
    for name, r in rows:
        if r["errors"]:
            print(f"  {name} failures (first distinct errors): {r['errors']}")
    print(f"speed-up: {b['seconds'] / c['seconds']:.1f}x")
    bg, cg = b["graph"], c["graph"]
    print(f"graph after ingest equal in both stores (counts and SHA-256 of every exported "
          f"Document/Mention/NegativeRecord and PARTY_TO/SAME_AS/SUBJECT_OF/EVIDENCED_BY/"
          f"GUARANTEE_FACT row): {bg == cg}")
    if bg != cg:
        print(f"  per-document: {bg}\n  batched:      {cg}")
    r2 = results["batched"][1]
    print(f"second ingest (batched, unchanged documents): {r2['seconds']:.1f} s, "
          f"ok {r2['ok']}, skipped {r2['skipped']}, statements {r2['statements']}, "
          f"counts changed: {r2['changed'] or 'none'}")


def main() -> None:
    """Parse the options and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=63000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "guanxi-nlp-speed")
    ap.add_argument("--rounds", type=int, default=5, help="extraction rounds over the dev set")
    ap.add_argument("--extract-only", action="store_true")
    ap.add_argument("--ingest-only", action="store_true")
    ap.add_argument("--child", choices=tuple(PATHS), help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--docs", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.store, a.docs, a.repeat)
        return
    if not a.extract_only:
        a.work.mkdir(parents=True, exist_ok=True)
        ingest_table(a.households, a.seed, a.work)
    if not a.ingest_only:
        extraction_table(a.rounds)


if __name__ == "__main__":
    main()
