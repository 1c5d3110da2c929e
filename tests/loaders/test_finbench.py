"""The FinBench loader: timestamp parsing, quarantine with reason codes, parallel edges,
the load marker, and the parameter-file reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guanxi.graph.ids import fb_int_id, fb_node_id
from guanxi.graph.store import GraphStore
from guanxi.loaders.finbench import (
    Reject,
    load_finbench,
    parse_ts,
    read_params,
)
from tests.analyses import test_finbench as fx


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("2020-01-03 13:22:12.95", 1578057732950),  # trailing zero dropped: 950 ms
        ("2020-01-03 13:22:12.9", 1578057732900),
        ("2020-01-03 13:22:12.095", 1578057732095),
        ("2020-01-03 13:22:12.950", 1578057732950),
        ("2020-01-03 13:22:12", 1578057732000),  # no fraction: 0 ms
        ("1991-12-21 00:00:00", 693273600000),
    ],
)
def test_parse_ts_reads_the_fraction_as_a_decimal(text: str, ms: int) -> None:
    assert parse_ts(text) == ms


@pytest.mark.parametrize(
    "text", ["2020-13-01 00:00:00", "2021-02-29 00:00:00", "2020-01-03 13:22:12.1234", "x", ""]
)
def test_parse_ts_rejects(text: str) -> None:
    with pytest.raises(Reject) as err:
        parse_ts(text)
    assert err.value.code == "bad_timestamp"


def test_fmt_ts_round_trips_through_parse_ts() -> None:
    for ms in (fx.T0, fx.T0 + 950, fx.T0 + 90, fx.T0 + 5, fx.T0 + 100):
        assert parse_ts(fx.fmt_ts(ms)) == ms


def test_ids_cannot_collide_with_bank_ids() -> None:
    nid = fb_node_id("Account", 4614219293217785425)
    assert nid == "A:fb-4614219293217785425"
    assert fb_int_id(nid) == 4614219293217785425
    assert fb_node_id("Medium", 3) == "E:fb-3"
    with pytest.raises(ValueError):
        fb_int_id("A:0123456789abcdef")


def _bad_data(root: Path) -> Path:
    fx.write_snapshot(
        root,
        Account=[{"accountId": 1}, {"accountId": 2}, {"accountId": 1}],  # duplicate id
        Loan=[{"loanId": 5, "loanAmount": "12x"}, {"loanId": 6}],  # bad number
        AccountTransferAccount=[
            fx.xfer(1, 2, 10, 5.0),
            fx.xfer(1, 2, 20, 5.0),  # parallel edge, another time: kept
            fx.xfer(1, 2, 10, 5.0),  # the same row again: duplicate
            fx.xfer(1, 3, 30),  # unknown endpoint
            {"fromId": 2, "toId": 1, "createTime": "2020-02-30 00:00:00"},  # bad timestamp
            {"fromId": "x", "toId": 1},  # bad id
        ],
        LoanDepositAccount=[{"loanId": 5, "accountId": 1}, {"loanId": 6, "accountId": 1}],
    )
    snap = root / "snapshot" / "AccountWithdrawAccount.csv"
    snap.write_text(snap.read_text() + "1|2|3.0\n", encoding="utf-8")  # too few fields
    return root


def test_quarantine_counts_every_row(store: GraphStore, tmp_path: Path) -> None:
    data = _bad_data(tmp_path / "data")
    q = tmp_path / "q.jsonl"
    rep = load_finbench(store, data, quarantine=q)
    files = {f.file: f for f in rep.files}
    for f in rep.files:
        assert f.loaded + f.rejected == f.read, f.file
    assert files["Account.csv"].reasons == {"duplicate_id": 1}
    assert files["Loan.csv"].reasons == {"bad_number": 1}
    assert files["AccountTransferAccount.csv"].reasons == {
        "duplicate_row": 1,
        "unknown_endpoint": 1,
        "bad_timestamp": 1,
        "bad_id": 1,
    }
    assert files["AccountWithdrawAccount.csv"].reasons == {"field_count": 1}
    assert files["LoanDepositAccount.csv"].reasons == {"unknown_endpoint": 1}  # loan 5 rejected
    lines = [json.loads(x) for x in q.read_text().splitlines()]
    assert len(lines) == rep.rejected == 8
    assert {x["reason"] for x in lines} >= {"duplicate_row", "bad_number", "field_count"}
    counts = store.counts()
    assert counts["Account"] == 2 and counts["TRANSFER"] == 2  # parallel edges stay distinct
    edges = store.export_edges("TRANSFER", ["ts", "amount"]).to_pylist()
    assert sorted(e["ts"] for e in edges) == [fx.T(10), fx.T(20)]
    assert len({e["key"] for e in edges}) == 2


def test_load_marker_skips_a_second_load(store: GraphStore, tmp_path: Path) -> None:
    data = fx.graph_c(tmp_path / "data")
    first = load_finbench(store, data)
    assert not first.skipped and first.loaded == first.read > 0
    assert load_finbench(store, data).skipped
    again = load_finbench(store, data, force=True)  # idempotent upserts
    assert not again.skipped and store.counts()["GUARANTEES_PARTY"] == 6


def test_read_params_rule(tmp_path: Path) -> None:
    rp = tmp_path / "read_params"
    rp.mkdir()
    (rp / "complex_1_param.csv").write_text("1|10|20|500|TIMESTAMP_DESCENDING\n2|10|20|5|X")
    (rp / "complex_8_param.csv").write_text(
        "...\nloanId|0.0|10|20|500|TIMESTAMP_DESCENDING\n7|0.5|10|20|500|TIMESTAMP_ASCENDING\n"
    )
    one = read_params(tmp_path, "tcr1")
    assert [p["id"] for p in one] == [1, 2] and one[1]["truncationOrder"] == "X"
    eight = read_params(tmp_path, "tcr8")
    assert eight == [
        {
            "id": 7,
            "threshold": 0.5,
            "startTime": 10,
            "endTime": 20,
            "truncationLimit": 500,
            "truncationOrder": "TIMESTAMP_ASCENDING",
        }
    ]
    assert read_params(tmp_path, "tcr1", 1) == one[:1]


def test_read_params_on_the_real_files() -> None:
    data = Path("/work/shared/data/finbench-sf0.01")
    if not data.is_dir():
        pytest.skip("FinBench SF0.01 data not present")
    expect = {"tcr1": 2055, "tcr2": 783, "tcr5": 785, "tcr8": 1376, "tcr11": 785}
    for q, n in expect.items():
        rows = read_params(data, q)
        assert len(rows) == n, q
    assert read_params(data, "tcr1", 1)[0]["id"] == 4614219293217785425
    assert read_params(data, "tcr8", 1)[0]["id"] == 4633359591634109273
