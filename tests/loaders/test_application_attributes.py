"""The optional application columns (address, employer, contact phone) and the second month."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.load import load_extract
from tests.loaders.builders import PERSONS, small_county
from tests.loaders.snapshot import snapshot
from tests.refs import node_id

KEY = "test-pii-key"


@pytest.fixture
def store(tmp_path: Path):
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    yield st
    st.close()


def test_columns_are_normalised_hashed_and_validated(store, tmp_path: Path) -> None:
    b = small_county()
    ps = b.rows["persons"]
    ps[0].update(address="祁山镇 幸福路 12 号", employer="祁门 鑫达商贸有限公司", contact_phone="")
    ps[2].update(address="祁山镇幸福路１２号", employer="祁门鑫达商贸有限公司",
                 contact_phone="(139) 0000-0000")  # person 0's phone, written differently
    ps[4].update(contact_phone="12ab")  # not a phone: rejected
    rep = load_extract(store, b.write(tmp_path / "ex"), settings=Settings(store=tmp_path / "store", pii_key=KEY))
    t = rep.tables["persons"]
    assert (t.read, t.loaded, t.rejected) == (8, 7, 1) and t.reasons == {"bad_type": 1}
    q = [json.loads(x) for x in (Path(rep.quarantine) / "persons.jsonl").read_text("utf-8").splitlines()]
    assert "12ab" not in q[0]["message"] and "contact_phone" in q[0]["message"]
    key = KEY.encode()
    got = {r["id"]: r for r in store.export_nodes("Person").to_pylist()}
    a, c = got[node_id(f"person:{PERSONS[0]}", key)], got[node_id(f"person:{PERSONS[2]}", key)]
    assert a["address_hash"] == c["address_hash"] and len(a["address_hash"]) == 64
    assert a["employer"] == c["employer"] == "祁门鑫达商贸有限公司"
    assert c["contact_phone_hash"] == a["phone_hash"] and c["contact_phone_last4"] == "0000"
    assert a["contact_phone_hash"] is None
    dump = json.dumps(snapshot(store), ensure_ascii=False)
    assert "幸福路" not in dump and "13900000000" not in dump


def test_absent_columns_leave_stored_values_alone(store, tmp_path: Path) -> None:
    b = small_county()
    b.rows["persons"][0].update(address="幸福路12号", contact_phone="13912345678")
    settings = Settings(store=tmp_path / "store", pii_key=KEY)
    load_extract(store, b.write(tmp_path / "m1"), settings=settings)
    inc = type(b)("2026-11-30")
    inc.rows = {"persons": [{k: v for k, v in r.items() if k not in ("address", "employer", "contact_phone")}
                            for r in b.rows["persons"]]}
    inc.header = lambda table: [c for c in small_county().header(table)  # type: ignore[method-assign]
                                if c not in ("address", "employer", "contact_phone")]
    rep = load_extract(store, inc.write(tmp_path / "m2"), settings=settings)
    assert rep.ok
    p0 = node_id(f"person:{PERSONS[0]}", KEY.encode())
    row = next(r for r in store.export_nodes("Person").to_pylist() if r["id"] == p0)
    assert row["address_hash"] and row["contact_phone_hash"]


generate = pytest.importorskip("guanxi.loaders.synthetic.generate")


def test_generated_second_month_records_the_planted_drops(tmp_path: Path) -> None:
    from guanxi.loaders.synthetic.month import generate_next_month

    t1 = generate.generate_county(tmp_path / "m1", households=600, seed=5)
    t2 = generate_next_month(tmp_path / "m2", households=600, seed=5)
    assert t2["as_of"] == "2026-11-30" and t2["previous_as_of"] == t1["as_of"]
    assert set(Counter(d["pattern"] for d in t2["tier_drops"])) == {"household", "referral", "counterparty", "alone"}
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    try:
        settings = Settings(store=tmp_path / "store", pii_key=KEY)
        assert load_extract(st, tmp_path / "m1", settings=settings).ok
        rep = load_extract(st, tmp_path / "m2", settings=settings)
        assert rep.ok and all(t.loaded == t.read for t in rep.tables.values())
        key = KEY.encode()
        dropped = {r["id"]: r for r in st.export_nodes("Person", ["tier", "tier_prev", "tier_drop_on"]).to_pylist()
                   if r["tier_drop_on"] == "2026-11-30"}
        planted = {node_id(d["person"], key): d for d in t2["tier_drops"]}
        assert set(dropped) == set(planted)
        for pid, d in planted.items():
            assert (dropped[pid]["tier_prev"], dropped[pid]["tier"]) == (d["from"], d["to"])
        rises = {node_id(r, key) for r in t2["tier_rises"]}
        assert rises and not rises & set(dropped)
        assert rep.tables["persons"].updated == len(planted) + len(rises)
    finally:
        st.close()
