"""`guanxi demo` end to end as a new user runs it: generate, load, analyse, ingest, serve."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from guanxi.graph.arcadedb import free_port
from tests.cli.processes import interrupt


def test_demo_generates_loads_analyses_and_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("GUANXI_NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "guanxi.cli", "--store", str(tmp_path / "store"), "demo",
         "--households", "150", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "serving the API" in line:
                break
        else:
            raise AssertionError("demo ended before serving:\n" + "".join(lines))
        out = "".join(lines)
        for step in ("generate a county", "load the extract", "guarantee circles",
                     "fund-flow communities", "read judgments"):
            assert step in out, out
        circles = int(re.search(r"guarantee circles: (\d+)", out).group(1))  # type: ignore[union-attr]
        assert circles > 0
        key = re.search(r"risk_analyst\s+(\S+)", out).group(1)  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = httpx.get(base + "/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert page.status_code == 200 and "<html" in page.text.lower()
        r = httpx.get(base + "/guarantee/circles", headers={"X-API-Key": key}, timeout=30)
        assert r.status_code == 200, r.text
        assert len(r.json()["items"]) == circles
        assert httpx.get(base + "/guarantee/circles", timeout=30).status_code == 401
        for route in ("/guarantee/systemic", "/exposure/alerts"):  # stored by the analyses
            page = httpx.get(base + route, headers={"X-API-Key": key}, timeout=30).json()
            assert page["items"] and page["note"].startswith("computed_at"), page
    finally:
        interrupt(proc)
