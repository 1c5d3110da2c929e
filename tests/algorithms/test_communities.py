"""Fund-flow communities: planted groups recovered, profiles, determinism, store write-back."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.algorithms import communities as comm


def test_modularity_matches_networkx_on_karate() -> None:
    g = nx.karate_club_graph()
    import igraph as ig

    ig_g = ig.Graph(n=g.number_of_nodes(), edges=list(g.edges()))
    ig_g.vs["name"] = [str(i) for i in range(ig_g.vcount())]
    ig_g.es["weight"] = [float(g.edges[e].get("weight", 1.0)) for e in g.edges()]
    m = comm.leiden(ig_g)
    parts = [{i for i, c in enumerate(m) if c == k} for k in set(m)]
    assert comm.modularity(ig_g, m) == pytest.approx(
        nx.community.modularity(g, parts, weight="weight"), abs=1e-9)
    louvain = nx.community.louvain_communities(g, weight="weight", seed=1)
    assert comm.modularity(ig_g, m) >= nx.community.modularity(g, louvain, weight="weight") - 1e-9


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=40))
def test_nmi_of_relabelled_partition_is_one(labels: list[int]) -> None:
    perm = {v: (v * 7 + 3) % 11 for v in set(labels)}
    assert comm.nmi(labels, [perm[v] for v in labels]) == pytest.approx(1.0)
