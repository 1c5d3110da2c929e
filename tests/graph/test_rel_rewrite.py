"""kuzu 0.11.3 loses unrelated rows of a relationship table when a checkpoint writes back a
DELETE (or SET) of rows already on disk, once an endpoint table is large (more than one node
group of 131,072 nodes) and the relationship sparse. The embedded store never deletes or updates
stored relationship rows: it rewrites the table (`EmbeddedStore._rebuild_rel`). These tests
build that situation (300,000 endpoint nodes, 40 edges) and reopen the store (a checkpoint)
after every change: with the old DELETE-based code all four fail (the first lost 34 of 38
edges at its first reopen).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from guanxi.graph import queries
from guanxi.graph.embedded import REL_DELETE, EmbeddedStore

BIG = 300_000
"""Endpoint nodes: more than two node groups (2 x 131,072), the smallest size that lost
edges reliably in the pure-kuzu repro (140,000 lost one edge of 40 in one seed of three)."""


def _store(folder: Path, label: str, small: str) -> EmbeddedStore:
    st = EmbeddedStore(folder)
    st.upsert_nodes(label, pa.table({"id": [f"{label[0]}:{i}" for i in range(BIG)]}))
    st.upsert_nodes(small, pa.table({"id": [f"{small[0]}:{i}" for i in range(1000)]}))
    return st


def _reopen(st: EmbeddedStore) -> EmbeddedStore:
    folder = st.folder
    st.close()  # closing checkpoints: this is where kuzu 0.11.3 dropped rows
    return EmbeddedStore(folder)


def _belongs(st: EmbeddedStore) -> set[tuple[str, str, int]]:
    return {(e["src"], e["dst"], e["key"]) for e in st.export_edges("BELONGS_TO").to_pylist()}


def test_delete_edges_keeps_the_other_edges(tmp_path: Path) -> None:
    rnd = random.Random(1)
    st = _store(tmp_path / "s", "Branch", "Grid")
    try:
        rows = [(f"G:{rnd.randrange(1000)}", f"B:{rnd.randrange(BIG)}", k) for k in range(40)]
        st.upsert_edges("BELONGS_TO", "Grid", "Branch", pa.table(
            {"src": [r[0] for r in rows], "dst": [r[1] for r in rows], "key": [r[2] for r in rows]}))
        st = _reopen(st)
        want = set(rows)
        for it in range(2):
            gone = rnd.sample(sorted(want, key=lambda r: r[2]), 2)
            n = st.delete_edges("BELONGS_TO", "Grid", "Branch", pa.table(
                {"dst": [g[1] for g in gone], "key": [g[2] for g in gone]}))
            assert n == 2
            want -= set(gone)
            st = _reopen(st)
            assert _belongs(st) == want, f"round {it}: lost {sorted(want - _belongs(st))}"
            assert st.counts()["BELONGS_TO"] == len(want)
    finally:
        st.close()


def test_delete_nodes_keeps_the_edges_of_other_nodes(tmp_path: Path) -> None:
    rnd = random.Random(2)
    st = _store(tmp_path / "s", "Branch", "Grid")
    try:
        rows = [(f"G:{rnd.randrange(1000)}", f"B:{rnd.randrange(BIG)}", k) for k in range(40)]
        st.upsert_edges("BELONGS_TO", "Grid", "Branch", pa.table(
            {"src": [r[0] for r in rows], "dst": [r[1] for r in rows], "key": [r[2] for r in rows]}))
        st = _reopen(st)
        victim = rows[3][0]
        assert st.delete_nodes("Grid", [victim]) == 1
        st = _reopen(st)
        assert _belongs(st) == {r for r in rows if r[0] != victim}
    finally:
        st.close()


def _transfers(st: EmbeddedStore) -> dict[int, dict[str, Any]]:
    cols = ["id", "amount", "memo", "channel"]
    return {e["key"]: {c: e[c] for c in ["src", "dst", *cols]}
            for e in st.export_edges("TRANSFER", cols).to_pylist()}


def _table(edges: dict[int, dict[str, Any]], keys: list[int]) -> pa.Table:
    return pa.table({
        "src": [edges[k]["src"] for k in keys], "dst": [edges[k]["dst"] for k in keys], "key": keys,
        "id": [edges[k]["id"] for k in keys], "amount": [edges[k]["amount"] for k in keys],
        "memo": [edges[k]["memo"] for k in keys], "channel": [edges[k]["channel"] for k in keys],
    })


def test_upsert_and_delete_cycles_keep_edges_and_side_properties(tmp_path: Path) -> None:
    """Changed edges (properties, side properties, endpoints), new edges and deletes, a
    checkpoint after each round: the stored TRANSFERs equal the expected ones, side
    properties (TRANSFER_side) included."""
    rnd = random.Random(3)
    st = EmbeddedStore(tmp_path / "s")
    st.upsert_nodes("Account", pa.table({"id": [f"A:{i}" for i in range(BIG)]}))

    def edge(k: int) -> dict[str, Any]:
        return {"src": f"A:{rnd.randrange(BIG)}", "dst": f"A:{rnd.randrange(BIG)}",
                "id": f"T{k}", "amount": float(k), "memo": f"memo {k}", "channel": "ATM"}

    want = {k: edge(k) for k in range(40)}
    try:
        r = st.upsert_edges("TRANSFER", "Account", "Account", _table(want, sorted(want)))
        assert (r.inserted, r.updated, r.unchanged) == (40, 0, 0)
        st = _reopen(st)
        nk = 40
        for it in range(2):
            keys = sorted(want)
            for k in rnd.sample(keys, 2):
                want[k]["amount"] += 1.0
                want[k]["memo"] = f"changed {it}"
            moved = rnd.choice(keys)
            want[moved]["dst"] = f"A:{rnd.randrange(BIG)}"
            changed = sorted({k for k in keys if want[k]["memo"] == f"changed {it}"} | {moved})
            new = list(range(nk, nk + 3))
            nk += 3
            want.update({k: edge(k) for k in new})
            r = st.upsert_edges("TRANSFER", "Account", "Account", _table(want, sorted(want)))
            assert (r.inserted, r.updated) == (3, len(changed))
            gone = rnd.sample(sorted(set(want) - set(changed) - set(new)), 2)
            assert st.delete_edges("TRANSFER", "Account", "Account", pa.table(
                {"dst": [want[k]["dst"] for k in gone], "key": gone})) == 2
            for k in gone:
                del want[k]
            st = _reopen(st)
            assert _transfers(st) == want, f"round {it}"
            r = st.upsert_edges("TRANSFER", "Account", "Account", _table(want, sorted(want)))
            assert (r.inserted, r.updated, r.unchanged) == (0, 0, len(want))
    finally:
        st.close()


def test_named_relationship_deletes_are_rewrites(tmp_path: Path) -> None:
    """Every named query that deletes relationships has the one shape the embedded store
    runs as a rewrite, and running one deletes exactly the edges it names."""
    for name in queries.query_names():
        text = queries.load(name, "kuzu").text
        if "DELETE" in text.upper():
            assert REL_DELETE.fullmatch(text), f"{name}: a relationship delete of another shape"
    st = EmbeddedStore(tmp_path / "s")
    try:
        st.upsert_nodes("Mention", pa.table({"id": [f"M:{i}" for i in range(10)]}))
        st.upsert_nodes("Person", pa.table({"id": [f"P:{i}" for i in range(10)]}))
        st.upsert_nodes("Company", pa.table({"id": [f"C:{i}" for i in range(10)]}))
        for lbl, pre in (("Person", "P"), ("Company", "C")):
            off = 0 if pre == "P" else 100
            st.upsert_edges("SAME_AS", "Mention", lbl, pa.table({
                "src": [f"M:{i}" for i in range(10)], "dst": [f"{pre}:{i}" for i in range(10)],
                "key": [off + i for i in range(10)], "score": [0.5] * 10}))
        st = _reopen(st)
        assert st.run("nlp_delete_same_as", {"keys": [1, 2, 105, 999]}) == [{"n": 3}]
        st = _reopen(st)
        left = sorted(e["key"] for e in st.export_edges("SAME_AS").to_pylist())
        assert left == [k for k in [*range(10), *range(100, 110)] if k not in (1, 2, 105)]
        assert st.run("nlp_delete_same_as", {"keys": [999]}) == [{"n": 0}]
        with pytest.raises(Exception, match="transaction"), st.transaction() as tx:
            tx.run("nlp_delete_same_as", {"keys": [3]})
        assert st.counts()["SAME_AS"] == 17
    finally:
        st.close()
