"""`guanxi finbench DATA --queries …` as a real subprocess on a hand-made FinBench snapshot."""

from __future__ import annotations

import json
from pathlib import Path

from tests.analyses.test_finbench import T, graph_f
from tests.cli.test_store_cli import assert_one_line_error, guanxi

W = f"{T(0)}|{T(100)}"
TR = "500|TIMESTAMP_DESCENDING"
PARAMS = {  # one row per query; complex_6/7 start with the `...` and header-like lines
    1: f"10|{W}|{TR}", 2: f"50|{W}|{TR}", 3: f"10|13|{W}", 4: f"10|11|{W}",
    5: f"50|{W}|{TR}", 6: f"...\naccountId|0.0|0.0|{W}|{TR}\n10|0.0|0.0|{W}|{TR}",
    7: f"...\naccountId|0.0|{W}|{TR}\n11|0.0|{W}|{TR}", 8: f"900|0.0|{W}|{TR}",
    9: f"10|0.0|{W}|{TR}", 10: f"50|51|{W}", 11: f"50|{W}|{TR}", 12: f"50|{W}|{TR}",
}


def test_all_twelve_queries_one_line_per_answer(tmp_path: Path) -> None:
    data = graph_f(tmp_path / "data")
    (data / "read_params").mkdir()
    for k, text in PARAMS.items():
        (data / "read_params" / f"complex_{k}_param.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = guanxi("finbench", str(data), "--queries", "all", "--store", str(tmp_path / "st"),
                 "--out", str(out))
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["query"] for x in lines] == [f"tcr{k}" for k in range(1, 13)]
    by = {x["query"]: x for x in lines}
    assert by["tcr3"]["params"] == {"id1": 10, "id2": 13, "startTime": T(0), "endTime": T(100)}
    assert by["tcr3"]["rows"] == [{"shortest_path_length": 2}]
    assert [r["other_id"] for r in by["tcr4"]["rows"]] == [13, 12]
    assert by["tcr7"]["params"]["id"] == 11  # the `...` and header-like lines are skipped
    assert by["tcr7"]["rows"] == [{"num_src": 1, "num_dst": 4, "in_out_ratio": 0.083}]
    assert by["tcr12"]["rows"][0] == {"comp_account_id": 13, "sum_edge2_amount": 7.0}
    # a second run finds the data loaded and answers only what it is asked
    res = guanxi("finbench", str(data), "--queries", "tcr10,tcr6", "--store",
                 str(tmp_path / "st"), "--out", str(out))
    assert res.returncode == 0 and "already loaded" in res.stderr
    assert [json.loads(x)["query"] for x in out.read_text().splitlines()] == ["tcr10", "tcr6"]


def test_unknown_query_is_a_one_line_error(tmp_path: Path) -> None:
    data = graph_f(tmp_path / "data")
    res = guanxi("finbench", str(data), "--queries", "tcr13", "--store", str(tmp_path / "st"))
    assert_one_line_error(res, "tcr13")
