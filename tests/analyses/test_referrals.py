"""analyses.referrals: trees, referrers and K-factors of the planted tree, stored as typed
results (one envelope per kind) and read back; a generated county's trees recovered exactly."""

from __future__ import annotations

import pyarrow as pa
import pytest

from guanxi.analyses import prospects as ap
from guanxi.analyses import referrals as ar
from guanxi.graph.store import GraphStore
from tests.analyses import mkt_fixtures as mf


def test_run_referrals_stores_trees_and_prospects(store: GraphStore) -> None:
    p = mf.build()
    mf.load_into(store, p)
    assert ar.stored_referrals(store) is None
    out = ar.run_referrals(store, top=3)
    assert out.influencers[0].referrer == p.tree_root and len(out.influencers) <= 3
    assert out.influencers == out.referrers[: len(out.influencers)]
    assert out.referrers[0].name == "人0_1"
    assert store.counts()["Community"] > 0  # ran communities first
    stored = ar.stored_referrals(store)
    assert stored is not None and stored.computed_at == out.computed_at
    assert (stored.trees, stored.referrers, stored.campaigns, stored.grids) == (
        out.trees, out.referrers, out.campaigns, out.grids)
    assert ap.stored_prospects(store) == out.prospects
    page, note = ar.referrers_page(store, 0, 1)
    assert page == out.referrers[:1] and note == f"computed_at {out.computed_at}"
    again = ar.run_referrals(store)
    assert [x.prospect for x in again.prospects] == [x.prospect for x in out.prospects]


def test_compute_referrals_names_and_grids() -> None:
    t = pa.table({"src": ["P:a", "P:a"], "dst": ["P:b", "P:c"], "date": ["2026-01-01"] * 2,
                  "campaign": ["春", "春"], "converted": [True, False]})
    parties = pa.table({"id": ["P:a", "P:b"], "name": ["甲", "乙"], "grid_id": ["G:1", None]})
    trees, stats, campaigns, grids = ar.compute_referrals(t, parties)
    assert [(s.referrer, s.name, s.grid, s.k_factor) for s in stats] == [("P:a", "甲", "G:1",
                                                                           1.0)]
    assert [(g.group, g.k_factor) for g in campaigns] == [("春", 1.0)]
    assert [(g.group, g.invites) for g in grids] == [("G:1", 2)]
    assert [(tr.root, tr.size) for tr in trees] == [("P:a", 2)]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return mf.county(tmp_path_factory.getbasetemp())


def test_generated_county_trees_recovered_exactly(county: dict) -> None:
    nid = county["nid"]
    found = {t["root"]: t for t in county["referrals"]["trees"]}
    planted = county["truth"]["referral_trees"]
    assert planted
    for t in planted:
        f = found[nid(t["root"])]
        assert f["edges"] == sorted([nid(a), nid(b)] for a, b in t["edges"])
        assert f["depth"] == t["depth"]
        assert f["converted"] == sorted(nid(x) for x in t["converted"])
    assert len(found) == len(planted)


def test_generated_county_k_sums_to_converted_referees(county: dict) -> None:
    """Every converted referee is credited to exactly one referrer."""
    trees = county["referrals"]["trees"]
    referrers = county["referrals"]["referrers"]
    assert sum(r["converted"] for r in referrers) == sum(len(t["converted"]) for t in trees)
    assert round(sum(r["k_factor"] for r in referrers)) == sum(len(t["converted"])
                                                               for t in trees)
