"""NLP speed: document ingest into a county store (batched vs per-document) and extraction.

Ingest (the demo's NLP step, end to end): generate a county as `guanxi demo` does (default
63,000 households, seed 7), load its extract into an embedded store, copy the store twice, and
ingest the county's `documents/` folder into each copy in a fresh process:

- baseline: the per-document ingest of commit BASELINE (git archive of its `nlp/` package and
  its `nlp_document_state` query: about 13 store round trips per document);
- current: `guanxi.nlp.ingest.ingest_documents` (read + extract everything, then link and
  write in batches: one read per lookup kind, one upsert per label / relationship type).

Each child process times `ingest_documents` from the first file read to the last write,
including loading jieba/spaCy (as the demo pays it), and reports the graph counts after it, so
both runs can be seen to write the same graph. A second ingest of the current path shows the
idempotent rerun. Extraction alone: docs/s of `extract` beside `jieba.lcut` on the dev set.

Usage (hold the bench lock: the load and the baseline take minutes):
    flock /work/bench.lock python bench/nlp_speed.py [--households 63000] [--work DIR]
    python bench/nlp_speed.py --extract-only [--rounds 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "nlp" / "devset"
BASELINE = "b5cc61b"
"""main before batched ingest (per-document ingest, #17)."""


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


def _baseline_module(tmp: Path) -> Any:
    """Import `nlp/` of BASELINE as package `guanxi_nlp_baseline`; register its query."""
    from guanxi.graph import queries

    raw = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BASELINE, "nlp", "cypher/nlp_document_state.cypher"],
        check=True, capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(raw)) as tf:
        tf.extractall(tmp, filter="data")
    files = queries._all_files()  # the cached dict of named queries: add the old one
    files["nlp_document_state.cypher"] = (tmp / "cypher" / "nlp_document_state.cypher").read_text(
        encoding="utf-8"
    )
    spec = importlib.util.spec_from_file_location(
        "guanxi_nlp_baseline", tmp / "nlp" / "__init__.py",
        submodule_search_locations=[str(tmp / "nlp")],
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["guanxi_nlp_baseline"] = mod
    spec.loader.exec_module(mod)
    return importlib.import_module("guanxi_nlp_baseline.ingest")


def child(which: str, store_dir: Path, docs: Path, repeat: int) -> None:
    """Ingest `docs` into the store (fresh process); print one JSON line per run."""
    from guanxi.graph.connect import open_store
    from guanxi.graph.settings import Settings

    s = Settings(store=store_dir)
    with tempfile.TemporaryDirectory(prefix="nlp-speed-") as tmp:
        if which == "baseline":
            ingest = _baseline_module(Path(tmp)).ingest_documents
        else:
            from guanxi.nlp.ingest import ingest_documents as ingest
        store = open_store(s)
        try:
            for i in range(repeat):
                before = store.counts()
                t0 = time.perf_counter()
                rep = ingest(store, [docs], settings=s)
                dt = time.perf_counter() - t0
                after = store.counts()
                print(json.dumps({
                    "run": i, "seconds": dt, "ok": rep.ok, "failed": rep.failed,
                    "linked": rep.linked, "mentions": rep.mentions,
                    "changed": {k: after[k] - before.get(k, 0) for k in after
                                if after[k] != before.get(k, 0)},
                    "counts": {k: v for k, v in after.items() if v},
                }))
        finally:
            store.close()


def _run_child(which: str, store_dir: Path, docs: Path, repeat: int) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, "--store", str(store_dir),
         "--docs", str(docs), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


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
    for which, repeat in (("baseline", 1), ("current", 2)):
        copy = work / f"ingest-{which}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy)
        keys = base.with_name(base.name + ".keys")  # the PII key lives beside the store
        shutil.rmtree(copy.with_name(copy.name + ".keys"), ignore_errors=True)
        if keys.exists():
            shutil.copytree(keys, copy.with_name(copy.name + ".keys"))
        results[which] = _run_child(which, copy, docs, repeat)
        shutil.rmtree(copy, ignore_errors=True)
    b, c = results["baseline"][0], results["current"][0]
    print(f"ingest: {n_docs} documents of a generated county ({households:,} households, "
          f"seed {seed}) into an embedded store; fresh process each, jieba/spaCy load included")
    print(f"| {'path':<34} | {'seconds':>8} | {'docs/s':>7} | {'ok':>4} | {'linked':>6} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 9}|{'-' * 6}|{'-' * 8}|")
    for name, r in ((f"per-document ({BASELINE}, baseline)", b), ("batched (current)", c)):
        print(f"| {name:<34} | {r['seconds']:>8.1f} | {r['ok'] / r['seconds']:>7.1f} "
              f"| {r['ok']:>4} | {r['linked']:>6} |")
    print(f"speed-up: {b['seconds'] / c['seconds']:.1f}x")
    same = b["counts"] == c["counts"]
    print(f"graph after ingest equal in both stores (node/edge counts): {same}")
    if not same:
        print(f"  baseline: {b['counts']}\n  current:  {c['counts']}")
    r2 = results["current"][1]
    print(f"second ingest (current): {r2['seconds']:.1f} s, counts changed: {r2['changed'] or 'none'}")


def main() -> None:
    """Parse the options and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=63000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "guanxi-nlp-speed")
    ap.add_argument("--rounds", type=int, default=5, help="extraction rounds over the dev set")
    ap.add_argument("--extract-only", action="store_true")
    ap.add_argument("--ingest-only", action="store_true")
    ap.add_argument("--child", choices=("baseline", "current"), help=argparse.SUPPRESS)
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
