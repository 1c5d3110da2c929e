"""Prospects: the planted other-bank customer is found, no customers, reason + manager."""

from __future__ import annotations

import pyarrow as pa
import pytest

from guanxi.algorithms import prospects as pros
from guanxi.cli import analyze_marketing as am
from tests.algorithms import mkt_fixtures as mf


def _prospects() -> tuple[mf.Planted, list[dict]]:
    p = mf.build()
    proj = mf.projection(p)
    res = am.compute_communities(proj)
    asg = {n: res["ids"][c] for n, c in res["assignment"].items()}
    return p, am.compute_prospects(proj, asg)


def test_planted_prospect_found_and_routed() -> None:
    p, out = _prospects()
    row = next(x for x in out if x["prospect"] == p.prospect)
    assert row["customer"] == "P:g0_0" and row["customer_tier"] == "高端"
    assert row["manager"] == "M:0"  # the manager of the customer's grid
    assert row["reason"].startswith("6 transfers, ¥120,000 in 6 months with customer")
    assert row["kind"] == "external_account"


def test_no_customers_every_item_has_reason_and_manager() -> None:
    p, out = _prospects()
    customers = {x["id"] for x in [*p.nodes["Person"], *p.nodes["Company"]] if x["is_customer"]}
    assert out
    for x in out:
        assert x["prospect"] not in customers
        assert x["reason"] and x["manager"]


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


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return mf.county(tmp_path_factory.getbasetemp())


def test_generated_county_prospects_are_not_customers(county: dict) -> None:
    parties = county["parties"]
    prospects = county["referrals"]["prospects"]
    assert prospects
    for x in prospects:
        assert not (parties.get(x["prospect"]) or {}).get("is_customer")
        assert x["reason"] and x["manager"]
        assert x["manager"].startswith("M:")
        assert parties[x["customer"]]["tier"] in ("高端", "核心")
