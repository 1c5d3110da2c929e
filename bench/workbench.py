"""Page weight and first render of the risk analyst's worklist, beside today's (old) page.

Serves one API on a demo store (default: the 祁门-scale `guanxi demo` county) with the old
explorer page (from a git commit, `git archive`) mounted at `/old/` and the workbench at `/`,
then in Debian's Chromium (Playwright, cold context each run) measures from navigation start:

- new page: connect as risk_analyst → first row of the alert worklist on screen;
- old page: connect → "Load circles" → first circle in the list (its closest list: the old
  page has no worklist);

and the bytes each run fetched (page assets and API responses; no compression is served).
Prints medians of `--runs` runs, alternating old and new. Hold /work/bench.lock.

    flock /work/bench.lock python bench/workbench.py --store /path/to/demo/store
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import tarfile
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def old_page(commit: str, into: Path) -> Path:
    """Extract api/static of `commit` into `into`; rewrite its /static/ links to /old/."""
    repo = Path(__file__).resolve().parents[1]
    tar = subprocess.run(["git", "-C", str(repo), "archive", commit, "api/static"], check=True,
                         capture_output=True).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(tar)) as t:
        t.extractall(into, filter="data")
    static = into / "api" / "static"
    html = (static / "index.html").read_text(encoding="utf-8")
    (static / "index.html").write_text(html.replace('"/static/', '"/old/'), encoding="utf-8")
    return static


def start(store: Path, old_static: Path) -> tuple[str, dict[str, str], Any]:
    """Start the API (uvicorn thread) with the old page at /old/; return url, keys, server."""
    import uvicorn
    from fastapi.staticfiles import StaticFiles

    from guanxi.api.app import create_app
    from guanxi.api.auth import KeyStore
    from guanxi.graph.settings import Settings

    s = Settings(store=store, read_only=True, query_timeout_s=60)
    app = create_app(settings=s)
    app.mount("/old", StaticFiles(directory=old_static, html=True), name="old")
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    ks = KeyStore(store)
    keys = {"risk_analyst": ks.add("risk_analyst", "bench").key}
    return f"http://127.0.0.1:{port}", keys, server


def run(browser: Any, url: str, key: str, which: str) -> tuple[float, int, int, int]:
    """One cold run: (ms to first render, bytes fetched by then, of which API bytes, bytes
    fetched once the page is idle)."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 950})
    page = ctx.new_page()
    sizes: dict[str, int] = {}
    api = [0]

    def on_response(r: Any) -> None:
        try:
            n = len(r.body())
        except Exception:
            return
        sizes[r.url] = n
        if "/static/" not in r.url and "/old/" not in r.url and r.url.rstrip("/") != url:
            api[0] += n

    page.on("response", on_response)
    t0 = time.perf_counter()
    if which == "new":
        page.goto(url + "/")
        page.fill("#key", key)
        page.click("#connect")
        page.wait_for_selector("#alerts .tabulator-row", timeout=180_000)
    else:
        page.goto(url + "/old/")
        page.fill("#key", key)
        page.click("#connect")
        page.wait_for_function("document.getElementById('role').dataset.role !== undefined")
        page.click("button[data-tab='circles']")
        page.click("#load-circles")
        page.wait_for_selector("#circles li[data-id]", timeout=180_000)
    ms = (time.perf_counter() - t0) * 1000
    at_render, api_at_render = sum(sizes.values()), api[0]
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    ctx.close()
    return ms, at_render, api_at_render, sum(sizes.values())


def asset_bytes(static: Path, html: str) -> tuple[int, int]:
    """Return (raw, gzip -6) bytes of the page's own assets: index.html, what it links, and
    the scripts the workbench loads itself (the graph canvas's)."""
    import re

    raw = gz = 0
    text = (static / "index.html").read_bytes()
    links = re.findall(r'(?:src|href)="(/(?:static|old)/[^"]+)"', html)
    js = static / "workbench.js"
    if js.exists():
        links += ["/static/vendor/" + m for m in re.findall(r'"(cytoscape[^"]*\.js)"',
                                                            js.read_text(encoding="utf-8"))]
    files = [text] + [(static / m.split("/", 2)[2]).read_bytes() for m in links]
    for b in files:
        raw += len(b)
        gz += len(gzip.compress(b, 6))
    return raw, gz


def main() -> None:
    """Measure and print the table (medians of the runs)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", type=Path, default=Path("/work/scratch/workbench/qimen/store"))
    ap.add_argument("--old-commit", default="b5cc61b")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        old_static = old_page(a.old_commit, Path(tmp))
        t = time.perf_counter()
        url, keys, server = start(a.store, old_static)
        print(f"API up on the demo store in {time.perf_counter() - t:.1f} s")
        import httpx

        t = time.perf_counter()
        with httpx.Client(base_url=url, headers={"X-API-Key": keys["risk_analyst"]},
                          timeout=300) as c:
            while True:  # alerts may be computed in the background on a store without them
                r = c.get("/wb/alerts", params={"limit": 1})
                if r.status_code == 200:
                    print(f"worklist: {r.json()['total']:,} alerts; first /wb/alerts "
                          f"(builds the named list) {time.perf_counter() - t:.1f} s")
                    break
                time.sleep(2)
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            res: dict[str, list[tuple[float, int, int, int]]] = {"old": [], "new": []}
            for _ in range(a.runs):
                for which in ("old", "new"):
                    res[which].append(run(b, url, keys["risk_analyst"], which))
            b.close()
        server.should_exit = True
        new_static = Path(__file__).resolve().parents[1] / "api" / "static"
        weights = {"old": asset_bytes(old_static, (old_static / "index.html").read_text()),
                   "new": asset_bytes(new_static, (new_static / "index.html").read_text())}
        print(f"{'page':<30}{'first render ms':>16}{'bytes by render':>16}{'API bytes':>11}"
              f"{'bytes idle':>12}{'assets raw':>12}{'assets gzip':>12}")
        for which, label in (("old", "today's page (circles list)"),
                             ("new", "workbench (alert worklist)")):
            ms = statistics.median(r[0] for r in res[which])
            total = statistics.median(r[1] for r in res[which])
            api = statistics.median(r[2] for r in res[which])
            idle = statistics.median(r[3] for r in res[which])
            raw, gz = weights[which]
            print(f"{label:<30}{ms:>16.0f}{total:>16,.0f}{api:>11,.0f}{idle:>12,.0f}{raw:>12,}"
                  f"{gz:>12,}")


if __name__ == "__main__":
    main()
