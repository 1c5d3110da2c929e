"""1+N supply chains: planted core and members found; concentration and leakage."""

from __future__ import annotations

from guanxi.algorithms import supply_chain as sc
from guanxi.analyses import flow_projection as fp
from tests.algorithms import mkt_fixtures as mf


def test_supplies_direction_and_evidence() -> None:
    p = mf.build()
    proj = mf.projection(p)
    s = sc.infer_supplies(proj.transfers, fp.firm_of_account(proj.accounts, proj.parties))
    pairs = {(r["supplier"], r["buyer"]) for r in s}
    assert ("C:S1", "C:CORE") in pairs and ("C:CORE", "C:B1") in pairs
    assert ("C:CORE", "C:S1") not in pairs
    assert all("months" in r["evidence"] for r in s)
    # the one-off loan-laundering payment B1 → X is not a supply relation
    assert ("C:X", "C:B1") not in pairs


def test_payroll_is_not_supply() -> None:
    import pyarrow as pa

    day = 86_400_000
    tr = pa.table({"src": ["A:emp"] * 6, "dst": ["A:shop"] * 6, "amount": [4500.0] * 6,
                   "ts": [i * 31 * day for i in range(6)], "memo": ["工资"] * 6,
                   "channel": ["代发"] * 6})
    assert sc.infer_supplies(tr, {"A:emp": "C:employer", "A:shop": "S:shop"}) == []
