"""Start and stop a local ArcadeDB server with its Bolt plugin (the Neo4j stand-in for tests).

ArcadeDB comes from the `arcadedb-embedded` wheel, which bundles a JRE; nothing is installed
system-wide. Used by the contract tests and by bench/ to run the Neo4j backend for real.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def _package_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("arcadedb-embedded is not installed (pip install arcadedb-embedded)")
    return Path(next(iter(spec.submodule_search_locations)))


def _answers(server: ArcadeDBServer) -> bool:
    """Return True once the server runs a query on its `neo4j` database over Bolt."""
    from neo4j import GraphDatabase
    from neo4j import exceptions as nx

    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=0.5):
            pass
        with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as drv, \
                drv.session(database=server.database) as session:
            session.run("RETURN 1 AS one").consume()  # one attempt: no retry-logging noise
        return True
    except (OSError, nx.Neo4jError, nx.DriverError):
        return False


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ArcadeDBServer:
    """A running ArcadeDB child process; `uri`, `user`, `password`, `database` to connect."""

    port: int
    password: str
    root: Path
    proc: subprocess.Popen[bytes]
    user: str = "root"
    database: str = "neo4j"
    _own_root: bool = field(default=False, repr=False)

    @property
    def uri(self) -> str:
        """Return the Bolt URI of the server."""
        return f"bolt://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop the server and remove its files if we created them."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)


def start_arcadedb(
    root: Path | None = None, heap: str = "1g", timeout_s: float = 90.0
) -> ArcadeDBServer:
    """Start ArcadeDB with Bolt on a free port; return once it accepts Bolt connections."""
    pkg = _package_dir()
    java = next(pkg.rglob("bin/java"), None)
    jars = next((p for p in pkg.rglob("jars") if p.is_dir()), None)
    if java is None or jars is None:
        raise RuntimeError(f"no bundled JRE/jars under {pkg}")
    own = root is None
    root = Path(tempfile.mkdtemp(prefix="guanxi-arcadedb-")) if root is None else root
    root.mkdir(parents=True, exist_ok=True)
    port, password = free_port(), "guanxi-test-pw"
    http_port = free_port()
    cmd = [
        str(java),
        f"-Xmx{heap}",
        "-cp",
        f"{jars}/*",
        f"-Darcadedb.server.rootPath={root}",
        f"-Darcadedb.server.rootPassword={password}",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        "-Darcadedb.bolt.host=127.0.0.1",
        f"-Darcadedb.bolt.port={port}",
        "-Darcadedb.server.defaultDatabases=neo4j[root]",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "com.arcadedb.server.ArcadeDBServer",
    ]
    log = open(root / "server.log", "wb")
    proc = subprocess.Popen(
        cmd,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=root,
        env={**os.environ, "JAVA_TOOL_OPTIONS": ""},
    )
    server = ArcadeDBServer(port, password, root, proc, _own_root=own)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ArcadeDB exited: {(root / 'server.log').read_text()[-2000:]}")
        if _answers(server):
            return server
        time.sleep(0.5)
    server.stop()
    raise RuntimeError("ArcadeDB did not open its Bolt port in time")
