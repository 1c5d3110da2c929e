"""analyses.communities: planted communities recovered as typed profiles, determinism,
households kept together, the write-back (Community nodes + IN_COMMUNITY) idempotent, the
run stored in the envelope; a generated county's planted communities."""

from __future__ import annotations

import json

import pytest

from guanxi.algorithms import communities as comm
from guanxi.analyses import communities as ac
from guanxi.analyses.results import read_stored
from guanxi.analyses.results.marketing import COMMUNITY_RUN, Community, community_from_node
from guanxi.graph.store import GraphStore
from tests.analyses import mkt_fixtures as mf


@pytest.fixture(scope="module")
def planted() -> mf.Planted:
    return mf.build()


def test_planted_communities_recovered(planted: mf.Planted) -> None:
    res = ac.compute_communities(mf.projection(planted))
    score = comm.planted_nmi(res.assignment, planted.communities)
    print(f"NMI over planted members: {score:.3f}")
    assert score >= 0.9
    top = res.profiles[0]
    assert isinstance(top, Community) and top.id == res.ids[top.index] == "Y:r1#0"
    assert top.customers + top.non_customers == top.size
    assert top.internal_flow <= top.total_flow
    assert top.key_members and top.grids and top.managers


def test_leiden_is_deterministic(planted: mf.Planted) -> None:
    proj = mf.projection(planted)
    a = ac.compute_communities(proj)
    b = ac.compute_communities(proj)
    assert a.assignment == b.assignment and a.profiles == b.profiles


def test_merge_households_keeps_families_together(planted: mf.Planted) -> None:
    res = ac.compute_communities(mf.projection(planted), merge_households=True)
    by_h: dict[str, set[int]] = {}
    for x in planted.nodes["Person"]:
        by_h.setdefault(x["household_id"], set()).add(res.assignment[x["id"]])
    assert all(len(v) == 1 for v in by_h.values())


def test_run_communities_writes_back_idempotently(planted: mf.Planted,
                                                  store: GraphStore) -> None:
    mf.load_into(store, planted)
    out1 = ac.run_communities(store)
    c1 = store.counts()
    assert c1["Community"] == out1.communities > 1 and c1["IN_COMMUNITY"] == out1.members
    # a run that keeps only the largest community deletes the others and their members' edges
    sizes = [p.size for p in out1.profiles]
    out2 = ac.run_communities(store, min_size=sizes[0])
    c2 = store.counts()
    assert c2["Community"] == out2.communities == sizes.count(sizes[0])
    assert c2["IN_COMMUNITY"] == out2.members
    out3 = ac.run_communities(store)
    assert store.counts() == c1 and out3.profiles == out1.profiles
    rows = store.run("api_communities", {"skip": 0, "limit": 10})
    node = community_from_node(rows[0])
    assert node.profile == out1.profiles[0] and node.size == out1.profiles[0].size
    assert json.loads(rows[0]["profile_json"])["id"] == node.id
    # the external account prospect is a member too
    assert planted.prospect in ac.stored_assignment(store)
    run = read_stored(store, COMMUNITY_RUN)
    assert run is not None and run.items == []
    assert run.summary["communities"] == out3.communities
    assert run.parameters["resolution"] == 1.0


def test_a_node_profile_that_is_not_a_community_reads_as_none() -> None:
    node = community_from_node({"id": "Y:r1#0", "size": 3, "profile_json": '{"size": 3}'})
    assert node.profile is None and node.size == 3
    assert community_from_node({"id": "Y:r1#0", "profile_json": "not json"}).profile is None


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
