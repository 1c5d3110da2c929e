"""Typed results, the stored envelope and the node write-back, on real stores."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from guanxi.analyses.results import ResultKind, Stored, dump, read_stored, stored_page, write_stored
from guanxi.analyses.results.risk import (
    ALERTS,
    SYSTEMIC,
    Circle,
    ExposureResult,
    GuaranteeResult,
    LoanAlert,
    SystemicRank,
)
from guanxi.analyses.writeback import Membership, replace_nodes
from guanxi.graph.ids import edge_key
from guanxi.graph.store import GraphStore
from tests.analyses.test_guarantee import build


def _json(x: object) -> object:
    return json.loads(json.dumps(x, ensure_ascii=False, default=str))


def test_models_hold_the_analyses_output_exactly(store: GraphStore) -> None:
    """The risk analyses' typed results survive JSON and back unchanged (what the CLI
    prints, the store keeps and the API returns is one shape; the models forbid unknown
    fields, so a field an algorithm adds must be declared)."""
    from guanxi.analyses.exposure import run_exposure_analysis
    from guanxi.analyses.guarantee import run_guarantee_analysis

    build(store)
    res = _json(dump(run_guarantee_analysis(store)))
    typed = GuaranteeResult.model_validate(res)
    assert _json(dump(typed)) == res
    assert typed.circles[0].break_plan is not None and typed.circles[0].motifs.cycles >= 1
    exp = _json(dump(run_exposure_analysis(store, hops=2)))
    assert _json(dump(ExposureResult.model_validate(exp))) == exp


def test_a_circle_keeps_only_the_fields_it_was_given() -> None:
    """An optional field never set is left out of the dump (not written as null); a field the
    model does not know is an error."""
    c = Circle(id="K:1", members=["P:1", "P:2"], size=2, contraction="none",
               total_balance=1.0, guaranteed_amount=2.0,
               motifs={"mutual_pairs": 1, "triangles": 0, "cycles": 1})  # type: ignore[arg-type]
    out = dump(c)
    assert "sub_circles" not in out and "break_plan" not in out and out["motifs"]["cycles"] == 1
    with pytest.raises(ValueError):
        Circle.model_validate({**out, "unknown": 1})


def test_stored_envelope_round_trip(store: GraphStore) -> None:
    """write_stored → read_stored gives the same typed items; nothing stored, another version
    or another kind's text reads as None and pages as empty with a note naming the command."""
    store.ensure_schema()
    assert read_stored(store, SYSTEMIC) is None
    page, note, total = stored_page(store, SYSTEMIC, 0, 10)
    assert (page, total) == ([], 0) and "guanxi analyze guarantee" in note
    items = [SystemicRank(rank=i + 1, id=f"P:{i}", name=None, debtrank=1.0 / (i + 1),
                          propagated_probability=0.1) for i in range(3)]
    env = write_stored(store, SYSTEMIC, items, parameters={"max_cycle": 8},
                       summary={"parties": 3})
    back = read_stored(store, SYSTEMIC)
    assert isinstance(back, Stored) and back.items == items and back.computed_at == env.computed_at
    assert back.parameters == {"max_cycle": 8} and back.summary == {"parties": 3}
    raw = json.loads(store.get_meta(SYSTEMIC.key) or "")
    assert set(raw) == {"kind", "version", "computed_at", "parameters", "summary", "items"}
    assert raw["items"][0] == {"rank": 1, "id": "P:0", "name": None, "debtrank": 1.0,
                               "propagated_probability": 0.1}
    page, note, total = stored_page(store, SYSTEMIC, 1, 1)
    assert [r.id for r in page] == ["P:1"] and total == 3 and note.startswith("computed_at ")
    # an older layout (no kind/version) or another version does not read, and the page
    # says the stored result must be recomputed (not "not computed yet")
    store.set_meta(SYSTEMIC.key, json.dumps({"computed_at": "x", "items": []}))
    assert read_stored(store, SYSTEMIC) is None
    page, note, total = stored_page(store, SYSTEMIC, 0, 10)
    assert page == [] and total == 0 and note == (
        "the stored result is from an older version of the analysis: run "
        "`guanxi analyze guarantee` again to recompute it")
    assert stored_page(store, ALERTS, 0, 10)[1] == "not computed yet: run `guanxi analyze exposure`"
    newer = ResultKind(SYSTEMIC.key, SystemicRank, SYSTEMIC.command, SYSTEMIC.version + 1)
    write_stored(store, newer, items)
    assert read_stored(store, SYSTEMIC) is None and read_stored(store, newer) is not None
    write_stored(store, ALERTS, [LoanAlert(loan="L:1", borrower="P:1", balance=1.0,
                                           party="P:1", role="borrower", record="N:1")])
    assert read_stored(store, ALERTS).items[0].loan == "L:1"  # type: ignore[union-attr]


def _circles(ids_members: dict[str, list[str]]) -> tuple[pa.Table, Membership]:
    ids = sorted(ids_members)
    src = [m for c in ids for m in ids_members[c]]
    dst = [c for c in ids for _ in ids_members[c]]
    nodes = pa.table({"id": ids, "size": pa.array([len(ids_members[c]) for c in ids], pa.int64())})
    keys = [edge_key("IN_CIRCLE", s, d) for s, d in zip(src, dst, strict=True)]
    return nodes, Membership("IN_CIRCLE", src, dst, keys)


def test_replace_nodes_leaves_exactly_the_new_results(store: GraphStore) -> None:
    """replace_nodes deletes stale nodes (with their edges) and stale memberships of kept
    nodes, upserts the rest in batches, and is idempotent."""
    store.ensure_schema()
    store.upsert_nodes("Person", pa.table({"id": ["P:1", "P:2", "P:3"]}))
    store.upsert_nodes("Company", pa.table({"id": ["C:1"]}))
    first = {"K:a": ["P:1", "P:2"], "K:b": ["P:2", "P:3", "C:1"]}
    counts = replace_nodes(store, "Circle", *_circles(first)[:1], [_circles(first)[1]], batch=2)
    assert (counts.written, counts.deleted) == (2, 0)
    assert store.counts()["IN_CIRCLE"] == 5
    again = replace_nodes(store, "Circle", *_circles(first)[:1], [_circles(first)[1]], batch=2)
    assert (again.written, again.deleted) == (2, 0) and store.counts()["IN_CIRCLE"] == 5
    second = {"K:b": ["P:2", "C:1"]}  # K:a gone, P:3 left K:b
    nodes, mem = _circles(second)
    counts = replace_nodes(store, "Circle", nodes, [mem], batch=1)
    assert (counts.written, counts.deleted) == (1, 1)
    assert store.counts()["Circle"] == 1 and store.counts()["IN_CIRCLE"] == 2
    edges = store.export_edges("IN_CIRCLE", [])
    assert sorted(zip(edges["src"].to_pylist(), edges["dst"].to_pylist(), strict=True)) == [
        ("C:1", "K:b"), ("P:2", "K:b")]
    assert replace_nodes(store, "Circle", pa.table({"id": pa.array([], pa.string())})).deleted == 1
    assert store.counts()["Circle"] == 0 and store.counts()["IN_CIRCLE"] == 0
