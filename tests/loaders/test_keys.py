"""Column-wise ids and keys equal the scalar functions of graph.ids and tests/refs.py."""

from __future__ import annotations

import pyarrow as pa

from guanxi.graph.ids import edge_key
from guanxi.loaders.keys import edge_keys, hmac_hex, party_ids, pii_ids, prefixed
from tests.loaders.builders import COMPANIES, PERSONS
from tests.refs import node_id


def test_edge_keys_match_edge_key() -> None:
    a = pa.array(["L:1", "L:2", None])
    b = pa.array(["P:x", "C:y", "P:z"])
    assert edge_keys(a, b).to_pylist() == [
        edge_key("L:1", "P:x"),
        edge_key("L:2", "C:y"),
        edge_key(None, "P:z"),
    ]
    assert edge_keys("OWNS", b).to_pylist() == [edge_key("OWNS", v) for v in b.to_pylist()]
    assert edge_keys(pa.array(["T1"])).to_pylist() == [edge_key("T1")]


def test_ids_match_refs() -> None:
    key = b"k"
    types = pa.array(["person", "company", "person", None])
    nat = pa.array([PERSONS[0].lower(), COMPANIES[0], PERSONS[1], "x"])
    assert party_ids(types, nat, key).to_pylist() == [
        node_id(f"person:{PERSONS[0]}", key),
        node_id(f"company:{COMPANIES[0]}", key),
        node_id(f"person:{PERSONS[1]}", key),
        None,
    ]
    acct = pa.array(["6230000000000001"])
    assert pii_ids("Account", hmac_hex(acct, key)).to_pylist() == [
        node_id("account:6230000000000001", key)
    ]
    assert prefixed("Loan", pa.array(["LN1"])).to_pylist() == [node_id("loan:LN1", key)]


def test_checksums_agree_with_stdnum() -> None:
    import random

    from stdnum.cn import uscc

    from guanxi.loaders.validate import valid_id_number, valid_uscc
    from tests.loaders.builders import bad_uscc, id_number, uscc_code

    rng = random.Random(3)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV"
    codes = [uscc_code(i) for i in range(200)] + [bad_uscc(i) for i in range(200)]
    codes += ["".join(rng.choice(alphabet) for _ in range(18)) for _ in range(500)]
    codes += [c[:8] + "".join(rng.choice(alphabet) for _ in range(10)) for c in codes[:100]]
    for c in codes:
        assert valid_uscc(c) == uscc.is_valid(c), c
    ids = [id_number(i, born=f"19{50 + i % 50}0{1 + i % 9}{10 + i % 19}") for i in range(300)]
    for v in ids:
        assert valid_id_number(v)
        wrong = v[:-1] + ("0" if v[-1] != "0" else "1")
        assert not valid_id_number(wrong)
    assert not valid_id_number("341024199902300011")  # 1999-02-30
