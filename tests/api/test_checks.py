"""The FinBench investigator checks over real HTTP: same answers as the CLI's traversals,
investigator-only, parameters validated, work bounded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guanxi.algorithms.finbench import run_query
from guanxi.analyses.finbench import StoreSource
from guanxi.api.settings import ApiSettings
from guanxi.graph.embedded import EmbeddedStore
from guanxi.loaders.finbench import load_finbench
from tests.analyses.test_finbench import T, graph_f
from tests.api.conftest import Live, serve

WINDOW = {"start_time": T(0), "end_time": T(100)}
CASES = {
    "tcr3": {"id1": 10, "id2": 13},
    "tcr4": {"id1": 10, "id2": 11},
    "tcr7": {"id": 11, "threshold": 0.0},
    "tcr9": {"id": 10, "threshold": 0.0, "truncation_limit": 1},
    "tcr12": {"id": 50},
    "tcr6": {"id": 10, "threshold1": 0.0, "threshold2": 0.0},
    "tcr10": {"pid1": 50, "pid2": 51},
}


SPEC = {"start_time": "startTime", "end_time": "endTime"}
NO_TRUNCATION = ("tcr3", "tcr4", "tcr10")


@pytest.fixture(scope="module")
def fb_live(tmp_path_factory: pytest.TempPathFactory, live: Live) -> Iterator[Live]:
    """A server on a small FinBench store (graph_f of the traversal tests)."""
    root = tmp_path_factory.mktemp("fb-api")
    store = EmbeddedStore(root / "store", buffer_pool_mb=256)
    assert load_finbench(store, graph_f(root / "data")).rejected == 0
    srv = serve(store, root / "store", ApiSettings(rate_per_s=10_000, burst=10_000),
                live.facts, close_store=True)
    yield srv
    srv.stop()


def test_checks_answer_as_the_traversals_do(fb_live: Live) -> None:
    src = StoreSource(fb_live.store)
    with fb_live.client("investigator") as c:
        for check, extra in CASES.items():
            params = {**WINDOW, **extra}
            r = c.get(f"/checks/{check}", params=params)
            assert r.status_code == 200, r.text
            spec = {SPEC.get(k, k): v for k, v in params.items() if k != "truncation_limit"}
            if check not in NO_TRUNCATION:
                spec["truncationLimit"] = extra.get("truncation_limit", 500)
                spec["truncationOrder"] = "TIMESTAMP_DESCENDING"
            assert r.json() == {"check": check, "params": spec,
                                "rows": run_query(src, check, spec)}, check
        rows = c.get("/checks/tcr4", params={**WINDOW, **CASES["tcr4"]}).json()["rows"]
        assert [r["other_id"] for r in rows] == [13, 12]
        assert c.get("/checks/tcr3", params={**WINDOW, **CASES["tcr3"]}).json()["rows"] == [
            {"shortest_path_length": 2}]


def test_checks_are_for_investigators(fb_live: Live) -> None:
    for role, want in (("investigator", 200), ("admin", 200), ("risk_analyst", 403),
                       ("marketer", 403)):
        with fb_live.client(role) as c:
            r = c.get("/checks/tcr7", params={**WINDOW, "id": 10, "threshold": 0.0})
            assert r.status_code == want, role


@pytest.mark.parametrize(
    "params",
    [
        {"id": 10, "threshold": 0.0, "start_time": T(100), "end_time": T(0)},  # empty window
        {"id": 10, "threshold": -1.0, **WINDOW},
        {"id": 10, "threshold": "nan", **WINDOW},
        {"id": -1, "threshold": 0.0, **WINDOW},
        {"id": 2**63, "threshold": 0.0, **WINDOW},
        {"id": 10, "threshold": 0.0, "truncation_limit": 0, **WINDOW},
        {"id": 10, "threshold": 0.0, "truncation_order": "NEWEST", **WINDOW},
        {"id": 10, **WINDOW},  # threshold missing
    ],
)
def test_bad_parameters_are_one_line_errors(fb_live: Live, params: dict) -> None:  # type: ignore[type-arg]
    with fb_live.client("investigator") as c:
        r = c.get("/checks/tcr7", params=params)
        assert r.status_code in (400, 422), r.text
        assert set(r.json()["error"]) == {"code", "message"}


def test_too_much_work_is_refused(tmp_path: Path, live: Live) -> None:
    from tests.analyses.test_finbench import write_snapshot, xfer

    store = EmbeddedStore(tmp_path / "store", buffer_pool_mb=128)
    data = write_snapshot(tmp_path / "data", Account=[{"accountId": i} for i in range(1, 32)],
                          AccountTransferAccount=[xfer(1, i, 10) for i in range(2, 32)])
    assert load_finbench(store, data).rejected == 0
    srv = serve(store, tmp_path / "store", ApiSettings(frontier_cap=1), live.facts,
                close_store=True)
    try:
        with srv.client("investigator") as c:
            r = c.get("/checks/tcr7", params={**WINDOW, "id": 1, "threshold": 0.0})
            assert r.status_code == 400
            assert r.json()["error"]["code"] == "too_large"
            ok = c.get("/checks/tcr7", params={**WINDOW, "id": 2, "threshold": 0.0})
            assert ok.json()["rows"] == [{"num_src": 1, "num_dst": 0, "in_out_ratio": -1.0}]
    finally:
        srv.stop()
