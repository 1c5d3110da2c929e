"""Default contagion: mapping, fixed point against a hand computation, DebtRank, paths."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.algorithms.contagion import (
    condensation_levels,
    debtrank,
    explain_paths,
    guarantee_weights,
    loan_probability,
    negative_probability,
    propagate_default,
)
from guanxi.algorithms.cycles import scc_labels


def test_mapping_is_monotone() -> None:
    ps = [loan_probability(c, 0) for c in ("正常", "关注", "次级", "可疑", "损失")]
    assert ps == sorted(ps) and ps[0] < ps[-1]
    assert loan_probability("正常", 400) == 0.9
    assert negative_probability([]) == 0.0
    assert negative_probability(["失信被执行人"]) > negative_probability(["被执行人"])


def test_fixed_point_matches_hand_iteration() -> None:
    # circle A(0) ⇄ B(1), C(2) guarantees A
    src, dst = np.array([0, 1, 2]), np.array([1, 0, 0])
    w = np.array([0.5, 0.8, 1.0])
    p_own = np.array([0.1, 0.3, 0.0])
    p, it = propagate_default(3, src, dst, w, p_own)
    a, b = 0.1, 0.3
    for _ in range(500):
        a, b = 1 - 0.9 * (1 - 0.5 * b), 1 - 0.7 * (1 - 0.8 * a)
    assert np.allclose(p, [a, b, a], atol=1e-9)
    assert it < 200
    # fixed point: applying the map once more changes nothing
    q, _ = propagate_default(3, src, dst, w, p_own, max_iter=1)
    assert np.all(q >= p_own)


def test_weights_clip() -> None:
    assert guarantee_weights(np.array([5.0, 50.0, 1.0]), np.array([10.0, 10.0, 0.0])).tolist() \
        == [0.5, 1.0, 1.0]


def test_debtrank_each_node_propagates_once() -> None:
    # cycle 0→1→0 (guarantees) with full impact: distress must not loop forever
    src, dst = np.array([0, 1]), np.array([1, 0])
    r = debtrank(2, src, dst, np.array([1.0, 1.0]), np.array([0.5, 0.5]))
    assert np.allclose(r, [0.5, 0.5])
    # star: borrower 0 guaranteed by 1,2,3 with impact 0.5 each
    src, dst = np.array([1, 2, 3]), np.array([0, 0, 0])
    r = debtrank(4, src, dst, np.full(3, 0.5), np.full(4, 0.25))
    assert np.isclose(r[0], 3 * 0.5 * 0.25) and r[1] == 0


def test_explain_paths_rank_contributions() -> None:
    src, dst = np.array([0, 0, 1]), np.array([1, 2, 3])
    w = np.array([1.0, 0.2, 0.5])
    p_own = np.array([0.0, 0.1, 0.9, 0.8])
    paths = explain_paths(0, src, dst, w, p_own, loans=["La", "Lb", "Lc"])
    assert paths[0]["path"] == [0, 1, 3] and paths[0]["loans"] == ["La", "Lc"]
    assert np.isclose(paths[0]["contribution"], 0.4)


def _reference_fixed_point(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray,
                           p_own: np.ndarray) -> np.ndarray:
    """Plain Jacobi rounds of the defining equation from p = p_own (the least fixed point)."""
    p = p_own.copy()
    for _ in range(100_000):
        keep = 1 - p_own
        for s, d, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
            keep[s] *= 1 - x * p[d]
        new = 1 - keep
        if np.max(np.abs(new - p)) < 1e-14:
            return new
        p = new
    raise AssertionError("reference did not converge")


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 14), st.integers(0, 2**32 - 1))
def test_level_solver_equals_plain_iteration(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(0, 3 * n + 1))
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)  # self-loops, parallel edges and cycles included
    w = rng.uniform(0.0, 0.9, m)
    p_own = rng.choice([0.0, 0.02, 0.1, 0.35, 0.65, 0.95, 1.0], n)
    p, _ = propagate_default(n, src, dst, w, p_own)
    assert np.allclose(p, _reference_fixed_point(n, src, dst, w, p_own), rtol=0, atol=1e-9)


def test_level_solver_on_a_larger_graph_with_circles() -> None:
    rng = np.random.default_rng(5)
    n = 300
    # a DAG (u → v > u) plus planted rings of 2..6 nodes and edges into and out of them
    u = rng.integers(0, n - 1, 600)
    v = np.minimum(u + 1 + rng.geometric(0.2, 600), n - 1)
    rings = [np.arange(s, s + k) for s, k in ((20, 2), (50, 3), (90, 6), (200, 4), (250, 5))]
    src = np.concatenate([u, *rings, rng.integers(0, n, 40)])
    dst = np.concatenate([v, *(np.roll(r, -1) for r in rings), rng.integers(0, n, 40)])
    w = rng.uniform(0.05, 0.8, len(src))
    p_own = rng.choice([0.02, 0.1, 0.35, 0.65, 0.95], n)
    p, passes = propagate_default(n, src, dst, w, p_own)
    assert np.allclose(p, _reference_fixed_point(n, src, dst, w, p_own), rtol=0, atol=1e-9)
    assert np.all(p >= p_own - 1e-15)
    assert passes > 0


def test_condensation_levels_order_dependencies() -> None:
    # 0 guarantees 1, 1 ⇄ 2 (a circle), 2 guarantees 3; 4 isolated
    src, dst = np.array([0, 1, 2, 2]), np.array([1, 2, 1, 3])
    lab = scc_labels(5, src, dst)
    lev = condensation_levels(5, src, dst, lab)[lab]
    assert lev[3] == 0 and lev[4] == 0 and lev[1] == lev[2] == 1 and lev[0] == 2


def _reference_debtrank(n: int, src: np.ndarray, dst: np.ndarray, impact: np.ndarray,
                        value: np.ndarray) -> np.ndarray:
    """Battiston et al. 2012, one source at a time, synchronous rounds, plain Python."""
    out = np.zeros(n)
    for s in range(n):
        h = np.zeros(n)
        h[s] = 1.0
        state = ["U"] * n
        state[s] = "D"
        while "D" in state:
            push = np.zeros(n)
            for g, b, x in zip(src.tolist(), dst.tolist(), impact.tolist(), strict=True):
                if state[b] == "D":
                    push[g] += x * h[b]
            h = np.minimum(1.0, h + push)
            state = ["I" if st_ == "D" else ("D" if st_ == "U" and h[j] > 0 else st_)
                     for j, st_ in enumerate(state)]
        out[s] = float(h @ value) - value[s]
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10), st.integers(0, 2**32 - 1))
def test_debtrank_equals_plain_rounds(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(0, 3 * n + 1))
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    impact = rng.choice([0.0, 0.1, 0.5, 1.0], m)
    value = rng.uniform(0, 1, n)
    value /= value.sum()
    got = debtrank(n, src, dst, impact, value, batch=3)
    assert np.allclose(got, _reference_debtrank(n, src, dst, impact, value), atol=1e-12)
