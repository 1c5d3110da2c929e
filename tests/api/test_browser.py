"""The workbench in a real headless Chromium (Debian's, driven by Playwright): one task per role
end to end, screenshots of each step, axe-core on every screen, and a masking scan of every
response the marketer's screens fetch.

Screenshots go to `$GUANXI_SCREENSHOTS` when set (the note on #14 describes them), else to
the test's tmp folder.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guanxi.api.settings import ApiSettings
from guanxi.graph.embedded import EmbeddedStore
from tests.api import county
from tests.api.conftest import Live, serve
from tests.api.test_pii import ID18, PHONE11

CHROMIUM = os.environ.get("GUANXI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
HOUSEHOLDS = 700  # the smallest generated county (seed 11) with prospects, trees and chains
SCREENS = {
    "risk_analyst": ["worklist", "circles", "systemic", "chains", "rings", "village", "explore", "paths"],
    "marketer": ["communities", "referrals", "prospects", "supply", "drops", "village", "explore", "paths"],
    "investigator": ["events", "exposure", "explore", "paths"],
}


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The API on a generated county of 700 households (loaded, analysed, documents read)."""
    folder = tmp_path_factory.mktemp("wb-county")
    store = EmbeddedStore(folder / "store", buffer_pool_mb=256, query_timeout_s=10)
    facts = county.build(store, folder, households=HOUSEHOLDS)
    srv = serve(store, folder / "store", ApiSettings(rate_per_s=10_000, burst=10_000), facts,
                close_store=True)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    d = Path(os.environ.get("GUANXI_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


class Session:
    """A page connected as one role; records page errors, outside requests, axe results."""

    def __init__(self, browser: Any, live: Live, role: str) -> None:
        self.ctx = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
        self.page = self.ctx.new_page()
        self.live, self.role = live, role
        self.errors: list[str] = []
        self.bodies: dict[str, str] = {}
        self.axe: dict[str, list[dict[str, Any]]] = {}
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                     if m.type == "error" else None)
        self.page.on("request", lambda r: self.errors.append(f"outside request {r.url}")
                     if not r.url.startswith((live.url, "blob:", "data:")) else None)
        self.page.on("response", self._keep)
        self.log: list[str] = []
        self.page.on("requestfinished", lambda r: self.log.append(f"{r.url} {r.response().status if r.response() else ''}"))
        self.page.goto(live.url + "/")
        self.page.fill("#key", live.keys[role])
        self.page.click("#connect")
        self.page.wait_for_function("document.getElementById('role').dataset.role !== undefined")
        assert self.page.inner_text("#role").endswith(role)

    def _keep(self, r: Any) -> None:
        if r.url.startswith(self.live.url) and "/static/" not in r.url and r.url != self.live.url + "/":
            try:
                self.bodies[r.url] = r.text()
            except Exception:  # a download or a body gone with its page
                pass

    def screen(self, name: str) -> None:
        """Open a screen from the navigation and wait for it."""
        self.page.click(f"#nav button[data-screen='{name}']")
        self.page.wait_for_function(f"document.getElementById('screen').dataset.screen === '{name}'")
        self.page.wait_for_load_state("networkidle")

    def check_axe(self, name: str) -> None:
        """Run axe-core on the page as it is; keep the serious and critical violations."""
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        res = self.page.evaluate("async () => (await axe.run(document)).violations.map(v => "
                                 "({id: v.id, impact: v.impact, nodes: v.nodes.length, "
                                 "target: v.nodes[0] && v.nodes[0].target}))")
        self.axe[name] = res

    def serious(self) -> list[str]:
        return [f"{s}: {v['id']} ({v['impact']}, {v['nodes']}×, e.g. {v['target']})"
                for s, vs in self.axe.items() for v in vs if v["impact"] in ("serious", "critical")]

    def nodes(self) -> int:
        self.page.wait_for_function("Number(document.getElementById('graph').dataset.nodes || 0) > 1")
        return int(self.page.get_attribute("#graph", "data-nodes") or 0)

    def close(self) -> None:
        self.ctx.close()


def _download(s: Session, selector: str) -> list[tuple]:  # type: ignore[type-arg]
    with s.page.expect_download() as info:
        s.page.click(selector)
    path = info.value.path()
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True).active
    assert ws is not None
    return list(ws.iter_rows(values_only=True))


def test_risk_analyst_opens_the_top_alert_its_circle_and_exports_circles(
        browser: Any, wb: Live, shots: Path) -> None:
    with wb.client("risk_analyst") as c:
        alerts = c.get("/wb/alerts", params={"limit": 200}).json()["items"]
        in_circle = [a for a in alerts if any(c.get(f"/entities/{x}").json().get("circles")
                                              for x in {a["borrower"], a["party"]})]
    assert alerts, "no alerts"
    s = Session(browser, wb, "risk_analyst")
    p = s.page
    assert [b.get_attribute("data-screen") for b in p.query_selector_all("#nav button")] == \
        SCREENS["risk_analyst"]
    p.wait_for_selector("#alerts .tabulator-row")
    assert "借款人" in p.inner_text("#alerts") and "五级分类" in p.inner_text("#alerts")
    assert int(p.get_attribute("#alerts", "data-total") or 0) == len(alerts)
    s.check_axe("worklist")
    p.screenshot(path=str(shots / "ra-1-worklist.png"))
    # the top alert whose borrower or party is in a circle (its borrower typed into the filter)
    top = (in_circle or alerts)[0]
    p.fill("#alerts input[type=search]", top["borrower_name"])
    first = p.locator("#alerts .tabulator-row", has_text=top["borrower_name"]).first
    first.wait_for()
    first.click()
    p.wait_for_selector("#alert-detail h3")
    assert s.nodes() >= 2
    assert "¥" in p.inner_text("#alert-detail") and "万" in p.inner_text("#alert-detail")
    p.screenshot(path=str(shots / "ra-2-alert.png"))
    if in_circle:
        p.click("#alert-detail .open-circle >> nth=0")
    else:  # no alert touches a circle in this county: the riskiest circle from the list
        assert "不在担保圈中" in p.inner_text("#alert-detail")
        s.screen("circles")
        p.wait_for_selector("#circles[data-total] .tabulator-row .tabulator-cell")
        p.wait_for_timeout(500)  # the filter selects are added above the rows once
        p.click("#circles .tabulator-row .tabulator-cell >> nth=0")
    try:
        p.wait_for_selector("#circle-detail .explain")
    except Exception:
        p.screenshot(path=str(shots / "ra-fail.png"))
        raise AssertionError((s.errors, s.log[-8:])) from None
    text = p.inner_text("#circle-detail")
    assert "风险说明" in text and "担保关系" in text
    assert p.evaluate("document.querySelector('#circle-detail .explain').getBoundingClientRect().top"
                      ) < p.evaluate("document.querySelector('#c-members').getBoundingClientRect().top")
    assert s.nodes() >= 2
    s.check_axe("circles")
    p.screenshot(path=str(shots / "ra-3-circle.png"))
    rows = _download(s, "#circles button.export")
    assert rows[0][0] == "名称" and "风险分" in rows[0] and len(rows) > 1
    for screen in ("systemic", "chains", "explore", "paths"):
        s.screen(screen)
        s.check_axe(screen)
    (shots / "axe-risk_analyst.json").write_text(json.dumps(s.axe, ensure_ascii=False, indent=1))
    assert not s.serious(), s.serious()
    assert not s.errors, s.errors
    (shots / "axe-risk_analyst.json").write_text(json.dumps(s.axe, ensure_ascii=False, indent=1))
    s.close()


def test_marketer_prospects_of_a_grid_a_referral_tree_and_a_supply_chain(
        browser: Any, wb: Live, shots: Path) -> None:
    s = Session(browser, wb, "marketer")
    p = s.page
    assert [b.get_attribute("data-screen") for b in p.query_selector_all("#nav button")] == \
        SCREENS["marketer"]
    p.wait_for_load_state("networkidle")
    s.check_axe("communities")
    s.screen("prospects")
    p.wait_for_selector("#prospect-list .tabulator-row")
    grid = p.locator("#prospect-list select[data-field='grid'] option >> nth=1")
    grid_id = grid.get_attribute("value")
    p.select_option("#prospect-list select[data-field='grid']", grid_id)
    p.wait_for_load_state("networkidle")
    with wb.client("marketer") as c:
        want = c.get("/wb/prospects", params={"where": f"grid:{grid_id}"}).json()["total"]
    p.wait_for_function(f"document.getElementById('prospect-list').dataset.total === '{want}'")
    s.check_axe("prospects")
    p.screenshot(path=str(shots / "mk-1-prospects.png"))
    rows = _download(s, "#prospect-list button.export")
    assert rows[0][1] == "潜在客户" and len(rows) - 1 == want
    s.bodies["export prospects"] = json.dumps(rows, ensure_ascii=False)
    # a referral tree, drawn as a tree
    s.screen("referrals")
    p.click("#referral-list .tabulator-row >> nth=0")
    p.wait_for_selector("#referral-detail h3")
    assert s.nodes() >= 2
    assert "K因子" in p.inner_text("#referral-detail")
    ys = p.evaluate("(() => { const r = S.cy.nodes('.root')[0] || null; return r ? "
                    "[r.position('y'), Math.max(...S.cy.nodes().map(n => n.position('y')))] : null })()")
    assert ys is None or ys[0] < ys[1]  # the root above its referees
    s.check_axe("referrals")
    p.screenshot(path=str(shots / "mk-2-referral-tree.png"))
    # a supply chain
    s.screen("supply")
    p.click("#supply-list .tabulator-row >> nth=0")
    p.wait_for_selector("#supply-detail h3")
    assert s.nodes() >= 3
    s.check_axe("supply")
    p.screenshot(path=str(shots / "mk-3-supply-chain.png"))
    for screen in ("explore", "paths"):
        s.screen(screen)
        s.check_axe(screen)
    # search as you type (companies only, masked)
    p.fill("#gsearch", "祁门")
    p.wait_for_selector("#gsearch-list li[role=option]")
    p.keyboard.press("ArrowDown")
    p.keyboard.press("Enter")
    assert s.nodes() >= 2
    p.wait_for_load_state("networkidle")
    assert not s.serious(), s.serious()
    assert not s.errors, s.errors
    _masking_scan(wb, s.bodies)
    (shots / "axe-marketer.json").write_text(json.dumps(s.axe, ensure_ascii=False, indent=1))
    (shots / "marketer-fetched.txt").write_text("\n".join(sorted(s.bodies)))
    s.close()


def _masking_scan(live: Live, bodies: dict[str, str]) -> None:
    """No 身份证 number, phone number or full personal name — also not inside a firm name —
    in anything the marketer's screens fetched."""
    assert len(bodies) >= 10, sorted(bodies)
    names = sorted({n for n in live.facts.person_names if len(n) >= 2})
    firms = [c for c in live.facts.companies.values() if c]
    # a firm named after a person: the test below must see it masked, never in clear
    owned = [f for f in firms if any(n in f for n in names)]
    joined = "\n".join(bodies.values())
    bad = [f"{u}: {n}" for u, b in bodies.items() for n in names if n in b]
    bad += [f"{u}: id number" for u, b in bodies.items() if ID18.search(b)]
    bad += [f"{u}: phone" for u, b in bodies.items() if PHONE11.search(b)]
    assert not bad, bad[:20]
    assert not [f for f in owned if f in joined], "a firm name with its owner's name in clear"
    assert re.search(r"[\u4e00-\u9fff]\*", joined), "no masked name seen at all"


def test_investigator_opens_an_event_with_merged_sources_and_the_marked_document(
        browser: Any, wb: Live, shots: Path) -> None:
    with wb.client("investigator") as c:
        events = c.get("/wb/events", params={"limit": 200}).json()["items"]
    merged = [e for e in events if e["documents"] and any(not x["from_document"] for x in e["sources"])]
    assert merged, "no event merges the bank's record and a document"
    ev = merged[0]
    s = Session(browser, wb, "investigator")
    p = s.page
    assert [b.get_attribute("data-screen") for b in p.query_selector_all("#nav button")] == \
        SCREENS["investigator"]
    p.wait_for_selector("#event-list .tabulator-row")
    p.wait_for_selector("#timeline circle")
    s.check_axe("events")
    p.screenshot(path=str(shots / "iv-1-timeline.png"))
    p.click(f"#timeline circle[data-id='{ev['id']}']")
    p.wait_for_selector("#event-detail .doctext mark")
    assert p.get_attribute("#event-detail", "data-id") == ev["id"]
    src_rows = p.query_selector_all("#event-detail table.sources tr")
    assert len(src_rows) - 1 == ev["n_sources"] >= 2
    assert p.query_selector("#event-detail mark.party") and p.query_selector("#event-detail mark.amount")
    assert p.query_selector("#event-detail mark.party button.open-node")
    assert s.nodes() >= 3
    s.check_axe("event")
    p.locator("#event-detail table.sources").scroll_into_view_if_needed()
    p.screenshot(path=str(shots / "iv-2-event.png"))
    p.locator("#event-detail .doctext mark.amount").first.scroll_into_view_if_needed()
    p.screenshot(path=str(shots / "iv-2b-document.png"))
    # a party's link opens its neighbourhood
    p.click("#event-detail mark.party button.open-node >> nth=0")
    p.wait_for_function("document.getElementById('graph-caption').textContent.length > 0")
    p.screenshot(path=str(shots / "iv-3-party.png"))
    for screen in ("exposure", "explore", "paths"):
        s.screen(screen)
        s.check_axe(screen)
    assert not s.serious(), s.serious()
    assert not s.errors, s.errors
    (shots / "axe-investigator.json").write_text(json.dumps(s.axe, ensure_ascii=False, indent=1))
    s.close()


def test_english_switch_and_no_screens_for_other_roles(browser: Any, wb: Live, shots: Path) -> None:
    s = Session(browser, wb, "marketer")
    p = s.page
    p.click("#lang")
    p.wait_for_function("document.documentElement.lang === 'en'")
    assert "Prospects" in p.inner_text("#nav") and "预警" not in p.inner_text("#nav")
    p.click("#lang")
    p.wait_for_function("document.documentElement.lang === 'zh-CN'")
    assert not p.query_selector("#nav button[data-screen='worklist']")
    assert p.is_hidden("#error")
    s.close()


def test_frontline_screens_rings_village_credit_and_tier_drops(browser: Any, wb: Live, shots: Path) -> None:
    """Issue #19 on the page: a risk analyst opens the top ring (members and what they share,
    drawn) and the 整村授信 list (reasons, workbook); a marketer sees tier drops with their
    context and only the grants, masked."""
    with wb.client("risk_analyst") as c:
        rings = c.get("/rings").json()
        village = c.get("/village-credit", params={"limit": 200}).json()
    s = Session(browser, wb, "risk_analyst")
    p = s.page
    s.screen("rings")
    if rings["items"]:
        p.wait_for_selector("#rings .tabulator-row")
        p.wait_for_selector("#ring-detail h3")
        top = rings["items"][0]
        assert top["id"] in p.inner_text("#ring-detail")
        assert s.nodes() == len(top["members"]) + len(top["evidence"])
    s.check_axe("rings")
    p.screenshot(path=str(shots / "fl-1-rings.png"))
    s.screen("village")
    p.wait_for_selector("#village .tabulator-row")
    assert int(p.get_attribute("#village", "data-total") or 0) == village["total"]
    text = p.inner_text("#village")
    assert "复核" in text or "排除" in text
    p.click("#village .tabulator-row .tabulator-cell >> nth=0")
    p.wait_for_selector("#village-detail h3")
    s.check_axe("village")
    p.screenshot(path=str(shots / "fl-2-village-risk.png"))
    rows = _download(s, "#village-export")
    assert rows[0][:4] == ("村", "户编号", "户主", "建议") and len(rows) == village["total"] + 1
    assert not s.serious(), s.serious()
    assert not s.errors, s.errors
    s.close()
    m = Session(browser, wb, "marketer")
    p = m.page
    m.screen("drops")
    p.wait_for_selector("#drops .tabulator-row")
    assert "→" in p.inner_text("#drops")
    p.click("#drops .tabulator-row .tabulator-cell >> nth=0")
    p.wait_for_selector("#drop-detail h3")
    assert m.nodes() >= 2
    m.check_axe("drops")
    p.screenshot(path=str(shots / "fl-3-drops-marketer.png"))
    m.screen("village")
    p.wait_for_selector("#village .tabulator-row")
    assert "复核" not in p.inner_text("#village") and "排除" not in p.inner_text("#village")
    assert not p.query_selector("#village-export")
    m.check_axe("village")
    p.screenshot(path=str(shots / "fl-4-village-marketer.png"))
    assert not m.serious(), m.serious()
    assert not m.errors, m.errors
    names = [n for n in wb.facts.person_names
             if not any(n in firm for firm in wb.facts.companies.values())]
    for url, body in m.bodies.items():
        if "/tier-drops" in url or "/village-credit" in url:
            assert not any(n in body for n in names), url
            assert not ID18.search(body) and not PHONE11.search(body), url
    m.close()
