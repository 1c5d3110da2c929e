"""The embedded store's two upsert paths (key lookups for small batches, a keys-first ranged
diff for large ones) must give the same graph and the same counts."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from guanxi.graph import embedded
from guanxi.graph.embedded import EmbeddedStore
from guanxi.graph.store import MissingEndpointError


def transfers(rows: list[tuple[int, int, int, float]]) -> pa.Table:
    """Return a TRANSFER table from (key, src account, dst account, amount) rows."""
    return pa.table(
        {
            "src": [f"A:{s}" for _, s, _, _ in rows],
            "dst": [f"A:{d}" for _, _, d, _ in rows],
            "key": [k for k, _, _, _ in rows],
            "amount": [a for *_, a in rows],
        }
    )


def run_scenario(folder: Path) -> tuple[list[tuple[int, int, int]], list[tuple[str, str, int, float]]]:
    """Return the upsert counts of each step and the final TRANSFER edges."""
    st = EmbeddedStore(folder)
    try:
        st.upsert_nodes("Account", pa.table({"id": [f"A:{i}" for i in range(20)]}))
        first = [(k, k % 20, (k * 7) % 20, float(k)) for k in range(12)]
        counts = []
        r = st.upsert_edges("TRANSFER", "Account", "Account", transfers(first))
        counts.append((r.inserted, r.updated, r.unchanged))
        second = (
            first[:5]  # unchanged
            + [(k, s, d, a + 1) for k, s, d, a in first[5:9]]  # amount changed
            + [(k, (s + 1) % 20, d, a) for k, s, d, a in first[9:11]]  # source moved
            + [(100 + k, k, 19 - k, 1.5) for k in range(4)]  # new
        )
        r = st.upsert_edges("TRANSFER", "Account", "Account", transfers(second))
        counts.append((r.inserted, r.updated, r.unchanged))
        with pytest.raises(MissingEndpointError, match="A:404"):
            st.upsert_edges(
                "TRANSFER",
                "Account",
                "Account",
                transfers([(k, s, d, a + 9) for k, s, d, a in second] + [(999, 404, 1, 1.0)]),
            )
        r = st.upsert_edges("TRANSFER", "Account", "Account", transfers(second))
        counts.append((r.inserted, r.updated, r.unchanged))
        edges = st.export_edges("TRANSFER", ["amount"]).to_pylist()
        final = sorted((e["src"], e["dst"], e["key"], e["amount"]) for e in edges)
    finally:
        st.close()
    return counts, final


def test_large_batch_path_matches_small_batch_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = run_scenario(tmp_path / "small")
    monkeypatch.setattr(embedded, "SMALL_BATCH", 2)
    monkeypatch.setattr(embedded, "DIFF_RANGE", 3)
    large = run_scenario(tmp_path / "large")
    assert small == large
    counts, final = large
    assert counts == [(12, 0, 0), (4, 6, 5), (0, 0, 15)]
    assert len(final) == 16
    assert ("A:10", "A:3", 9, 9.0) in final  # key 9 moved from A:9 and kept its amount
    assert ("A:5", "A:15", 5, 6.0) in final


def test_side_rows_lost_or_left_by_a_killed_write_are_repaired(tmp_path: Path) -> None:
    """A TRANSFER whose side row is missing reads as nulls and is repaired by the next upsert;
    a side row left without its edge does not block writing that edge again."""
    from guanxi.graph.embedded import EmbeddedStore

    st = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    try:
        st.upsert_nodes("Account", pa.table({"id": ["A:1", "A:2"]}))
        t = pa.table({"src": ["A:1", "A:2"], "dst": ["A:2", "A:1"], "key": [1, 2],
                      "id": ["T1", "T2"], "amount": [5.0, 6.0]})
        st.upsert_edges("TRANSFER", "Account", "Account", t)
        st._exec("MATCH (s:TRANSFER_side {key: 1}) DELETE s")  # killed before the side write
        st._exec("MATCH (a)-[r:TRANSFER {key: 2}]->(b) DELETE r")  # killed mid-replacement
        got = {e["key"]: e["id"] for e in st.export_edges("TRANSFER", ["id"]).to_pylist()}
        assert got == {1: None}
        r = st.upsert_edges("TRANSFER", "Account", "Account", t)
        assert (r.inserted, r.updated, r.unchanged) == (1, 1, 0)
        got = {e["key"]: e["id"] for e in st.export_edges("TRANSFER", ["id"]).to_pylist()}
        assert got == {1: "T1", 2: "T2"}
    finally:
        st.close()


def test_no_kuzu_query_reads_a_side_property_off_the_relationship() -> None:
    """kuzu keeps `RelType.side` properties in `<TYPE>_side`; `r.memo` on the edge would fail."""
    import re

    from guanxi.graph import queries
    from guanxi.graph.model import REL_TYPES

    for rt in (r for r in REL_TYPES if r.side):
        for name in queries.query_names():
            text = queries.load(name, "kuzu").text
            bound = re.findall(rf"\[(\w+)\s*:\s*{rt.type}\b", text)
            bound += re.findall(rf":{rt.type}\*[^(\]]*\((\w+)\s*,", text)
            for var in bound:
                props = set(re.findall(rf"\b{var}\.(\w+)", text))
                assert not props & set(rt.side), (name, var, props & set(rt.side))


def test_transfer_moved_to_two_new_accounts_is_not_duplicated(tmp_path: Path) -> None:
    """A corrected transfer (same serial, both accounts changed) replaces the stored one."""
    from guanxi.graph.embedded import EmbeddedStore

    st = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    try:
        st.upsert_nodes("Account", pa.table({"id": ["A:1", "A:2", "A:3", "A:4"]}))
        t = pa.table({"src": ["A:1"], "dst": ["A:2"], "key": [7], "id": ["T7"], "amount": [5.0]})
        st.upsert_edges("TRANSFER", "Account", "Account", t)
        moved = pa.table({"src": ["A:3"], "dst": ["A:4"], "key": [7], "id": ["T7"]})
        r = st.upsert_edges("TRANSFER", "Account", "Account", moved)
        assert (r.inserted, r.updated) == (0, 1)
        rows = st.export_edges("TRANSFER", ["id", "amount"]).to_pylist()
        assert [(e["src"], e["dst"], e["id"], e["amount"]) for e in rows] == [
            ("A:3", "A:4", "T7", 5.0)
        ]
    finally:
        st.close()
