"""Per-field precision / recall / F1 of guanxi.nlp extraction on the dev set.

Usage: python bench/nlp_accuracy.py [DEVSET_DIR] [--verbose]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from guanxi.nlp import extract_file

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "nlp" / "devset"
SCALAR = ["doc_type", "case_number", "authority", "date", "cause"]


def doc_files(devset: Path) -> list[tuple[Path, Path]]:
    """Return (document, gold json) pairs of the dev set."""
    pairs = []
    for gold in sorted(devset.glob("*.json")):
        docs = [p for p in devset.glob(gold.stem + ".*") if p.suffix != ".json"]
        if docs:
            pairs.append((docs[0], gold))
    return pairs


def _sets(d: dict[str, Any]) -> dict[str, set[Any]]:
    return {
        "parties (name+role)": {(p["name"], p["role"]) for p in d["parties"]},
        "party kind": {(p["name"], p["kind"]) for p in d["parties"]},
        "amounts (value+type)": {(round(float(a["value"]), 2), a["type"]) for a in d["amounts"]},
        "amounts (value only)": {round(float(a["value"]), 2) for a in d["amounts"]},
        "guarantees (g+d)": {(g["guarantor"], g["debtor"]) for g in d["guarantees"]},
        "guarantees (all 4)": {(g["guarantor"], g["debtor"], g["creditor"], g["type"]) for g in d["guarantees"]},
    }


def evaluate(devset: Path, verbose: bool = False) -> dict[str, tuple[int, int, int]]:
    """Return field -> (true positives, predicted, gold) over the dev set."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    exact_outcome = 0
    n = 0
    for doc, gold_path in doc_files(devset):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = extract_file(doc)
        n += 1
        for f in SCALAR:
            g, p = gold.get(f), pred.get(f)
            c = counts[f]
            c[0] += int(g is not None and g == p)
            c[1] += int(p is not None)
            c[2] += int(g is not None)
            if verbose and g != p:
                print(f"{doc.name}: {f}: gold={g!r} pred={p!r}")
        gs, ps = _sets(gold), _sets(pred)
        for f in gs:
            c = counts[f]
            c[0] += len(gs[f] & ps[f])
            c[1] += len(ps[f])
            c[2] += len(gs[f])
            if verbose and gs[f] != ps[f]:
                print(f"{doc.name}: {f}: missing={sorted(gs[f] - ps[f], key=str)} extra={sorted(ps[f] - gs[f], key=str)}")
        go, po = len(gold["outcome"]), len(pred["outcome"])
        c = counts["outcome count"]
        c[0] += min(go, po)
        c[1] += po
        c[2] += go
        exact_outcome += int(go == po)
        if verbose and go != po:
            print(f"{doc.name}: outcome count gold={go} pred={po}")
    counts["outcome count (exact per doc)"] = [exact_outcome, n, n]
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    devset = Path(args[0]) if args else DEVSET
    res = evaluate(devset, verbose="--verbose" in sys.argv)
    n = len(doc_files(devset))
    print(f"dev set: {devset} ({n} documents)")
    print(f"| {'field':<30} | {'tp':>4} | {'pred':>4} | {'gold':>4} | {'P':>6} | {'R':>6} | {'F1':>6} |")
    print(f"|{'-' * 32}|{'-' * 6}|{'-' * 6}|{'-' * 6}|{'-' * 8}|{'-' * 8}|{'-' * 8}|")
    for field, (tp, pred, gold) in res.items():
        p = tp / pred if pred else 1.0
        r = tp / gold if gold else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {field:<30} | {tp:>4} | {pred:>4} | {gold:>4} | {p:>6.3f} | {r:>6.3f} | {f1:>6.3f} |")


if __name__ == "__main__":
    main()
