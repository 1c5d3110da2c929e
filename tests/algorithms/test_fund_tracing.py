"""Loan-proceeds tracing (资金回流) and cycles of funds on planted paths."""

from __future__ import annotations

import networkx as nx
import pyarrow as pa
import pytest

from guanxi.algorithms import fund_tracing as ft
from guanxi.cli import analyze_marketing as am
from tests.algorithms import mkt_fixtures as mf

DAY = ft.DAY_MS


def test_planted_round_trip_found() -> None:
    p = mf.build()
    res = am.compute_supply_chains(
        mf.projection(p),
        {"deposits": mf.edge_table(p, "DEPOSIT"), "borrowed": mf.edge_table(p, "BORROWED"),
         "legal_rep": mf.edge_table(p, "LEGAL_REP_OF"),
         "shareholder": mf.edge_table(p, "LEGAL_REP_OF").slice(0, 0),
         "executive": mf.edge_table(p, "LEGAL_REP_OF").slice(0, 0)},
    )
    trips = [t for t in res["round_trips"] if t["kind"] == "round_trip"]
    assert [t["loan"] for t in trips] == [p.loan]
    assert trips[0]["path"] == ["A:B1", "A:X", "A:p1_4"]
    assert trips[0]["returns_to"] == "P:g1_4"


def _tr(rows: list[tuple[str, str, float, int]]) -> pa.Table:
    return pa.table({"src": [r[0] for r in rows], "dst": [r[1] for r in rows],
                     "amount": [r[2] for r in rows], "ts": [r[3] for r in rows]})


def test_times_must_increase_and_stay_in_window() -> None:
    owners = {"A:b": "C:1", "A:x": "C:9", "A:r": "P:rep"}
    related = {"C:1", "P:rep"}
    backwards = ft.TransferIndex(_tr([("A:b", "A:x", 90.0, 10), ("A:x", "A:r", 90.0, 5)]))
    assert ft.trace_loan("L", "A:b", 0, 100.0, backwards, owners, related) == []
    late = ft.TransferIndex(_tr([("A:b", "A:x", 90.0, 10), ("A:x", "A:r", 90.0, 40 * DAY)]))
    assert ft.trace_loan("L", "A:b", 0, 100.0, late, owners, related, window_days=30) == []
    four = ft.TransferIndex(_tr([("A:b", "A:x", 90.0, 1), ("A:x", "A:y", 90.0, 2),
                                 ("A:y", "A:z", 90.0, 3), ("A:z", "A:r", 90.0, 4)]))
    assert ft.trace_loan("L", "A:b", 0, 100.0, four, owners, related, max_hops=3) == []
    assert len(ft.trace_loan("L", "A:b", 0, 100.0, four, owners, related, max_hops=4)) == 1


def test_related_parties_of_person_and_company() -> None:
    hh = {"P:a": "H:1", "P:b": "H:1", "P:c": "H:2"}
    assert ft.related_parties("P:a", shareholder=[("P:a", "C:1")], household_of=hh) == {
        "P:a", "P:b", "C:1"}
    assert ft.related_parties("C:1", executive=[("P:c", "C:1")], household_of=hh) == {
        "C:1", "P:c"}


def test_cycles_agree_with_networkx_on_a_static_ring() -> None:
    rows = [("A:1", "A:2", 1e5, 1), ("A:2", "A:3", 1e5, 2), ("A:3", "A:1", 1e5, 3),
            ("A:1", "A:4", 1e5, 4), ("A:4", "A:1", 1e5, 5)]
    found = {frozenset(c["owners"]) for c in ft.fund_cycles(_tr(rows), {})}
    g = nx.DiGraph([(r[0], r[1]) for r in rows])
    assert found == {frozenset(c) for c in nx.simple_cycles(g, length_bound=4)}


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return mf.county(tmp_path_factory.getbasetemp())


def test_generated_county_every_round_trip_found(county: dict) -> None:
    nid = county["nid"]
    found = {(t["loan"], tuple(t["path"])): t for t in county["supply"]["round_trips"]}
    planted = county["truth"]["round_trips"]
    assert planted
    for t in planted:
        key = (nid(t["loan"]), tuple(nid(a) for a in t["path"]))
        assert key in found, key
        assert found[key]["returns_to"] == nid(t["returns_to"])
        assert found[key]["borrower"] == nid(t["borrower"])
