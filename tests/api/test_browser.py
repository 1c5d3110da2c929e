"""The explorer page in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Live
from tests.api.fixture_graph import CO_B

CHROMIUM = os.environ.get("GUANXI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
A1 = "P:00000000000000a1"
A4 = "P:00000000000000a4"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _connect(page: Any, live: Live, role: str) -> None:
    page.goto(live.url + "/")
    page.fill("#key", live.keys[role])
    page.click("#connect")
    page.wait_for_function("document.getElementById('role').dataset.role !== undefined")
    assert page.inner_text("#role").endswith(role)


def _graph_nodes(page: Any) -> int:
    page.wait_for_function("Number(document.getElementById('graph').dataset.nodes || 0) > 1")
    return int(page.eval_on_selector("#graph", "e => e.dataset.nodes"))


def test_explorer_as_risk_analyst(browser: Any, live: Live, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: errors.append(f"external request {r.url}")
            if not r.url.startswith(live.url) else None)
    _connect(page, live, "risk_analyst")
    # search → neighbourhood graph
    page.fill("#q", "张三")
    page.click("#search")
    page.click(f"#results li[data-id='{A1}']")
    assert _graph_nodes(page) >= 5
    assert "张三丰" in page.inner_text("#detail")
    page.screenshot(path=str(tmp_path / "1-neighbourhood.png"))
    # a guarantee circle with balances and risk
    page.click("button[data-tab='circles']")
    page.click("#load-circles")
    page.click(f"#circles li[data-id='{live.facts.circle}']")
    page.wait_for_selector("#circle-detail table")
    text = page.inner_text("#circle-detail")
    assert "risk 0.82" in text and "280,000" in text and "李四" in text
    page.screenshot(path=str(tmp_path / "2-circle.png"))
    # a path between two entities
    page.click("button[data-tab='paths']")
    page.fill("#path-src", A4)
    page.fill("#path-dst", CO_B)
    page.click("#path-go")
    page.wait_for_selector("#path-result p")
    assert "length 3" in page.inner_text("#path-result")
    page.screenshot(path=str(tmp_path / "3-path.png"))
    # the documents behind an event
    page.click("button[data-tab='documents']")
    page.click("#load-records")
    page.click(f"#records li[data-id='{live.facts.record}']")
    page.wait_for_selector("#docs .doc")
    assert "祁门县人民法院" in page.inner_text("#docs")
    page.wait_for_function("document.getElementById('graph-caption').textContent.startsWith('documents')")
    assert int(page.get_attribute("#graph", "data-nodes") or 0) >= 4  # record, document, 2 parties
    page.screenshot(path=str(tmp_path / "4-documents.png"))
    assert not errors, errors
    print(f"screenshots in {tmp_path}")


def test_explorer_as_marketer_shows_masked_names(browser: Any, live: Live, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _connect(page, live, "marketer")
    page.fill("#q", "祁门")
    page.click("#search")
    page.click("#results li[data-id]")
    assert _graph_nodes(page) >= 3
    labels = page.evaluate("cy.nodes().map(n => n.data('label'))")
    assert "张*丰" in labels and "张三丰" not in labels
    html = page.content() + page.inner_text("#detail")
    for name in live.facts.person_names:
        assert name not in html
    assert "祁门红茶有限公司" in page.inner_text("#detail")
    page.screenshot(path=str(tmp_path / "5-marketer-masked.png"))
    # forbidden views answer with the API's error, shown on the page
    page.click("button[data-tab='circles']")
    page.click("#load-circles")
    page.wait_for_selector("#error:not([hidden])")
    assert "forbidden" in page.inner_text("#error")
