"""The embedded default backend: kuzu 0.11.3, in-process, one read-write process at a time.

Layout of a store folder: `graph.kz` (the kuzu database), `holder.json` (who holds it),
plus files other modules keep there (config, quarantine, audit, API keys).

Side properties: the free-text properties a relationship type lists in `RelType.side` (a
TRANSFER's serial number and memo) live in a node table `<TYPE>_side` keyed by the edge key.
kuzu writes a distinct string on a relationship about 13 times slower than in a node table
(`bench/side_props.py`). The relationship is written first and its side row second; a missing
side row reads as nulls, and every write path repairs one, so a write killed in between
leaves nothing that a rerun does not fix.

Relationship rows are never deleted or updated in place: kuzu 0.11.3 loses unrelated rows of a
relationship table when a checkpoint (explicit, the one a `COPY` into the table runs, or the one
at close) writes back deletions or updates of rows already on disk, when the endpoint tables are
large and the relationship sparse (docs/backends.md, row 19). Every path that removes or changes
stored edges (`delete_edges`, the changed rows of `upsert_edges`, `delete_nodes`, `clear` and the
named queries of the shape `MATCH ()-[r:T]->() WHERE … DELETE r RETURN count(*) AS n`) rewrites
the relationship table instead: read the rows it keeps, then `DROP TABLE`, `CREATE REL TABLE`
and `COPY` in one transaction (`_rebuild_rel`). New edges are still appended with `COPY`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import kuzu
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph import queries
from guanxi.graph.model import (
    KUZU_TYPES,
    NODE_TYPES,
    REL_TYPES,
    RelType,
    check_pair,
    node_type,
    rel_type,
)
from guanxi.graph.secrets import open_private, private_dir
from guanxi.graph.store import (
    MissingEndpointError,
    QueryError,
    StoreError,
    StoreLockedError,
    UpsertResult,
)
from guanxi.graph.tables import (
    Plan,
    conform,
    dedupe_last,
    full_columns,
    overlay,
    plan_upsert,
)

DB_FILE = "graph.kz"
SMALL_BATCH = 20_000  # below this, upserts look rows up by key instead of exporting the table
DIFF_RANGE = 1_000_000  # stored edges read at a time when a large batch overlaps the store
HOLDER_FILE = "holder.json"


def _holder_text(folder: Path) -> str:
    try:
        h = json.loads((folder / HOLDER_FILE).read_text())
    except (OSError, ValueError):
        return "another process"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(h.get("since", 0)))
    return f"pid {h.get('pid')} ({h.get('command', '?')}, since {since})"


def _rows(res: kuzu.QueryResult) -> Iterator[dict[str, Any]]:
    for row in res.rows_as_dict():
        yield cast(dict[str, Any], row)


class _KuzuTx:
    def __init__(self, conn: kuzu.Connection) -> None:
        self._conn = conn

    def run(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        q = queries.load(name, "kuzu")
        if REL_DELETE.fullmatch(q.text):
            raise StoreError(f"{name} deletes relationships: run it with store.run, not in a transaction")
        res = self._conn.execute(q.text, params or {})
        assert isinstance(res, kuzu.QueryResult)
        return list(_rows(res))


def _private_files(folder: Path) -> None:
    """Set the database files kuzu created in `folder` to mode 0600."""
    for f in folder.glob(DB_FILE + "*"):
        try:
            if f.is_file():
                os.chmod(f, 0o600)
        except OSError:
            pass


class EmbeddedStore:
    """GraphStore on kuzu. Open with `EmbeddedStore(folder)`; close when done."""

    backend = "embedded"

    def __init__(
        self,
        folder: str | Path,
        *,
        read_only: bool = False,
        buffer_pool_mb: int = 2048,
        query_timeout_s: float | None = None,
        command: str | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.location = str(self.folder)
        self.read_only = read_only
        self._timeout_ms = int(query_timeout_s * 1000) if query_timeout_s else 0
        if read_only and not (self.folder / DB_FILE).exists():
            raise StoreError(f"no store at {self.folder} (run `guanxi load` or `guanxi demo`)")
        if not read_only:
            private_dir(self.folder)  # 0700: the store's files are for its owner only
        try:
            self._db = kuzu.Database(
                str(self.folder / DB_FILE),
                read_only=read_only,
                buffer_pool_size=buffer_pool_mb * 1024 * 1024,
            )
        except RuntimeError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"store {self.folder} is in use by {_holder_text(self.folder)}; "
                    "stop that process or point --store elsewhere"
                ) from None
            raise StoreError(f"cannot open store {self.folder}: {exc}") from None
        if not read_only:
            cmd = command or " ".join(
                Path(a).name if i == 0 else a for i, a in enumerate(sys.argv[:3])
            )
            with os.fdopen(open_private(self.folder / HOLDER_FILE), "w") as fh:
                fh.write(json.dumps({"pid": os.getpid(), "command": cmd, "since": time.time()}))
            _private_files(self.folder)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._orders: dict[str, list[str]] = {}
        if not read_only:
            try:
                self.ensure_schema()
            except BaseException:
                self.close()
                raise

    # -- connections -------------------------------------------------------------------
    def _conn(self) -> kuzu.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = kuzu.Connection(self._db)
            if self._timeout_ms:
                conn.set_query_timeout(self._timeout_ms)
            self._local.conn = conn
        return conn

    def _exec(self, text: str, params: dict[str, Any] | None = None) -> kuzu.QueryResult:
        try:
            res = self._conn().execute(text, params or {})
        except RuntimeError as exc:
            msg = str(exc).splitlines()[0]
            if "interrupted" in msg.lower() or "timeout" in msg.lower():
                raise QueryError(f"query timed out: {msg}") from None
            raise QueryError(msg) from None
        assert isinstance(res, kuzu.QueryResult)
        return res

    # -- schema --------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create every node and relationship table of the model that does not exist yet.

        A store built from an older version of the model is upgraded in place when the only
        differences are new tables and new columns (`ALTER TABLE … ADD`; stored rows read
        null there; the columns added are recorded in Meta ``model_upgraded``). Any other
        difference (a column removed or retyped, other endpoint pairs) is refused with a
        one-line error before anything is changed.
        """
        with self._write_lock:
            ddl = _ddl()
            fp = hashlib.sha256("\n".join(ddl).encode()).hexdigest()[:16]
            old = self.get_meta("model_fingerprint") if self._has_table("Meta") else None
            if old is not None and old != fp:
                plan = self._upgrade_plan(old, fp)
                for stmt in ddl:
                    self._exec(stmt)
                for table, col, typ in plan:
                    self._exec(f"ALTER TABLE {table} ADD IF NOT EXISTS {col} {typ}")
                self.set_meta("model_fingerprint", fp)
                self.set_meta("model_upgraded", json.dumps(
                    {"from": old, "to": fp, "added": [f"{t}.{c}" for t, c, _ in plan]}))
                return
            for stmt in ddl:
                self._exec(stmt)
            if old is None:
                self.set_meta("model_fingerprint", fp)

    def _has_table(self, name: str) -> bool:
        rows = _rows(self._exec("CALL show_tables() RETURN name"))
        return any(r["name"] == name for r in rows)

    def _upgrade_plan(self, old: str, fp: str) -> list[tuple[str, str, str]]:
        """Return the (table, column, type) to add so a store of model `old` matches this model,
        or raise StoreError (one line: what differs, what to do) when adding cannot do it."""
        def refuse(why: str) -> StoreError:
            return StoreError(
                f"store {self.folder} was built with another version of the graph model ({old}, this code "
                f"has {fp}) and cannot be upgraded in place ({why}); load into a new --store folder")

        existing = {r["name"] for r in _rows(self._exec("CALL show_tables() RETURN name"))}
        plan: list[tuple[str, str, str]] = []
        for table, cols, pairs in _model_tables():
            if table not in existing:
                continue  # a new table: created by the DDL
            have = {r["name"]: _SAME_TYPE.get(r["type"], r["type"])
                    for r in _rows(self._exec(f"CALL table_info('{table}') RETURN name, type"))}
            for name, typ in have.items():
                if name not in cols:
                    raise refuse(f"{table}.{name} is no longer in the model")
                if typ != cols[name]:
                    raise refuse(f"{table}.{name} is {typ}, the model says {cols[name]}")
            if pairs is not None:
                conn = {(r["source table name"], r["destination table name"])
                        for r in _rows(self._exec(f"CALL show_connection('{table}') RETURN *"))}
                if conn != set(pairs):
                    raise refuse(f"{table} connects other labels")
            plan += [(table, c, t) for c, t in cols.items() if c not in have]
        return plan

    def _ordered(self, table: str, fields: list[tuple[str, pa.DataType]]) -> list[tuple[str, pa.DataType]]:
        """Return `fields` in the stored column order of `table`, endpoint columns (src, dst)
        first: COPY is positional, and a column added by an upgrade comes last in the store."""
        order = self._orders.get(table)
        if order is None:
            order = [r["name"] for r in _rows(self._exec(f"CALL table_info('{table}') RETURN name"))]
            self._orders[table] = order
        pos = {n: i for i, n in enumerate(order)}
        return [f for f in fields if f[0] not in pos] + sorted((f for f in fields if f[0] in pos),
                                                              key=lambda f: pos[f[0]])

    # -- bulk writes ---------------------------------------------------------------------
    def _node_ids(self, label: str, among: pa.Array) -> pa.Array:
        """Return the ids of `label` nodes (only those in `among` when it is small)."""
        node_type(label)
        wanted = pc.unique(among)
        if len(wanted) <= SMALL_BATCH:
            return self._exec(
                f"LOAD FROM $t MATCH (n:{label} {{id: c0}}) RETURN n.id AS id",
                {"t": pa.table({"c0": wanted})},
            ).get_as_arrow()["id"]
        return self._exec(f"MATCH (n:{label}) RETURN n.id AS id").get_as_arrow()["id"]

    def upsert_nodes(self, label: str, table: pa.Table) -> UpsertResult:
        """Insert or update nodes keyed by `id`; return inserted/updated/unchanged counts."""
        nt = node_type(label)
        table = dedupe_last(conform(table, nt.all_props, ("id",)), "id")
        if table.num_rows == 0:
            return UpsertResult()
        if pc.any(pc.is_null(table["id"])).as_py():
            raise ValueError(f"{label}: null id")
        cols = [c for c in table.column_names if c != "id"]
        with self._write_lock:
            ret = ", ".join(["n.id AS id", *(f"n.{c} AS {c}" for c in cols)])
            if table.num_rows <= SMALL_BATCH:  # primary-key lookups beat a table export
                existing = self._exec(
                    f"LOAD FROM $t MATCH (n:{label} {{id: c0}}) RETURN {ret}",
                    {"t": pa.table({"c0": table["id"]})},
                ).get_as_arrow()
            else:
                existing = self._exec(f"MATCH (n:{label}) RETURN {ret}").get_as_arrow()
            plan = plan_upsert(table, existing, "id")
            if plan.new.num_rows:
                full = full_columns(plan.new, self._ordered(label, _fields(nt.arrow_schema())))
                self._exec(f"COPY {label} FROM $t", {"t": full})
            if plan.changed.num_rows and cols:
                renamed = plan.changed.rename_columns(
                    [f"c{i}" for i in range(plan.changed.num_columns)]
                )
                sets = ", ".join(f"n.{c} = c{i + 1}" for i, c in enumerate(cols))
                self._exec(f"LOAD FROM $t MATCH (n:{label} {{id: c0}}) SET {sets}", {"t": renamed})
        return UpsertResult(plan.new.num_rows, plan.changed.num_rows, plan.unchanged)

    def upsert_edges(
        self, rel: str, src_label: str, dst_label: str, table: pa.Table
    ) -> UpsertResult:
        """Insert or update edges keyed by `key`; endpoints must exist."""
        rt = check_pair(rel, src_label, dst_label)
        table = dedupe_last(conform(table, rt.all_props, ("src", "dst", "key")), "key")
        if table.num_rows == 0:
            return UpsertResult()
        cols = [c for c in table.column_names if c not in ("src", "dst", "key")]
        rcols = [c for c in cols if c not in rt.side]
        scols = [c for c in cols if c in rt.side]
        copy = f"COPY {rel} FROM $t (from='{src_label}', to='{dst_label}')"
        fields = self._ordered(rel, _fields(rt.arrow_schema(), rt.side))
        with self._write_lock:
            ret = ", ".join(
                ["r.key AS key", "a.id AS src", "b.id AS dst", *(f"r.{c} AS {c}" for c in rcols)]
            )
            inc = table.select(["key", "src", "dst", *cols])
            if table.num_rows <= SMALL_BATCH:
                existing = self._edges_by_key(rel, src_label, dst_label, table, ret)
                existing = self._with_side(rt, existing, scols)
                plan = plan_upsert(inc, existing, "key")
            else:
                plan, existing = self._plan_large(rt, src_label, dst_label, inc, ret, scols)
            if plan.changed.num_rows:  # checked first: the replacement below deletes before it copies
                self._check_endpoints(rel, src_label, dst_label, plan.changed)
            if plan.new.num_rows:
                # one COPY is atomic: an unknown endpoint fails it before anything is written
                try:
                    self._exec(copy, {"t": full_columns(plan.new, fields)})
                except QueryError as exc:
                    if "primary key" not in str(exc):
                        raise
                    self._check_endpoints(rel, src_label, dst_label, plan.new)
                    raise
                self._write_side(rt, plan.new)
            if plan.changed.num_rows:
                # endpoints may have changed: replace those edges
                keys = plan.changed["key"]
                stored = existing.filter(pc.is_in(existing["key"], keys))
                if len(cols) < len(rt.props):  # the replacement needs every stored column
                    every = [p.name for p in rt.props if p.name not in rt.side]
                    ret_all = ", ".join(
                        ["r.key AS key", "a.id AS src", "b.id AS dst"]
                        + [f"r.{c} AS {c}" for c in every]
                    )
                    stored = self._edges_by_key(rel, src_label, dst_label, stored, ret_all)
                    stored = self._with_side(rt, stored, list(rt.side))
                merged = overlay(stored, plan.changed, "key")
                pair = (src_label, dst_label)
                self._rebuild_rel(rt, {pair: keys}, {pair: merged})
                self._write_side(rt, merged)
        return UpsertResult(plan.new.num_rows, plan.changed.num_rows, plan.unchanged)

    def _plan_large(
        self, rt: RelType, src_label: str, dst_label: str, inc: pa.Table, ret: str,
        scols: list[str],
    ) -> tuple[Plan, pa.Table]:
        """Diff a large batch against the stored edges; return the plan and the changed rows' stored edges.

        Only the stored keys are read whole; stored rows are read for the keys the batch
        shares with the store, one key range of at most `DIFF_RANGE` keys at a time, so memory
        stays bounded by the batch rather than by the relationship table.
        """
        pattern = f"MATCH (a:{src_label})-[r:{rt.type}]->(b:{dst_label})"
        stored = self._exec(f"{pattern} RETURN r.key AS key").get_as_arrow()["key"]
        if len(stored) == 0:
            return Plan(inc, inc.slice(0, 0), 0), inc.slice(0, 0)
        shared = pc.is_in(inc["key"], value_set=stored.combine_chunks())
        del stored
        old = inc.filter(shared)
        new = inc.filter(pc.invert(shared))
        if old.num_rows == 0:
            return Plan(new, old, 0), old
        bounds = np.sort(old["key"].to_numpy())
        changed, kept, unchanged = [], [], 0
        for a in range(0, len(bounds), DIFF_RANGE):
            lo, hi = int(bounds[a]), int(bounds[min(a + DIFF_RANGE, len(bounds)) - 1])
            part = old.filter(
                pc.and_(pc.greater_equal(old["key"], lo), pc.less_equal(old["key"], hi))
            )
            bounds_ = {"lo": lo, "hi": hi}
            existing = self._exec(
                f"{pattern} WHERE r.key >= $lo AND r.key <= $hi RETURN {ret}", bounds_
            ).get_as_arrow()
            if scols:
                side = self._exec(
                    f"MATCH (s:{rt.type}_side) WHERE s.key >= $lo AND s.key <= $hi "
                    f"RETURN {_side_ret(scols)}",
                    bounds_,
                ).get_as_arrow()
                existing = _attach(existing, side, scols)
            sub = plan_upsert(part, existing, "key")
            changed.append(sub.changed)
            kept.append(existing.filter(pc.is_in(existing["key"], sub.changed["key"])))
            unchanged += sub.unchanged
        plan = Plan(new, pa.concat_tables(changed), unchanged)
        return plan, pa.concat_tables(kept)

    def _check_endpoints(self, rel: str, src_label: str, dst_label: str, table: pa.Table) -> None:
        """Raise MissingEndpointError if an edge of `table` names a node that does not exist."""
        for side, label in (("src", src_label), ("dst", dst_label)):
            known = self._node_ids(label, table[side])
            missing = pc.filter(table[side], pc.invert(pc.is_in(table[side], known)))
            if len(missing):
                sample = ", ".join(missing.unique().to_pylist()[:5])
                raise MissingEndpointError(
                    f"{rel}: {len(missing)} edges name unknown {label} nodes ({sample})"
                )

    def _edges_by_key(
        self, rel: str, src_label: str, dst_label: str, table: pa.Table, ret: str
    ) -> pa.Table:
        """Return stored edges with the keys of `table`, found from either endpoint."""
        probe = pa.table({"c0": table["src"], "c1": table["key"]})
        by_src = self._exec(
            f"LOAD FROM $t MATCH (a:{src_label} {{id: c0}})-[r:{rel}]->(b:{dst_label}) "
            f"WHERE r.key = c1 RETURN {ret}",
            {"t": probe},
        ).get_as_arrow()
        rest = table.filter(pc.invert(pc.is_in(table["key"], by_src["key"])))
        if rest.num_rows == 0:
            return by_src
        by_dst = self._exec(
            f"LOAD FROM $t MATCH (b:{dst_label} {{id: c0}})<-[r:{rel}]-(a:{src_label}) "
            f"WHERE r.key = c1 RETURN {ret}",
            {"t": pa.table({"c0": rest["dst"], "c1": rest["key"]})},
        ).get_as_arrow()
        found = [by_src, by_dst.cast(by_src.schema)]
        rest = rest.filter(pc.invert(pc.is_in(rest["key"], by_dst["key"])))
        if rest.num_rows and rel_type(rel).side:
            # both endpoints changed: a side row (primary-key indexed) says the key is stored
            known = self._exec(
                f"LOAD FROM $t MATCH (s:{rel}_side {{key: c0}}) RETURN s.key AS key",
                {"t": pa.table({"c0": rest["key"]})},
            ).get_as_arrow()["key"]
            if len(known):
                moved = self._exec(
                    f"MATCH (a:{src_label})-[r:{rel}]->(b:{dst_label}) "
                    f"WHERE list_contains($keys, r.key) RETURN {ret}",
                    {"keys": known.to_pylist()},
                ).get_as_arrow()
                found.append(moved.cast(by_src.schema))
        return pa.concat_tables(found)

    def _with_side(self, rt: RelType, edges: pa.Table, scols: list[str]) -> pa.Table:
        """Return `edges` with the side properties `scols` of their keys appended."""
        if not scols:
            return edges
        side = self._exec(
            f"LOAD FROM $t MATCH (s:{rt.type}_side {{key: c0}}) RETURN {_side_ret(scols)}",
            {"t": pa.table({"c0": edges["key"]})},
        ).get_as_arrow()
        return _attach(edges, side, scols)

    def _write_side(self, rt: RelType, edges: pa.Table) -> None:
        """Write the side rows of `edges` (replacing any stored under the same keys); none when
        `edges` carries no side column, since a missing side row reads as nulls."""
        if not any(c in edges.column_names for c in rt.side):
            return
        rows = full_columns(edges, self._ordered(f"{rt.type}_side",
                                                 [("key", pa.int64()), *((c, pa.string()) for c in rt.side)]))
        copy = f"COPY {rt.type}_side FROM $t"
        try:
            self._exec(copy, {"t": rows})
        except QueryError as exc:
            if "primary key" not in str(exc).lower():
                raise
            # rows left by an interrupted replacement: drop them, then write again
            self._delete_side(rt, rows["key"])
            self._exec(copy, {"t": rows})

    def _delete_side(self, rt: RelType, keys: pa.Array | pa.ChunkedArray) -> None:
        """Delete the side rows stored under `keys`."""
        if rt.side and len(keys):
            self._exec(
                f"LOAD FROM $t MATCH (s:{rt.type}_side {{key: c0}}) DELETE s",
                {"t": pa.table({"c0": keys})},
            )

    def delete_nodes(self, label: str, ids: list[str]) -> int:
        """Delete nodes of `label` by id together with their edges; return how many existed."""
        node_type(label)
        with self._write_lock:
            for rt in REL_TYPES:
                drop: dict[tuple[str, str], pa.ChunkedArray] = {}
                for sl, dl in rt.pairs:
                    ends = [f"list_contains($ids, {v}.id)" for v, lb in (("a", sl), ("b", dl)) if lb == label]
                    if not ends:
                        continue
                    keys = self._exec(
                        f"MATCH (a:{sl})-[r:{rt.type}]->(b:{dl}) WHERE {' OR '.join(ends)} "
                        "RETURN r.key AS key",
                        {"ids": ids},
                    ).get_as_arrow()["key"]
                    if len(keys):
                        drop[(sl, dl)] = keys
                if drop:  # the edges go first, by a rewrite (the module docstring says why)
                    self._rebuild_rel(rt, drop)
                    self._delete_side(rt, pa.chunked_array(
                        [c for k in drop.values() for c in k.chunks], pa.int64()))
            res = self._exec(
                f"MATCH (n:{label}) WHERE list_contains($ids, n.id) DETACH DELETE n "
                "RETURN count(*) AS n",
                {"ids": ids},
            )
            return int(res.get_as_arrow()["n"][0].as_py() or 0)

    def delete_edges(self, rel: str, src_label: str, dst_label: str, table: pa.Table) -> int:
        """Delete `src_label`→`dst_label` edges of `rel` named by (dst, key) rows; return how
        many existed."""
        rt = check_pair(rel, src_label, dst_label)
        if table.num_rows == 0:
            return 0
        probe = pa.table({"c0": table["dst"].cast(pa.string()), "c1": table["key"].cast(pa.int64())})
        with self._write_lock:
            res = self._exec(
                f"LOAD FROM $t MATCH (a:{src_label})-[r:{rel}]->(b:{dst_label} {{id: c0}}) "
                "WHERE r.key = c1 RETURN r.key AS key",
                {"t": probe},
            ).get_as_arrow()
            if res.num_rows == 0:
                return 0
            n = self._rebuild_rel(rt, {(src_label, dst_label): res["key"]})
            self._delete_side(rt, res["key"])
            return n

    def _rebuild_rel(
        self,
        rt: RelType,
        drop: dict[tuple[str, str], pa.Array | pa.ChunkedArray] | None = None,
        add: dict[tuple[str, str], pa.Table] | None = None,
        *,
        empty: bool = False,
    ) -> int:
        """Rewrite the relationship table of `rt` without the edges whose keys `drop` lists
        for their (from, to) label pair, plus the rows of `add` (edge tables: src, dst, key,
        properties; side columns are ignored here); with `empty`, without any stored edge.
        Return how many stored edges were left out.

        The stored rows are read first, then `DROP TABLE`, `CREATE REL TABLE` and one `COPY`
        per label pair run in one transaction, so a failure leaves the table as it was. This
        replaces DELETE/SET on stored relationship rows, which kuzu 0.11.3 checkpoints wrongly
        (module docstring). It costs a read and a COPY of the whole table.
        """
        drop = drop or {}
        add = add or {}
        fields = _fields(rt.arrow_schema(), rt.side)
        schema = pa.schema(fields)
        ret = ", ".join(["a.id AS src", "b.id AS dst", *(f"r.{n} AS {n}" for n, _ in fields[2:])])
        parts: list[tuple[tuple[str, str], pa.Table]] = []
        left_out = 0
        for sl, dl in rt.pairs:
            pieces = []
            if not empty:
                stored = self._exec(
                    f"MATCH (a:{sl})-[r:{rt.type}]->(b:{dl}) RETURN {ret}"
                ).get_as_arrow().cast(schema)
                gone = drop.get((sl, dl))
                if gone is not None and len(gone) and stored.num_rows:
                    kept = stored.filter(pc.invert(pc.is_in(stored["key"], value_set=pa.chunked_array(
                        gone.chunks if isinstance(gone, pa.ChunkedArray) else [gone]).combine_chunks())))
                    left_out += stored.num_rows - kept.num_rows
                    stored = kept
                pieces.append(stored)
            else:
                left_out += int(self._exec(
                    f"MATCH (a:{sl})-[r:{rt.type}]->(b:{dl}) RETURN count(*) AS n"
                ).get_as_arrow()["n"][0].as_py())
            if (sl, dl) in add:
                pieces.append(full_columns(add[(sl, dl)], fields).cast(schema))
            parts.append(((sl, dl), pa.concat_tables(pieces) if pieces else schema.empty_table()))
        conn = self._conn()
        self._exec("BEGIN TRANSACTION")
        try:
            self._exec(f"DROP TABLE {rt.type}")
            self._exec(_rel_ddl(rt))
            for (sl, dl), t in parts:
                if t.num_rows:
                    self._exec(f"COPY {rt.type} FROM $t (from='{sl}', to='{dl}')", {"t": t})
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            self._orders.pop(rt.type, None)  # a rewritten table has the model's column order
        self._exec("COMMIT")
        return left_out

    def _named_rel_delete(
        self, rel: str, where: str, alias: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Run a named `MATCH ()-[r:rel]->() WHERE where DELETE r RETURN count(*) AS alias`
        as a rewrite of the table (`_rebuild_rel`); return {alias: edges deleted}."""
        rt = rel_type(rel)
        with self._write_lock:
            found = self._exec(
                f"MATCH (a)-[r:{rel}]->(b) WHERE {where} "
                "RETURN label(a) AS sl, label(b) AS dl, r.key AS key",
                params,
            ).get_as_arrow()
            if found.num_rows == 0:
                return {alias: 0}
            drop: dict[tuple[str, str], pa.Array | pa.ChunkedArray] = {}
            for sl, dl in rt.pairs:
                sel = found.filter(pc.and_(pc.equal(found["sl"], sl), pc.equal(found["dl"], dl)))
                if sel.num_rows:
                    drop[(sl, dl)] = sel["key"]
            n = self._rebuild_rel(rt, drop)
            self._delete_side(rt, found["key"])
            return {alias: n}

    # -- reads ---------------------------------------------------------------------------
    def run(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a named query and return its rows as dicts."""
        return list(self.stream(name, params))

    def stream(self, name: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Run a named query and yield rows as dicts."""
        q = queries.load(name, "kuzu")
        m = REL_DELETE.fullmatch(q.text)
        if m:
            yield self._named_rel_delete(m.group(1), m.group(2), m.group(3), params or {})
            return
        res = self._exec(q.text, params)
        yield from _rows(res)

    def query_arrow(self, name: str, params: dict[str, Any] | None = None) -> pa.Table:
        """Run a named query and return an Arrow table."""
        q = queries.load(name, "kuzu")
        return self._exec(q.text, params).get_as_arrow()

    def export_nodes(self, label: str, columns: list[str] | None = None) -> pa.Table:
        """Return all nodes of `label` with `id` and the given (default: all) columns."""
        nt = node_type(label)
        names = [p.name for p in nt.props] if columns is None else columns
        known = {p.name for p in nt.props}
        bad = [c for c in names if c not in known]
        if bad:
            raise ValueError(f"{label} has no properties {bad}")
        ret = ", ".join(["n.id AS id", *(f"n.{c} AS {c}" for c in names)])
        return self._exec(f"MATCH (n:{label}) RETURN {ret}").get_as_arrow()

    def export_edges(self, rel: str, columns: list[str] | None = None) -> pa.Table:
        """Return all edges of `rel`: src, dst, src_label, dst_label, key and columns."""
        rt = rel_type(rel)
        names = [p.name for p in rt.props] if columns is None else columns
        known = {p.name for p in rt.props}
        bad = [c for c in names if c not in known]
        if bad:
            raise ValueError(f"{rel} has no properties {bad}")
        scols = [c for c in names if c in rt.side]
        ret = ", ".join(
            [
                "a.id AS src",
                "b.id AS dst",
                "label(a) AS src_label",
                "label(b) AS dst_label",
                "r.key AS key",
                *(f"r.{c} AS {c}" for c in names if c not in rt.side),
            ]
        )
        out = self._exec(f"MATCH (a)-[r:{rel}]->(b) RETURN {ret}").get_as_arrow()
        if not scols:
            return out
        side = self._exec(
            f"MATCH (s:{rel}_side) RETURN {_side_ret(scols)}"
        ).get_as_arrow()
        out = _attach(out, side, scols)
        return out.select(["src", "dst", "src_label", "dst_label", "key", *names])

    def counts(self) -> dict[str, int]:
        """Return node counts per label and edge counts per type."""
        out: dict[str, int] = {}
        for nt in NODE_TYPES:
            if nt.label == "Meta":
                continue
            r = self._exec(f"MATCH (n:{nt.label}) RETURN count(*) AS n").get_as_arrow()
            out[nt.label] = int(r["n"][0].as_py())
        for rt in REL_TYPES:
            r = self._exec(f"MATCH ()-[r:{rt.type}]->() RETURN count(*) AS n").get_as_arrow()
            out[rt.type] = int(r["n"][0].as_py())
        return out

    def get_meta(self, key: str) -> str | None:
        """Return the metadata value stored under `key`, or None."""
        rows = list(_rows(self._exec("MATCH (m:Meta {id: $k}) RETURN m.value AS v", {"k": key})))
        return rows[0]["v"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Store `value` under `key`."""
        with self._write_lock:
            self._exec("MERGE (m:Meta {id: $k}) SET m.value = $v", {"k": key, "v": value})

    @contextmanager
    def transaction(self) -> Iterator[_KuzuTx]:
        """Yield a transaction; commit on success, roll back on error."""
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN TRANSACTION")
            try:
                yield _KuzuTx(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def clear(self) -> None:
        """Delete every node and edge."""
        with self._write_lock:
            for rt in REL_TYPES:  # edges first, by a rewrite (module docstring)
                self._rebuild_rel(rt, empty=True)
            for nt in NODE_TYPES:
                self._exec(f"MATCH (n:{nt.label}) DETACH DELETE n")
            for rt in REL_TYPES:
                if rt.side:
                    self._exec(f"MATCH (s:{rt.type}_side) DELETE s")

    def close(self) -> None:
        """Close connections and release the lock on the store."""
        self._local = threading.local()
        if getattr(self, "_db", None) is not None:
            self._db.close()
            self._db = None  # type: ignore[assignment]
            if not self.read_only:
                _private_files(self.folder)
                try:
                    h = json.loads((self.folder / HOLDER_FILE).read_text())
                    if h.get("pid") == os.getpid():
                        (self.folder / HOLDER_FILE).unlink()
                except (OSError, ValueError):
                    pass

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fields(schema: pa.Schema, leave: tuple[str, ...] = ()) -> list[tuple[str, pa.DataType]]:
    """Return (name, type) pairs of a model table schema, in COPY column order, without the
    columns in `leave`."""
    return [(n, t) for n, t in zip(schema.names, schema.types, strict=True) if n not in leave]


def _side_ret(cols: list[str]) -> str:
    """Return the RETURN list reading the key and `cols` of a side node `s`."""
    return ", ".join(["s.key AS key", *(f"s.{c} AS {c}" for c in cols)])


def _attach(edges: pa.Table, side: pa.Table, cols: list[str]) -> pa.Table:
    """Return `edges` with `cols` from `side` appended by key (nulls where it has no row)."""
    at = pc.index_in(edges["key"], side["key"])
    for c in cols:
        edges = edges.append_column(c, side[c].take(at))
    return edges


_SAME_TYPE = {"BOOL": "BOOLEAN"}
"""kuzu's `table_info` name of a type → the name the DDL uses."""


def _model_tables() -> list[tuple[str, dict[str, str], tuple[tuple[str, str], ...] | None]]:
    """Return every table of the model: name, {column: kuzu type} and, for relationship
    tables, the (from, to) label pairs (the same tables as `_ddl`)."""
    out: list[tuple[str, dict[str, str], tuple[tuple[str, str], ...] | None]] = []
    for nt in NODE_TYPES:
        out.append((nt.label, {p.name: KUZU_TYPES[p.type] for p in nt.all_props}, None))
    for rt in REL_TYPES:
        out.append((rt.type, {p.name: KUZU_TYPES[p.type] for p in rt.all_props if p.name not in rt.side},
                    rt.pairs))
        if rt.side:
            out.append((f"{rt.type}_side", {"key": "INT64", **{c: "STRING" for c in rt.side}}, None))
    return out


def _ddl() -> list[str]:
    """Return the kuzu DDL of the whole model (CREATE … IF NOT EXISTS)."""
    out = []
    for nt in NODE_TYPES:
        cols = ", ".join(f"{p.name} {KUZU_TYPES[p.type]}" for p in nt.all_props)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {nt.label}({cols}, PRIMARY KEY(id))")
    for rt in REL_TYPES:
        out.append(_rel_ddl(rt))
        if rt.side:
            side = ", ".join(f"{c} STRING" for c in rt.side)
            out.append(
                f"CREATE NODE TABLE IF NOT EXISTS {rt.type}_side(key INT64, {side}, "
                "PRIMARY KEY(key))"
            )
    return out



def _rel_ddl(rt: RelType) -> str:
    """Return the kuzu DDL of the relationship table of `rt` (CREATE … IF NOT EXISTS)."""
    pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rt.pairs)
    cols = ", ".join(f"{p.name} {KUZU_TYPES[p.type]}" for p in rt.all_props if p.name not in rt.side)
    return f"CREATE REL TABLE IF NOT EXISTS {rt.type}({pairs}, {cols})"


REL_DELETE = re.compile(
    r"MATCH \(\)-\[r:(\w+)\]->\(\)\s+WHERE\s+(.+?)\s+DELETE r\s+RETURN count\(\*\) AS (\w+)", re.S
)
"""The one shape of named query that deletes relationships: the embedded store runs it as a
rewrite of the table (`EmbeddedStore._named_rel_delete`); groups: type, condition, alias."""
