"""Default contagion: mapping, fixed point against a hand computation, DebtRank, paths."""

from __future__ import annotations

import numpy as np
from guanxi.algorithms.contagion import (
    debtrank,
    explain_paths,
    guarantee_weights,
    loan_probability,
    negative_probability,
    propagate_default,
)


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
