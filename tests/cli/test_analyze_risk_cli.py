"""`guanxi analyze guarantee|exposure --json` and `guanxi explain` through the real subprocess,
on a small hand-built store: JSON of the shape the analyses return, exit code 0."""

from __future__ import annotations

import json
from pathlib import Path

from guanxi.graph.embedded import EmbeddedStore
from tests.analyses.test_guarantee import build
from tests.cli.test_store_cli import guanxi


def _store(folder: Path) -> Path:
    st = EmbeddedStore(folder, buffer_pool_mb=64)
    build(st)
    st.close()
    return folder


def test_analyze_and_explain_print_json(tmp_path: Path) -> None:
    folder = _store(tmp_path / "s")
    res = guanxi("--store", str(folder), "analyze", "guarantee", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) >= {"circles", "joint_groups", "chains", "systemic", "summary", "written"}
    assert "scores" not in out and out["summary"]["circles"] == len(out["circles"]) == 2
    assert out["written"] == {"written": 2, "deleted": 0}
    res = guanxi("--store", str(folder), "analyze", "exposure", "--json", "--hops", "2")
    assert res.returncode == 0, res.stderr
    exp = json.loads(res.stdout)
    assert exp["summary"]["alerts"] == len(exp["alerts"]) == 2 and "P:4" in exp["exposed"]
    res = guanxi("--store", str(folder), "explain", "P:4", "--json")
    assert res.returncode == 0, res.stderr
    ex = json.loads(res.stdout)
    assert ex["in_guarantee_graph"] and ex["paths"][0]["path"][:2] == ["P:4", "P:5"]
    assert ex["circles"][0]["members"] == [f"P:{i}" for i in range(1, 6)]
    res = guanxi("--store", str(folder), "analyze", "guarantee")  # the table, with a progress bar
    assert res.returncode == 0 and "circles written:" in res.stdout, res.stderr
