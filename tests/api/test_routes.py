"""Route answers on the fixture graph (planted facts)."""

from __future__ import annotations

from tests.api.conftest import Live
from tests.api.fixture_graph import CO_A, CO_B
from tests.api.routes import DOC

A1, A2, A3, A4 = (f"P:00000000000000a{i}" for i in range(1, 5))


def test_search_detail_neighbourhood(live: Live) -> None:
    with live.client("risk_analyst") as c:
        items = c.get("/entities/search", params={"q": "张三"}).json()["items"]
        assert [i["id"] for i in items] == [A1]
        assert c.get("/entities/search", params={"q": CO_A[2:]}).json()["items"][0]["id"] == CO_A
        d = c.get(f"/entities/{A1}").json()
        assert d["entity"]["name"] == "张三丰" and d["circles"][0]["id"] == live.facts.circle
        assert {ln["id"] for ln in d["loans"]} == {"L:1"}
        nb = c.get(f"/entities/{A1}/neighbourhood", params={"hops": 1}).json()
        ids = {n["id"] for n in nb["nodes"]}
        assert {A1, "L:1", "L:3", CO_A, "H:1", "A:1", live.facts.circle} <= ids
        nb2 = c.get(f"/entities/{A1}/neighbourhood", params={"hops": 2, "max_nodes": 3}).json()
        assert len(nb2["nodes"]) == 3 and nb2["truncated"] is True
        only = c.get(f"/entities/{A1}/neighbourhood",
                     params={"hops": 1, "types": "BORROWED"}).json()
        assert {n["id"] for n in only["nodes"]} == {A1, "L:1"}


def test_marketer_search_covers_companies_only(live: Live) -> None:
    with live.client("marketer") as c:
        assert c.get("/entities/search", params={"q": "张三"}).json()["items"] == []
        assert c.get("/entities/search", params={"q": "祁门"}).json()["count"] == 1


def test_circle_chain_paths(live: Live) -> None:
    with live.client("risk_analyst") as c:
        circles = c.get("/guarantee/circles").json()["items"]
        assert circles[0]["id"] == live.facts.circle and circles[0]["size"] == 3
        k = c.get(f"/guarantee/circles/{live.facts.circle}").json()
        assert {m["id"] for m in k["members"]} == set(live.facts.circle_members)
        assert {ln["id"]: ln["balance"] for ln in k["loans"]}["L:2"] == 280000.0
        assert len(k["guarantees"]) == 3
        # the stored facts are served typed (parsed once by analyses.guarantee.stored_circle)
        assert "motifs_json" not in k["circle"] and k["circle"]["motifs"]["triangles"] == 1
        assert k["circle"]["break_plan"]["items"][0]["loan"] == "L:2"
        assert k["circle"]["cycles"] == [[A1, CO_A, A2]] and k["circle"]["grids"] == ["G:1"]
        assert k["circle"]["note"] is None
        ex = c.get(f"/guarantee/circles/{live.facts.circle}/explain").json()
        assert ex["risk_score"] == 0.82 and {ln["id"] for ln in ex["facts"]["impaired_loans"]} == {"L:2"}
        assert ex["motifs"]["cycles_by_length"] == {"3": 1} and ex["top_cycles"][0]["amount"] == 2800000.0
        assert ex["break_plan"]["guarantees"] == ["L:2"] and ex["contracted_via"] == []
        ch = c.get("/guarantee/chains", params={"entity": A1, "direction": "down"}).json()
        assert {(e["src"], e["dst"]) for e in ch["edges"]} == {(A1, CO_A), (CO_A, A2), (A2, A1)}
        # the typed answer (GuaranteeChains) keeps exactly the keys the walk produces
        assert all(set(n) == {"id", "label", "name", "hop"} for n in ch["nodes"])
        assert all(set(e) == {"src", "dst", "type", "loan", "gtype", "amount", "balance",
                              "classification"} for e in ch["edges"])
        assert {n["id"]: n["hop"] for n in ch["nodes"]}[A1] == 0
        p = c.get("/paths", params={"src": A4, "dst": CO_B, "max_hops": 6}).json()
        # 赵敏 -REFERRED- 张三丰 -LEGAL_REP_OF- CO_A -SUPPLIES- CO_B
        assert p["length"] == 3 and [n["id"] for n in p["paths"][0]["nodes"]] == [A4, A1, CO_A, CO_B]
        p = c.get("/paths", params={"src": A4, "dst": CO_B, "max_hops": 6, "types": [
            "MEMBER_OF,OWNS,TRANSFER", "LEGAL_REP_OF", "SHAREHOLDER_OF"]}).json()
        # 赵敏 -MEMBER_OF- H:1 -MEMBER_OF- 张三丰 -OWNS- A:1 -TRANSFER- A:2 -OWNS- 王五六 -LEGAL_REP_OF/SHAREHOLDER_OF- CO_B
        assert p["length"] == 6 and len(p["paths"]) == 2
        assert [n["id"] for n in p["paths"][0]["nodes"]] == [A4, "H:1", A1, "A:1", "A:2", A3, CO_B]
        none = c.get("/paths", params={"src": A4, "dst": CO_B, "max_hops": 2}).json()
        assert none["paths"] == []
        t = c.get("/paths", params={"src": A1, "dst": A2, "types": "GUARANTEES,BORROWED"}).json()
        assert t["length"] == 2


def test_exposure_and_documents(live: Live) -> None:
    with live.client("investigator") as c:
        ev = c.get("/exposure/events", params={"entity": A1, "hops": 2}).json()["items"]
        assert [(e["id"], e["subject"]) for e in ev] == [(live.facts.record, A2)]
        docs = c.get(f"/negative-records/{live.facts.record}/documents").json()["items"]
        assert docs[0]["id"] == live.facts.document
        d = c.get(f"/documents/{live.facts.document}").json()
        assert {p["name"] for p in d["parties"]} == {"李四", "钱七"}
        up = c.post("/documents", files={"file": ("doc.txt", DOC.encode())}).json()
        linked = {lk["party"]: [x["id"] for x in lk["candidates"]] for lk in up["links"]}
        assert linked.get("李四") == [A2]
        assert "340102199001011234" not in str(up)


def test_marketing_routes(live: Live) -> None:
    with live.client("marketer") as c:
        assert c.get("/communities").json()["items"][0]["size"] == 3
        top = c.get("/referrals/top").json()
        assert top["items"][0]["referrer"] == A1 and top["items"][0]["converted"] == 1
        assert top["note"] == "computed_at 2024-06-01T00:00:00Z"
        pros = c.get("/prospects").json()["items"]
        assert pros[0]["prospect"] == A4 and pros[0]["name"] == "赵*"
        opp = c.get(f"/supply-chains/{live.facts.chain}/opportunities").json()["items"]
        assert [o["id"] for o in opp] == [CO_B]
    with live.client("risk_analyst") as c:
        assert c.get(f"/supply-chains/{live.facts.chain}/risks").json()["items"] == []


def test_openapi_documents_every_route(live: Live) -> None:
    with live.client() as c:
        spec = c.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["ApiKey"]["name"] == "X-API-Key"
    assert "/entities/{entity_id}/neighbourhood" in spec["paths"]
    assert len(spec["paths"]) >= 28
