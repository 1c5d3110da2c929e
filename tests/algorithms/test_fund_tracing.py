"""Loan-proceeds tracing (资金回流) and cycles of funds on planted paths."""

from __future__ import annotations

import networkx as nx
import pyarrow as pa

from guanxi.algorithms import fund_tracing as ft

DAY = ft.DAY_MS


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


def test_proceeds_back_to_the_deposit_account_are_a_round_trip() -> None:
    # the loan is paid into A:b; the money goes out to a stranger and comes back to A:b
    owners = {"A:b": "C:1", "A:x": "C:9", "A:y": "C:8"}
    back = ft.TransferIndex(_tr([("A:b", "A:x", 95.0, 10), ("A:x", "A:b", 90.0, 20)]))
    f = ft.trace_loan("L", "A:b", 0, 100.0, back, owners, {"C:1"})
    assert [(x["path"], x["via"], x["returns_to"]) for x in f] == [
        (["A:b", "A:x", "A:b"], "others", "C:1")]
    # two strangers in between: still one round trip, through others
    longer = ft.TransferIndex(_tr([("A:b", "A:x", 95.0, 10), ("A:x", "A:y", 92.0, 20),
                                   ("A:y", "A:b", 90.0, 30)]))
    f = ft.trace_loan("L", "A:b", 0, 100.0, longer, owners, {"C:1"})
    assert [x["path"] for x in f] == [["A:b", "A:x", "A:y", "A:b"]]
    # a transfer from the deposit account to itself is not one
    itself = ft.TransferIndex(_tr([("A:b", "A:b", 95.0, 10)]))
    assert ft.trace_loan("L", "A:b", 0, 100.0, itself, owners, {"C:1"}) == []
    # proceeds paid into a supplier's account (受托支付) that come back to it are no trip,
    # and the walk does not go round that loop
    paid_out = ft.TransferIndex(_tr([("A:x", "A:y", 95.0, 10), ("A:y", "A:x", 90.0, 20),
                                     ("A:x", "A:b", 90.0, 30)]))
    f = ft.trace_loan("L", "A:x", 0, 100.0, paid_out, owners, {"C:1"})
    assert [x["path"] for x in f] == [["A:x", "A:b"]]


def test_trace_loans_finds_the_return_to_the_deposit_account() -> None:
    deposits = pa.table({"src": ["L:1"], "dst": ["A:b"], "amount": [100.0], "ts": [0]})
    tr = _tr([("A:b", "A:x", 95.0, 10), ("A:x", "A:b", 90.0, 20)])
    owners = {"A:b": "C:1", "A:x": "C:9"}
    f = ft.trace_loans(deposits, {"L:1": "C:1"}, tr, owners, {"C:1": {"C:1"}})
    assert [(x["loan"], x["borrower"], x["path"]) for x in f] == [
        ("L:1", "C:1", ["A:b", "A:x", "A:b"])]


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
