"""Exit codes, "load an extract first", read-only looks at a served store, a busy port, and
the one-command migration of an older store — each through the real `guanxi` subprocess."""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyarrow as pa

from guanxi.api.audit import AUDIT_FILE, AuditLog, legacy_chain_hash
from guanxi.graph.arcadedb import free_port
from guanxi.graph.embedded import EmbeddedStore
from tests.cli.processes import interrupt
from tests.cli.test_store_cli import assert_one_line_error, guanxi

ID = "34010219900101123X"
PHONE = "13812345678"


def _small_store(folder: Path) -> None:
    st = EmbeddedStore(folder, buffer_pool_mb=64)
    st.upsert_nodes("Person", pa.table({"id": ["P:1", "P:2"], "name": ["张三", "李四"]}))
    st.close()


def test_commands_that_print_an_error_exit_non_zero(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("安徽省祁门县人民法院\n民事判决书\n", encoding="utf-8")
    res = guanxi("nlp", "extract", "--format", "xml", str(doc))
    assert res.returncode == 2 and "unsupported format" in res.stderr
    res = guanxi("nlp", "extract", str(tmp_path / "missing.txt"))
    assert res.returncode == 1 and res.stderr.startswith("error: "), res
    res = guanxi("--store", str(tmp_path / "s"), "nlp", "ingest", str(tmp_path / "nothing"))
    assert res.returncode == 1 and res.stderr.startswith("error: "), res


def test_analysing_a_missing_or_empty_store_says_load_first(tmp_path: Path) -> None:
    typo = tmp_path / "stroe"
    for cmd in (("analyze", "guarantee"), ("analyze", "communities"), ("explain", "P:1")):
        res = guanxi("--store", str(typo), *cmd)
        assert_one_line_error(res, "load an extract first", str(typo))
    assert not typo.exists()  # a mistyped --store creates nothing
    EmbeddedStore(tmp_path / "empty", buffer_pool_mb=64).close()
    res = guanxi("--store", str(tmp_path / "empty"), "analyze", "guarantee")
    assert_one_line_error(res, "is empty", "load an extract first")


def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    _small_store(tmp_path / "s")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        res = guanxi("--store", str(tmp_path / "s"), "serve", "--port", str(port))
    assert_one_line_error(res, f"port {port}", "already in use", "--port")
    assert "serving" not in res.stdout


def test_store_info_works_while_the_store_is_served(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    _small_store(folder)
    port = free_port()
    env = {**os.environ}
    env.pop("GUANXI_NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "guanxi.cli", "--store", str(folder), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.2)
        res = guanxi("--store", str(folder), "store", "info", "--json")
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout)["counts"]["Person"] == 2
        # a writer is still kept out, with the one-line error
        assert_one_line_error(guanxi("--store", str(folder), "analyze", "guarantee"), "in use")
    finally:
        interrupt(proc)


def _old_store(folder: Path) -> str:
    """A store as older versions left it: key inside, keyless audit chain with raw query
    strings, quarantine rows with raw numbers, world-readable files."""
    key = secrets.token_hex(32)
    st = EmbeddedStore(folder, buffer_pool_mb=64)
    st.upsert_nodes("Person", pa.table({"id": ["P:1"], "name": ["张三"]}))
    st.set_meta("pii_key", key)
    st.close()
    con = sqlite3.connect(folder / AUDIT_FILE)
    con.execute(
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, key_id TEXT, role TEXT,"
        " method TEXT NOT NULL, route TEXT NOT NULL, params TEXT NOT NULL,"
        " result_count INTEGER NOT NULL, status INTEGER NOT NULL, duration_ms REAL NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)")
    prev = "0" * 64
    for seq, q in enumerate((ID, PHONE, "祁门"), 1):
        e = {"seq": seq, "ts": "2026-01-01T00:00:00.000Z", "key_id": "k", "role": "marketer",
             "method": "GET", "route": "/entities/search", "params": json.dumps({"q": q}),
             "result_count": 0, "status": 200, "duration_ms": 1.0}
        h = legacy_chain_hash(prev, e)
        con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*e.values(), prev, h))
        prev = h
    con.commit()
    con.close()
    q = folder / "quarantine" / "2026-10-31"
    q.mkdir(parents=True)
    (q / "persons.jsonl").write_text(json.dumps(
        {"table": "persons", "file": "persons.csv", "line": 3, "reason": "bad_id_checksum",
         "message": f"id_number '{ID}' fails its checksum",
         "original": f"{ID},张三,男,1990-01-01,{PHONE}"}, ensure_ascii=False) + "\n")
    for p in (folder, q, q.parent):
        os.chmod(p, 0o755)
    return key


def test_one_command_migrates_an_older_store(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    key = _old_store(folder)
    # the old layout is refused, with the command to run (after serve's note on API keys)
    res = guanxi("--store", str(folder), "serve", "--port", str(free_port()))
    assert res.returncode == 1 and "serving" not in res.stdout
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "migrate-pii" in last
    res = guanxi("--store", str(folder), "store", "migrate-pii")
    assert res.returncode == 0, res.stderr
    assert "audit entries re-chained: 3" in res.stdout and "quarantine files sealed: 1" in res.stdout
    keys = tmp_path / "s.keys"
    assert (keys / "pii.key").read_text() == key
    for f in folder.rglob("*"):
        mode = stat.S_IMODE(f.stat().st_mode)
        assert mode == (0o700 if f.is_dir() else 0o600), (f, oct(mode))
        if f.is_file():
            data = f.read_bytes()
            for raw in (key, ID, PHONE):
                assert raw.encode() not in data, (f, raw)
    v = AuditLog(folder).verify()
    assert v.ok and v.entries == 3 and v.checkpoints == 1
    again = guanxi("--store", str(folder), "store", "migrate-pii")
    assert again.returncode == 0 and "not in the store" in again.stdout
    assert "audit entries re-chained: 0" in again.stdout
