"""Rings, tier drops and 整村授信 over real HTTP on the generated county: who sees what,
masked for marketers, audited, and the credit committee's workbook."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from guanxi.algorithms.village_credit import TEXTS
from tests.api.conftest import Live
from tests.api.test_pii import ID18, PHONE11, _scanned_names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_rings_go_to_risk_analysts(county_live: Live) -> None:
    with county_live.client("risk_analyst") as c:
        body = c.get("/rings").json()
        assert body["items"] and body["total"] == len(body["items"])
        r = body["items"][0]
        assert r["flagged"] and r["units"] >= 3 and len(r["kinds"]) >= 2
        assert r["members"][0]["name"] and r["evidence"][0]["hint"]
        scores = [x["score"] for x in body["items"]]
        assert scores == sorted(scores, reverse=True)
        loose = c.get("/rings", params={"flagged": "false", "limit": 200}).json()
        assert loose["total"] >= body["total"]  # near misses of ≥ 3 parties too, when there are any
    with county_live.client("marketer") as c:
        assert c.get("/rings").status_code == 403


def test_tier_drops_go_to_marketers_masked(county_live: Live) -> None:
    names = _scanned_names(county_live)
    with county_live.client("marketer") as c:
        r = c.get("/tier-drops", params={"limit": 200})
        assert r.status_code == 200
        body = r.json()
        items = body["items"]
        assert items and "drops of 2026-11-30" in body["note"]
        assert all(d["tier_prev"] and d["drop_on"] == "2026-11-30" and d["grid_id"] for d in items)
        assert any(d["signals"] for d in items) and any(d["other_bank_amount"] > 0 for d in items)
        assert all("*" in d["name"] for d in items if d.get("name"))
        assert not any(n in r.text for n in names)
        assert not ID18.search(r.text) and not PHONE11.search(r.text)
        grid = items[0]["grid_id"]
        only = c.get("/tier-drops", params={"grid": grid, "limit": 200}).json()["items"]
        assert only and all(d["grid_id"] == grid for d in only)
    with county_live.client("risk_analyst") as c:
        assert c.get("/tier-drops").status_code == 403


CJK = re.compile(r"[\u4e00-\u9fff]")
CODES = set(TEXTS) - {"circle_impaired", "guarantee_load_no_inflow"}


def test_village_credit_exclusions_to_risk_grants_to_marketers(county_live: Live) -> None:
    names = _scanned_names(county_live)
    with county_live.client("risk_analyst") as c:
        full = c.get("/village-credit", params={"limit": 200}).json()
        decisions = [h["decision"] for h in full["items"]]
        assert {"review", "grant"} <= set(decisions)
        for h in full["items"]:
            assert (h["decision"] == "grant") == (not h["reasons"])
        excl = c.get("/village-credit", params={"decision": "review"}).json()["items"]
        assert excl and all(h["reasons"][0]["text"] for h in excl)
        x = c.get("/export/village-credit.xlsx")
        assert x.status_code == 200 and x.headers["content-type"] == XLSX
        ws = load_workbook(io.BytesIO(x.content)).active
        header = [cell.value for cell in ws[1]]
        assert header[:5] == ["村", "户编号", "户主", "建议", "建议额度"]
        assert ws.max_row - 1 == int(x.headers["X-Total-Rows"]) == full["total"]
        assert {row[3] for row in ws.iter_rows(min_row=2, values_only=True)} <= {"授信", "复核", "排除"}
        # the credit committee's workbook is Chinese; the reason codes stand beside the sentences
        assert header[5:8] == ["额度依据", "理由", "理由代码"] and "grid_id" not in header
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert all(CJK.search(r[5]) for r in rows)
        assert all(CJK.search(r[6]) and r[7] for r in rows if r[3] != "授信")
        assert all(set(str(r[7]).split(",")) <= CODES for r in rows if r[7])
    with county_live.client("marketer") as c:
        assert c.get("/village-credit").status_code == 403
        assert c.get("/export/village-credit.xlsx").status_code == 403
        r = c.get("/village-credit/grants", params={"limit": 200})
        grants = r.json()["items"]
        assert grants and all(h["decision"] == "grant" and h["line"] > 0 for h in grants)
        assert all(h["line_basis"] in ("inflow", "floor", "cap") and "流入" in h["line_text"] for h in grants)
        assert all("*" in h["head_name"] for h in grants if h.get("head_name"))
        assert not any(n in r.text for n in names)
    with county_live.client("admin") as c:
        audit = c.get("/admin/audit", params={"limit": 50}).json()["items"]
        routes = {e["route"] for e in audit}
        assert {"/village-credit/grants", "/export/village-credit.xlsx", "/tier-drops", "/rings"} <= routes
