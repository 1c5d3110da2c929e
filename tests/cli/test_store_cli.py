"""`guanxi store info` and the one-line errors a user sees, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from guanxi.graph.embedded import EmbeddedStore


def guanxi(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process and return its result."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("GUANXI_DEBUG", None)
    full_env.pop("GUANXI_NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "guanxi.cli", *args], capture_output=True,
                          text=True, env=full_env, timeout=120)


def assert_one_line_error(res: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert res.returncode == 1, res
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in res.stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_help_lists_commands() -> None:
    res = guanxi("--help")
    assert res.returncode == 0 and "store" in res.stdout


def test_store_info_reports_backend_and_counts(tmp_path: Path) -> None:
    st = EmbeddedStore(tmp_path / "s")
    st.upsert_nodes("Person", pa.table({"id": ["P:1", "P:2"], "name": ["张三", "李四"]}))
    st.close()
    res = guanxi("--store", str(tmp_path / "s"), "store", "info", "--json")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["backend"] == "embedded" and info["counts"]["Person"] == 2


def test_locked_store_names_the_holder(tmp_path: Path) -> None:
    holder = EmbeddedStore(tmp_path / "s", command="guanxi serve")
    try:
        res = guanxi("--store", str(tmp_path / "s"), "store", "info")
        assert_one_line_error(res, "in use by", f"pid {os.getpid()}", "guanxi serve")
    finally:
        holder.close()
    assert guanxi("--store", str(tmp_path / "s"), "store", "info").returncode == 0


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    from guanxi.graph.arcadedb import free_port

    res = guanxi("--neo4j-uri", f"bolt://127.0.0.1:{free_port()}", "store", "info")
    assert_one_line_error(res, "cannot reach Neo4j")


def test_wrong_password_is_one_line(arcadedb_server: object) -> None:
    uri = arcadedb_server.uri  # type: ignore[attr-defined]
    res = guanxi("--neo4j-uri", uri, "store", "info",
                 env={"GUANXI_NEO4J_USER": "root", "GUANXI_NEO4J_PASSWORD": "not-the-password"})
    assert_one_line_error(res, "refused user", "wrong password")


def test_right_password_reaches_the_server(arcadedb_server: object) -> None:
    srv = arcadedb_server
    res = guanxi("--neo4j-uri", srv.uri, "store", "info", "--json",  # type: ignore[attr-defined]
                 env={"GUANXI_NEO4J_USER": "root",
                      "GUANXI_NEO4J_PASSWORD": srv.password,  # type: ignore[attr-defined]
                      "GUANXI_NEO4J_DATABASE": "neo4j"})
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["backend"] == "neo4j"
