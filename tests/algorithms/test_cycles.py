"""Bounded simple-cycle search: hand-built graphs and a networkx oracle property test."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.algorithms.cycles import (
    canonical_rotation,
    mutual_pairs,
    nontrivial_sccs,
    simple_cycles,
)


def _arr(xs: list[int]) -> np.ndarray:
    return np.array(xs, dtype=np.int64)


def test_five_member_ring_and_chord() -> None:
    # 0→1→2→3→4→0 plus chord 2→0: cycles (0,1,2,3,4) and (0,1,2)
    src = _arr([0, 1, 2, 3, 4, 2, 5])
    dst = _arr([1, 2, 3, 4, 0, 0, 0])
    assert sorted(simple_cycles(6, src, dst, 8)) == [(0, 1, 2), (0, 1, 2, 3, 4)]
    assert [c.tolist() for c in nontrivial_sccs(6, src, dst)] == [[0, 1, 2, 3, 4]]
    assert simple_cycles(6, src, dst, 4) == [(0, 1, 2)]


def test_parallel_edges_count_once_and_self_loops_optional() -> None:
    src, dst = _arr([0, 0, 1, 2]), _arr([1, 1, 0, 2])
    assert simple_cycles(3, src, dst, 8) == [(0, 1)]
    assert sorted(simple_cycles(3, src, dst, 8, self_loops=True)) == [(0, 1), (2,)]


def test_mutual_pairs() -> None:
    assert mutual_pairs(_arr([0, 1, 2, 3]), _arr([1, 0, 3, 2])) == [(0, 1), (2, 3)]


def test_empty_graph() -> None:
    assert simple_cycles(0, _arr([]), _arr([]), 8) == []
    assert simple_cycles(4, _arr([]), _arr([]), 8) == []


edges_strategy = st.integers(1, 9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30),
        st.integers(1, 8),
    )
)


@settings(max_examples=300, deadline=None)
@given(edges_strategy)
def test_equals_networkx_simple_cycles(case: tuple[int, list[tuple[int, int]], int]) -> None:
    n, edges, k = case
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    expected = {canonical_rotation(c) for c in nx.simple_cycles(g, length_bound=k)}
    src = _arr([a for a, _ in edges])
    dst = _arr([b for _, b in edges])
    got = simple_cycles(n, src, dst, k, self_loops=True)
    assert len(got) == len(set(got))
    assert set(got) == expected
