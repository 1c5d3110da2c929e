"""The loader on extracts from the county generator: clean loads, exact quarantine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.load import load_extract
from guanxi.loaders.refs import node_id

generate = pytest.importorskip("guanxi.loaders.generate")
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
