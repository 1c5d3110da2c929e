"""`/openapi.json` names the resource every route returns (#20 item 6): every JSON answer
is a named component schema, none of them a free-form object; the analyses' result models
are those resources (one definition)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from guanxi.api.graphview import SHOWN
from guanxi.api.models import Entity
from guanxi.graph.model import NODES
from tests.api.conftest import Live

NOT_JSON = {"text/html", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
"""Answers that are not JSON resources: the printable circle report (HTML) and the
spreadsheet exports (.xlsx); they carry no schema."""
FREE_FORM: dict[str, str] = {}
"""Schemas allowed to be free-form objects, with the reason (none today)."""


def _named(schema: dict[str, Any]) -> bool:
    """Return True for a $ref to a component schema, or an array of them."""
    if "$ref" in schema:
        return str(schema["$ref"]).startswith("#/components/schemas/")
    return schema.get("type") == "array" and _named(schema.get("items", {}))


def _free_form(schema: Any, where: str) -> list[str]:
    """Return where `schema` (or a schema inside it) is an object with no declared
    properties whose values may be anything (additionalProperties true or absent)."""
    if isinstance(schema, list):
        return [w for i, s in enumerate(schema) for w in _free_form(s, f"{where}[{i}]")]
    if not isinstance(schema, dict):
        return []
    out = []
    extra = schema.get("additionalProperties", True)
    if schema.get("type") == "object" and not schema.get("properties") and extra in (True, {}):
        out.append(where)
    for k, v in schema.items():
        if k not in ("example", "examples", "default"):
            out += _free_form(v, f"{where}.{k}")
    return out


def test_every_json_answer_is_a_named_resource(live: Live) -> None:
    spec = httpx.get(live.url + "/openapi.json", timeout=30).json()
    unnamed = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, resp in op["responses"].items():
                if not status.startswith("2"):
                    continue
                for media, body in resp.get("content", {}).items():
                    if media not in NOT_JSON and not _named(body.get("schema", {})):
                        unnamed.append(f"{method.upper()} {path} {status} {media}")
    assert not unnamed
    schemas = spec["components"]["schemas"]
    free = [w for name, s in schemas.items() if name not in FREE_FORM
            for w in _free_form(s, name)]
    assert not free


def test_entity_declares_every_column_the_entity_queries_return() -> None:
    """`Entity` has a field, of the model's type, for every column an ``api_entity_<label>``
    query returns (`// returns:` of the query file)."""
    py = {"STRING": str, "DOUBLE": float, "INT64": int, "BOOL": bool, "STRING[]": list}
    fields = Entity.model_fields
    assert list(fields) == ["id", "label", *SHOWN]  # the order the page lists them in
    queries = sorted((Path(__file__).resolve().parents[2] / "cypher").glob("api_entity_*.cypher"))
    assert len(queries) >= 10
    for q in queries:
        text = q.read_text(encoding="utf-8")
        label = re.search(r"one (\w+) by primary key", text)
        cols = re.search(r"// returns: (.*?) —", text)
        assert label and cols, q.name
        props = {p.name: p.type for p in NODES[label[1]].props}
        shown = [c.strip() for c in cols[1].split(",") if c.strip() in SHOWN]
        assert shown == sorted(shown, key=SHOWN.index), q.name
        for col in (c.strip() for c in cols[1].split(",")):
            if col.startswith("(") or col in ("id", "label"):
                continue
            assert col in fields, (q.name, col)
            ann = str(fields[col].annotation)
            assert py[props[col]].__name__ in ann, (q.name, col, ann)

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
