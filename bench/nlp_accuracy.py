"""Per-field precision / recall / F1 of guanxi.nlp on real published documents, beside a baseline.

Usage:
    python bench/nlp_accuracy.py [--split heldout|heldout2|heldout3|heldout4|tune|all] [--added TAG] [--verbose] [--no-baseline]
        [--baseline-commit SHA]
    python bench/nlp_accuracy.py --devset [DIR] [--verbose]     # the generated dev set (tests/nlp/devset)

The real set is tests/nlp/realset (see its PROVENANCE.md and the annotation guide in docs/nlp.md).
Reported by default on the held-back part and, as its own table, on held-back-2 (``heldout2``: a second
held-back part from another source, annotated before any extractor ran on it; see PROVENANCE.md) and on
held-back-3 (``heldout3``: a real penalty disclosure page and a judgment with its full heading, kept as published ``.html``) and held-back-4 (``heldout4``:
the held-back part of the ``cail2019-rc`` source, nlp5). ``--verbose`` (per-document differences) is refused on the
held-back parts: only their aggregate tables are ever looked at. Two extractors run on the
same documents in the same run: CURRENT (the installed ``guanxi.nlp``) and BASELINE (``nlp/`` as it was at commit
``BASELINE_COMMIT``, taken out of git with ``git archive`` into a temporary directory, imported under
the module name ``guanxi_nlp_baseline`` in a child process so the two never share jieba's state).

Fields: parties (name + role, and name only), guarantees (guarantor -> debtor, directed),
case number, authority, date, cause (exact string; a prediction where the gold is null is a
false positive), doc_type, amounts (value; recall is the headline, precision is shown too),
not_guarantees (party -> debtor, kind: spouse / own security / co-repayment kept apart).
Gold files carry ``added`` (the batch that annotated them, e.g. ``nlp2``; absent for the first
batch): ``--added TAG`` scores only that batch, and the tables per batch follow the overall one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import defaultdict
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REALSET = ROOT / "tests" / "nlp" / "realset"
DEVSET = ROOT / "tests" / "nlp" / "devset"
# main when the real set was started (the extractor before issue 17's changes)
BASELINE_COMMIT = "b5cc61b65cbb533c38b86862b46f7bb0fabe4536"
if "--baseline-commit" in sys.argv:  # another baseline, e.g. the extractor before a pass (same documents, same run)
    BASELINE_COMMIT = sys.argv[sys.argv.index("--baseline-commit") + 1]
BASELINE_MODULE = "guanxi_nlp_baseline"
SCALARS = ("case_number", "authority", "date", "cause", "doc_type")
_CACHE: dict[str, dict[str, dict[str, Any]]] = {}


def _norm(name: str) -> str:
    """Return a name compared loosely: NFKC, no spaces, full-width brackets."""
    s = unicodedata.normalize("NFKC", name)
    s = "".join(s.split())
    return s.replace("(", "（").replace(")", "）")


def realset_docs(split: str) -> list[tuple[Path, dict[str, Any]]]:
    """Return (document path, gold) pairs of the real set for 'tune', 'heldout', 'heldout2', 'heldout3', 'heldout4' or 'all'.

    A document is ``<id>.txt`` or, for pages kept as published HTML, ``<id>.html``, beside ``<id>.json``.
    """
    splits = ("tune", "heldout", "heldout2", "heldout3", "heldout4") if split == "all" else (split,)
    out = []
    for s in splits:
        docs = [*(REALSET / s).glob("*.txt"), *(REALSET / s).glob("*.html")]
        for doc in sorted(docs):
            out.append((doc, json.loads(doc.with_suffix(".json").read_text(encoding="utf-8"))))
    return out


def _gold_sets(g: dict[str, Any]) -> dict[str, set[Any]]:
    return {
        "parties (name+role)": {(_norm(p["name"]), p["role"]) for p in g["parties"]},
        "parties (name)": {_norm(p["name"]) for p in g["parties"]},
        "guarantees (g->d)": {(_norm(x["guarantor"]), _norm(x["debtor"])) for x in g["guarantees"]},
        "amounts (value)": {round(float(a["value"]), 2) for a in g["amounts"]},
        "not_guarantees": {(_norm(x["party"]), _norm(x["debtor"]), x["kind"]) for x in g.get("not_guarantees", [])},
    }


def _pred_sets(p: dict[str, Any]) -> dict[str, set[Any]]:
    return {
        "parties (name+role)": {(_norm(x["name"]), x["role"]) for x in p["parties"]},
        "parties (name)": {_norm(x["name"]) for x in p["parties"]},
        "guarantees (g->d)": {(_norm(x["guarantor"]), _norm(x["debtor"])) for x in p["guarantees"]},
        "amounts (value)": {round(float(a["value"]), 2) for a in p["amounts"]},
        "not_guarantees": {(_norm(x["party"]), _norm(x["debtor"]), x["kind"]) for x in p.get("not_guarantees", [])},
    }


def score(docs: list[tuple[Path, dict[str, Any]]], preds: dict[str, dict[str, Any]],
          verbose: bool = False, label: str = "") -> dict[str, tuple[int, int, int]]:
    """Return field -> (true positives, predicted, gold) over the documents."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for txt, gold in docs:
        pred = preds[txt.name]
        for f in SCALARS:
            g, p = gold.get(f), pred.get(f)
            c = counts[f]
            c[0] += int(g is not None and g == p)
            c[1] += int(p is not None)
            c[2] += int(g is not None)
            if verbose and g != p:
                print(f"[{label}] {txt.stem}: {f}: gold={g!r} pred={p!r}")
        gs, ps = _gold_sets(gold), _pred_sets(pred)
        for f in gs:
            c = counts[f]
            c[0] += len(gs[f] & ps[f])
            c[1] += len(ps[f])
            c[2] += len(gs[f])
            if verbose and gs[f] != ps[f]:
                miss = sorted(gs[f] - ps[f], key=str)
                extra = sorted(ps[f] - gs[f], key=str)
                print(f"[{label}] {txt.stem}: {f}: missing={miss} extra={extra}")
    order = ["parties (name+role)", "parties (name)", "guarantees (g->d)", "case_number",
             "authority", "date", "cause", "doc_type", "amounts (value)", "not_guarantees"]
    return {k: (counts[k][0], counts[k][1], counts[k][2]) for k in order}


def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def current_predictions(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Return file name -> extraction by the installed guanxi.nlp."""
    from guanxi.nlp import extract_file

    return {p.name: extract_file(p) for p in paths}


def _baseline_dir(tmp: Path) -> Path:
    """Write BASELINE_COMMIT's nlp/ into tmp/BASELINE_MODULE and return tmp."""
    blob = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE_COMMIT, "nlp"],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(tmp, filter="data")
    pkg = tmp / BASELINE_MODULE
    (tmp / "nlp").rename(pkg)
    for py in pkg.glob("*.py"):  # resources are looked up by package name
        src = py.read_text(encoding="utf-8")
        if '"guanxi.nlp"' in src:
            py.write_text(src.replace('"guanxi.nlp"', f'"{BASELINE_MODULE}"'), encoding="utf-8")
    return tmp


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from {mod} import extract_file
paths = json.loads(sys.stdin.read())
print(json.dumps({{p.rsplit("/", 1)[-1]: extract_file(p) for p in paths}}, ensure_ascii=False))
"""


def baseline_predictions(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Return file name -> extraction by the baseline extractor (child process)."""
    with tempfile.TemporaryDirectory(prefix="nlp-baseline-") as tmp:
        root = _baseline_dir(Path(tmp))
        proc = subprocess.run([sys.executable, "-c", _CHILD.format(mod=BASELINE_MODULE), str(root)],
                              input=json.dumps([str(p) for p in paths]), capture_output=True, text=True,
                              check=True)
    result: dict[str, dict[str, Any]] = json.loads(proc.stdout)
    return result


def print_table(cur: dict[str, tuple[int, int, int]], base: dict[str, tuple[int, int, int]] | None) -> None:
    """Print one markdown row per field: current P/R/F1 and, if given, the baseline's."""
    head = f"| {'field':<22} | {'gold':>4} | {'P':>6} | {'R':>6} | {'F1':>6} |"
    rule = f"|{'-' * 24}|{'-' * 6}|{'-' * 8}|{'-' * 8}|{'-' * 8}|"
    if base is not None:
        head += f" {'base P':>6} | {'base R':>6} | {'base F1':>7} |"
        rule += f"{'-' * 8}|{'-' * 8}|{'-' * 9}|"
    print(head)
    print(rule)
    for field, (tp, pred, gold) in cur.items():
        row = f"| {field:<22} | {gold:>4} | {_cells(tp, pred, gold, (6, 6, 6))} |"
        if base is not None:
            row += f" {_cells(*base[field], (6, 6, 7))} |"
        print(row)


def _cells(tp: int, pred: int, gold: int, widths: tuple[int, int, int]) -> str:
    """Return 'P | R | F1' cells, or dashes when there was nothing to find and nothing found."""
    if not gold and not pred:
        return " | ".join(f"{'-':>{w}}" for w in widths)
    vals = _prf(tp, pred, gold)
    return " | ".join(f"{v:>{w}.3f}" for v, w in zip(vals, widths, strict=True))


def _devset_main(args: list[str], verbose: bool) -> None:
    """The generated dev set (contract-format gold), current extractor only."""
    from guanxi.nlp import extract_file

    devset = Path(args[0]) if args else DEVSET
    pairs = []
    for gold in sorted(devset.glob("*.json")):
        docs = [p for p in devset.glob(gold.stem + ".*") if p.suffix != ".json"]
        if docs:
            pairs.append((docs[0], json.loads(gold.read_text(encoding="utf-8"))))
    preds = {d.name: extract_file(d) for d, _ in pairs}
    golds = [(d, {**g, "guarantees": g["guarantees"]}) for d, g in pairs]
    print(f"dev set: {devset} ({len(pairs)} documents, generated)")
    print_table(score(golds, preds, verbose, "current"), None)


def main() -> None:
    """Print the accuracy table of the current extractor beside the baseline (held-back, held-back-2, -3, -4)."""
    argv = sys.argv[1:]
    verbose = "--verbose" in argv
    positional = [a for a in argv if not a.startswith("--")]
    if "--devset" in argv:
        _devset_main(positional, verbose)
        return
    splits = ["heldout", "heldout2", "heldout3", "heldout4"]
    if "--split" in argv:
        splits = [argv[argv.index("--split") + 1]]
    if verbose and any(s != "tune" for s in splits):
        sys.exit("--verbose is only for --split tune: held-back parts are reported as aggregates only")
    for i, split in enumerate(splits):
        if i:
            print("\n" + "=" * 100 + "\n")
        report_split(split, argv, verbose)


def report_split(split: str, argv: list[str], verbose: bool) -> None:
    """Print the tables of one part of the real set: overall, per source and per batch."""
    docs = realset_docs(split)
    if "--added" in argv:
        tag = argv[argv.index("--added") + 1]
        docs = [(t, g) for t, g in docs if g.get("added", "first") == tag]
    paths = [t for t, _ in docs]
    by_source: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    for _, g in docs:
        by_source[g["source"]] += 1
        by_type[g["doc_type"]] += 1
    print(f"real set: {REALSET.relative_to(ROOT)}/{split} ({len(docs)} documents; "
          f"{dict(sorted(by_source.items()))}; {dict(sorted(by_type.items()))})")
    _CACHE["current"] = current_predictions(paths)
    cur = score(docs, _CACHE["current"], verbose, "current")
    base = None
    if "--no-baseline" not in argv:
        try:
            _CACHE["baseline"] = baseline_predictions(paths)
            base = score(docs, _CACHE["baseline"], verbose and "--verbose-baseline" in argv, "baseline")
            print(f"baseline: nlp/ at {BASELINE_COMMIT[:12]} (same documents, same run)")
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"baseline not available: {exc}")
    print_table(cur, base)
    groups = [(f"source {s}", [(t, g) for t, g in docs if g["source"] == s]) for s in sorted(by_source)]
    batches = sorted({g.get("added", "first") for _, g in docs})
    groups += [(f"batch {b}", [(t, g) for t, g in docs if g.get("added", "first") == b]) for b in batches]
    for name, part in groups:
        if len(part) == len(docs):
            continue
        print(f"\n{name} ({len(part)} documents)")
        print_table(score(part, _CACHE["current"]), score(part, _CACHE["baseline"]) if base is not None else None)


if __name__ == "__main__":
    main()
