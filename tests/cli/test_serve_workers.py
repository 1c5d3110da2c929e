"""`guanxi serve --workers 2`: worker processes share the store read-only, one audit chain,
and a key revoked elsewhere stops working in every worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from guanxi.api.audit import AuditLog
from guanxi.api.auth import KeyStore
from guanxi.graph.arcadedb import free_port
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.store import StoreLockedError
from tests.api import fixture_graph
from tests.cli.processes import interrupt


def test_workers_share_the_store_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    store = EmbeddedStore(folder, buffer_pool_mb=256)
    facts = fixture_graph.build(store)
    store.close()
    key = KeyStore(folder).add("risk_analyst", "workers")
    port = free_port()
    env = {**os.environ}
    env.pop("GUANXI_NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "guanxi.cli", "--store", str(folder), "serve", "--port", str(port),
         "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.2)
        with pytest.raises(StoreLockedError):  # read-only workers keep writers out
            EmbeddedStore(folder)
        n = 0
        # fresh connections, so both workers answer some of them
        for _ in range(20):
            r = httpx.get(base + f"/entities/{facts.person_a}",
                          headers={"X-API-Key": key.key}, timeout=30)
            assert r.status_code == 200, r.text
            n += 1
        KeyStore(folder).revoke(key.key_id)
        for _ in range(10):
            r = httpx.get(base + "/me", headers={"X-API-Key": key.key}, timeout=30)
            assert r.status_code == 401, r.text
            n += 1
        log = AuditLog(folder)
        assert log.count() >= n
        assert log.verify().ok
    finally:
        interrupt(proc)
