"""The guarantee and exposure analyses on a tiny hand-built graph, on every backend."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from guanxi.algorithms.guarantee import circle_id
from guanxi.analyses import exposure, guarantee
from guanxi.analyses.results import dump
from guanxi.graph.ids import edge_key
from guanxi.graph.store import GraphStore


def _edges(store: GraphStore, rel: str, a: str, b: str, rows: list[tuple], cols=()) -> None:
    t = {"src": [r[0] for r in rows], "dst": [r[1] for r in rows],
         "key": pa.array([edge_key(rel, r[0], r[1]) for r in rows], pa.int64())}
    for i, c in enumerate(cols):
        t[c] = [r[2 + i] for r in rows]
    store.upsert_edges(rel, a, b, pa.table(t))


def build(store: GraphStore) -> None:
    """5-member plain circle P1..P5, a contracted loop A→P6, C1 (P6 legal rep) → A, and a
    negative record on P5 after the start of P4's loan."""
    store.ensure_schema()
    persons = [f"P:{i}" for i in range(1, 8)]
    store.upsert_nodes("Person", pa.table({
        "id": persons, "name": [f"人{i}" for i in range(1, 8)],
        "grid_id": ["G:1"] * 7, "manager_id": ["M:1"] * 7, "is_customer": [True] * 7}))
    store.upsert_nodes("Company", pa.table({"id": ["C:1"], "name": ["甲公司"],
                                            "registered_capital": [5e6]}))
    # ring P1→P2→…→P5→P1: Pi guarantees the loan of P(i+1); loan Lk borrowed by Pk
    borrowers = {**{f"L:{i}": f"P:{i}" for i in range(1, 6)}, "L:6": "P:6", "L:7": "P:7"}
    store.upsert_nodes("Loan", pa.table({
        "id": list(borrowers), "amount": [1e5] * 7, "balance": [8e4] * 7,
        "start_date": ["2025-01-01"] * 7,
        "classification": ["正常", "正常", "关注", "正常", "次级", "正常", "正常"],
        "overdue_days": pa.array([0, 0, 40, 0, 100, 0, 0], pa.int64())}))
    persons_ = [(b, ln) for ln, b in borrowers.items()]
    _edges(store, "BORROWED", "Person", "Loan", persons_)
    ring = [(f"P:{i}", f"L:{i % 5 + 1}", 1e5) for i in range(1, 6)]
    ring += [("P:7", "L:6", 5e4)]  # P7 guarantees P6's loan
    _edges(store, "GUARANTEES", "Person", "Loan", ring, ("amount",))
    _edges(store, "GUARANTEES", "Company", "Loan", [("C:1", "L:7", 5e4)], ("amount",))
    _edges(store, "LEGAL_REP_OF", "Person", "Company", [("P:6", "C:1")])
    store.upsert_nodes("NegativeRecord", pa.table({"id": ["N:1"], "kind": ["被执行人"],
                                                   "date": ["2025-06-01"]}))
    _edges(store, "SUBJECT_OF", "Person", "NegativeRecord", [("P:5", "N:1")])


def test_guarantee_analysis_writes_circles_idempotently(store: GraphStore) -> None:
    build(store)
    res = dump(guarantee.run_guarantee_analysis(store))
    got = {(tuple(c["members"]), c["contraction"]) for c in res["circles"]}
    assert got == {(("P:1", "P:2", "P:3", "P:4", "P:5"), "none"),
                   (("C:1", "P:6", "P:7"), "legal_rep")}
    plain = next(c for c in res["circles"] if c["contraction"] == "none")
    assert plain["id"] == circle_id([f"P:{i}" for i in range(1, 6)])
    assert plain["grids"] == ["G:1"] and plain["managers"] == ["M:1"]
    assert "担保圈" in plain["explanation"]
    stored = store.export_nodes("Circle", ["size", "contraction"])
    assert sorted(stored["size"].to_pylist()) == [3, 5]
    # 拆圈断链: one guarantee of the ring (all ¥100k) breaks it; stored for the API
    bp = plain["break_plan"]
    assert bp["exact"] and bp["amount"] == 1e5 and len(bp["guarantees"]) == 1
    assert len(bp["guarantors"]) == 1 and "替换这1笔担保（¥10.0万）" in bp["advice"]
    assert bp["advice"] in plain["explanation"]
    motifs = json.loads(store.export_nodes("Circle", ["motifs_json"])
                        .filter(pc.equal(stored["size"], 5))["motifs_json"][0].as_py())
    assert motifs["break_plan"]["guarantees"] == bp["guarantees"]
    assert motifs["live_balance"] == 5 * 8e4 and motifs["history"]["settled_loans"] == 0
    assert store.counts()["IN_CIRCLE"] == 8
    # P5 (次级, overdue 100 days, 被执行人) raises P4, who guarantees its loan
    s = res["scores"]
    assert s["P:4"]["propagated_probability"] > s["P:4"]["base_probability"]
    # rerun: same circles, nothing duplicated; a removed guarantee deletes the circle
    again = dump(guarantee.run_guarantee_analysis(store))
    assert again["written"] == {"written": 2, "deleted": 0}
    assert store.counts()["Circle"] == 2
    store.delete_nodes("Company", ["C:1"])
    third = dump(guarantee.run_guarantee_analysis(store))
    assert third["written"]["deleted"] == 1
    assert store.counts()["Circle"] == 1 and store.counts()["IN_CIRCLE"] == 5
    ex = dump(guarantee.explain_node(store, "P:4"))
    assert ex["circles"][0]["id"] == plain["id"]
    assert ex["paths"][0]["path"][:2] == ["P:4", "P:5"]


def test_exposure_and_alerts(store: GraphStore) -> None:
    build(store)
    res = dump(exposure.run_exposure_analysis(store, hops=2))
    # P5's record reaches P4 (guarantor of L5) and P1 (P5 guarantees P1's loan) in one hop
    assert res["exposed"]["P:4"][0]["via"] == [["guarantee"]]
    assert res["exposed"]["P:3"][0]["hops"] == 2
    alerts = {(a["loan"], a["role"]) for a in res["alerts"]}
    assert alerts == {("L:5", "borrower"), ("L:1", "guarantor")}


def test_explain_reads_the_stored_analysis(store: GraphStore) -> None:
    """`explain_node` gives, from the stored scores and Circle nodes, what the analysis
    computed: the same score and the same circles in full (a contracted one included)."""
    import pytest

    build(store)
    with pytest.raises(ValueError, match="guanxi analyze guarantee"):
        guarantee.explain_node(store, "P:4")
    res = guarantee.run_guarantee_analysis(store)
    full = {c.id: dump(c) for c in res.circles}
    assert any(c.contraction != "none" for c in res.circles)
    for pid, score in res.scores.items():
        ex = dump(guarantee.explain_node(store, pid))
        want = {k: v for k, v in dump(score).items() if k not in ("circles", "paths")}
        assert {k: ex[k] for k in want} == want
        assert ex["circles"] == sorted((full[c] for c in score.circles),
                                       key=lambda c: (-c["risk_score"], c["id"]))
    store.upsert_nodes("Person", pa.table({"id": ["P:8"], "name": ["人8"]}))  # no guarantee
    alone = dump(guarantee.explain_node(store, "P:8"))
    assert not alone["in_guarantee_graph"] and alone["circles"] == [] and alone["debtrank"] == 0
    with pytest.raises(ValueError, match="no Person or Company"):
        guarantee.explain_node(store, "P:nobody")


def test_stored_circle_reads_back_what_was_written(store: GraphStore) -> None:
    """A Circle node (`circle_nodes`) reads back as the same `Circle` (`stored_circle`), and a
    node whose stored facts make no circle (an older version's) reads as None."""
    build(store)
    res = guarantee.run_guarantee_analysis(store)
    rows = store.export_nodes("Circle", ["size", "members", "loans", "total_balance",
                                         "guaranteed_amount", "risk_score", "contraction",
                                         "motifs_json", "explanation"]).to_pylist()
    back = {c.id: dump(c) for c in map(guarantee.stored_circle, rows) if c is not None}
    assert len(back) == len(res.circles) == 2
    for c in res.circles:  # everything but the guarantees (edges, not stored on the node)
        want = {k: v for k, v in dump(c).items() if k not in ("guarantees", "member_names")}
        assert back[c.id] == want
    old = {**rows[0], "motifs_json": json.dumps({"cycle": 3})}
    assert guarantee.stored_circle(old) is None
