"""MGM referral trees, K-factor and influencers on a planted tree; store write-back."""

from __future__ import annotations

import pyarrow as pa

from guanxi.algorithms import referrals as refs
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


def test_a_person_invited_twice_is_credited_once() -> None:
    # c is invited by b (earlier) and by a (later) and converts: one new customer, b's
    t = pa.table({"src": ["a", "b", "a"], "dst": ["c", "c", "d"],
                  "date": ["2026-01-05", "2026-01-01", "2026-01-02"],
                  "campaign": ["春", "秋", "春"], "converted": [True, True, False]})
    stats = {s["referrer"]: s for s in refs.referrer_stats(t)}
    assert (stats["b"]["invites"], stats["b"]["converted"], stats["b"]["k_factor"]) == (1, 1, 1.0)
    assert (stats["a"]["invites"], stats["a"]["converted"], stats["a"]["k_factor"]) == (1, 0, 0.0)
    assert sum(s["converted"] for s in stats.values()) == 1
    assert sum(s["k_factor"] for s in stats.values()) == 1.0
    camp = {g["group"]: g for g in refs.group_k_factor(t)}
    assert (camp["秋"]["invites"], camp["秋"]["converted"], camp["秋"]["k_factor"]) == (1, 1, 1.0)
    assert (camp["春"]["invites"], camp["春"]["converted"], camp["春"]["k_factor"]) == (1, 0, 0.0)
    grids = {g["group"]: g for g in refs.group_k_factor(t, {"a": "G1", "b": "G1"}, by="referrer")}
    assert (grids["G1"]["referrers"], grids["G1"]["invites"], grids["G1"]["converted"]) == (
        2, 2, 1)
    # the trees agree: c belongs to b's tree only
    trees = {tr["root"]: tr for tr in refs.referral_trees(t)}
    assert trees["b"]["converted"] == ["c"] and trees["a"]["converted"] == []


def test_k_sums_to_converted_referees_with_double_invitations() -> None:
    # every referee invited by two people, both invitations converting: K sums to the
    # number of converted referees, not twice it
    src, dst, date = [], [], []
    for i in range(5):
        for j, r in enumerate(("x", "y")):
            src.append(r)
            dst.append(f"n{i}")
            date.append(f"2026-0{1 + j}-0{1 + i}")
    t = pa.table({"src": src, "dst": dst, "date": date, "converted": [True] * len(src)})
    stats = refs.referrer_stats(t)
    assert sum(s["k_factor"] for s in stats) == 5.0
    assert [s["referrer"] for s in stats] == ["x"]
    assert sum(g["converted"] for g in refs.group_k_factor(t)) == 5


def test_a_referrer_whose_invitations_closed_a_cycle_has_no_row() -> None:
    t = pa.table({"src": ["a", "b"], "dst": ["b", "a"], "date": ["2026-01-01", "2026-01-02"],
                  "converted": [True, True]})
    assert [(s["referrer"], s["converted"]) for s in refs.referrer_stats(t)] == [("a", 1)]


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


def test_same_day_double_invitation_goes_to_the_converted_one() -> None:
    """Two invitations of one referee on the same day: the one marked converted is kept,
    whichever referrer id sorts first (so the PII key does not decide it)."""
    import pyarrow as pa

    from guanxi.algorithms.referrals import parent_edges

    for first, second in (("P:0", "P:f"), ("P:f", "P:0")):
        t = pa.table({"src": [first, second], "dst": ["P:x", "P:x"],
                      "date": ["2026-03-01", "2026-03-01"], "converted": [False, True]})
        assert [r["src"] for r in parent_edges(t)] == [second]
    earlier = pa.table({"src": ["P:f", "P:0"], "dst": ["P:x", "P:x"],
                        "date": ["2026-02-28", "2026-03-01"], "converted": [False, True]})
    assert [r["src"] for r in parent_edges(earlier)] == ["P:f"]  # the earliest still wins
