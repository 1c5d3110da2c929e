"""The workbench's lists over real HTTP on a generated county: named rows, server-side sort,
filter and paging, merged events with marked documents, .xlsx exports, masking for marketers."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

from tests.api.conftest import Live
from tests.api.test_pii import ID18, PHONE11, _scanned_names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_alerts_are_named_sorted_filtered_and_paged(county_live: Live) -> None:
    with county_live.client("risk_analyst") as c:
        full = c.get("/wb/alerts", params={"limit": 200}).json()
        assert full["total"] >= 1 and full["total"] == len(full["items"])
        for a in full["items"]:
            assert a["borrower_name"] and a["classification"] and a["kind"] and a["date"]
            assert a["grid_name"] and a["manager_name"]
        page = c.get("/wb/alerts", params={"sort": "balance", "order": "desc", "limit": 2}).json()
        balances = sorted((a["balance"] for a in full["items"]), reverse=True)
        assert [a["balance"] for a in page["items"]] == balances[:2]
        assert page["total"] == full["total"]
        kind = full["items"][0]["kind"]
        only = c.get("/wb/alerts", params={"where": f"kind:{kind}", "limit": 200}).json()
        assert only["items"] and all(a["kind"] == kind for a in only["items"])
        assert kind in only["facets"]["kind"]
        assert all({"manager", "manager_name"} == set(m) for m in only["facets"]["manager_name"])
        q = full["items"][0]["borrower_name"]
        assert any(a["borrower_name"] == q for a in
                   c.get("/wb/alerts", params={"q": q}).json()["items"])
    with county_live.client("marketer") as c:
        assert c.get("/wb/alerts").status_code == 403


def test_circles_are_named_and_the_report_fits_a_committee(county_live: Live) -> None:
    with county_live.client("risk_analyst") as c:
        rows = c.get("/wb/circles", params={"limit": 200}).json()["items"]
        assert rows and all(r["name"] and r["explanation"] for r in rows)
        scores = [r["risk_score"] for r in rows]
        assert scores == sorted(scores, reverse=True)
        r = c.get(f"/wb/circles/{rows[0]['id']}/report")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "担保圈风险报告" in r.text and "风险说明" in r.text and "@page" in r.text


def test_marketer_lists(county_live: Live) -> None:
    with county_live.client("marketer") as c:
        pros = c.get("/wb/prospects", params={"limit": 200}).json()
        assert all(p["prospect_name"] and p["grid_name"] for p in pros["items"])
        for m in pros["facets"]["manager_name"][:1]:
            mine = c.get("/wb/prospects", params={"where": f"manager:{m['manager']}"}).json()
            assert mine["items"] and all(p["manager"] == m["manager"] for p in mine["items"])
        trees = c.get("/wb/referrals").json()["items"]
        assert trees and trees[0]["size"] >= 1 and trees[0]["k_factor"] is not None
        tree = c.get(f"/wb/referrals/{trees[0]['referrer']}").json()
        assert len(tree["nodes"]) == tree["size"] + 1 and len(tree["edges"]) == tree["size"]
        assert tree["nodes"][0]["depth"] == 0 and tree["nodes"][0]["id"] == trees[0]["referrer"]
        chains = c.get("/wb/supply-chains").json()["items"]
        assert chains and chains[0]["core_name"] and chains[0]["suppliers"] is not None
        br = c.get(f"/wb/communities/{county_live.facts.community.replace('#', '%23')}"
                   "/breakdown").json()
        assert sum(g["members"] for g in br["groups"]) == br["size"]


def test_events_merge_the_bank_record_and_the_document(county_live: Live) -> None:
    with county_live.client("investigator") as c:
        events = c.get("/wb/events", params={"limit": 200}).json()["items"]
        merged = [e for e in events if e["n_sources"] >= 2
                  and any(not s["from_document"] for s in e["sources"])
                  and any(s["from_document"] for s in e["sources"])]
        assert merged, "no event has both the bank's record and a document"
        records = c.get("/negative-records", params={"limit": 200}).json()["items"]
        assert len(events) < len(records)
        ev = c.get(f"/wb/events/{merged[0]['id']}").json()
        doc = ev["documents"][0]
        assert doc["text"], "the document's text was not found"
        kinds = {m["kind"] for m in doc["marks"]}
        assert {"party", "amount"} <= kinds
        for m in doc["marks"]:
            assert doc["text"][m["start"]:m["end"]] == (m.get("name") or doc["text"][
                m["start"]:m["end"]])
        assert any(m.get("linked") for m in doc["marks"] if m["kind"] == "party")


def _sheet(body: bytes) -> list[tuple]:  # type: ignore[type-arg]
    ws = load_workbook(io.BytesIO(body), read_only=True).active
    assert ws is not None
    return list(ws.iter_rows(values_only=True))


def test_every_list_exports_to_xlsx_with_chinese_headers(county_live: Live) -> None:
    for role, name, header in (("risk_analyst", "alerts", "借款人"),
                               ("risk_analyst", "circles", "风险分"),
                               ("marketer", "prospects", "潜在客户"),
                               ("marketer", "referrals", "K因子"),
                               ("marketer", "supply-chains", "核心企业"),
                               ("investigator", "events", "来源数")):
        with county_live.client(role) as c:
            r = c.get(f"/export/{name}.xlsx")
            assert r.status_code == 200, (name, r.text[:200])
            assert r.headers["content-type"] == XLSX
            rows = _sheet(r.content)
            assert header in rows[0], (name, rows[0])
            assert len(rows) - 1 == int(r.headers["x-total-rows"])
            assert len(rows) > 1 or name == "prospects"  # the small county has no prospects
    with county_live.client("admin") as c:
        audit = c.get("/admin/audit", params={"limit": 50}).json()["items"]
        assert any("/export/prospects.xlsx" in str(a) for a in audit)


def test_marketer_lists_and_spreadsheets_hold_no_personal_data(county_live: Live) -> None:
    names = _scanned_names(county_live)
    texts: dict[str, str] = {}
    with county_live.client("marketer") as c:
        for route in ("/wb/prospects", "/wb/referrals", "/wb/supply-chains"):
            texts[route] = c.get(route, params={"limit": 200}).text
        for t in c.get("/wb/referrals", params={"limit": 20}).json()["items"]:
            texts[t["referrer"]] = c.get(f"/wb/referrals/{t['referrer']}").text
        for name in ("prospects", "referrals", "supply-chains"):
            body = c.get(f"/export/{name}.xlsx").content
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                texts[name] = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                                      if n.endswith(".xml"))
    bad = [f"{k}: {n}" for k, t in texts.items() for n in names if n in t]
    bad += [k for k, t in texts.items() if ID18.search(t) or PHONE11.search(t)]
    assert not bad, bad[:10]
    assert any(re.search(r"[\u4e00-\u9fff]\*", t) for t in texts.values()), "no masked name seen"
