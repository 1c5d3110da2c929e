"""algorithms.supply_chain on hand-made tables: payroll is not a supply relation (the planted
bank's supply relations, through its projection, are tested in tests/analyses)."""

from __future__ import annotations

from guanxi.algorithms import supply_chain as sc


def test_payroll_is_not_supply() -> None:
    import pyarrow as pa

    day = 86_400_000
    tr = pa.table({"src": ["A:emp"] * 6, "dst": ["A:shop"] * 6, "amount": [4500.0] * 6,
                   "ts": [i * 31 * day for i in range(6)], "memo": ["工资"] * 6,
                   "channel": ["代发"] * 6})
    assert sc.infer_supplies(tr, {"A:emp": "C:employer", "A:shop": "S:shop"}) == []
