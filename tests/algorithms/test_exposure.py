"""Negative-event exposure and live-loan alerts on hand-built tables."""

from __future__ import annotations

import pyarrow as pa

from guanxi.algorithms.exposure import build_tie_graph, loan_alerts, negative_exposure


def test_exposure_within_hops_with_typed_path() -> None:
    ties = pa.table({"a": ["A", "B", "C", "D", "A"], "b": ["B", "C", "D", "E", "B"],
                     "type": ["guarantee", "legal_rep", "household", "transfer", "transfer"]})
    tg = build_tie_graph(ties, extra_nodes=["F"])
    rec = pa.table({"subject": ["E"], "record": ["N:1"], "kind": ["失信被执行人"],
                    "date": ["2026-03-01"]})
    hits = negative_exposure(tg, rec, hops=3)
    assert set(hits) == {"E", "D", "C", "B"}
    assert hits["E"][0]["hops"] == 0
    assert hits["B"][0]["path"] == ["B", "C", "D", "E"]
    assert hits["B"][0]["via"] == [["legal_rep"], ["household"], ["transfer"]]
    assert "A" in negative_exposure(tg, rec, hops=4)
    assert hits["C"][0]["via"] == [["household"], ["transfer"]]


def test_alerts_only_after_start_and_live() -> None:
    loans = pa.table({"loan": ["L:1", "L:2", "L:3"], "borrower": ["B", "B", "Q"],
                      "balance": [10.0, 0.0, 5.0],
                      "start_date": ["2025-01-01", "2025-01-01", "2026-06-01"]})
    gs = pa.table({"guarantor": ["G", "G"], "loan": ["L:1", "L:3"]})
    rel = pa.table({"a": ["C"], "b": ["B"], "kind": ["legal_rep"]})
    recs = pa.table({"subject": ["G", "C", "B"], "record": ["N:1", "N:2", "N:3"],
                     "kind": ["被执行人", "行政处罚", "判决被告"],
                     "date": ["2026-01-01", "2025-05-05", "2024-12-31"]})
    alerts = loan_alerts(loans, gs, rel, recs)
    got = [(a["loan"], a["record"], a["role"]) for a in alerts]
    assert got == [("L:1", "N:2", "related_of_borrower"), ("L:1", "N:1", "guarantor")]
