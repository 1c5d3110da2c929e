"""The Neo4j backend: the official `neo4j` driver (6.x) over Bolt.

Tested in CI against ArcadeDB's Bolt server (a stand-in) and against a real Neo4j whenever
`NEO4J_URI` is set. Internal bulk statements are generated here from the model (labels and
types come only from `graph.model`, values only from parameters); application queries are
the named files in `cypher/`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
import pyarrow as pa
import pyarrow.compute as pc
from neo4j import GraphDatabase, Query
from neo4j import exceptions as nx

from guanxi.graph import queries
from guanxi.graph.model import (
    ARROW_TYPES,
    NODE_TYPES,
    REL_TYPES,
    check_pair,
    node_type,
    rel_type,
)
from guanxi.graph.store import (
    MissingEndpointError,
    QueryError,
    StoreAuthError,
    StoreError,
    StoreUnavailableError,
    UpsertResult,
)
from guanxi.graph.tables import conform, dedupe_last, overlay, plan_upsert

BATCH = 10000


def _records_to_dicts(result: neo4j.Result) -> Iterator[dict[str, Any]]:
    for rec in result:
        yield dict(rec.items())


class _Neo4jTx:
    def __init__(self, tx: neo4j.Transaction) -> None:
        self._tx = tx

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        q = queries.load(name, "neo4j")
        return list(_records_to_dicts(self._tx.run(q.text, params or {})))


class Neo4jStore:
    """GraphStore on Neo4j (or any Bolt server speaking Neo4j's Cypher)."""

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        database: str | None = None,
        *,
        query_timeout_s: float | None = None,
        ensure_schema: bool = True,
    ) -> None:
        self.location = uri
        self.database = database
        self._timeout = query_timeout_s
        self.schema_notes: list[str] = []
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except nx.AuthError:
            raise StoreAuthError(f"Neo4j at {uri} refused user {user!r}: wrong password?") from None
        except (nx.ServiceUnavailable, OSError) as exc:
            raise StoreUnavailableError(f"cannot reach Neo4j at {uri}: {exc}") from None
        except (nx.ConfigurationError, ValueError) as exc:
            raise StoreError(f"bad Neo4j URI {uri!r}: {exc}") from None
        if ensure_schema:
            self.ensure_schema()

    # -- plumbing ------------------------------------------------------------------------
    def _session(self) -> neo4j.Session:
        return (
            self._driver.session(database=self.database)
            if self.database
            else self._driver.session()
        )

    def _exec(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one auto-commit statement; transient errors (deadlock, warm-up) are retried."""
        for attempt in range(4):
            try:
                with self._session() as s:
                    q = Query(text, timeout=self._timeout)
                    return list(_records_to_dicts(s.run(q, params or {})))
            except nx.ServiceUnavailable as exc:
                raise StoreUnavailableError(f"lost Neo4j at {self.location}: {exc}") from None
            except nx.TransientError as exc:
                if attempt == 3:
                    raise QueryError(f"{exc.code}: {exc.message}") from None
                time.sleep(0.2 * (attempt + 1))
            except nx.Neo4jError as exc:
                raise QueryError(f"{exc.code}: {exc.message}") from None
        raise AssertionError("unreachable")

    # -- schema --------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create a uniqueness constraint on `id` per label and an index on `key` per type."""
        for nt in NODE_TYPES:
            self._exec(
                f"CREATE CONSTRAINT guanxi_{nt.label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{nt.label}) REQUIRE n.id IS UNIQUE"
            )
        for rt in REL_TYPES:
            try:
                self._exec(
                    f"CREATE INDEX guanxi_{rt.type.lower()}_key IF NOT EXISTS "
                    f"FOR ()-[r:{rt.type}]-() ON (r.key)"
                )
            except QueryError as exc:
                note = f"relationship index on {rt.type}.key not created: {exc}"
                if note not in self.schema_notes:
                    self.schema_notes.append(note)

    # -- bulk writes ---------------------------------------------------------------------
    def _fetch_nodes(self, label: str, ids: list[str], cols: list[str]) -> pa.Table:
        nt = node_type(label)
        ret = ", ".join(["n.id AS id", *(f"n.{c} AS {c}" for c in cols)])
        rows = self._exec(
            f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN {ret}", {"ids": ids}
        )
        types = {p.name: ARROW_TYPES[p.type] for p in nt.all_props}
        return pa.Table.from_pylist(rows, schema=pa.schema([(c, types[c]) for c in ["id", *cols]]))

    def upsert_nodes(self, label: str, table: pa.Table) -> UpsertResult:
        """Insert or update nodes keyed by `id` in batches; return what changed."""
        nt = node_type(label)
        table = dedupe_last(conform(table, nt.all_props, ("id",)), "id")
        cols = [c for c in table.column_names if c != "id"]
        result = UpsertResult()
        stmt = f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
        empty = not self._exec(f"MATCH (n:{label}) RETURN n.id AS id LIMIT 1")
        for off in range(0, table.num_rows, BATCH):
            batch = table.slice(off, BATCH)
            if empty:  # a first load: nothing to diff against (ids are de-duplicated above)
                existing = batch.slice(0, 0)
            else:
                existing = self._fetch_nodes(label, batch["id"].to_pylist(), cols)
            plan = plan_upsert(batch, existing, "id")
            write = pa.concat_tables([plan.new, plan.changed])
            if write.num_rows:
                rows = [{"id": r.pop("id"), "props": r} for r in write.to_pylist()]
                self._exec(stmt, {"rows": rows})
            result += UpsertResult(plan.new.num_rows, plan.changed.num_rows, plan.unchanged)
        return result

    def _missing(self, label: str, ids: list[str]) -> list[str]:
        out: list[str] = []
        for off in range(0, len(ids), 20000):
            rows = self._exec(
                f"UNWIND $ids AS i OPTIONAL MATCH (n:{label} {{id: i}}) "
                "WITH i, n WHERE n IS NULL RETURN i",
                {"ids": ids[off : off + 20000]},
            )
            out.extend(r["i"] for r in rows)
        return out

    def upsert_edges(
        self, rel: str, src_label: str, dst_label: str, table: pa.Table
    ) -> UpsertResult:
        """Insert or update edges keyed by `key`; endpoints must exist."""
        rt = check_pair(rel, src_label, dst_label)
        table = dedupe_last(conform(table, rt.all_props, ("src", "dst", "key")), "key")
        if table.num_rows == 0:
            return UpsertResult()
        for side, label in (("src", src_label), ("dst", dst_label)):
            missing = self._missing(label, pc.unique(table[side]).to_pylist())
            if missing:
                raise MissingEndpointError(
                    f"{rel}: edges name {len(missing)} unknown {label} nodes "
                    f"({', '.join(missing[:5])})"
                )
        cols = [c for c in table.column_names if c not in ("src", "dst", "key")]
        types = {p.name: ARROW_TYPES[p.type] for p in rt.all_props}
        schema = pa.schema(
            [("key", pa.int64()), ("src", pa.string()), ("dst", pa.string())]
            + [(c, types[c]) for c in cols]
        )
        ret = ", ".join(
            ["r.key AS key", "a.id AS src", "b.id AS dst", *(f"r.{c} AS {c}" for c in cols)]
        )
        # Anchored on an endpoint (uses the id constraint): a key-only lookup scans every edge
        # on servers without relationship indexes (ArcadeDB). An edge whose two endpoints both
        # change under one key is therefore not found — see docs/backends.md.
        by_src = (
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}})-[r:{rel}]->"
            f"(b:{dst_label}) WHERE r.key = row.key RETURN {ret}"
        )
        by_dst = (
            f"UNWIND $rows AS row MATCH (b:{dst_label} {{id: row.dst}})<-[r:{rel}]-"
            f"(a:{src_label}) WHERE r.key = row.key RETURN {ret}"
        )
        drop = (
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}})-[r:{rel}]->"
            f"(:{dst_label}) WHERE r.key = row.key DELETE r"
        )
        set_props = (
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}})-[r:{rel}]->"
            f"(b:{dst_label} {{id: row.dst}}) WHERE r.key = row.key SET r += row.props"
        )
        every = [p.name for p in rt.props]
        full_schema = pa.schema(
            [("key", pa.int64()), ("src", pa.string()), ("dst", pa.string())]
            + [(c, types[c]) for c in every]
        )
        by_src_all = (
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}})-[r:{rel}]->"
            f"(b:{dst_label}) WHERE r.key = row.key RETURN r.key AS key, a.id AS src, "
            f"b.id AS dst{''.join(f', r.{c} AS {c}' for c in every)}"
        )
        # the plan says which keys are absent, so CREATE (MERGE on ArcadeDB conflicts when
        # one statement touches a node twice)
        write = (
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}}) "
            f"MATCH (b:{dst_label} {{id: row.dst}}) "
            f"CREATE (a)-[r:{rel} {{key: row.key}}]->(b) SET r += row.props"
        )
        result = UpsertResult()
        empty = not self._exec(f"MATCH ()-[r:{rel}]->() RETURN r.key AS k LIMIT 1")
        for off in range(0, table.num_rows, BATCH):
            batch = table.slice(off, BATCH).select(["key", "src", "dst", *cols])
            found: list[dict[str, Any]] = []
            if not empty:
                probe = batch.select(["key", "src", "dst"]).to_pylist()
                found = self._exec(by_src, {"rows": probe})
                seen = {r["key"] for r in found}
                rest = [r for r in probe if r["key"] not in seen]
                if rest:
                    found += self._exec(by_dst, {"rows": rest})
            existing = pa.Table.from_pylist(found, schema=schema)
            plan = plan_upsert(batch, existing, "key")
            if plan.new.num_rows:
                self._exec(write, {"rows": _edge_rows(plan.new)})
            if plan.changed.num_rows:
                chg = plan.changed
                old = existing.take(pc.index_in(chg["key"], existing["key"]))  # aligned with chg
                moved = pc.or_(pc.not_equal(chg["src"], old["src"]),
                               pc.not_equal(chg["dst"], old["dst"]))
                stay = chg.filter(pc.invert(moved))
                if stay.num_rows:
                    self._exec(set_props, {"rows": _edge_rows(stay)})
                gone = old.filter(moved).select(["key", "src"]).to_pylist()
                if gone:
                    # a moved edge is re-created with every stored property, then the given ones
                    stored = pa.Table.from_pylist(self._exec(by_src_all, {"rows": gone}),
                                                  schema=full_schema)
                    merged = overlay(stored, chg.filter(moved), "key")
                    self._exec(drop, {"rows": gone})
                    self._exec(write, {"rows": _edge_rows(merged)})
            result += UpsertResult(plan.new.num_rows, plan.changed.num_rows, plan.unchanged)
        return result

    def delete_nodes(self, label: str, ids: list[str]) -> int:
        """Delete nodes of `label` by id together with their edges; return how many existed."""
        node_type(label)
        rows = self._exec(
            f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n RETURN count(*) AS n",
            {"ids": ids},
        )
        return int(rows[0]["n"]) if rows else 0

    def delete_edges(self, rel: str, src_label: str, dst_label: str, table: pa.Table) -> int:
        """Delete `src_label`→`dst_label` edges of `rel` named by (dst, key) rows; return how
        many existed."""
        check_pair(rel, src_label, dst_label)
        rows = [
            {"dst": d, "key": k}
            for d, k in zip(table["dst"].to_pylist(), table["key"].to_pylist(), strict=True)
        ]
        n = 0
        for i in range(0, len(rows), BATCH):
            out = self._exec(
                f"UNWIND $rows AS row MATCH (:{dst_label} {{id: row.dst}})<-[r:{rel}]-(:{src_label}) "
                "WHERE r.key = row.key DELETE r RETURN count(*) AS n",
                {"rows": rows[i : i + BATCH]},
            )
            n += int(out[0]["n"]) if out else 0
        return n

    # -- reads ---------------------------------------------------------------------------
    def run(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a named query and return its rows as dicts."""
        return self._exec(queries.load(name, "neo4j").text, params)

    def stream(self, name: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Run a named query and yield rows as dicts while the server streams them."""
        q = queries.load(name, "neo4j")
        try:
            with self._session() as s:
                yield from _records_to_dicts(
                    s.run(Query(q.text, timeout=self._timeout), params or {})
                )
        except nx.Neo4jError as exc:
            raise QueryError(f"{exc.code}: {exc.message}") from None

    def query_arrow(self, name: str, params: dict[str, Any] | None = None) -> pa.Table:
        """Run a named query and return an Arrow table."""
        q = queries.load(name, "neo4j")
        try:
            with self._session() as s:
                res = s.run(Query(q.text, timeout=self._timeout), params or {})
                keys = list(res.keys())
                rows = [dict(r.items()) for r in res]
        except nx.Neo4jError as exc:
            raise QueryError(f"{exc.code}: {exc.message}") from None
        if not rows:
            return pa.table({k: pa.array([], pa.null()) for k in keys})
        return pa.Table.from_pylist(rows)

    def _export(self, text: str, schema: pa.Schema) -> pa.Table:
        cols: dict[str, list[Any]] = {f.name: [] for f in schema}
        names = schema.names
        with self._session() as s:
            for rec in s.run(text):
                vals = rec.values()
                for n, v in zip(names, vals, strict=True):
                    cols[n].append(v)
        return pa.table({f.name: pa.array(cols[f.name], f.type) for f in schema})

    def export_nodes(self, label: str, columns: list[str] | None = None) -> pa.Table:
        """Return all nodes of `label` with `id` and the given (default: all) columns."""
        nt = node_type(label)
        names = [p.name for p in nt.props] if columns is None else columns
        types = {p.name: ARROW_TYPES[p.type] for p in nt.all_props}
        bad = [c for c in names if c not in types or c == "id"]
        if bad:
            raise ValueError(f"{label} has no properties {bad}")
        ret = ", ".join(["n.id AS id", *(f"n.{c} AS {c}" for c in names)])
        schema = pa.schema([("id", pa.string())] + [(c, types[c]) for c in names])
        return self._export(f"MATCH (n:{label}) RETURN {ret}", schema)

    def export_edges(self, rel: str, columns: list[str] | None = None) -> pa.Table:
        """Return all edges of `rel`: src, dst, src_label, dst_label, key and columns."""
        rt = rel_type(rel)
        names = [p.name for p in rt.props] if columns is None else columns
        types = {p.name: ARROW_TYPES[p.type] for p in rt.props}
        bad = [c for c in names if c not in types]
        if bad:
            raise ValueError(f"{rel} has no properties {bad}")
        labels = sorted({lbl for pair in rt.pairs for lbl in pair})
        lab = "CASE " + " ".join(f"WHEN x:{lbl} THEN '{lbl}'" for lbl in labels) + " END"
        ret = ", ".join(
            [
                "a.id AS src",
                "b.id AS dst",
                lab.replace("x:", "a:") + " AS src_label",
                lab.replace("x:", "b:") + " AS dst_label",
                "r.key AS key",
                *(f"r.{c} AS {c}" for c in names),
            ]
        )
        schema = pa.schema(
            [
                ("src", pa.string()),
                ("dst", pa.string()),
                ("src_label", pa.string()),
                ("dst_label", pa.string()),
                ("key", pa.int64()),
            ]
            + [(c, types[c]) for c in names]
        )
        return self._export(f"MATCH (a)-[r:{rel}]->(b) RETURN {ret}", schema)

    def counts(self) -> dict[str, int]:
        """Return node counts per label and edge counts per type."""
        out: dict[str, int] = {}
        for nt in NODE_TYPES:
            if nt.label != "Meta":
                out[nt.label] = int(
                    self._exec(f"MATCH (n:{nt.label}) RETURN count(n) AS n")[0]["n"]
                )
        for rt in REL_TYPES:
            out[rt.type] = int(
                self._exec(f"MATCH ()-[r:{rt.type}]->() RETURN count(r) AS n")[0]["n"]
            )
        return out

    def get_meta(self, key: str) -> str | None:
        """Return the metadata value stored under `key`, or None."""
        rows = self._exec("MATCH (m:Meta {id: $k}) RETURN m.value AS v", {"k": key})
        return rows[0]["v"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Store `value` under `key`."""
        self._exec("MERGE (m:Meta {id: $k}) SET m.value = $v", {"k": key, "v": value})

    @contextmanager
    def transaction(self) -> Iterator[_Neo4jTx]:
        """Yield a transaction; commit on success, roll back on error."""
        with self._session() as s:
            tx = s.begin_transaction()
            try:
                yield _Neo4jTx(tx)
            except BaseException:
                tx.rollback()
                raise
            try:
                tx.commit()
            except nx.Neo4jError as exc:
                raise QueryError(f"{exc.code}: {exc.message}") from None

    def clear(self) -> None:
        """Delete every node and edge, in batches."""
        for nt in NODE_TYPES:
            while True:
                rows = self._exec(
                    f"MATCH (n:{nt.label}) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n"
                )
                if not rows or int(rows[0]["n"]) == 0:
                    break

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _edge_rows(table: pa.Table) -> list[dict[str, Any]]:
    """Return `table`'s rows as {key, src, dst, props} maps for the UNWIND writes."""
    rows = []
    for r in table.to_pylist():
        rows.append({"key": r.pop("key"), "src": r.pop("src"), "dst": r.pop("dst"), "props": r})
    return rows
