"""拆圈断链 plans: no cycle is left (networkx checks), and small plans equal brute force."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.algorithms.break_plan import (
    cycle_packing_bound,
    feedback_arc_set,
    feedback_vertex_set,
)
from guanxi.algorithms.cycles import cycle_census


def _nx_acyclic(n: int, src: np.ndarray, dst: np.ndarray, drop_edges: set[int] = frozenset(),
                drop_nodes: set[int] = frozenset()) -> bool:
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((int(a), int(b)) for i, (a, b) in enumerate(zip(src, dst, strict=True))
                     if i not in drop_edges and a not in drop_nodes and b not in drop_nodes
                     and a != b)
    return nx.is_directed_acyclic_graph(g)


def _brute_fas(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> float:
    """Return the least weight of an edge subset whose removal leaves no cycle."""
    pairs: dict[tuple[int, int], list[int]] = {}
    for i, (a, b) in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
        if a != b:
            pairs.setdefault((a, b), []).append(i)
    keys = list(pairs)
    best = float("inf")
    for r in range(len(keys) + 1):
        for combo in itertools.combinations(keys, r):
            drop = {i for k in combo for i in pairs[k]}
            cost = float(sum(w[i] for i in drop))
            if cost < best and _nx_acyclic(n, src, dst, drop_edges=drop):
                best = cost
    return best


def _brute_fvs(n: int, src: np.ndarray, dst: np.ndarray) -> int:
    for r in range(n + 1):
        for combo in itertools.combinations(range(n), r):
            if _nx_acyclic(n, src, dst, drop_nodes=set(combo)):
                return r
    return n


@st.composite
def small_graphs(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 6))
    m = draw(st.integers(2, 9))
    src = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    dst = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    w = np.array(draw(st.lists(st.integers(0, 9), min_size=m, max_size=m)), dtype=float)
    return n, src, dst, w


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_graphs())
def test_plan_equals_brute_force_and_leaves_no_cycle(g: tuple) -> None:
    n, src, dst, w = g
    plan = feedback_arc_set(n, src, dst, w)
    assert plan.exact
    assert _nx_acyclic(n, src, dst, drop_edges=set(plan.edges))
    assert abs(plan.weight - _brute_fas(n, src, dst, w)) < 1e-9
    assert plan.lower_bound <= plan.weight + 1e-9
    ok = src != dst
    assert cycle_packing_bound(n, src[ok], dst[ok], w[ok]) <= plan.weight + 1e-9
    fvs = feedback_vertex_set(n, src, dst)
    assert _nx_acyclic(n, src, dst, drop_nodes=set(fvs.nodes))
    assert len(fvs.nodes) == _brute_fvs(n, src, dst)


def _dense_scc(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = np.concatenate([np.arange(n), rng.integers(0, n, m)])
    dst = np.concatenate([np.roll(np.arange(n), -1), rng.integers(0, n, m)])
    keep = src != dst
    return src[keep], dst[keep], rng.uniform(1.0, 100.0, int(keep.sum()))


def test_heuristic_plan_on_a_large_circle_leaves_no_cycle() -> None:
    n = 300
    src, dst, w = _dense_scc(n, 1500, 5)
    plan = feedback_arc_set(n, src, dst, w, exact_max_pairs=0)
    assert not plan.exact
    assert _nx_acyclic(n, src, dst, drop_edges=set(plan.edges))
    assert 0 < plan.lower_bound <= plan.weight
    fvs = feedback_vertex_set(n, src, dst, exact_max_nodes=0)
    assert not fvs.exact
    assert _nx_acyclic(n, src, dst, drop_nodes=set(fvs.nodes))
    assert 0 < fvs.lower_bound <= len(fvs.nodes)


def test_exact_plan_on_a_mid_size_circle_beats_the_heuristic() -> None:
    n = 40
    src, dst, w = _dense_scc(n, 80, 9)
    exact = feedback_arc_set(n, src, dst, w)
    heur = feedback_arc_set(n, src, dst, w, exact_max_pairs=0)
    assert exact.exact and _nx_acyclic(n, src, dst, drop_edges=set(exact.edges))
    assert exact.weight <= heur.weight + 1e-9
    assert heur.lower_bound <= exact.weight + 1e-9


@settings(max_examples=40, deadline=None)
@given(small_graphs())
def test_cycle_census_equals_networkx(g: tuple) -> None:
    n, src, dst, w = g
    c = cycle_census(n, src, dst, w, max_len=4)
    gx = nx.DiGraph()
    gx.add_edges_from((int(a), int(b)) for a, b in zip(src, dst, strict=True) if a != b)
    want: dict[int, int] = {}
    for cyc in nx.simple_cycles(gx, length_bound=4):
        if len(cyc) >= 2:
            want[len(cyc)] = want.get(len(cyc), 0) + 1
    assert c.counts == want and not c.capped


def test_cycle_census_caps_with_lower_bounds() -> None:
    src, dst, _ = _dense_scc(60, 240, 3)
    full = cycle_census(60, src, dst, max_len=6)
    capped = cycle_census(60, src, dst, max_len=6, budget=full.steps // 3)
    assert not full.capped and capped.capped
    for ln, k in capped.counts.items():
        if ln <= capped.exact_up_to:
            assert k == full.counts[ln]
        else:
            assert k <= full.counts[ln]
