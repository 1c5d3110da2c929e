"""Append-only, HMAC-chained audit log of every request, in SQLite beside the store.

Each entry stores `hash = HMAC-SHA256(audit key, prev_hash + canonical JSON of the entry)`.
The audit key lives outside the database and the store (`GUANXI_AUDIT_KEY` or the key file
`audit.key`, see `guanxi.graph.secrets`), so whoever can write the SQLite file cannot
recompute the chain after editing, deleting or reordering entries. After every commit the
writer appends a signed checkpoint of the head (`seq`, `hash`, HMAC under the same key) to a
separate append-only file (`audit-checkpoints.jsonl` in the key folder, outside the store):
deleting the newest entries (truncation) leaves a checkpoint that names an entry the log no
longer has. `verify()` reports each problem with its kind: `edited`, `deleted`, `renumbered`,
`reordered`, `truncated`, `forged_checkpoint`.

Identifiers in query strings (18-digit 身份证, 11-digit phone, 12–30-digit account numbers)
are kept as keyed hashes (`#h:<16 hex>`, HMAC under the audit key): an auditor holding the
key can still find who searched for a number (`AuditLog.token`), the file shows none.

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
import hmac
import json
import os
import queue
import re
import sqlite3
import threading
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guanxi.graph.settings import Settings

AUDIT_FILE = "audit.sqlite3"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"
CHAIN_FORMAT = "hmac-sha256/1"
GENESIS = "0" * 64
_IDENT = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15}|1[3-9]\d{9}|\d{12,30})(?![0-9A-Za-z])")
_FIELDS = ("seq", "ts", "key_id", "role", "method", "route", "params", "result_count", "status",
           "duration_ms")


def canonical(entry: dict[str, Any]) -> str:
    """Return the canonical JSON text of an entry (sorted keys, no spaces, UTF-8)."""
    return json.dumps({k: entry[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def chain_hash(key: bytes, prev_hash: str, entry: dict[str, Any]) -> str:
    """Return HMAC-SHA256(key, prev_hash + canonical(entry)) as hex."""
    return hmac.new(key, (prev_hash + canonical(entry)).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def legacy_chain_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """Return sha256(prev_hash + canonical(entry)): the keyless chain of older stores."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


def checkpoint_sig(key: bytes, seq: int, head: str, ts: str) -> str:
    """Return the HMAC of a checkpoint (`seq`, head hash, time)."""
    return hmac.new(key, f"checkpoint|{seq}|{head}|{ts}".encode(), hashlib.sha256).hexdigest()


def scrub_params(key: bytes, value: Any) -> Any:
    """Return `value` (query parameters) with identifier-like digit runs replaced by keyed
    hashes `#h:<16 hex>`."""
    if isinstance(value, str):
        if len(value) < 11:
            return value
        return _IDENT.sub(lambda m: "#h:" + _token(key, m[0]), value)
    if isinstance(value, dict):
        return {k: scrub_params(key, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_params(key, v) for v in value]
    return value


def _token(key: bytes, ident: str) -> str:
    return hmac.new(key, b"ident|" + ident.strip().upper().encode(), hashlib.sha256).hexdigest()[:16]


@dataclass
class Problem:
    """One finding of `verify`: kind, the entry (seq) where it shows, and what was seen."""

    kind: str
    seq: int | None
    detail: str


@dataclass
class Verification:
    """Result of checking the chain and the checkpoints: ok, entries checked, first bad seq
    (if any), the first problem's text, and every problem found."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""
    problems: list[Problem] = field(default_factory=list)
    checkpoints: int = 0


@dataclass
class _Batch:
    entries: list[tuple[dict[str, Any], asyncio.Future[int]]] = field(default_factory=list)
    running: bool = False
    task: asyncio.Task[None] | None = None


class AuditError(RuntimeError):
    """The audit log cannot be opened as it is (old keyless format)."""


def default_key(folder: str | Path, settings: Settings | None = None) -> bytes:
    """Return the audit key for the store folder `folder`: `GUANXI_AUDIT_KEY`, else the key
    file `audit.key` in the key folder (created on first use)."""
    from guanxi.graph.secrets import key_dir, secret

    s = settings or Settings()
    return secret("audit", key_dir(folder, s.key_dir), s.audit_key)


def default_checkpoints(folder: str | Path, settings: Settings | None = None) -> Path:
    """Return the checkpoint file for the store folder `folder` (in its key folder)."""
    from guanxi.graph.secrets import key_dir

    return key_dir(folder, (settings or Settings()).key_dir) / CHECKPOINT_FILE


_CREATE = (
    "CREATE TABLE IF NOT EXISTS {t} (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL,"
    " key_id TEXT, role TEXT, method TEXT NOT NULL, route TEXT NOT NULL,"
    " params TEXT NOT NULL, result_count INTEGER NOT NULL, status INTEGER NOT NULL,"
    " duration_ms REAL NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
)
_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
)


class AuditLog:
    """The audit table in `<store folder>/audit.sqlite3` (file 0600), chained under `key`
    (default: `default_key`), with signed checkpoints appended to `checkpoints` (default:
    `default_checkpoints`)."""

    def __init__(self, folder: str | Path, key: bytes | None = None,
                 checkpoints: str | Path | None = None) -> None:
        from guanxi.graph.secrets import private_dir, private_file

        self.path = Path(folder) / AUDIT_FILE
        private_dir(self.path.parent)
        private_file(self.path)
        self.key = key if key is not None else default_key(folder)
        self.checkpoints = Path(checkpoints) if checkpoints else default_checkpoints(folder)
        private_dir(self.checkpoints.parent)
        private_file(self.checkpoints)
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
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute(_CREATE.format(t="audit"))
            for t in _TRIGGERS:
                c.execute(t)
            c.execute("CREATE TABLE IF NOT EXISTS audit_meta (k TEXT PRIMARY KEY, v TEXT)")
            fmt = c.execute("SELECT v FROM audit_meta WHERE k = 'format'").fetchone()
            if fmt is None:
                if c.execute("SELECT 1 FROM audit LIMIT 1").fetchone():
                    raise AuditError(f"{self.path}: audit log in the keyless format of older "
                                     "stores: run `guanxi store migrate-pii` once")
                c.execute("INSERT INTO audit_meta VALUES ('format', ?)", (CHAIN_FORMAT,))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def token(self, ident: str) -> str:
        """Return how the identifier `ident` (a 身份证, phone or account number) appears in
        audited parameters (`#h:<16 hex>`), to find who searched for it."""
        return "#h:" + _token(self.key, ident)

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
            "params": json.dumps(scrub_params(self.key, params), sort_keys=True,
                                 ensure_ascii=False, default=str),
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
                    h = chain_hash(self.key, prev, entry)
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
            self._checkpoint(seq, prev)
        return seqs

    def _checkpoint(self, seq: int, head: str) -> None:
        """Append a signed checkpoint of the head (`seq`, `hash`) to the checkpoint file."""
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        line = json.dumps({"seq": seq, "hash": head, "ts": ts,
                           "sig": checkpoint_sig(self.key, seq, head, ts)},
                          separators=(",", ":")) + "\n"
        fd = os.open(self.checkpoints, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

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
        """Recompute the chain under the key and check it against the signed checkpoints;
        return every problem found (see the module docstring for the kinds)."""
        cur = self._conn().execute(
            f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY seq")
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur]
        return verify_rows(self.key, rows, read_checkpoints(self.checkpoints))


def read_checkpoints(path: Path) -> list[dict[str, Any]]:
    """Return the checkpoints in `path` (lines that are not JSON objects count as forged)."""
    out: list[dict[str, Any]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            cp = json.loads(line)
        except ValueError:
            cp = {"bad": line[:80]}
        out.append(cp if isinstance(cp, dict) else {"bad": line[:80]})
    return out


def verify_rows(key: bytes, rows: list[dict[str, Any]],
                checkpoints: list[dict[str, Any]]) -> Verification:
    """Return the verification of `rows` (in seq order, with prev_hash and hash) and
    `checkpoints` under `key`.

    - an entry whose HMAC fails is `edited` — unless it verifies with another seq: then its
      entries were `renumbered` (after a deletion) or `reordered` (its predecessor is later);
    - an entry that verifies but whose link names no entry present follows `deleted` ones;
      a link to an entry elsewhere in the log is `reordered`; a gap in seq is `deleted`;
    - a checkpoint beyond the last entry shows `truncated`, one whose hash differs from the
      entry at its seq shows a rewritten entry (`edited`), a bad signature `forged_checkpoint`.
    """
    problems: list[Problem] = []
    pos = {r["hash"]: i for i, r in enumerate(rows)}
    by_seq = {r["seq"]: r for r in rows}
    prev_hash = GENESIS
    prev_seq = 0
    for r in rows:
        seq = r["seq"]
        if chain_hash(key, r["prev_hash"], r) != r["hash"]:
            orig = _original_seq(key, r, rows, pos)
            if orig is None:
                problems.append(Problem("edited", seq, f"entry {seq} does not match its HMAC"))
            elif orig > seq:
                problems.append(Problem("renumbered", seq, f"entry {seq} was entry {orig}: "
                                        "entries before it were deleted and the rest renumbered"))
            else:
                problems.append(Problem("reordered", seq, f"entry {seq} was entry {orig}"))
        elif r["prev_hash"] != prev_hash:
            j = pos.get(r["prev_hash"])
            if j is None:
                problems.append(Problem("deleted", seq, f"the entry before {seq} is missing"))
            else:
                problems.append(Problem("reordered", seq, f"entry {seq} follows entry "
                                        f"{rows[j]['seq']} in the chain"))
        if seq != prev_seq + 1 and not any(p.seq == seq for p in problems):
            problems.append(Problem("deleted", seq, f"entries {prev_seq + 1}..{seq - 1} missing"))
        prev_hash, prev_seq = r["hash"], seq
    last = rows[-1]["seq"] if rows else 0
    n_cp = 0
    top = 0
    for cp in checkpoints:
        n_cp += 1
        try:
            seq, head, ts, sig = int(cp["seq"]), str(cp["hash"]), str(cp["ts"]), str(cp["sig"])
        except (KeyError, TypeError, ValueError):
            problems.append(Problem("forged_checkpoint", None, "unreadable checkpoint line"))
            continue
        if not hmac.compare_digest(sig, checkpoint_sig(key, seq, head, ts)):
            problems.append(Problem("forged_checkpoint", seq,
                                    f"checkpoint at entry {seq} has a bad signature"))
            continue
        top = max(top, seq)
        row = by_seq.get(seq)
        if row is not None and row["hash"] != head and not any(
                p.seq == seq and p.kind != "deleted" for p in problems):
            problems.append(Problem("edited", seq, f"entry {seq} differs from its checkpoint"))
    if top > last:
        problems.append(Problem("truncated", last + 1, f"a checkpoint attests {top} entries, "
                                f"the log has {last}: entries {last + 1}..{top} were removed"))
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    if problems:
        first = problems[0]
        return Verification(False, len(rows), first.seq, first.detail, problems, n_cp)
    return Verification(True, len(rows), checkpoints=n_cp)


def _original_seq(key: bytes, r: dict[str, Any], rows: list[dict[str, Any]],
                  pos: dict[str, int]) -> int | None:
    """Return the seq an entry verifies with, when it is not its own (renumbered or moved):
    one more than the seq of the entry its link names, or nearby seqs; None if none fits."""
    cands = []
    j = pos.get(r["prev_hash"])
    if j is not None:
        cands.append(rows[j]["seq"] + 1)
    if r["prev_hash"] == GENESIS:
        cands.append(1)
    cands += [r["seq"] + d for d in (1, 2, 3, -1, -2, -3)]
    for s in cands:
        if s != r["seq"] and chain_hash(key, r["prev_hash"], {**r, "seq": s}) == r["hash"]:
            return s
    return None


def migrate_legacy(folder: str | Path, key: bytes, checkpoints: str | Path) -> int:
    """Rewrite the keyless (SHA-256) audit log of an older store as an HMAC chain under `key`,
    identifiers in parameters hashed, and checkpoint its head; return the entries rewritten
    (0 when the log is already in the current format). A keyless chain that does not verify
    is refused: re-signing it would hide the tampering."""
    from guanxi.graph.secrets import private_file

    path = Path(folder) / AUDIT_FILE
    if not path.exists():
        return 0
    private_file(path)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "audit" not in tables:
            return 0
        if "audit_meta" in tables and con.execute(
                "SELECT v FROM audit_meta WHERE k = 'format'").fetchone():
            return 0
        cur = con.execute(f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY seq")
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur]
        prev = GENESIS
        for i, r in enumerate(rows, 1):
            if r["seq"] != i or r["prev_hash"] != prev or legacy_chain_hash(prev, r) != r["hash"]:
                raise AuditError(f"{path}: the old audit chain does not verify at entry "
                                 f"{r['seq']}; keep a copy for investigation, not migrated")
            prev = r["hash"]
        con.execute("BEGIN IMMEDIATE")
        con.execute(_CREATE.format(t="audit_new"))
        prev = GENESIS
        for r in rows:
            r["params"] = json.dumps(scrub_params(key, json.loads(r["params"])), sort_keys=True,
                                     ensure_ascii=False, default=str)
            h = chain_hash(key, prev, r)
            con.execute("INSERT INTO audit_new VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*(r[k] for k in _FIELDS), prev, h))
            prev = h
        con.execute("DROP TABLE audit")
        con.execute("ALTER TABLE audit_new RENAME TO audit")
        for t in _TRIGGERS:
            con.execute(t)
        con.execute("CREATE TABLE IF NOT EXISTS audit_meta (k TEXT PRIMARY KEY, v TEXT)")
        con.execute("INSERT OR REPLACE INTO audit_meta VALUES ('format', ?)", (CHAIN_FORMAT,))
        con.execute("COMMIT")
        # the raw query strings must not survive in free pages or the WAL
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    log = AuditLog(folder, key, checkpoints)
    if rows:
        log._checkpoint(rows[-1]["seq"], prev)
    return len(rows)
