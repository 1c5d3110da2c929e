"""Prospects: the planted other-bank customer is found, no customers, reason + manager."""

from __future__ import annotations

import pyarrow as pa

from guanxi.algorithms import prospects as pros


def test_weak_or_cross_community_ties_are_not_prospects() -> None:
    flows = pa.table({"src": ["P:n", "P:m"], "dst": ["P:c", "P:c"], "n": [2, 9],
                      "amount": [1e5, 1e5], "first_ts": [0, 0], "last_ts": [1, 1],
                      "months": [1, 5]})
    parties = pa.table({"id": ["P:n", "P:m", "P:c"], "label": ["Person"] * 3,
                        "name": ["n", "m", "c"], "tier": [None, None, "核心"],
                        "is_customer": [False, False, True], "grid_id": [None, None, "G:1"],
                        "manager_id": [None, None, "M:1"]})
    assert pros.find_prospects(flows, parties, {"P:n": 0, "P:m": 1, "P:c": 0}) == []
    out = pros.find_prospects(flows, parties, {"P:n": 0, "P:m": 0, "P:c": 0})
    assert [x["prospect"] for x in out] == ["P:m"] and out[0]["manager"] == "M:1"
