"""`/openapi.json` names the resource each risk route returns (#20 item 6), and the
analyses' result models are those resources (one definition)."""

from __future__ import annotations

import httpx

from tests.api.conftest import Live

TYPED = {
    "/guarantee/circles": "PageOf_CircleRow_",
    "/guarantee/circles/{circle_id}": "CircleDetail",
    "/guarantee/circles/{circle_id}/explain": "CircleExplanation",
    "/guarantee/systemic": "PageOf_SystemicRank_",
    "/exposure/alerts": "PageOf_LoanAlert_",
    "/exposure/events": "PageOf_NegativeRecordRow_",
    "/guarantee/chains": "GuaranteeChains",
}


def test_risk_routes_declare_named_resources(live: Live) -> None:
    spec = httpx.get(live.url + "/openapi.json", timeout=30).json()
    schemas = spec["components"]["schemas"]
    for path, name in TYPED.items():
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert ok["schema"] == {"$ref": f"#/components/schemas/{name}"}, path
        assert schemas[name]["properties"], name
    items = schemas["PageOf_SystemicRank_"]["properties"]["items"]["items"]
    assert items == {"$ref": "#/components/schemas/SystemicRank"}
    assert {"rank", "debtrank", "paths"} <= set(schemas["SystemicRank"]["properties"])
    assert {"loan", "borrower", "party", "role", "record", "date"} <= set(
        schemas["LoanAlert"]["properties"])
    chain = schemas["GuaranteeChains"]["properties"]
    assert chain["edges"]["items"] == {"$ref": "#/components/schemas/ChainGuarantee"}
    assert {"src", "dst", "loan", "gtype", "amount", "balance"} <= set(
        schemas["ChainGuarantee"]["properties"])
    assert "BreakPlan" in str(schemas["CircleExplanation"]["properties"]["break_plan"])
