"""The loader on extracts from the county generator: clean loads, exact quarantine."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.keys import edge_keys, hmac_hex, pii_ids
from guanxi.loaders.load import load_extract
from tests.refs import node_id

generate = pytest.importorskip("guanxi.loaders.synthetic.generate")
KEY = "gen-key"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("county") / "ex"
    truth = generate.generate_county(out, households=200, seed=11)
    return out, truth


def test_generated_county_loads_without_rejects(county, tmp_path: Path) -> None:
    folder, truth = county
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=512)
    try:
        rep = load_extract(st, folder, settings=Settings(store=tmp_path / "store", pii_key=KEY))
        assert rep.ok, {k: t.reasons for k, t in rep.tables.items() if t.rejected}
        assert {k: t.read for k, t in rep.tables.items()} == {
            k: v for k, v in truth["rows"].items() if k in rep.tables
        }
        recs = {
            r["id"]: r["subject_ref"]
            for r in st.export_nodes("NegativeRecord", ["subject_ref"]).to_pylist()
        }
        for nr in truth["negative_records"]:
            assert recs[node_id(nr["record"], KEY.encode())] == node_id(nr["subject"], KEY.encode())
        again = load_extract(st, folder, settings=Settings(store=tmp_path / "store", pii_key=KEY))
        assert all((t.inserted, t.updated) == (0, 0) for t in again.tables.values())
    finally:
        st.close()


def test_corrupt_rows_are_exactly_the_quarantined_ones(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    truth = generate.generate_county(folder, households=200, seed=5, corrupt=0.05)
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=512)
    try:
        rep = load_extract(st, folder, settings=Settings(store=tmp_path / "store", pii_key=KEY))
    finally:
        st.close()
    got = set()
    for table in rep.tables:
        p = Path(rep.quarantine) / f"{table}.jsonl"
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                got.add((r["table"], r["line"], r["reason"]))
                assert r["file"] == f"{table}.csv" and r["original"] and r["message"]
    expected = {(c["table"], c["line"], c["reason"]) for c in truth["corrupt_rows"]}
    assert expected, "the generator planted no corrupt rows"
    assert got == expected
    for t in rep.tables.values():
        assert t.loaded + t.rejected == t.read


def _load_and_read_back(folder: Path, store_dir: Path) -> tuple[dict, list[str], list[dict]]:
    """Return (report tables, quarantine lines of transfers, stored TRANSFER edges)."""
    st = EmbeddedStore(store_dir, buffer_pool_mb=512)
    try:
        rep = load_extract(st, folder, settings=Settings(store=store_dir, pii_key=KEY))
        edges = st.export_edges("TRANSFER", ["id", "amount", "ts", "channel", "memo"])
    finally:
        st.close()
    tables = {k: {**vars(t), "seconds": 0} for k, t in rep.tables.items()}
    q = Path(rep.quarantine) / "transfers.jsonl"
    # the sealed original is encrypted with a fresh IV each time: compare the rest
    lines = [json.dumps({k: v for k, v in json.loads(ln).items() if k != "sealed"},
                        ensure_ascii=False)
             for ln in (q.read_text(encoding="utf-8").splitlines() if q.exists() else [])]
    return tables, lines, sorted(edges.to_pylist(), key=lambda e: e["key"])


def test_sliced_transfers_load_like_one_piece(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Transfers are validated and written a slice at a time; the outcome must not change,
    duplicates across slices included."""
    from guanxi.loaders import load as load_mod

    folder = tmp_path / "bad"
    generate.generate_county(folder, households=200, seed=5, corrupt=0.05)
    whole = _load_and_read_back(folder, tmp_path / "whole")
    monkeypatch.setattr(load_mod, "SLICE_ROWS", 97)
    sliced = _load_and_read_back(folder, tmp_path / "sliced")
    assert sliced == whole
    tables, quarantined, _ = sliced
    assert tables["transfers"]["read"] > 10 * 97
    assert any('"duplicate_key"' in q for q in quarantined)


def test_owner_changing_kind_moves_the_owns_edge(county, tmp_path: Path) -> None:
    """An account passed from a person to a company (and then out of the bank's customers)
    keeps one OWNS edge from its current owner, never a stale one."""
    import shutil

    folder, _ = county
    ex = tmp_path / "ex"
    shutil.copytree(folder, ex)
    lines = (ex / "accounts.csv").read_text(encoding="utf-8").splitlines()
    uscc = (ex / "enterprises.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    row = next(i for i, line in enumerate(lines) if ",person," in line)
    account_no = lines[row].split(",")[0]
    acct = pii_ids("Account", hmac_hex(pa.array([account_no]), KEY.encode()))
    key = edge_keys("OWNS", acct)[0].as_py()
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=512)
    try:
        settings = Settings(store=tmp_path / "store", pii_key=KEY)
        load_extract(st, ex, settings=settings)
        mine = [e for e in st.export_edges("OWNS", []).to_pylist() if e["key"] == key]
        assert [(e["src_label"], e["dst"]) for e in mine] == [("Person", acct[0].as_py())]
        for new_owner in (f"company,{uscc}", "external,"):
            parts = lines[row].split(",")
            kind, oid = new_owner.split(",")
            parts[1], parts[2] = kind, oid
            if kind == "external":
                parts[3], parts[4] = "0", "某银行"
            lines[row] = ",".join(parts)
            (ex / "accounts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            rep = load_extract(st, ex, settings=settings)
            assert rep.tables["accounts"].rejected == 0
            mine = [e for e in st.export_edges("OWNS", []).to_pylist() if e["key"] == key]
            if kind == "company":
                assert [(e["src_label"], e["src"]) for e in mine] == [("Company", f"C:{uscc}")]
            else:
                assert mine == []
    finally:
        st.close()
