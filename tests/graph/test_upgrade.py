"""A store built by an older model (before the optional Person columns address_hash, employer,
contact_phone_hash, contact_phone_last4) is upgraded in place when it is opened for writing;
a store that differs otherwise is refused with one line."""

from __future__ import annotations

import json
from pathlib import Path

import kuzu
import pytest

from guanxi.graph.embedded import DB_FILE, EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.graph.store import StoreError
from guanxi.loaders.load import load_extract
from tests.loaders.builders import PERSONS, small_county
from tests.refs import node_id

KEY = "test-pii-key"
NEW = ("address_hash", "employer", "contact_phone_hash", "contact_phone_last4")
OLD_FP = "0123456789abcdef"


def _raw(folder: Path, *stmts: str) -> None:
    db = kuzu.Database(str(folder / DB_FILE))
    conn = kuzu.Connection(db)
    for s in stmts:
        conn.execute(s)
    conn.close()
    db.close()


def _old_store(tmp_path: Path) -> tuple[Path, Settings]:
    """A store as the model before 37f2ee6 made it: Person without the four columns (dropped
    from the end, so the stored column order is the old one), an older fingerprint, and one
    person deleted so the next load inserts it (COPY) rather than updating it."""
    folder = tmp_path / "store"
    settings = Settings(store=folder, pii_key=KEY)
    b = small_county()
    b.header = lambda table: [c for c in small_county().header(table)  # type: ignore[method-assign]
                              if c not in ("address", "employer", "contact_phone")]
    st = EmbeddedStore(folder, buffer_pool_mb=256)
    try:
        assert load_extract(st, b.write(tmp_path / "m1"), settings=settings).ok
    finally:
        st.close()
    gone = node_id(f"person:{PERSONS[1]}", KEY.encode())
    _raw(folder, *(f"ALTER TABLE Person DROP {c}" for c in NEW),
         f"MATCH (n:Person {{id: '{gone}'}}) DETACH DELETE n",
         f"MATCH (m:Meta {{id: 'model_fingerprint'}}) SET m.value = '{OLD_FP}'")
    return folder, settings


def test_old_store_gains_the_new_columns_and_loads_them(tmp_path: Path) -> None:
    folder, settings = _old_store(tmp_path)
    st = EmbeddedStore(folder, buffer_pool_mb=256)
    try:
        up = json.loads(st.get_meta("model_upgraded") or "{}")
        assert up["from"] == OLD_FP and up["added"] == [f"Person.{c}" for c in NEW]
        assert st.get_meta("model_fingerprint") != OLD_FP
        before = {r["id"]: r for r in st.export_nodes("Person").to_pylist()}
        assert before and all(r["address_hash"] is None and r["name"] for r in before.values())
        b = small_county()
        ps = b.rows["persons"]
        ps[0].update(address="幸福路12号", employer="祁门鑫达商贸有限公司", contact_phone="13912345678")
        ps[1].update(address="幸福路12号", employer="祁门鑫达商贸有限公司")  # the re-inserted person
        rep = load_extract(st, b.write(tmp_path / "m2"), settings=settings)
        assert rep.ok and rep.tables["persons"].loaded == len(ps)
        key = KEY.encode()
        got = {r["id"]: r for r in st.export_nodes("Person").to_pylist()}
        a, c = got[node_id(f"person:{PERSONS[0]}", key)], got[node_id(f"person:{PERSONS[1]}", key)]
        assert a["address_hash"] == c["address_hash"] and len(a["address_hash"]) == 64
        assert a["employer"] == c["employer"] == "祁门鑫达商贸有限公司"
        assert a["contact_phone_last4"] == "5678"
        # nothing shifted between columns on the inserted row (COPY is positional)
        assert c["name"] == ps[1]["name"] and c["as_of"] == b.as_of and c["tier"] == (ps[1]["tier"] or None)
        assert c["contact_phone_hash"] is None and c["extra"] in (None, "", "{}")
    finally:
        st.close()
    again = EmbeddedStore(folder, buffer_pool_mb=256)  # reopening changes nothing
    try:
        assert json.loads(again.get_meta("model_upgraded") or "{}")["from"] == OLD_FP
    finally:
        again.close()


def test_a_store_that_adding_columns_cannot_fix_is_refused_in_one_line(tmp_path: Path) -> None:
    folder, _ = _old_store(tmp_path)
    _raw(folder, "ALTER TABLE Person DROP extra", "ALTER TABLE Person ADD extra INT64")
    with pytest.raises(StoreError) as e:
        EmbeddedStore(folder, buffer_pool_mb=256)
    msg = str(e.value)
    assert "\n" not in msg and "Person.extra" in msg and "new --store folder" in msg
    st = EmbeddedStore(folder, read_only=True)  # nothing was changed
    try:
        assert st.get_meta("model_fingerprint") == OLD_FP and st.get_meta("model_upgraded") is None
    finally:
        st.close()
