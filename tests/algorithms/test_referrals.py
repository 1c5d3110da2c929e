"""MGM referral trees, K-factor and influencers on a planted tree; store write-back."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from guanxi.algorithms import referrals as refs
from guanxi.cli import analyze_marketing as am
from guanxi.graph.embedded import EmbeddedStore
from tests.algorithms import mkt_fixtures as mf


def test_planted_tree_recovered_exactly() -> None:
    p = mf.build()
    trees = refs.referral_trees(mf.edge_table(p, "REFERRED"))
    tree = next(t for t in trees if t["root"] == p.tree_root)
    assert tree["edges"] == p.tree_edges
    assert tree["converted"] == p.tree_converted
    assert tree["depth"] == 3
    assert tree["max_fanout"] == 3
    assert tree["campaign"] == "春季MGM"
    assert len(trees) == 2


def test_double_invitation_keeps_earliest_and_no_cycles() -> None:
    t = pa.table({"src": ["a", "b", "c", "x"], "dst": ["c", "c", "a", "x"],
                  "date": ["2026-01-02", "2026-01-01", "2026-01-03", "2026-01-01"],
                  "converted": [True, True, True, True]})
    forest = refs.parent_edges(t)
    assert [(e["src"], e["dst"]) for e in forest] == [("b", "c"), ("c", "a")]


def test_k_factor_and_influencers() -> None:
    p = mf.build()
    r = mf.edge_table(p, "REFERRED")
    stats = refs.referrer_stats(r)
    top = stats[0]
    assert top["referrer"] == p.tree_root
    assert top["invites"] == 3 and top["converted"] == 2
    assert top["k_factor"] == 2.0
    assert top["descendants"] == 6 and top["descendants_converted"] == 4
    camp = {g["group"]: g for g in refs.group_k_factor(r)}
    # 春季: 3 referrers, 6 invites, 4 converted → 2 invites/referrer × 2/3 = 1.333
    assert round(camp["春季MGM"]["k_factor"], 3) == 1.333


def test_run_referrals_stores_trees_and_prospects(tmp_path: Path) -> None:
    p = mf.build()
    st = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    try:
        mf.load_into(st, p)
        out = am.run_referrals(st)
        assert out["influencers"][0]["referrer"] == p.tree_root
        assert st.counts()["Community"] > 0  # ran communities first
        stored = json.loads(st.get_meta(am.META_PROSPECTS) or "{}")
        assert stored["prospects"] == json.loads(json.dumps(out["prospects"]))
        again = am.run_referrals(st)
        assert [x["prospect"] for x in again["prospects"]] == [
            x["prospect"] for x in out["prospects"]]
    finally:
        st.close()


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
