"""`/exposure/events` order: nearest party first, then newest record first — also when the
page is smaller than the records found (fix of #20 item 8: rows were capped newest-first
across all hops before the hop order, and dates compared as reversed strings)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from guanxi.api.graphview import QueryGraph
from guanxi.api.services import records_near
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.ids import edge_key


def _store(folder: Path) -> EmbeddedStore:
    st = EmbeddedStore(folder, buffer_pool_mb=64)
    st.upsert_nodes("Person", pa.table({"id": ["P:a", "P:b", "P:c"]}))
    recs = {"N:1": ("P:a", "2022-12-31"), "N:2": ("P:b", "2023-01-15"),
            "N:3": ("P:b", "2024-06-01"), "N:4": ("P:c", "2026-01-01"),
            "N:5": ("P:b", "2024-06-01")}
    st.upsert_nodes("NegativeRecord", pa.table({"id": list(recs), "kind": ["被执行人"] * 5,
                                                "date": [d for _, d in recs.values()]}))
    st.upsert_edges("SUBJECT_OF", "Person", "NegativeRecord", pa.table({
        "src": [s for s, _ in recs.values()], "dst": list(recs),
        "key": pa.array([edge_key("SUBJECT_OF", s, r) for r, (s, _) in recs.items()],
                        pa.int64())}))
    return st


def test_nearest_then_newest_even_when_the_page_is_small(tmp_path: Path) -> None:
    st = _store(tmp_path / "s")
    try:
        g = QueryGraph(st)
        hop_of = {"P:a": 0, "P:b": 1, "P:c": 2}
        full = records_near(g, hop_of, 10)
        assert [(r["hop"], r["id"]) for r in full] == [
            (0, "N:1"), (1, "N:3"), (1, "N:5"), (1, "N:2"), (2, "N:4")]
        for n in range(1, 6):  # every prefix is the same order, whatever the page size
            assert [r["id"] for r in records_near(g, hop_of, n)] == [r["id"] for r in full[:n]]
    finally:
        st.close()
