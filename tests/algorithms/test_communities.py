"""Fund-flow communities: planted groups recovered, profiles, determinism, store write-back."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.algorithms import communities as comm
from guanxi.cli import analyze_marketing as am
from guanxi.graph.embedded import EmbeddedStore
from tests.algorithms import mkt_fixtures as mf


@pytest.fixture(scope="module")
def planted() -> mf.Planted:
    return mf.build()


def test_planted_communities_recovered(planted: mf.Planted) -> None:
    res = am.compute_communities(mf.projection(planted))
    score = comm.planted_nmi(res["assignment"], planted.communities)
    print(f"NMI over planted members: {score:.3f}")
    assert score >= 0.9
    top = res["profiles"][0]
    assert {"size", "customers", "non_customers", "tiers", "internal_flow", "total_flow",
            "grids", "managers", "key_members"} <= set(top)
    assert top["customers"] + top["non_customers"] == top["size"]
    assert top["internal_flow"] <= top["total_flow"]


def test_leiden_is_deterministic(planted: mf.Planted) -> None:
    proj = mf.projection(planted)
    a = am.compute_communities(proj)["assignment"]
    b = am.compute_communities(proj)["assignment"]
    assert a == b


def test_merge_households_keeps_families_together(planted: mf.Planted) -> None:
    res = am.compute_communities(mf.projection(planted), merge_households=True)
    by_h: dict[str, set[int]] = {}
    for x in planted.nodes["Person"]:
        by_h.setdefault(x["household_id"], set()).add(res["assignment"][x["id"]])
    assert all(len(v) == 1 for v in by_h.values())


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


def test_run_communities_writes_back_idempotently(planted: mf.Planted, tmp_path: Path) -> None:
    st_ = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    try:
        mf.load_into(st_, planted)
        out1 = am.run_communities(st_)
        c1 = st_.counts()
        out2 = am.run_communities(st_)
        c2 = st_.counts()
        assert c1["Community"] == c2["Community"] == out1["communities"] == out2["communities"]
        assert c1["IN_COMMUNITY"] == c2["IN_COMMUNITY"] == out1["members"]
        rows = st_.run("api_communities", {"skip": 0, "limit": 10})
        prof = json.loads(rows[0]["profile_json"])
        assert prof["size"] == rows[0]["size"]
        # the external account prospect is a member too
        assign = am.stored_assignment(st_)
        assert planted.prospect in assign
    finally:
        st_.close()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return mf.county(tmp_path_factory.getbasetemp())


def test_generated_county_communities_nmi(county: dict) -> None:
    nid = county["nid"]
    planted = [[nid(m) for m in c["members"]] for c in county["truth"]["communities"]]
    score = comm.planted_nmi(county["assignment"], planted)
    print(f"generated county: {len(planted)} planted communities, NMI {score:.3f}, "
          f"modularity {county['communities']['modularity']}")
    assert score >= 0.9
