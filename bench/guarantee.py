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
    python bench/guarantee.py --giant   # #18: 20,000-party hub SCC and 2,000-party dense one

``--nx-fraction F`` runs networkx on a structured induced subgraph (the first F of the bulk,
of the circles and of the sinks; ours is re-run on that same subgraph for the ratio); by
default networkx gets the whole graph.
"""

from __future__ import annotations

import argparse
import gc
import os
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
    ap.add_argument("--giant", action="store_true",
                    help="giant-circle scenarios (#18): 20,000-party hub SCC, 2,000-party dense")
    ap.add_argument("--giant-nodes", type=int, default=20_000)
    ap.add_argument("--cycle-budget", type=int, default=100_000_000)
    ap.add_argument("--nx-max-len", type=int, default=4,
                    help="networkx simple_cycles compared up to this length at most")
    ap.add_argument("--nx-timeout", type=float, default=60.0,
                    help="stop networkx after this many seconds per length")
    ap.add_argument("--small-cases", type=int, default=30)
    a = ap.parse_args()
    if a.giant:
        giant_main(a)
        return
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


# ----- giant circles (#18) -------------------------------------------------------------------


def hub_scc(n: int = 20_000, seed: int = 3, hubs: int = 300, hub_out: int = 100,
            p_hub: float = 0.02, extra: float = 1.92, back: int = 20
            ) -> tuple[np.ndarray, np.ndarray]:
    """Return (src, dst) of one strongly connected guarantee graph with hub guarantors.

    A ring through every party (so it is one SCC), ``extra`` × n short-range guarantees,
    ``hubs`` guarantors giving ``hub_out`` guarantees each, hubs guaranteeing each other with
    probability ``p_hub`` and ``back`` guarantees to each hub from random parties. Defaults:
    20,000 parties, ~96,000 guarantees. Ids are shuffled.
    """
    rng = np.random.default_rng(seed)
    s = [np.arange(n)]
    d = [np.roll(np.arange(n), -1)]
    m = int(extra * n)
    u = rng.integers(0, n, m)
    s.append(u)
    d.append((u + rng.geometric(1 / 30, m)) % n)
    hh = rng.choice(n, hubs, replace=False)
    s.append(np.repeat(hh, hub_out))
    d.append(rng.integers(0, n, hubs * hub_out))
    a, b = np.nonzero(rng.random((hubs, hubs)) < p_hub)
    s.append(hh[a])
    d.append(hh[b])
    s.append(rng.integers(0, n, hubs * back))
    d.append(np.repeat(hh, back))
    src, dst = np.concatenate(s), np.concatenate(d)
    keep = src != dst
    perm = rng.permutation(n)
    return perm[src[keep]], perm[dst[keep]]


def dense_scc(n: int = 2_000, degree: float = 8.0, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Return (src, dst) of a dense strongly connected guarantee graph: a ring plus
    ``degree`` × n uniformly random guarantees."""
    rng = np.random.default_rng(seed)
    m = int(degree * n)
    src = np.concatenate([np.arange(n), rng.integers(0, n, m)])
    dst = np.concatenate([np.roll(np.arange(n), -1), rng.integers(0, n, m)])
    keep = src != dst
    return src[keep], dst[keep]


def guarantee_table_of(src: np.ndarray, dst: np.ndarray, seed: int = 1) -> Any:
    """Return a guarantee table (Arrow) over edge arrays: one loan per guarantee, amounts
    ¥50k–¥5M, every loan live."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    amt = np.round(rng.lognormal(13.0, 0.8, len(src)), -3).clip(50_000, 5_000_000)
    return pa.table({
        "guarantor": [f"C:{x:06d}" for x in src.tolist()],
        "borrower": [f"C:{x:06d}" for x in dst.tolist()],
        "loan": [f"L:{i:07d}" for i in range(len(src))],
        "amount": amt,
        "balance": np.round(amt * rng.uniform(0.3, 1.0, len(src)), -2),
    })


def whole_analysis(table: Any, cycle_budget: int) -> dict[str, Any]:
    """Run and time every step of the guarantee analysis (as `compute_guarantee_risk` does,
    without the store): graph, circles (census, plan, sub-circles), 联保 groups, chains,
    contagion fixed point, DebtRank (with source preselection), explaining paths."""
    from guanxi.algorithms import contagion, guarantee
    from guanxi.analyses.guarantee import DEBTRANK_WORK

    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    clock: list[float] = []

    def start() -> None:
        clock[:] = [time.perf_counter(), time.process_time()]

    def stop(step: str) -> None:
        times[step] = time.perf_counter() - clock[0]
        cpu[step] = time.process_time() - clock[1]

    start()
    gg = guarantee.build_guarantee_graph(table)
    stop("graph")
    start()
    circles = guarantee.find_circles(gg, cycle_budget=cycle_budget)
    stop("circles + plan")
    start()
    guarantee.joint_guarantee_groups(table)
    per, chains = guarantee.guarantee_chains(gg)
    stop("联保 + chains")
    start()
    rng = np.random.default_rng(2)
    p_own = rng.choice([0.02, 0.10, 0.35, 0.65, 0.95], gg.n, p=[0.9, 0.06, 0.02, 0.01, 0.01])
    w = contagion.guarantee_weights(gg.amount, np.full(len(gg.src), 5_000_000.0))
    p, passes = contagion.propagate_default(gg.n, gg.src, gg.dst, w, p_own)
    stop("contagion")
    start()
    value = np.bincount(gg.dst, weights=gg.balance, minlength=gg.n)
    value = value / value.sum()
    k = gg.n if gg.n * len(gg.src) <= DEBTRANK_WORK else max(1, DEBTRANK_WORK // len(gg.src))
    sources = None if k >= gg.n else contagion.debtrank_candidates(gg.n, gg.src, gg.dst, w,
                                                                   value, k)
    dr = contagion.debtrank(gg.n, gg.src, gg.dst, w, value, sources)
    stop("DebtRank")
    start()
    for i in np.argsort(-dr)[:20].tolist():
        contagion.explain_paths(i, gg.src, gg.dst, w, p_own, loans=gg.loans)
    stop("explain top 20")
    times["total"] = sum(times.values())
    cpu["total"] = sum(cpu.values())
    return {"times": times, "cpu": cpu, "circles": circles, "per": per, "chains": chains, "p": p,
            "passes": passes, "dr": dr, "sources": k, "rss_mb": rss_mb()}


def _child(args: tuple[str, int, int, int]) -> dict[str, Any]:
    """Run `whole_analysis` on one scenario in a fresh process; return times and facts."""
    kind, n, budget, seed = args
    src, dst = hub_scc(n, seed) if kind == "hub" else dense_scc(n, seed=seed)
    t = time.perf_counter()
    # warm the compiled kernels on a toy graph: their compile time is counted separately
    from guanxi.algorithms.break_plan import cycle_packing_bound
    from guanxi.algorithms.cycles import cycle_census

    cycle_census(3, np.array([0, 1, 2]), np.array([1, 2, 0]))
    cycle_packing_bound(3, np.array([0, 1, 2]), np.array([1, 2, 0]), np.ones(3))
    jit = time.perf_counter() - t
    res = whole_analysis(guarantee_table_of(src, dst), budget)
    big = max(res["circles"], key=lambda c: c["size"])
    bp = big["break_plan"]
    return {"n": n, "m": len(src), "jit": jit, "times": res["times"], "cpu": res["cpu"],
            "rss_mb": res["rss_mb"],
            "motifs": big["motifs"], "size": big["size"], "circles": len(res["circles"]),
            "plan": {k: bp[k] for k in ("amount", "exact", "lower_bound", "method",
                                        "guarantors_exact", "guarantors_lower_bound")},
            "plan_guarantees": len(bp["guarantees"]), "fvs": len(bp["guarantors"]),
            "sub_circles": len(big.get("sub_circles", [])), "hubs": big["hub_guarantors"][:3],
            "downstream_exact": sum(v["downstream_exact"] for v in res["per"].values()),
            "sources": res["sources"], "passes": res["passes"],
            "src": src, "dst": dst}


def _nx_cycles(args: tuple[np.ndarray, np.ndarray, int]) -> tuple[dict[int, int], float]:
    """Return (counts by length, seconds) of networkx simple_cycles(length_bound) (child)."""
    src, dst, bound = args
    g = nx.DiGraph()
    g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    t0 = time.perf_counter()
    cnt: dict[int, int] = defaultdict(int)
    for c in nx.simple_cycles(g, length_bound=bound):
        cnt[len(c)] += 1
    return dict(cnt), time.perf_counter() - t0


def greedy_cycle_plan(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> float:
    """Return the cost of the naive plan: while a cycle is left, drop the cheapest guarantee
    of a shortest cycle (the baseline an analyst would do by hand)."""
    from guanxi.algorithms.break_plan import _pairs, _short_cycles

    ps, pd, pw, _ = _pairs(n, src, dst, w)
    alive = np.ones(len(ps), dtype=bool)
    cost = 0.0
    while True:
        cyc = _short_cycles(n, ps, pd, alive, 1)
        if not cyc:
            return cost
        e = min(cyc[0], key=lambda x: pw[x])
        alive[e] = False
        cost += float(pw[e])


def els_plan(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> float:
    """Return the cost of the plain weighted Eades–Lin–Smyth order's backward guarantees
    (the greedy heuristic before sifting)."""
    from guanxi.algorithms.break_plan import _els_order, _pairs

    ps, pd, pw, _ = _pairs(n, src, dst, w)
    pos = np.empty(n)
    pos[_els_order(n, ps, pd, pw)] = np.arange(n)
    return float(pw[pos[ps] > pos[pd]].sum())


def giant_main(a: argparse.Namespace) -> None:
    """Print the giant-circle scenarios beside networkx and the plan beside baselines."""
    import multiprocessing as mp

    from guanxi.algorithms.break_plan import feedback_arc_set
    from guanxi.algorithms.cycles import cycle_census

    ctx = mp.get_context("spawn")
    nontrivial_sccs(3, np.array([0, 1]), np.array([1, 0]))  # warm-up: scipy, numba kernels
    cycle_census(3, np.array([0, 1, 2]), np.array([1, 2, 0]))
    print("giant circles: each scenario runs in a fresh process (peak RSS is that process's); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at start")
    rows = []
    for kind, n in (("hub", a.giant_nodes), ("dense", 2_000)):
        with ctx.Pool(1) as pool:
            r = pool.map(_child, [(kind, n, a.cycle_budget, 3 if kind == "hub" else 5)])[0]
        rows.append((kind, r))
        t = r["times"]
        mot = r["motifs"]
        print(f"\n{kind} SCC: {r['n']:,} parties, {r['m']:,} guarantees, one circle of "
              f"{r['size']:,}; numba compile {r['jit']:.1f} s (not counted)")
        print("  wall (CPU) s: " + ", ".join(f"{k} {v:.2f} ({r['cpu'][k]:.2f})"
                                            for k, v in t.items()))
        print(f"  peak RSS {r['rss_mb']:.0f} MB; cycles by length {mot['cycles_by_length']} "
              f"(exact up to {mot['exact_up_to']}, capped {mot['capped']}); "
              f"{r['sub_circles']} sub-circles; hubs {[h['guarantees'] for h in r['hubs']]}")
        p = r["plan"]
        print(f"  break plan: {r['plan_guarantees']:,} guarantees, ¥{p['amount']:,.0f} "
              f"({p['method']}, exact {p['exact']}, lower bound ¥{p['lower_bound']:,.0f}, "
              f"gap ≤ {p['amount'] / max(p['lower_bound'], 1):.2f}×); {r['fvs']:,} guarantors "
              f"(lower bound {p['guarantors_lower_bound']:,}); DebtRank for {r['sources']:,} "
              f"sources; downstream exact for {r['downstream_exact']:,} parties")
        # networkx on the part it can finish: cycles up to a short length, same graph, in a
        # child process stopped after --nx-timeout seconds
        src, dst = r["src"], r["dst"]
        t0 = time.perf_counter()
        ours_scc = nontrivial_sccs(n, src, dst)
        t_me = time.perf_counter() - t0
        g = nx.DiGraph()
        g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        t0 = time.perf_counter()
        theirs_scc = [c for c in nx.strongly_connected_components(g) if len(c) >= 2]
        t_nx = time.perf_counter() - t0
        same = {frozenset(c.tolist()) for c in ours_scc} == {frozenset(c) for c in theirs_scc}
        print(f"  SCC: guanxi {t_me:.3f} s, networkx {t_nx:.3f} s ({t_nx / max(t_me, 1e-9):.1f}×); "
              f"equal {'yes' if same else 'NO'}")
        for bound in range(2, min(mot["exact_up_to"], a.nx_max_len) + 1):
            t0 = time.perf_counter()
            mine = cycle_census(n, src, dst, max_len=bound, budget=10**12)
            t_me = time.perf_counter() - t0
            with ctx.Pool(1) as pool:
                job = pool.apply_async(_nx_cycles, [(src, dst, bound)])
                try:
                    cnt, t_nx = job.get(timeout=a.nx_timeout)
                except mp.TimeoutError:
                    pool.terminate()
                    print(f"  cycles ≤ {bound}: guanxi census {t_me:.2f} s; networkx "
                          f"simple_cycles did not finish in {a.nx_timeout:.0f} s")
                    break
            print(f"  cycles ≤ {bound}: guanxi census {t_me:.2f} s, networkx simple_cycles "
                  f"{t_nx:.2f} s ({t_nx / max(t_me, 1e-9):.1f}×); equal "
                  f"{'yes' if cnt == mine.counts else 'NO'} ({sum(cnt.values()):,} cycles)")
        w = guarantee_table_of(src, dst)["amount"].to_numpy()
        t0 = time.perf_counter()
        base = els_plan(n, src, dst, w)
        print(f"  plan cost vs greedy (plain Eades–Lin–Smyth order): ¥{p['amount']:,.0f} vs "
              f"¥{base:,.0f} ({p['amount'] / base:.3f}×; greedy {time.perf_counter() - t0:.1f} s)")
    # small circles: exact plan vs brute force vs the naive greedy
    print("\nsmall circles (random SCCs, 5–7 parties, 8–12 pairs): exact plan vs brute force "
          "vs naive greedy (drop the cheapest guarantee of a shortest cycle until none is left)")
    rng = np.random.default_rng(11)
    worse = 0
    ratio = []
    t_plan = t_brute = 0.0
    cases = 0
    while cases < a.small_cases:
        n = int(rng.integers(5, 8))
        src = np.concatenate([np.arange(n), rng.integers(0, n, int(rng.integers(3, 6)))])
        dst = np.concatenate([np.roll(np.arange(n), -1), rng.integers(0, n, len(src) - n)])
        keep = src != dst
        src, dst = src[keep], dst[keep]
        if len(set(zip(src.tolist(), dst.tolist(), strict=True))) > 12:
            continue
        cases += 1
        w = rng.integers(1, 100, len(src)).astype(float) * 10_000
        t0 = time.perf_counter()
        plan = feedback_arc_set(n, src, dst, w)
        t_plan += time.perf_counter() - t0
        t0 = time.perf_counter()
        opt = brute_fas(n, src, dst, w)
        t_brute += time.perf_counter() - t0
        worse += abs(plan.weight - opt) > 1e-6
        ratio.append(greedy_cycle_plan(n, src, dst, w) / opt)
    print(f"  {cases} circles: plan = brute-force optimum in {cases - worse}/{cases}; "
          f"naive greedy costs {np.mean(ratio):.2f}× the optimum on average (max "
          f"{max(ratio):.2f}×); plan {t_plan:.2f} s, brute force {t_brute:.2f} s in total")
    hub = rows[0][1]
    print(f"\nMust show (hub SCC, {hub['n']:,} parties): whole analysis "
          f"{hub['times']['total']:.1f} s wall, {hub['cpu']['total']:.1f} s CPU "
          f"(≤ 30 s: {'yes' if hub['times']['total'] <= 30 else 'NO'}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), "
          f"peak RSS {hub['rss_mb']:.0f} MB (≤ 2048: {'yes' if hub['rss_mb'] <= 2048 else 'NO'})")


def brute_fas(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> float:
    """Return the optimum feedback arc set weight by trying every subset of distinct pairs."""
    import itertools

    from guanxi.algorithms.break_plan import _pairs, has_cycle

    ps, pd, pw, _ = _pairs(n, src, dst, w)
    best = float("inf")
    idx = range(len(ps))
    for r in range(len(ps) + 1):
        for combo in itertools.combinations(idx, r):
            c = float(pw[list(combo)].sum())
            if c >= best:
                continue
            keep = np.ones(len(ps), dtype=bool)
            keep[list(combo)] = False
            if not has_cycle(n, ps[keep], pd[keep]):
                best = c
    return best


if __name__ == "__main__":
    main()
