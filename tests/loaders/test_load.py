"""Loading hand-made extracts: mapping, quarantine, encodings, idempotence, increments."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.settings import Settings
from guanxi.loaders.errors import LoadError
from guanxi.loaders.load import LoadReport, load_extract
from tests.conftest import make_store
from tests.loaders.builders import (
    COMPANIES,
    PERSONS,
    bad_id_number,
    bad_uscc,
    small_county,
)
from tests.loaders.snapshot import snapshot
from tests.refs import node_id

KEY = "test-pii-key"


def _settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", pii_key=KEY)


@pytest.fixture
def store(tmp_path: Path):
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    yield st
    st.close()


def _load(store, folder: Path, tmp_path: Path) -> LoadReport:
    return load_extract(store, folder, settings=_settings(tmp_path))


def _quarantine(tmp_path: Path, table: str, as_of: str = "2026-10-31") -> list[dict]:
    p = tmp_path / "store" / "quarantine" / as_of / f"{table}.jsonl"
    if not p.exists():
        return []
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]


def test_small_county_maps_to_the_model(store, tmp_path: Path) -> None:
    folder = small_county().write(tmp_path / "ex")
    rep = _load(store, folder, tmp_path)
    assert rep.ok, rep.to_dict()
    for t in rep.tables.values():
        assert t.loaded + t.rejected == t.read
    c = store.counts()
    assert (c["Person"], c["Company"], c["Account"], c["Loan"]) == (8, 3, 12, 3)
    assert (c["TRANSFER"], c["GUARANTEES"], c["REFERRED"], c["DEPOSIT"]) == (10, 4, 3, 2)
    assert c["OWNS"] == 12  # 11 owned accounts + 1 merchant; the external account has no owner
    assert c["MEMBER_OF"] == 8 and c["MANAGES"] == 2 + 8 + 3
    key = KEY.encode()
    p0 = node_id(f"person:{PERSONS[0]}", key)
    persons = {r["id"]: r for r in store.export_nodes("Person").to_pylist()}
    assert persons[p0]["name"] == "张三" and persons[p0]["grid_id"] == "G:G1"
    assert persons[p0]["tags"] == ["农户", "种植"] and persons[p0]["as_of"] == "2026-10-31"
    assert persons[p0]["phone_last4"] == "0000" and len(persons[p0]["phone_hash"]) == 64
    # no 身份证, phone or account number in clear anywhere in the graph
    dump = json.dumps(snapshot(store), ensure_ascii=False)
    for secret in [*PERSONS, "13900000000", "6230000000000001", "9558800000000001"]:
        assert secret not in dump
    hh = {r["id"]: r for r in store.export_nodes("Household").to_pylist()}
    assert hh["H:H0"]["head_id"] == p0
    # negative records: by id, by unique name, unresolved
    recs = {r["id"]: r for r in store.export_nodes("NegativeRecord").to_pylist()}
    assert recs["N:N1"]["subject_ref"] == node_id(f"person:{PERSONS[3]}", key)
    assert recs["N:N2"]["subject_ref"] == f"C:{COMPANIES[1]}"
    assert recs["N:N3"]["subject_ref"] is None
    subj = {r["dst"]: r["matched_by"] for r in store.export_edges("SUBJECT_OF").to_pylist()}
    assert subj == {"N:N1": "id", "N:N2": "name"}
    tr = store.export_edges("TRANSFER").to_pylist()
    t0 = next(r for r in tr if r["id"] == "T0000")
    china = dt.timezone(dt.timedelta(hours=8))
    assert t0["ts"] == int(dt.datetime(2026, 10, 1, 0, 30, tzinfo=china).timestamp() * 1000)
    loans = {r["id"]: r for r in store.export_nodes("Loan").to_pylist()}
    assert loans["L:LN2"]["start_date"] == "2025-06-01" and loans["L:LN2"]["overdue_days"] == 31
    comp = {r["id"]: r for r in store.export_nodes("Company").to_pylist()}
    assert comp[f"C:{COMPANIES[0]}"]["registered_capital"] == 1_000_000.0


def test_second_load_is_a_no_op(store, tmp_path: Path) -> None:
    folder = small_county().write(tmp_path / "ex")
    _load(store, folder, tmp_path)
    before = snapshot(store)
    rep = _load(store, folder, tmp_path)
    for name, t in rep.tables.items():
        assert (t.inserted, t.updated) == (0, 0), name
        assert t.unchanged > 0, name
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "variant",
    [
        {"encoding": "gbk"},
        {"encoding": "gb18030"},
        {"bom": True},
        {"crlf": True},
        {"parquet": ("persons", "transfers", "loans")},
    ],
)
def test_encodings_and_formats_load_identically(tmp_path: Path, variant: dict) -> None:
    b = small_county()
    ref = EmbeddedStore(tmp_path / "ref", buffer_pool_mb=256)
    load_extract(
        ref, b.write(tmp_path / "utf8"), settings=Settings(store=tmp_path / "ref", pii_key=KEY)
    )
    expected = snapshot(ref)
    ref.close()
    other = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    rep = load_extract(other, b.write(tmp_path / "v", **variant), settings=_settings(tmp_path))
    assert rep.ok
    assert snapshot(other) == expected
    other.close()


def test_bad_rows_are_quarantined_with_reason_codes(store, tmp_path: Path) -> None:
    b = small_county()
    b.extra_columns["persons"] = ["wechat"]
    b.add("persons", id_number=bad_id_number(50), name="坏号")  # line 10
    b.add("persons", id_number=PERSONS[0], name="重复")  # line 11
    b.add("persons", id_number=PERSONS[5][:-1] + "Y", name="")  # line 12: missing name first
    b.add("persons", id_number="341024199902300011", name="二月三十")  # line 13: impossible birth
    b.add("persons", id_number=bad_id_number(1)[:-1], name="x", tier="VIP")  # line 14
    b.raw("persons", "1,2,3")  # line 15: malformed
    b.raw("persons", '"unbalanced,' + "," * 11)  # line 16
    b.add("enterprises", uscc=bad_uscc(9), name="坏码公司")  # line 5
    b.add(
        "accounts", account_no="6299", owner_type="person", owner_id=bad_id_number(60), in_bank="1"
    )
    b.add(
        "accounts",
        account_no="6298",
        owner_type="person",
        owner_id="110101199001011237",
        in_bank="1",
    )
    b.add(
        "loans",
        loan_id="LN9",
        borrower_type="person",
        borrower_id=PERSONS[0],
        amount="-5",
        balance="1",
        start_date="2025-01-01",
    )
    b.add(
        "loans",
        loan_id="LN8",
        borrower_type="person",
        borrower_id=PERSONS[0],
        amount="5",
        balance="1",
        start_date="2025-02-30",
    )
    b.add(
        "loans",
        loan_id="LN7",
        borrower_type="person",
        borrower_id=PERSONS[0],
        amount="5",
        balance="1",
        start_date="2025-02-01",
        overdue_days="many",
    )
    b.add(
        "transfers",
        transfer_id="T9",
        from_account="6298",
        to_account="6230000000000001",
        amount="1",
        ts="2026-10-01 10:00:00",
    )
    b.add(
        "transfers",
        transfer_id="T0001",
        from_account="6230000000000001",
        to_account="6230000000000002",
        amount="1",
        ts="2026-10-01 10:00:00",
    )
    folder = b.write(tmp_path / "ex")
    # a valid 身份证 of nobody in the extract for the second account → unknown_reference
    rep = _load(store, folder, tmp_path)
    p = rep.tables["persons"]
    assert (p.read, p.loaded, p.rejected) == (15, 8, 7)
    assert p.reasons == {
        "bad_id_checksum": 3,
        "duplicate_key": 1,
        "missing_field": 1,
        "malformed_row": 2,
    }
    q = {(r["line"], r["reason"]) for r in _quarantine(tmp_path, "persons")}
    assert q == {
        (10, "bad_id_checksum"),
        (11, "duplicate_key"),
        (12, "missing_field"),
        (13, "bad_id_checksum"),
        (14, "bad_id_checksum"),
        (15, "malformed_row"),
        (16, "malformed_row"),
    }
    rec = next(r for r in _quarantine(tmp_path, "persons") if r["line"] == 15)
    assert rec["original"] == "1,2,3" and rec["file"] == "persons.csv" and rec["message"]
    assert {(r["line"], r["reason"]) for r in _quarantine(tmp_path, "enterprises")} == {
        (5, "bad_uscc_checksum")
    }
    assert {(r["line"], r["reason"]) for r in _quarantine(tmp_path, "accounts")} == {
        (14, "bad_id_checksum"),
        (15, "unknown_reference"),
    }
    assert {(r["line"], r["reason"]) for r in _quarantine(tmp_path, "loans")} == {
        (5, "bad_amount"),
        (6, "bad_date"),
        (7, "bad_type"),
    }
    # cascade: the transfer from the rejected account is an unknown reference
    assert {(r["line"], r["reason"]) for r in _quarantine(tmp_path, "transfers")} == {
        (12, "unknown_reference"),
        (13, "duplicate_key"),
    }
    assert not _quarantine(tmp_path, "branches")
    for t in rep.tables.values():
        assert t.loaded + t.rejected == t.read
    assert store.counts()["Person"] == 8
    # extra columns are kept as JSON
    assert all(r["extra"] is None for r in store.export_nodes("Person", ["extra"]).to_pylist())


def test_extra_columns_are_kept_as_json(store, tmp_path: Path) -> None:
    b = small_county()
    b.extra_columns["branches"] = ["电话", "code"]
    b.rows["branches"][0].update({"电话": "0559-1234", "code": "QM"})
    _load(store, b.write(tmp_path / "ex"), tmp_path)
    (row,) = store.export_nodes("Branch", ["extra"]).to_pylist()
    assert json.loads(row["extra"]) == {"code": "QM", "电话": "0559-1234"}


def test_file_level_errors_are_one_line(store, tmp_path: Path) -> None:
    b = small_county()
    folder = b.write(tmp_path / "ex", encoding="gbk")
    man = (
        (folder / "manifest.yaml")
        .read_text(encoding="utf-8")
        .replace("encoding: gbk", "encoding: utf-8")
    )
    (folder / "manifest.yaml").write_text(man, encoding="utf-8")
    with pytest.raises(LoadError, match=r"^branches.csv: not valid utf-8 at byte \d+"):
        _load(store, folder, tmp_path)
    assert store.counts()["Branch"] == 0

    folder = b.write(tmp_path / "ex2")
    (folder / "loans.csv").unlink()
    with pytest.raises(LoadError, match=re.escape("loans.csv: file named in manifest.yaml")):
        _load(store, folder, tmp_path)
    assert store.counts()["Branch"] == 0  # checked before anything is written

    folder = b.write(tmp_path / "ex3")
    (folder / "grids.csv").write_text("grid_id,名称\nG1,x\n", encoding="utf-8")
    with pytest.raises(LoadError, match=re.escape("grids.csv: header lacks required column")):
        _load(store, folder, tmp_path)

    folder = b.write(tmp_path / "ex4")
    (folder / "branches.csv").write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    with pytest.raises(LoadError, match=re.escape("branches.csv: ")):
        _load(store, folder, tmp_path)

    (tmp_path / "ex5").mkdir()
    with pytest.raises(LoadError, match=re.escape("no manifest.yaml")):
        _load(store, tmp_path / "ex5", tmp_path)
    for msg in ("as_of: 2026-13-01\nfiles: {}\n", "as_of: 2026-10-31\nfiles: {cars: c.csv}\n"):
        (tmp_path / "ex5" / "manifest.yaml").write_text(msg)
        with pytest.raises(LoadError, match=r"^manifest.yaml: "):
            _load(store, tmp_path / "ex5", tmp_path)


def test_incremental_extract_adds_new_rows_and_records_tier_drop(store, tmp_path: Path) -> None:
    _load(store, small_county().write(tmp_path / "m1"), tmp_path)
    before = store.counts()
    b = small_county("2026-11-30")
    b.rows["persons"][0]["tier"] = "基础"  # 高端 → 基础: a drop
    b.rows["persons"][3]["tier"] = "核心"  # 潜在 → 核心: a rise
    b.rows["loans"][0]["balance"] = "350000"
    b.add(
        "transfers",
        transfer_id="T0100",
        from_account="6230000000000001",
        to_account="6230000000000003",
        amount="99",
        ts="2026-11-02 09:00:00",
    )
    b.add(
        "loans",
        loan_id="LN4",
        borrower_type="person",
        borrower_id=PERSONS[4],
        amount="1000",
        balance="1000",
        start_date="2026-11-01",
    )
    b.add(
        "negative_records",
        record_id="N4",
        subject_type="company",
        subject_id=COMPANIES[2],
        subject_name="城东商贸有限公司",
        kind="行政处罚",
        date="2026-11-10",
    )
    # an incremental file may reference only what earlier loads hold
    inc = type(b)("2026-11-30")
    inc.rows = {k: b.rows[k] for k in ("persons", "loans", "transfers", "negative_records")}
    rep = _load(store, inc.write(tmp_path / "m2"), tmp_path)
    assert rep.ok, rep.to_dict()
    assert rep.tables["transfers"].inserted == 1 and rep.tables["transfers"].unchanged == 10
    assert (rep.tables["loans"].inserted, rep.tables["loans"].updated) == (1, 1)
    assert rep.tables["persons"].updated == 2
    after = store.counts()
    assert after["TRANSFER"] == before["TRANSFER"] + 1
    assert after["Loan"] == before["Loan"] + 1 and after["SUBJECT_OF"] == before["SUBJECT_OF"] + 1
    key = KEY.encode()
    persons = {r["id"]: r for r in store.export_nodes("Person").to_pylist()}
    p0 = persons[node_id(f"person:{PERSONS[0]}", key)]
    assert (p0["tier"], p0["tier_prev"], p0["tier_changed_on"], p0["tier_drop_on"]) == (
        "基础",
        "高端",
        "2026-11-30",
        "2026-11-30",
    )
    assert p0["as_of"] == "2026-11-30"
    p3 = persons[node_id(f"person:{PERSONS[3]}", key)]
    assert (p3["tier"], p3["tier_prev"], p3["tier_drop_on"]) == ("核心", "潜在", None)
    p1 = persons[node_id(f"person:{PERSONS[1]}", key)]
    assert p1["as_of"] == "2026-10-31" and p1["tier_prev"] is None  # unchanged keeps its as_of
    loans = {r["id"]: r for r in store.export_nodes("Loan").to_pylist()}
    assert loans["L:LN1"]["balance"] == 350000 and loans["L:LN1"]["as_of"] == "2026-11-30"
    assert loans["L:LN2"]["as_of"] == "2026-10-31"
    # the same increment again changes nothing, and the drop stays recorded
    snap = snapshot(store)
    rep = _load(store, tmp_path / "m2", tmp_path)
    assert all((t.inserted, t.updated) == (0, 0) for t in rep.tables.values())
    assert snapshot(store) == snap


def test_same_loader_on_arcadedb_gives_same_counts(request, tmp_path: Path) -> None:
    folder = small_county().write(tmp_path / "ex")
    emb = EmbeddedStore(tmp_path / "emb", buffer_pool_mb=256)
    rep_e = load_extract(emb, folder, settings=Settings(store=tmp_path / "emb", pii_key=KEY))
    counts_e = emb.counts()
    snap_e = snapshot(emb)
    emb.close()
    arc = make_store("arcadedb", request, tmp_path)
    try:
        rep_a = load_extract(arc, folder, settings=Settings(store=tmp_path / "arc", pii_key=KEY))
        assert {k: (t.read, t.loaded, t.rejected) for k, t in rep_a.tables.items()} == {
            k: (t.read, t.loaded, t.rejected) for k, t in rep_e.tables.items()
        }
        assert arc.counts() == counts_e
        snap_a = snapshot(arc)
        assert snap_a["Person"] == snap_e["Person"] and snap_a["TRANSFER"] == snap_e["TRANSFER"]
        rep2 = load_extract(arc, folder, settings=Settings(store=tmp_path / "arc", pii_key=KEY))
        assert all((t.inserted, t.updated) == (0, 0) for t in rep2.tables.values())
    finally:
        arc.clear()
        arc.close()


def test_progress_reports_each_table_through_the_one_progress_type(store, tmp_path: Path) -> None:
    """The loader reports ``progress(step, done, total)`` (graph.progress.Progress) with the
    step ``"<table> <stage>"``: each table read, validated, written, then done with its rows."""
    from guanxi.loaders.load import LOAD_STAGES, split_load_step

    seen: list[tuple[str, str, float, float | None]] = []

    def progress(step: str, done: float = 0, total: float | None = None) -> None:
        seen.append((*split_load_step(step), done, total))

    rep = load_extract(store, small_county().write(tmp_path / "ex"), settings=_settings(tmp_path),
                       progress=progress)
    assert {s for _, s, _, _ in seen} == set(LOAD_STAGES)
    for table, tr in rep.tables.items():
        stages = [s for t, s, _, _ in seen if t == table]
        assert stages[0] == "read" and stages[-1] == "done" and "validate" in stages, table
        assert seen[[i for i, x in enumerate(seen) if x[0] == table][-1]][2:] == (tr.read, tr.read)
