"""Benchmark: SCC + every simple cycle ≤ 8 + default-contagion fixed point, Guanxi vs networkx.

A synthetic guarantee graph (default 1M parties / 3M guarantees) built with numpy: a
DAG-like bulk (guarantor → borrower inside villages of 500 parties, each guarantee pointing
to a party a geometric(1/40) step further in the village order, else to an outside sink
borrower), planted
guarantee circles (2–8 members with chords, plus a few 25-member circles with chords) that
receive guarantees from the bulk and guarantee loans of sink borrowers — so no giant SCC
forms. Both sides run on the same arrays in the same process; answers are compared (SCC
sets, cycle sets as canonical rotations, fixed-point probabilities).

    python bench/guarantee.py [--nodes 1000000] [--edges 3000000] [--nx-fraction 0.1]

``--nx-fraction F`` runs networkx on a structured induced subgraph (the first F of the bulk,
of the circles and of the sinks; ours is re-run on that same subgraph for the ratio); by
default networkx gets the whole graph.
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np

from guanxi.algorithms.contagion import propagate_default
from guanxi.algorithms.cycles import (
    canonical_rotation,
    components_from_labels,
    nontrivial_sccs,
    scc_labels,
    simple_cycles,
    unique_ints,
)


def make_graph(
    n: int, m: int, seed: int = 7, fraction: float = 0.1
) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Return (src, dst, planted circles, subgraph mask) of a synthetic guarantee graph.

    Ids are shuffled. The mask selects the first ``fraction`` of the bulk, of the circle
    pool and of the sinks (in generation order), so its induced subgraph keeps the
    structure (local DAG, whole circles) at a smaller size.
    """
    rng = np.random.default_rng(seed)
    n_small, n_big, big_size = max(1, n // 70), max(1, n // 25000), 25
    sizes = rng.integers(2, 9, n_small)
    pool = int(sizes.sum()) + n_big * big_size
    n_sink = n // 50
    n_dag = n - pool - n_sink
    src_parts, dst_parts = [], []
    # planted circles: ring + up to 2 chords each, on dedicated nodes
    start = n_dag
    members_all = []
    for s in sizes:
        mem = np.arange(start, start + s)
        start += s
        members_all.append(mem)
        src_parts.append(mem)
        dst_parts.append(np.roll(mem, -1))
        if s >= 4:
            k = int(rng.integers(0, 3))
            src_parts.append(rng.choice(mem, k))
            dst_parts.append(rng.choice(mem, k))
    for _ in range(n_big):
        mem = np.arange(start, start + big_size)
        start += big_size
        members_all.append(mem)
        src_parts += [mem, rng.choice(mem, big_size)]
        dst_parts += [np.roll(mem, -1), rng.choice(mem, big_size)]
    circ = np.concatenate(members_all)
    # bulk → circle members (guarantors from the bulk), circle members → sink borrowers
    k_in = len(circ)
    src_parts.append(rng.integers(0, n_dag, k_in))
    dst_parts.append(rng.choice(circ, k_in))
    src_parts.append(rng.choice(circ, k_in))
    dst_parts.append(rng.integers(n - n_sink, n, k_in))
    used = sum(len(a) for a in src_parts)
    # DAG bulk: villages of 500 parties; u → u + offset inside the village, else the
    # guarantee goes to a sink borrower (outside lending)
    m_dag = max(0, m - used)
    u = rng.integers(0, n_dag - 1, m_dag)
    v = u + 1 + rng.geometric(1 / 40, m_dag)
    over = (v >= n_dag) | (v // 500 != u // 500)
    v[over] = rng.integers(n - n_sink, n, int(over.sum()))
    src_parts.append(u)
    dst_parts.append(v)
    src = np.concatenate(src_parts).astype(np.int64)
    dst = np.concatenate(dst_parts).astype(np.int64)
    keep = src != dst
    perm = rng.permutation(n)
    orig = np.arange(n)
    sub = ((orig < fraction * n_dag)
           | ((orig >= n_dag) & (orig < n_dag + fraction * pool))
           | ((orig >= n - n_sink) & (orig < n - n_sink + fraction * n_sink)))
    mask = np.zeros(n, dtype=bool)
    mask[perm[sub]] = True
    return perm[src[keep]], perm[dst[keep]], len(members_all), mask


def previous_fixed_point(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray,
                         p_own: np.ndarray, tol: float = 1e-10, max_iter: int = 200
                         ) -> tuple[np.ndarray, int]:
    """Return (p, rounds) of the previous solver (commit 3fba0b2): whole-graph Jacobi rounds
    that only revisit guarantees of borrowers that moved by ``tol`` — the same-run baseline
    for the level-by-level solver."""
    p = np.clip(p_own, 0.0, 1.0).copy()
    base = np.log1p(-np.clip(p, 0.0, 1.0 - 1e-15))
    order = np.argsort(dst, kind="stable")
    e_src, e_dst, e_w = src[order], dst[order], w[order]
    ptr = np.searchsorted(e_dst, np.arange(n + 1))
    contrib = np.log1p(-np.clip(e_w * p[e_dst], 0.0, 1.0 - 1e-15))
    logq = base + np.bincount(e_src, weights=contrib, minlength=n)
    new = -np.expm1(logq)
    changed = np.flatnonzero(np.abs(new - p) >= tol)
    p = new
    it = 1
    while len(changed) and it < max_iter:
        it += 1
        starts, ends = ptr[changed], ptr[changed + 1]
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            break
        idx = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
        c_new = np.log1p(-np.clip(e_w[idx] * p[e_dst[idx]], 0.0, 1.0 - 1e-15))
        g = e_src[idx]
        if total > n // 8:
            logq += np.bincount(g, weights=c_new - contrib[idx], minlength=n)
        else:
            np.add.at(logq, g, c_new - contrib[idx])
        contrib[idx] = c_new
        if total > n // 64:
            mark = np.zeros(n, dtype=bool)
            mark[g] = True
            affected = np.flatnonzero(mark)
        else:
            affected = unique_ints(g)
        pa_new = -np.expm1(logq[affected])
        moved = np.abs(pa_new - p[affected]) >= tol
        p[affected] = pa_new
        changed = affected[moved]
    return p, it


def ours(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, p_own: np.ndarray
         ) -> dict[str, Any]:
    """Run and time the Guanxi pipeline (SCC labels computed once, shared by all steps)."""
    t0 = time.perf_counter()
    labels = scc_labels(n, src, dst)
    comps = components_from_labels(labels)
    t1 = time.perf_counter()
    cycles = simple_cycles(n, src, dst, 8, components=comps)
    t2 = time.perf_counter()
    p, it = propagate_default(n, src, dst, w, p_own, labels=labels)
    t3 = time.perf_counter()
    return {"scc": t1 - t0, "cycles": t2 - t1, "contagion": t3 - t2, "total": t3 - t0,
            "comps": comps, "cycle_set": cycles, "p": p, "iters": it}


def with_networkx(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, p_own: np.ndarray
                  ) -> dict[str, Any]:
    """Run and time networkx SCC + simple_cycles(length_bound=8) + a pure-Python fixed point."""
    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    t1 = time.perf_counter()
    comps = [c for c in nx.strongly_connected_components(g) if len(c) >= 2]
    t2 = time.perf_counter()
    cycles = {canonical_rotation(c) for c in nx.simple_cycles(g, length_bound=8)}
    t3 = time.perf_counter()
    out: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
        out[a].append((b, x))
    po = p_own.tolist()
    p = list(po)
    it = 0
    for it in range(1, 201):  # noqa: B007
        new = [0.0] * n
        delta = 0.0
        for v in range(n):
            q = 1.0 - po[v]
            for b, x in out.get(v, ()):
                q *= 1.0 - x * p[b]
            new[v] = 1.0 - q
            d = abs(new[v] - p[v])
            if d > delta:
                delta = d
        p = new
        if delta < 1e-10:
            break
    t4 = time.perf_counter()
    return {"build": t1 - t0, "scc": t2 - t1, "cycles": t3 - t2, "contagion": t4 - t3,
            "total": t4 - t1, "comps": comps, "cycle_set": cycles, "p": np.array(p),
            "iters": it}


def rss_mb() -> float:
    """Return this process's peak resident set size in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--edges", type=int, default=3_000_000)
    ap.add_argument("--nx-fraction", type=float, default=1.0,
                    help="networkx on a structured subgraph of this fraction (1: all)")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    t = time.perf_counter()
    src, dst, planted, mask = make_graph(a.nodes, a.edges, a.seed, a.nx_fraction)
    nontrivial_sccs(3, np.array([0, 1]), np.array([1, 0]))  # warm-up: import scipy
    rng = np.random.default_rng(a.seed + 1)
    w = rng.uniform(0.05, 0.6, len(src))
    p_own = rng.choice([0.02, 0.10, 0.35, 0.65, 0.95], a.nodes, p=[0.9, 0.06, 0.02, 0.01, 0.01])
    print(f"graph: {a.nodes:,} nodes, {len(src):,} guarantees, {planted:,} planted circles "
          f"(built in {time.perf_counter() - t:.1f} s)")
    full = ours(a.nodes, src, dst, w, p_own)
    rss_ours = rss_mb()
    t = time.perf_counter()
    p_prev, it_prev = previous_fixed_point(a.nodes, src, dst, w, p_own)
    t_prev = time.perf_counter() - t
    print(f"guanxi, full graph: SCC {full['scc']:.2f} s, cycles≤8 {full['cycles']:.2f} s, "
          f"contagion {full['contagion']:.2f} s ({full['iters']} passes), total "
          f"{full['total']:.2f} s; {len(full['comps']):,} circles, {len(full['cycle_set']):,} "
          f"cycles; peak RSS {rss_ours:.0f} MB")
    print(f"previous contagion solver (frontier Jacobi, same graph, same run): {t_prev:.2f} s "
          f"({it_prev} rounds); level solver {t_prev / max(full['contagion'], 1e-9):.1f}× "
          f"faster; max |Δp| {np.max(np.abs(p_prev - full['p'])):.1e}")
    n_cmp = a.nodes
    if a.nx_fraction < 1.0:
        new_id = np.cumsum(mask) - 1
        n_cmp = int(mask.sum())
        keep = mask[src] & mask[dst]
        src, dst, w = new_id[src[keep]], new_id[dst[keep]], w[keep]
        p_own = p_own[mask]
        mine = ours(n_cmp, src, dst, w, p_own)
        what = (f"induced subgraph, first {a.nx_fraction:.0%} of bulk/circles/sinks: "
                f"{n_cmp:,} nodes, {len(src):,} edges, {len(mine['comps']):,} circles")
    else:
        mine = full
        what = "full graph"
    gc.collect()
    theirs = with_networkx(n_cmp, src, dst, w, p_own)
    rss_all = rss_mb()
    same_scc = {frozenset(c.tolist()) for c in mine["comps"]} == {frozenset(c) for c in
                                                                  theirs["comps"]}
    same_cyc = set(mine["cycle_set"]) == theirs["cycle_set"]
    same_p = bool(np.max(np.abs(mine["p"] - theirs["p"])) < 1e-8)
    print(f"\ncompared on: {what}; networkx graph build {theirs['build']:.1f} s (not counted)")
    print(f"{'step':<28}{'guanxi s':>10}{'networkx s':>12}{'ratio':>9}{'equal':>7}")
    rows = [("SCC (size ≥ 2)", "scc", same_scc), ("simple cycles ≤ 8", "cycles", same_cyc),
            ("contagion fixed point", "contagion", same_p),
            ("total", "total", same_scc and same_cyc and same_p)]
    for label, key, eq in rows:
        r = theirs[key] / max(mine[key], 1e-9)
        print(f"{label:<28}{mine[key]:>10.2f}{theirs[key]:>12.2f}{r:>8.1f}×{'yes' if eq else 'NO':>7}")
    print(f"peak RSS: {rss_ours:.0f} MB after guanxi, {rss_all:.0f} MB after networkx "
          "(same process)")


if __name__ == "__main__":
    main()
