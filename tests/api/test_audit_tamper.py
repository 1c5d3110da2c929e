"""The audit log against a writer of its SQLite file: every edit, deletion (with or without
renumbering), reorder and truncation is reported, and no raw identifier or key is stored."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from guanxi.api.audit import AUDIT_FILE, AuditError, AuditLog, legacy_chain_hash

KEY = b"k" * 32
ID = "34010219900101123X"
PHONE = "13812345678"
ACCOUNT = "6228480012345678901"


def _log(tmp_path: Path, n: int = 8) -> AuditLog:
    log = AuditLog(tmp_path / "store", KEY, tmp_path / "keys" / "audit-checkpoints.jsonl")
    for i in range(n):
        log.append(key_id=f"k{i % 3}", role="marketer", method="GET", route="/entities/search",
                   params={"q": f"祁门{i}"}, result_count=i, status=200, duration_ms=1.5)
    return log


def _sql(tmp_path: Path, *stmts: str) -> None:
    """What an attacker with write access to the file does: drop the triggers, then write."""
    con = sqlite3.connect(tmp_path / "store" / AUDIT_FILE)
    con.execute("DROP TRIGGER IF EXISTS audit_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for s in stmts:
        con.execute(s)
    con.commit()
    con.close()


def _rehash_keyless(tmp_path: Path) -> None:
    """Recompute every later hash as one could without the key (plain SHA-256)."""
    con = sqlite3.connect(tmp_path / "store" / AUDIT_FILE)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM audit ORDER BY seq")]
    prev = "0" * 64
    for r in rows:
        h = legacy_chain_hash(prev, r)
        con.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, r["seq"]))
        prev = h
    con.commit()
    con.close()


def _kinds(log: AuditLog) -> set[str]:
    v = log.verify()
    assert not v.ok
    return {p.kind for p in v.problems}


def test_untouched_log_verifies_with_checkpoints(tmp_path: Path) -> None:
    log = _log(tmp_path)
    v = log.verify()
    assert v.ok and v.entries == 8 and v.checkpoints == 8


def test_edit_is_detected_even_with_hashes_recomputed(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(tmp_path, "UPDATE audit SET role = 'admin' WHERE seq = 3")
    v = log.verify()
    assert not v.ok and v.first_bad_seq == 3 and "edited" in _kinds(log)
    _rehash_keyless(tmp_path)
    assert "edited" in _kinds(log)


def test_delete_is_detected_with_and_without_renumbering(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(tmp_path, "DELETE FROM audit WHERE seq = 4")
    assert "deleted" in _kinds(log)
    # renumber the later entries to close the gap
    _sql(tmp_path, "UPDATE audit SET seq = seq - 1 WHERE seq > 4")
    kinds = _kinds(log)
    assert "renumbered" in kinds
    v = log.verify()
    assert v.first_bad_seq == 4 and "deleted" in v.reason
    # …and recompute the chain without the key
    _rehash_keyless(tmp_path)
    assert _kinds(log) & {"edited", "renumbered"}


def test_reorder_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    # swap entries 5 and 6, each keeping its own seq number in place
    _sql(tmp_path,
         "UPDATE audit SET seq = -5 WHERE seq = 5",
         "UPDATE audit SET seq = 5 WHERE seq = 6",
         "UPDATE audit SET seq = 6 WHERE seq = -5")
    assert "reordered" in _kinds(log)
    # swap their contents instead (the rows stay, their fields move)
    log2 = _log(tmp_path / "b")
    con = sqlite3.connect(tmp_path / "b" / "store" / AUDIT_FILE)
    con.execute("DROP TRIGGER audit_no_update")
    cols = "ts, key_id, role, method, route, params, result_count, status, duration_ms, prev_hash, hash"
    a = con.execute(f"SELECT {cols} FROM audit WHERE seq = 2").fetchone()
    b = con.execute(f"SELECT {cols} FROM audit WHERE seq = 3").fetchone()
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    con.execute(f"UPDATE audit SET {sets} WHERE seq = 2", b)
    con.execute(f"UPDATE audit SET {sets} WHERE seq = 3", a)
    con.commit()
    con.close()
    assert "reordered" in _kinds(log2)


def test_truncation_is_detected_by_the_checkpoints(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(tmp_path, "DELETE FROM audit WHERE seq > 5")
    v = log.verify()
    assert not v.ok and {p.kind for p in v.problems} == {"truncated"}
    assert "6..8" in v.problems[0].detail
    # a forged checkpoint line (no key) does not help the writer either
    with (tmp_path / "keys" / "audit-checkpoints.jsonl").open("a") as fh:
        fh.write('{"seq": 5, "hash": "00", "ts": "x", "sig": "00"}\n')
    assert "forged_checkpoint" in _kinds(log)


def test_no_raw_identifier_or_key_at_rest_and_private_files(tmp_path: Path) -> None:
    log = _log(tmp_path, 2)
    seq = log.append(key_id="k", role="marketer", method="GET", route="/entities/search",
                     params={"q": f"{ID} {PHONE}", "acct": ACCOUNT}, result_count=0,
                     status=200, duration_ms=1.0)
    entry = log.page(1, 0)[0]
    assert entry["seq"] == seq and ID not in str(entry) and PHONE not in str(entry)
    assert log.token(ID) in entry["params"]["q"] and log.token(ACCOUNT) == entry["params"]["acct"]
    assert log.verify().ok
    for f in [*(tmp_path / "store").iterdir(), *(tmp_path / "keys").iterdir()]:
        data = f.read_bytes()
        for raw in (ID, PHONE, ACCOUNT):
            assert raw.encode() not in data, (f, raw)
        assert KEY not in data, f
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    for d in (tmp_path / "store", tmp_path / "keys"):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d


def test_a_keyless_log_of_an_older_store_is_refused_until_migrated(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    con = sqlite3.connect(folder / AUDIT_FILE)
    con.execute(
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, key_id TEXT, role TEXT,"
        " method TEXT NOT NULL, route TEXT NOT NULL, params TEXT NOT NULL,"
        " result_count INTEGER NOT NULL, status INTEGER NOT NULL, duration_ms REAL NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)")
    con.execute("INSERT INTO audit VALUES (1, 't', 'k', 'marketer', 'GET', '/x', '{}', 0, 200,"
                " 1.0, ?, 'h')", ("0" * 64,))
    con.commit()
    con.close()
    with pytest.raises(AuditError, match="migrate-pii"):
        AuditLog(folder, KEY, tmp_path / "cp.jsonl")
