"""1+N supply chains: planted core and members found; concentration and leakage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guanxi.algorithms import supply_chain as sc
from guanxi.analyses import flow_projection as fp
from guanxi.cli import analyze_marketing as am
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.store import GraphStore
from tests.algorithms import mkt_fixtures as mf


def _chains() -> tuple[mf.Planted, dict]:
    p = mf.build()
    return p, am.compute_supply_chains(mf.projection(p))


def test_core_and_members_found() -> None:
    p, res = _chains()
    assert [c["id"] for c in res["cores"]] == [p.core]
    ch = res["chains"][0]
    assert sorted(m["id"] for m in ch["upstream"]) == p.upstream
    assert sorted(m["id"] for m in ch["downstream"]) == p.downstream


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


def test_concentration_and_leakage() -> None:
    p, res = _chains()
    risk = res["chains"][0]["risk"]
    assert [c["member"] for c in risk["concentration"]] == ["C:S1"]
    assert risk["opportunities"][0]["account"] == p.other_bank
    assert 0 < risk["leakage_share"] < 1


def test_run_supply_chain_writes_back_idempotently(tmp_path: Path) -> None:
    p = mf.build()
    st = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    try:
        mf.load_into(st, p)
        am.run_supply_chain(st)
        c1 = st.counts()
        out = am.run_supply_chain(st)
        c2 = st.counts()
        for k in ("SupplyChain", "IN_CHAIN", "SUPPLIES"):
            assert c1[k] == c2[k] > 0
        assert c2["IN_CHAIN"] == 1 + len(p.upstream) + len(p.downstream)
        row = st.run("api_supply_chain_get", {"id": f"Z:{p.core}"})[0]
        prof = json.loads(row["profile_json"])
        assert prof["core"] == p.core and prof["risk"]["concentration"]
        assert any(t["loan"] == p.loan for t in out["round_trips"])
        tracing = json.loads(st.get_meta(am.META_TRACING) or "{}")
        assert tracing["cycles"]
    finally:
        st.close()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return mf.county(tmp_path_factory.getbasetemp())


def test_generated_county_cores_and_members(county: dict) -> None:
    nid = county["nid"]
    chains = {c["core"]: c for c in county["supply"]["chains"]}
    planted = county["truth"]["supply_chains"]
    assert planted
    for s in planted:
        core = nid(s["core"])
        assert core in chains
        members = {nid(x) for x in [*s["upstream"], *s["downstream"]]}
        got = set(chains[core]["members"])
        share = len(members & got) / len(members)
        print(f"chain {core}: {len(members & got)}/{len(members)} members attached")
        assert share >= 0.95
        up = {m["id"] for m in chains[core]["upstream"]}
        assert {nid(x) for x in s["upstream"]} <= up
        # members banking elsewhere show up as leakage opportunities
        other = {nid(a) for a in s["other_bank_accounts"]}
        opps = {o["account"] for o in chains[core]["risk"]["opportunities"]}
        assert other <= opps or len(opps) == 20


def test_all_marketing_runs_on_every_backend(store: GraphStore) -> None:
    """run_* write back through the storage contract only: same results on every backend."""
    p = mf.build()
    mf.load_into(store, p)
    c = am.run_communities(store)
    r = am.run_referrals(store)
    s = am.run_supply_chain(store)
    s2 = am.run_supply_chain(store)
    counts = store.counts()
    assert counts["Community"] == c["communities"]
    assert counts["IN_COMMUNITY"] == c["members"]
    assert counts["SupplyChain"] == len(s2["chains"]) == 1
    assert counts["SUPPLIES"] == s2["supplies"] == s["supplies"]
    assert any(x["prospect"] == p.prospect for x in r["prospects"])
    assert [t["loan"] for t in s2["round_trips"]] == [p.loan]


def test_payroll_is_not_supply() -> None:
    import pyarrow as pa

    day = 86_400_000
    tr = pa.table({"src": ["A:emp"] * 6, "dst": ["A:shop"] * 6, "amount": [4500.0] * 6,
                   "ts": [i * 31 * day for i in range(6)], "memo": ["工资"] * 6,
                   "channel": ["代发"] * 6})
    assert sc.infer_supplies(tr, {"A:emp": "C:employer", "A:shop": "S:shop"}) == []
