"""A live API over real HTTP: uvicorn in a background thread on 127.0.0.1 and a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from guanxi.api.app import create_app
from guanxi.api.auth import ROLES, KeyStore
from guanxi.api.settings import ApiSettings
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore
from tests.api import county, fixture_graph


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    """A running server: base URL, one key per role, the store and the planted facts."""

    url: str
    keys: dict[str, str]
    store: GraphStore
    folder: Path
    facts: fixture_graph.Facts
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, role: str | None = None) -> httpx.Client:
        """Return an httpx client sending `role`'s key (no key for None)."""
        headers = {"X-API-Key": self.keys[role]} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(store: GraphStore, folder: Path, api: ApiSettings, facts: fixture_graph.Facts,
          *, close_store: bool) -> Live:
    """Start an app on `store` in a background uvicorn thread and return the live server."""
    settings = Settings(store=folder, query_timeout_s=10)
    app = create_app(lambda: store, settings, api, close_store=close_store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    ks = KeyStore(folder)
    keys = {r: ks.add(r, f"test-{r}").key for r in ROLES}
    return Live(f"http://127.0.0.1:{port}", keys, store, folder, facts, server, thread)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The API on the fixture graph (embedded store), generous rate limits."""
    folder = tmp_path_factory.mktemp("api") / "store"
    store = EmbeddedStore(folder, buffer_pool_mb=256, query_timeout_s=10)
    facts = fixture_graph.build(store)
    srv = serve(store, folder, ApiSettings(rate_per_s=10_000, burst=10_000), facts,
                close_store=True)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def county_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The API on a generated, loaded and analysed county (embedded store, in-memory index)."""
    folder = tmp_path_factory.mktemp("county")
    store = EmbeddedStore(folder / "store", buffer_pool_mb=256, query_timeout_s=10)
    facts = county.build(store, folder)
    srv = serve(store, folder / "store", ApiSettings(rate_per_s=10_000, burst=10_000), facts,
                close_store=True)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def county_live_arcadedb(
    tmp_path_factory: pytest.TempPathFactory, arcadedb_server: object
) -> Iterator[Live]:
    """The same county on ArcadeDB over Bolt (named queries, no in-memory index)."""
    from guanxi.graph.neo4j_store import Neo4jStore

    srv_db = arcadedb_server
    store = Neo4jStore(srv_db.uri, srv_db.user, srv_db.password, srv_db.database)  # type: ignore[attr-defined]
    store.clear()
    folder = tmp_path_factory.mktemp("county-arcadedb")
    facts = county.build(store, folder)
    (folder / "store").mkdir(exist_ok=True)
    srv = serve(store, folder / "store", ApiSettings(rate_per_s=10_000, burst=10_000), facts,
                close_store=False)
    yield srv
    srv.stop()
    store.clear()
    store.close()


@pytest.fixture(params=["planted", "county", "county-arcadedb"])
def any_live(request: pytest.FixtureRequest) -> Live:
    """The planted fixture, the generated county (embedded) and the county on ArcadeDB."""
    name = {"planted": "live", "county": "county_live",
            "county-arcadedb": "county_live_arcadedb"}[request.param]
    got = request.getfixturevalue(name)
    assert isinstance(got, Live)
    return got


@pytest.fixture
def make_live(live: Live) -> Iterator[Callable[[ApiSettings], Live]]:
    """Start extra servers on the same store with other limits (stopped after the test)."""
    started: list[Live] = []

    def make(api: ApiSettings) -> Live:
        s = serve(live.store, live.folder, api, live.facts, close_store=False)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()
