"""Open the configured store: embedded kuzu by default, Neo4j when a URI is set."""

from __future__ import annotations

from guanxi.graph.settings import Settings
from guanxi.graph.store import GraphStore


def open_store(
    settings: Settings | None = None, *, read_only: bool | None = None, command: str | None = None
) -> GraphStore:
    """Return an open GraphStore for `settings` (default: from the environment)."""
    s = settings or Settings()
    if s.neo4j_uri:
        from guanxi.graph.neo4j_store import Neo4jStore

        return Neo4jStore(
            s.neo4j_uri,
            s.neo4j_user,
            s.neo4j_password,
            s.neo4j_database,
            query_timeout_s=s.query_timeout_s,
        )
    from guanxi.graph.embedded import EmbeddedStore

    ro = s.read_only if read_only is None else read_only
    return EmbeddedStore(
        s.store,
        read_only=ro,
        buffer_pool_mb=s.buffer_pool_mb,
        query_timeout_s=s.query_timeout_s,
        command=command,
    )
