"""Benchmark: the shared-attribute ring search beside networkx connected components on the
same projection.

The projection is the party ↔ attribute bipartite graph of a generated county's extract
(persons' phone, contact phone, address, employer; the account each loan was paid into), read
from the CSVs the way `analyses/rings.py` reads the store (phones in one namespace). Both
sides get the same rows:

- **ours**: `algorithms.rings.find_rings` end to end — rarity-weighted party links
  (vectorised per attribute degree), scipy components, units, evidence, scores, verdicts;
- **networkx**: `nx.connected_components` of the bipartite graph restricted to attributes held
  by 2..max_degree parties (graph construction timed separately) — the plain "who is connected
  through shared attributes" answer, with no weighting, units or scoring.

    python bench/rings.py --extract DIR            # an extract from `guanxi generate`
    python bench/rings.py --households 330000 --household-size 3.33   # 兴化 scale, generated

Prints the projection's size, each side's wall and CPU time and peak memory of the process,
the number of components / flagged rings, and (when the extract has truth.json) the rings'
precision and recall. Run heavy runs under `flock /work/bench.lock`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

from guanxi.algorithms.rings import RingRules, find_rings


def _rows(folder: Path, table: str) -> csv.DictReader[str]:
    return csv.DictReader((folder / f"{table}.csv").open(encoding="utf-8"))


def projection(folder: Path) -> tuple[list[str], list[str], list[tuple[str, str]], dict[str, list[str]]]:
    """Return (parties, attributes, ties, loan starts) of an extract, parties by ref."""
    parties: list[str] = []
    attrs: list[str] = []
    ties: list[tuple[str, str]] = []
    first: dict[str, str] = {}
    for p in _rows(folder, "persons"):
        ref = f"person:{p['id_number']}"
        for kind, col in (("phone", "phone"), ("phone", "contact_phone"), ("address", "address"),
                          ("employer", "employer")):
            if p.get(col):
                parties.append(ref)
                attrs.append(f"{kind}:{p[col]}")
        if p["household_id"]:
            head = first.setdefault(p["household_id"], ref)
            if head != ref:
                ties.append((head, ref))
    for r in _rows(folder, "enterprise_roles"):
        ties.append((f"{r['holder_type']}:{r['holder_id']}", f"company:{r['uscc']}"))
    starts: dict[str, list[str]] = defaultdict(list)
    for ln in _rows(folder, "loans"):
        ref = f"{ln['borrower_type']}:{ln['borrower_id']}"
        starts[ref].append(ln["start_date"])
        parties.append(ref)
        attrs.append(f"account:{ln['account_no']}")
    return parties, attrs, ties, starts


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    """Run the benchmark and print the measurements."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--extract", type=Path)
    ap.add_argument("--households", type=int, default=63000)
    ap.add_argument("--household-size", type=float, default=None)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    folder = a.extract
    if folder is None:
        from guanxi.loaders.synthetic.generate import generate_county

        folder = Path(tempfile.mkdtemp(prefix="bench-rings-")) / "ex"
        t0 = time.perf_counter()
        generate_county(folder, households=a.households, seed=a.seed, household_size=a.household_size)
        print(f"generated {a.households:,} households in {time.perf_counter() - t0:.1f} s → {folder}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    (parties, attrs, ties, starts), w, _ = _timed(lambda: projection(folder))
    rules = RingRules()
    deg = Counter()
    holders: dict[str, set[str]] = defaultdict(set)
    for p, x in zip(parties, attrs, strict=True):
        holders[x].add(p)
    deg.update({x: len(h) for x, h in holders.items()})
    shared = sum(1 for d in deg.values() if 2 <= d <= rules.max_degree)
    print(f"projection: {len(set(parties)):,} parties, {len(deg):,} attributes ({shared:,} held by "
          f"2..{rules.max_degree} parties), {len(parties):,} party–attribute rows, {len(ties):,} ties; "
          f"read in {w:.1f} s")
    rings, w_ours, c_ours = _timed(lambda: find_rings(parties, attrs, ties, starts, "2026-10-31", rules))
    flagged = [r for r in rings if r.flagged]
    print(f"ours     find_rings: {w_ours:8.2f} s wall {c_ours:8.2f} s CPU; {len(rings):,} candidate "
          f"components, {len(flagged):,} flagged; peak RSS {_peak_mb():,.0f} MB")

    def build() -> nx.Graph:
        g = nx.Graph()
        for x, hs in holders.items():
            if 2 <= len(hs) <= rules.max_degree:
                g.add_edges_from((p, ("attr", x)) for p in hs)
        return g

    g, w_build, c_build = _timed(build)
    comps, w_cc, c_cc = _timed(lambda: [c for c in nx.connected_components(g)])
    multi = sum(1 for c in comps if sum(1 for v in c if not isinstance(v, tuple)) >= 2)
    print(f"networkx build graph: {w_build:8.2f} s wall {c_build:8.2f} s CPU ({g.number_of_nodes():,} nodes, "
          f"{g.number_of_edges():,} edges)")
    print(f"networkx connected_components: {w_cc:8.2f} s wall {c_cc:8.2f} s CPU; {len(comps):,} components, "
          f"{multi:,} with ≥ 2 parties (no weighting, units or scores); peak RSS {_peak_mb():,.0f} MB")
    print(f"ratio: ours / (networkx build + components) = {w_ours / (w_build + w_cc):.2f} (wall)")
    truth_file = folder / "truth.json"
    if truth_file.exists():
        truth = json.loads(truth_file.read_text("utf-8"))
        planted = [set(r["members"]) for r in truth.get("rings", [])]
        found = [set(r.members) for r in flagged]

        def match(x: set[str], y: set[str]) -> bool:
            return len(x & y) / len(x | y) >= 0.5

        if planted and found:
            prec = sum(any(match(f, p) for p in planted) for f in found) / len(found)
            rec = sum(any(match(f, p) for f in found) for p in planted) / len(planted)
            print(f"planted rings {len(planted)}: precision {prec:.3f}, recall {rec:.3f}")


if __name__ == "__main__":
    main()
