"""The storage contract every backend fulfils, and the errors it raises.

Everything above graph/ talks to a `GraphStore`; nothing else imports a database driver.
Backends: `guanxi.graph.embedded.EmbeddedStore` (kuzu, in-process, the default) and
`guanxi.graph.neo4j_store.Neo4jStore` (official `neo4j` driver over Bolt).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import pyarrow as pa


class StoreError(Exception):
    """Base class of errors a user should see as one line."""


class StoreLockedError(StoreError):
    """The embedded store is held by another process."""


class StoreAuthError(StoreError):
    """The server refused the credentials."""


class StoreUnavailableError(StoreError):
    """The server cannot be reached."""


class QueryNotFoundError(StoreError):
    """No `cypher/<name>.cypher` file exists."""


class QueryError(StoreError):
    """A query failed on the backend."""


class MissingEndpointError(StoreError):
    """An edge names a node that does not exist."""


@dataclass
class UpsertResult:
    """What one bulk upsert did: rows inserted, rows whose properties changed, rows unchanged."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Return the number of rows the call was given (after de-duplication)."""
        return self.inserted + self.updated + self.unchanged

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


class Transaction(Protocol):
    """A unit of work; committed when its `with` block ends without error."""

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run named query `name` inside the transaction and return its rows."""
        ...


@runtime_checkable
class GraphStore(Protocol):
    """The one storage contract. Both backends pass the same suite in tests/graph/."""

    backend: str
    location: str

    def ensure_schema(self) -> None:
        """Create node/relationship tables, constraints and indexes; safe to call again."""
        ...

    def upsert_nodes(self, label: str, table: pa.Table) -> UpsertResult:
        """Insert or update nodes of `label` keyed by the `id` column; return what changed.

        Columns must be model properties of the label; absent columns are left as they are on
        existing nodes. A row whose given properties equal the stored ones is `unchanged`.
        """
        ...

    def upsert_edges(
        self, rel: str, src_label: str, dst_label: str, table: pa.Table
    ) -> UpsertResult:
        """Insert or update edges keyed by `key` (INT64) with endpoints `src`/`dst` (node ids).

        Raises MissingEndpointError, before writing anything, if an endpoint does not exist.
        """
        ...

    def delete_nodes(self, label: str, ids: list[str]) -> int:
        """Delete nodes (and their edges) by id; return how many existed."""
        ...

    def delete_edges(self, rel: str, src_label: str, dst_label: str, table: pa.Table) -> int:
        """Delete `src_label`→`dst_label` edges of `rel` named by (dst, key) rows; return how
        many existed."""
        ...

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run the named query `cypher/<name>.cypher` with parameters; return all rows."""
        ...

    def stream(self, name: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Run a named query and yield its rows one by one."""
        ...

    def query_arrow(self, name: str, params: dict[str, Any] | None = None) -> pa.Table:
        """Run a named query and return its rows as an Arrow table."""
        ...

    def export_nodes(self, label: str, columns: list[str] | None = None) -> pa.Table:
        """Return every node of `label` as an Arrow table (`id` first, then `columns`)."""
        ...

    def export_edges(self, rel: str, columns: list[str] | None = None) -> pa.Table:
        """Return every edge of `rel` as an Arrow table: src, dst, src_label, dst_label, key, …"""
        ...

    def counts(self) -> dict[str, int]:
        """Return the number of nodes per label and edges per type (zeros included)."""
        ...

    def get_meta(self, key: str) -> str | None:
        """Return a stored metadata value, or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Store a metadata value (idempotent)."""
        ...

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Return a context manager for a write transaction of named queries."""
        ...

    def clear(self) -> None:
        """Delete every node and edge (tests and benchmarks)."""
        ...

    def close(self) -> None:
        """Release the store (locks, connections)."""
        ...
