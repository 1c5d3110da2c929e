"""analyses.prospects: the planted other-bank customer is found and routed, no customer is a
prospect, every prospect has a reason and a manager; stored and read back typed."""

from __future__ import annotations

import pytest

from guanxi.analyses import communities as ac
from guanxi.analyses import prospects as ap
from guanxi.analyses.results.marketing import Prospect
from guanxi.graph.store import GraphStore
from tests.analyses import mkt_fixtures as mf


def _prospects() -> tuple[mf.Planted, list[Prospect]]:
    p = mf.build()
    proj = mf.projection(p)
    res = ac.compute_communities(proj)
    asg = {n: res.ids[c] for n, c in res.assignment.items()}
    return p, ap.compute_prospects(proj, asg)


def test_planted_prospect_found_and_routed() -> None:
    p, out = _prospects()
    row = next(x for x in out if x.prospect == p.prospect)
    assert row.customer == "P:g0_0" and row.customer_tier == "高端"
    assert row.manager == "M:0"  # the manager of the customer's grid
    assert row.reason.startswith("6 transfers, ¥120,000 in 6 months with customer")
    assert row.kind == "external_account"


def test_no_customers_every_item_has_reason_and_manager() -> None:
    p, out = _prospects()
    customers = {x["id"] for x in [*p.nodes["Person"], *p.nodes["Company"]] if x["is_customer"]}
    assert out
    for x in out:
        assert x.prospect not in customers
        assert x.reason and x.manager


def test_stored_prospects_read_back(store: GraphStore) -> None:
    _, out = _prospects()
    store.ensure_schema()
    assert ap.stored_prospects(store) is None
    items, note = ap.prospects_page(store, 0, 10)
    assert items == [] and note == "not computed yet: run `guanxi analyze referrals`"
    ap.write_prospects(store, out, "2026-12-05T00:00:00Z")
    assert ap.stored_prospects(store) == out
    items, note = ap.prospects_page(store, 1, 2)
    assert items == out[1:3] and note == "computed_at 2026-12-05T00:00:00Z"


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
