"""Append-only, hash-chained audit log of every request, in SQLite beside the store.

Each entry stores `hash = sha256(prev_hash + canonical JSON of the entry)`; `verify()`
recomputes the chain, so editing or deleting a row is detected. The API offers no way to
change entries, and triggers refuse UPDATE/DELETE through SQLite as well.

Writes go through one writer thread, which chains and commits whatever entries are queued
in one transaction (WAL, `synchronous=NORMAL`), so concurrent requests share a commit
instead of queueing for the SQLite write lock one by one; the request waits for its entry's
commit before its ASGI cycle ends. The API's middleware uses `record` (group commit from the
event loop: one hand-over to the writer thread per batch, not per request); `submit` serves
callers outside an event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import queue
import sqlite3
import threading
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.sqlite3"
GENESIS = "0" * 64
_FIELDS = ("seq", "ts", "key_id", "role", "method", "route", "params", "result_count", "status",
           "duration_ms")


def canonical(entry: dict[str, Any]) -> str:
    """Return the canonical JSON text of an entry (sorted keys, no spaces, UTF-8)."""
    return json.dumps({k: entry[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def chain_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """Return sha256(prev_hash + canonical(entry)) as hex."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


@dataclass
class Verification:
    """Result of checking the chain: ok, entries checked, first bad seq (if any)."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""


@dataclass
class _Batch:
    entries: list[tuple[dict[str, Any], asyncio.Future[int]]] = field(default_factory=list)
    running: bool = False
    task: asyncio.Task[None] | None = None


class AuditLog:
    """The audit table in `<store folder>/audit.sqlite3`."""

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / AUDIT_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._queue: queue.SimpleQueue[tuple[dict[str, Any], Future[int]]] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None
        # per event loop: entries waiting for the next group commit, and whether one runs
        self._batches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batch] = (
            weakref.WeakKeyDictionary())
        c = self._conn()
        with c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL,"
                " key_id TEXT, role TEXT, method TEXT NOT NULL, route TEXT NOT NULL,"
                " params TEXT NOT NULL, result_count INTEGER NOT NULL, status INTEGER NOT NULL,"
                " duration_ms REAL NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
            )
            c.execute(
                "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            )
            c.execute(
                "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _entry(
        self,
        *,
        key_id: str | None,
        role: str | None,
        method: str,
        route: str,
        params: dict[str, Any],
        result_count: int,
        status: int,
        duration_ms: float,
    ) -> dict[str, Any]:
        """Return a new (not yet chained) entry."""
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
            + f".{int(time.time() * 1000) % 1000:03d}Z",
            "key_id": key_id,
            "role": role,
            "method": method,
            "route": route,
            "params": json.dumps(params, sort_keys=True, ensure_ascii=False, default=str),
            "result_count": int(result_count),
            "status": int(status),
            "duration_ms": round(float(duration_ms), 3),
        }
        return entry

    def append(self, **fields: Any) -> int:
        """Append one entry (fields as in `submit`), chained to the last; return its seq."""
        return self._write([self._entry(**fields)])[0]

    def submit(self, **fields: Any) -> Future[int]:
        """Queue one entry for the writer thread; the future resolves to its seq once committed.

        Fields: key_id, role, method, route, params, result_count, status, duration_ms.
        """
        fut: Future[int] = Future()
        entry = self._entry(**fields)
        with self._lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._drain, name="guanxi-audit",
                                                daemon=True)
                self._writer.start()
        self._queue.put((entry, fut))
        return fut

    async def record(self, **fields: Any) -> int:
        """Append one entry from the event loop; return its seq once committed.

        Fields as in `submit`. Entries recorded while a commit runs go together in the next
        one (group commit), written by one writer thread.
        """
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[int] = loop.create_future()
        batch = self._batches.get(loop)
        if batch is None:
            batch = self._batches[loop] = _Batch()
        batch.entries.append((self._entry(**fields), fut))
        if not batch.running:
            batch.running = True
            batch.task = loop.create_task(self._commit_batches(batch))
        return await fut

    async def _commit_batches(self, batch: _Batch) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="guanxi-audit")
        try:
            while batch.entries:
                todo, batch.entries = batch.entries[:500], batch.entries[500:]
                try:
                    seqs = await loop.run_in_executor(self._executor, self._write,
                                                      [e for e, _ in todo])
                except Exception as exc:  # the requests see the failure
                    for _, f in todo:
                        if not f.done():
                            f.set_exception(exc)
                    continue
                for (_, f), seq in zip(todo, seqs, strict=True):
                    if not f.done():
                        f.set_result(seq)
        finally:
            batch.running = False

    def _drain(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < 500:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                seqs = self._write([e for e, _ in batch])
            except Exception as exc:  # the requests see the failure
                for _, f in batch:
                    f.set_exception(exc)
                continue
            for (_, f), seq in zip(batch, seqs, strict=True):
                f.set_result(seq)

    def _write(self, entries: list[dict[str, Any]]) -> list[int]:
        """Chain and insert `entries` in one transaction; return their sequence numbers."""
        seqs = []
        with self._write_lock:
            c = self._conn()
            c.execute("BEGIN IMMEDIATE")  # serialises writers across processes too
            try:
                row = c.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0], row[1]) if row else (0, GENESIS)
                for entry in entries:
                    seq += 1
                    entry["seq"] = seq
                    h = chain_hash(prev, entry)
                    c.execute(
                        "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*(entry[k] for k in _FIELDS), prev, h),
                    )
                    prev = h
                    seqs.append(seq)
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return seqs

    def page(self, limit: int, offset: int, newest_first: bool = True) -> list[dict[str, Any]]:
        """Return `limit` entries from `offset` (newest first by default)."""
        order = "DESC" if newest_first else "ASC"
        cur = self._conn().execute(
            f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY seq {order} "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        )
        cols = [d[0] for d in cur.description]
        out = []
        for row in cur.fetchall():
            d = dict(zip(cols, row, strict=True))
            d["params"] = json.loads(d["params"])
            out.append(d)
        return out

    def count(self) -> int:
        """Return the number of entries."""
        return int(self._conn().execute("SELECT count(*) FROM audit").fetchone()[0])

    def verify(self) -> Verification:
        """Recompute the whole chain; return whether every link and hash holds."""
        prev = GENESIS
        n = 0
        expected_seq = 1
        cur = self._conn().execute(
            f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY seq"
        )
        cols = [d[0] for d in cur.description]
        for row in cur:
            d = dict(zip(cols, row, strict=True))
            n += 1
            if d["seq"] != expected_seq:
                return Verification(False, n, d["seq"], f"gap before entry {d['seq']}")
            if d["prev_hash"] != prev:
                return Verification(False, n, d["seq"], "broken link to the previous entry")
            if chain_hash(prev, d) != d["hash"]:
                return Verification(False, n, d["seq"], "entry does not match its hash")
            prev = d["hash"]
            expected_seq += 1
        return Verification(True, n)
