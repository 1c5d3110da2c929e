"""Shared fixtures: real stores on every backend (embedded kuzu, ArcadeDB over Bolt, Neo4j)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from guanxi.graph.store import GraphStore

BACKENDS = ["embedded", "arcadedb", "neo4j"]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def arcadedb_server() -> Iterator[object]:
    """A real ArcadeDB server with Bolt on 127.0.0.1 and a free port, for the whole session."""
    from guanxi.graph.arcadedb import start_arcadedb

    server = start_arcadedb()
    yield server
    server.stop()


def make_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """Return an empty store of `backend` (skips neo4j without NEO4J_URI)."""
    if backend == "embedded":
        from guanxi.graph.embedded import EmbeddedStore

        return EmbeddedStore(tmp_path / "store", buffer_pool_mb=512)
    from guanxi.graph.neo4j_store import Neo4jStore

    if backend == "arcadedb":
        srv = request.getfixturevalue("arcadedb_server")
        st: GraphStore = Neo4jStore(srv.uri, srv.user, srv.password, srv.database)  # type: ignore[attr-defined]
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI is not set: no real Neo4j to test against")
        st = Neo4jStore(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE"),
        )
    st.clear()
    return st


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store, once per backend."""
    st = make_store(request.param, request, tmp_path)
    yield st
    if st.backend != "embedded":
        st.clear()
    st.close()


_per_backend: Counter[tuple[str, str]] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.skipped):
        for b in BACKENDS:
            if f"[{b}" in report.nodeid or f"-{b}]" in report.nodeid or f"-{b}-" in report.nodeid:
                _per_backend[(b, report.outcome)] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _per_backend:
        return
    terminalreporter.section("tests per storage backend")
    for b in BACKENDS:
        row = {o: _per_backend[(b, o)] for o in ("passed", "failed", "skipped")}
        terminalreporter.write_line(
            f"{b:>9}: {row['passed']} passed, {row['failed']} failed, {row['skipped']} skipped"
        )
