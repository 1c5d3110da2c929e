"""Guarantee structures on hand-built projections with known answers."""

from __future__ import annotations

import pyarrow as pa

from guanxi.algorithms.guarantee import (
    build_guarantee_graph,
    circle_id,
    contraction_groups,
    controlling_shareholders,
    find_circles,
    guarantee_chains,
    joint_guarantee_groups,
)


def _gt(rows: list[tuple[str, str, str]], amount: float = 100.0, balance: float = 80.0,
        group: str | None = None) -> pa.Table:
    return pa.table({
        "guarantor": [g for g, _, _ in rows],
        "borrower": [b for _, b, _ in rows],
        "loan": [ln for _, _, ln in rows],
        "amount": [amount] * len(rows),
        "balance": [balance] * len(rows),
        "group_id": pa.array([group] * len(rows), pa.string()),
    })


def test_five_member_circle_with_motifs() -> None:
    ring = [("A", "B", "L1"), ("B", "C", "L2"), ("C", "D", "L3"), ("D", "E", "L4"),
            ("E", "A", "L5"), ("B", "A", "L6"), ("C", "A", "L7"), ("X", "A", "L8")]
    circles = find_circles(build_guarantee_graph(_gt(ring)))
    assert len(circles) == 1
    c = circles[0]
    assert c["members"] == ["A", "B", "C", "D", "E"]
    assert c["contraction"] == "none"
    assert c["id"] == circle_id(["E", "D", "C", "B", "A"])
    assert c["loans"] == ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]
    assert c["total_balance"] == 7 * 80.0
    assert c["motifs"]["mutual_pairs"] == 1
    assert c["motifs"]["triangles"] == 1
    assert c["motifs"]["cycles_by_length"] == {"2": 1, "3": 1, "5": 1}


def test_circle_that_needs_contraction() -> None:
    # A guarantees P's loan, company C (P is its legal rep) guarantees B, B guarantees A
    rows = [("A", "P", "L1"), ("C", "B", "L2"), ("B", "A", "L3")]
    gg = build_guarantee_graph(_gt(rows))
    assert find_circles(gg) == []
    rel = pa.table({"a": ["P"], "b": ["C"], "kind": ["legal_rep"]})
    circles = find_circles(gg, related=rel)
    assert len(circles) == 1
    c = circles[0]
    assert c["members"] == ["A", "B", "C", "P"]
    assert c["contraction"] == "legal_rep"
    assert c["contracted_via"] == [["C", "P", "legal_rep"]]
    assert c["motifs"]["triangles"] == 1
    assert c["cycles"] == [["A", "C+P", "B"]]


def test_contraction_does_not_duplicate_plain_circles() -> None:
    rows = [("A", "B", "L1"), ("B", "A", "L2")]
    rel = pa.table({"a": ["A"], "b": ["Q"], "kind": ["legal_rep"]})
    circles = find_circles(build_guarantee_graph(_gt(rows)), related=rel)
    assert [c["contraction"] for c in circles] == ["none"]


def test_controlling_shareholder_and_household_kinds() -> None:
    sh = pa.table({"src": ["P", "Q", "R", "S"], "dst": ["C", "C", "D", "D"],
                   "share": [0.6, 0.4, 0.2, 0.3]})
    # strict control: ≥ 0.5; D's largest holder (0.3) is a minority holder, not merged
    assert controlling_shareholders(sh) == [("P", "C")]
    rel = pa.table({"a": ["P", "H1"], "b": ["C", "H2"], "kind": ["shareholder", "household"]})
    rep, pairs = contraction_groups(rel, ("shareholder",))
    assert rep == {"C": "C", "P": "C"} and pairs == [("C", "P", "shareholder")]
    rows = [("H1", "X", "L1"), ("X", "H2", "L2")]
    gg = build_guarantee_graph(_gt(rows))
    assert find_circles(gg, related=rel) == []
    circles = find_circles(gg, related=rel, kinds=("household",))
    assert [(c["members"], c["contraction"]) for c in circles] == [(["H1", "H2", "X"],
                                                                    "household")]


def test_joint_guarantee_star_and_group() -> None:
    star = _gt([("G1", "B", "L1"), ("G2", "B", "L1"), ("G3", "B", "L1"), ("G4", "B", "L1")])
    pair = _gt([("G1", "Y", "L9")])
    group = _gt([("M1", "M2", "L2"), ("M2", "M3", "L3"), ("M3", "M1", "L4")], group="J1")
    found = joint_guarantee_groups(pa.concat_tables([star, pair, group]))
    assert [(f["kind"], f["group_id"], f["guarantors"], f["loans"]) for f in found] == [
        ("group", "J1", ["M1", "M2", "M3"], ["L2", "L3", "L4"]),
        ("star", None, ["G1", "G2", "G3", "G4"], ["L1"]),
    ]
    assert found[1]["total_balance"] == 80.0 and found[1]["guaranteed_amount"] == 400.0


def test_seven_hop_chain() -> None:
    names = [f"N{i}" for i in range(8)]  # 8 parties, 7 guarantees
    rows = [(names[i], names[i + 1], f"L{i}") for i in range(7)] + [("Z", "N3", "LZ")]
    per, chains = guarantee_chains(build_guarantee_graph(_gt(rows, balance=10.0)))
    assert chains[0]["members"] == names and chains[0]["length"] == 8
    assert chains[0]["loans"] == [f"L{i}" for i in range(7)]
    assert per["N4"]["chain_length"] == 8
    assert per["N0"]["downstream_balance"] == 70.0
    assert per["Z"]["downstream_balance"] == 50.0  # LZ, L3..L6
    assert per["N7"]["downstream_balance"] == 0.0


def test_chain_through_a_circle_counts_it_once() -> None:
    rows = [("S", "A", "L1"), ("A", "B", "L2"), ("B", "A", "L3"), ("B", "T", "L4")]
    per, chains = guarantee_chains(build_guarantee_graph(_gt(rows)))
    assert per["S"]["chain_length"] == 3
    assert chains[0]["members"][0] == "S" and chains[0]["members"][-1] == "T"


def test_household_members_are_related_directly() -> None:
    # household of H0 (reference member, as the projection writes it), H1 and H2; H0 and H2
    # are also legal reps of company C. The loop enters the household at H1 and leaves at H2;
    # H0 is not in it. The merge pair is H1~H2 (household), not the detour H1~H0~H2.
    rel = pa.table({"a": ["H1", "H2", "H0", "H2"], "b": ["H0", "H0", "C", "C"],
                    "kind": ["household", "household", "legal_rep", "legal_rep"]})
    rows = [("H1", "X", "L1"), ("X", "H2", "L2")]
    circles = find_circles(build_guarantee_graph(_gt(rows)), related=rel,
                           kinds=("legal_rep", "household"))
    assert [(c["members"], c["contraction"], c["contracted_via"]) for c in circles] == [
        (["H1", "H2", "X"], "household", [["H1", "H2", "household"]])]


def test_live_loans_only_by_default_and_history() -> None:
    t = pa.table({"guarantor": ["A", "B", "B"], "borrower": ["B", "A", "A"],
                  "loan": ["L1", "L2", "L3"], "amount": [5.0, 7.0, 9.0],
                  "balance": [4.0, 6.0, 0.0],
                  "status": [None, None, "结清"],
                  "maturity_date": ["2027-01-01", "2027-01-01", "2025-01-01"]})
    gg = build_guarantee_graph(t, as_of="2026-10-31")
    (live,) = find_circles(gg)
    assert live["loans"] == ["L1", "L2"] and live["live_balance"] == 10.0
    assert live["history"] == {"loans": 3, "settled_loans": 1, "guarantees": 3,
                               "guaranteed_amount": 21.0, "settled_guaranteed_amount": 9.0}
    (hist,) = find_circles(gg, include_settled=True)
    assert hist["loans"] == ["L1", "L2", "L3"] and hist["live_balance"] == 10.0
    # the plan replaces the cheaper side of the mutual guarantee (A → B, 5)
    assert live["break_plan"]["guarantees"] == ["A→L1"] and live["break_plan"]["amount"] == 5.0
    assert "替换这1笔担保" in live["break_plan"]["advice"]
    settled = build_guarantee_graph(t.set_column(4, "balance", pa.array([4.0, 0.0, 0.0])),
                                    as_of="2026-10-31")
    assert find_circles(settled) == []
