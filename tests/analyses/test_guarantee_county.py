"""End to end on a generated county: every planted guarantee structure is found, nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.pii import pii_key
from guanxi.loaders.load import load_extract
from guanxi.loaders.synthetic.generate import generate_county
from tests.refs import node_id


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A 300-household county loaded into an embedded store, analysed once."""
    from guanxi.analyses.exposure import run_exposure_analysis
    from guanxi.analyses.guarantee import compute_guarantee_risk, run_guarantee_analysis
    from guanxi.analyses.results import dump

    root = tmp_path_factory.mktemp("county")
    truth = generate_county(root / "extract", households=300, seed=11)
    st = EmbeddedStore(root / "store", buffer_pool_mb=512)
    load_extract(st, root / "extract")
    key = pii_key(st)
    res_all = dump(compute_guarantee_risk(st, include_settled=True))
    res = dump(run_guarantee_analysis(st))
    exp = dump(run_exposure_analysis(st, hops=3))
    yield {"truth": truth, "res": res, "res_all": res_all, "exp": exp,
           "nid": lambda r: node_id(r, key), "store": st}
    st.close()


def precision_recall(found: set[Any], expected: set[Any], what: str) -> tuple[float, float]:
    """Print and return (precision, recall) of `found` against `expected`."""
    tp = len(found & expected)
    p = tp / len(found) if found else 1.0
    r = tp / len(expected) if expected else 1.0
    print(f"{what}: {len(found)} found, {len(expected)} planted, precision {p:.0%}, "
          f"recall {r:.0%}")
    return p, r


def _live_loan_ids(st: Any) -> set[str]:
    from guanxi.algorithms.guarantee import live_loans
    from guanxi.analyses import guarantee_projection as proj

    loans = proj.loan_table(st)
    live = live_loans(loans, st.get_meta("last_extract_as_of"))
    return {ln for ln, ok in zip(loans["loan"].to_pylist(), live.tolist(), strict=True) if ok}


@pytest.mark.parametrize("view", ["live", "history"])
def test_every_planted_circle_found_with_its_contraction(county: dict[str, Any],
                                                         view: str) -> None:
    nid, truth = county["nid"], county["truth"]
    res = county["res"] if view == "live" else county["res_all"]
    live = _live_loan_ids(county["store"])
    kind = {"mutual": "none", "triangle": "none", "loop": "none", "contracted": "legal_rep"}
    # the live view keeps the planted circles whose every loan is live (balance > 0, in term
    # or overdue); the history view keeps them all
    planted = [c for c in truth["guarantee_circles"]
               if view == "history" or all(nid(ln) in live for ln in c["loans"])]
    expected = {(frozenset(nid(m) for m in c["members"]), kind[c["kind"]]) for c in planted}
    # every reported circle, whatever its contraction, must be a planted one (strict
    # control ≥ 0.5 for shareholders: no unplanted shareholder-merged circles)
    found = {(frozenset(c["members"]), c["contraction"]) for c in res["circles"]}
    assert len(found) == len(res["circles"])
    assert precision_recall(found, expected, f"guarantee circles ({view})") == (1.0, 1.0)
    for c in planted:
        if c["kind"] != "contracted":
            continue
        got = next(f for f in res["circles"] if set(f["members"]) == {nid(m) for m in
                                                                        c["members"]})
        pairs = {frozenset(p[:2]) for p in got["contracted_via"]}
        assert pairs == {frozenset(nid(x) for x in p) for p in c["contracted_via"]}
    for c in res["circles"]:
        settled = 0 if view == "live" else c["history"]["settled_loans"]
        assert c["live_loans"] == len(c["loans"]) - settled
        assert c["live_balance"] <= c["total_balance"]
        assert c["break_plan"]["exact"] and c["break_plan"]["guarantees"]
    if view == "live":
        assert all(c["live_balance"] > 0 for c in res["circles"])
        stored = county["store"].export_nodes("Circle", ["contraction"])
        assert stored.num_rows == len(res["circles"])


def test_joint_guarantee_groups_found(county: dict[str, Any]) -> None:
    # planted structures include settled loans: compare with the history view
    nid, truth, res = county["nid"], county["truth"], county["res_all"]
    expected = {(g["group_id"], frozenset(nid(x) for x in g["loans"]),
                 frozenset(nid(x) for x in g["guarantors"]))
                for g in truth["joint_guarantee_groups"]}
    found = {(g["group_id"], frozenset(g["loans"]), frozenset(g["guarantors"]))
             for g in res["joint_groups"] if g["kind"] == "group"}
    assert precision_recall(found, expected, "联保 groups") == (1.0, 1.0)


def test_planted_chains_found(county: dict[str, Any]) -> None:
    nid, truth, res = county["nid"], county["truth"], county["res_all"]
    for ch in truth["guarantee_chains"]:
        members = [nid(m) for m in ch["members"]]
        loans = {nid(x) for x in ch["loans"]}
        hit = [c for c in res["chains"] if set(members) <= set(c["members"])
               and loans <= set(c["loans"])]
        assert hit, f"chain of {len(members)} not found"
        first = res["scores"][members[0]]
        assert first["chain_length"] >= len(members)


def test_alerts_cover_planted_negative_records(county: dict[str, Any]) -> None:
    from guanxi.analyses import guarantee_projection as proj

    nid, truth, exp, st = county["nid"], county["truth"], county["exp"], county["store"]
    # planted records on a borrower/guarantor, dated after the start of one of its live loans
    loans = {r["loan"]: r for r in proj.loan_table(st).to_pylist()}
    roles: dict[str, list[str]] = {}
    for r in loans.values():
        roles.setdefault(r["borrower"], []).append(r["loan"])
    for g in proj.guarantee_table(st).to_pylist():
        roles.setdefault(g["guarantor"], []).append(g["loan"])
    dates = {r["record"]: r["date"] for r in proj.negative_record_table(st).to_pylist()}
    planted = set()
    for r in truth["negative_records"]:
        rec, subj = nid(r["record"]), nid(r["subject"])
        if r["on_guarantor_or_borrower"] and rec in dates and any(
            (loans[ln]["balance"] or 0) > 0 and dates[rec] > loans[ln]["start_date"]
            for ln in roles.get(subj, [])
        ):
            planted.add(rec)
    alerted = {a["record"] for a in exp["alerts"] if a["role"] in ("borrower", "guarantor")}
    precision_recall(alerted, planted, "alerts on borrowers/guarantors")
    assert planted and planted == alerted
    for r in truth["negative_records"]:
        hits = exp["exposed"].get(nid(r["subject"]), [])
        if nid(r["record"]) in dates and hits:
            assert any(h["record"] == nid(r["record"]) and h["hops"] == 0 for h in hits)
