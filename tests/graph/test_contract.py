"""The storage contract: one suite, run on every backend (embedded, ArcadeDB, Neo4j)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from guanxi.graph import queries
from guanxi.graph.model import NODE_TYPES, REL_TYPES
from guanxi.graph.store import GraphStore, MissingEndpointError, QueryError, QueryNotFoundError


def persons(ids: list[str], names: list[str | None] | None = None, **cols: list) -> pa.Table:
    data: dict[str, list] = {"id": ids, "name": names or [f"名{i}" for i in ids]}
    data.update(cols)
    return pa.table(data)


def seed_loans(store: GraphStore) -> None:
    store.upsert_nodes("Person", persons(["P:1", "P:2", "P:3"], ["张三", "李四", "王五"]))
    store.upsert_nodes("Company", pa.table({"id": ["C:1"], "name": ["祁门茶业有限公司"]}))
    store.upsert_nodes(
        "Loan", pa.table({"id": ["L:1", "L:2"], "amount": [100.0, 200.0], "balance": [80.0, 150.0]})
    )
    store.upsert_edges(
        "BORROWED", "Person", "Loan", pa.table({"src": ["P:1"], "dst": ["L:1"], "key": [1]})
    )
    store.upsert_edges(
        "BORROWED", "Company", "Loan", pa.table({"src": ["C:1"], "dst": ["L:2"], "key": [2]})
    )
    store.upsert_edges(
        "GUARANTEES",
        "Person",
        "Loan",
        pa.table(
            {
                "src": ["P:2", "P:3"],
                "dst": ["L:1", "L:2"],
                "key": [11, 12],
                "amount": [50.0, 60.0],
                "gtype": ["保证", "抵押"],
            }
        ),
    )
    store.upsert_edges(
        "GUARANTEES",
        "Company",
        "Loan",
        pa.table({"src": ["C:1"], "dst": ["L:1"], "key": [13], "amount": [70.0]}),
    )


def test_schema_is_idempotent(store: GraphStore) -> None:
    store.ensure_schema()
    store.ensure_schema()
    counts = store.counts()
    assert set(counts) == {n.label for n in NODE_TYPES if n.label != "Meta"} | {
        r.type for r in REL_TYPES
    }
    assert all(v == 0 for v in counts.values())


def test_upsert_nodes_reports_inserted_updated_unchanged(store: GraphStore) -> None:
    r1 = store.upsert_nodes("Person", persons(["P:1", "P:2"], ["张三", "李四"]))
    assert (r1.inserted, r1.updated, r1.unchanged) == (2, 0, 0)
    r2 = store.upsert_nodes("Person", persons(["P:1", "P:2", "P:3"], ["张三", "李四四", "王五"]))
    assert (r2.inserted, r2.updated, r2.unchanged) == (1, 1, 1)
    r3 = store.upsert_nodes("Person", persons(["P:1", "P:2", "P:3"], ["张三", "李四四", "王五"]))
    assert (r3.inserted, r3.updated, r3.unchanged) == (0, 0, 3)
    got = {r["id"]: r["name"] for r in store.export_nodes("Person", ["name"]).to_pylist()}
    assert got == {"P:1": "张三", "P:2": "李四四", "P:3": "王五"}


def test_absent_columns_are_left_alone(store: GraphStore) -> None:
    store.upsert_nodes("Person", persons(["P:1"], ["张三"], tier=["高端"]))
    store.upsert_nodes("Person", pa.table({"id": ["P:1"], "tier": ["基础"]}))
    row = store.export_nodes("Person", ["name", "tier"]).to_pylist()[0]
    assert row == {"id": "P:1", "name": "张三", "tier": "基础"}


def test_types_round_trip(store: GraphStore) -> None:
    store.upsert_nodes(
        "Person",
        pa.table(
            {
                "id": ["P:1", "P:2"],
                "tags": [["茶农", "高端"], None],
                "is_customer": [True, False],
                "name": ['O\'Brien "x" 张', None],
            }
        ),
    )
    store.upsert_nodes(
        "Loan", pa.table({"id": ["L:1"], "amount": [1234567.89], "overdue_days": [90]})
    )
    p = {
        r["id"]: r
        for r in store.export_nodes("Person", ["tags", "is_customer", "name"]).to_pylist()
    }
    assert p["P:1"]["tags"] == ["茶农", "高端"] and p["P:2"]["tags"] is None
    assert p["P:1"]["is_customer"] is True and p["P:2"]["is_customer"] is False
    assert p["P:1"]["name"] == 'O\'Brien "x" 张' and p["P:2"]["name"] is None
    loan = store.export_nodes("Loan", ["amount", "overdue_days"]).to_pylist()[0]
    assert loan == {"id": "L:1", "amount": 1234567.89, "overdue_days": 90}


def test_duplicate_ids_in_one_batch_keep_the_last(store: GraphStore) -> None:
    r = store.upsert_nodes("Person", persons(["P:1", "P:1"], ["旧", "新"]))
    assert r.inserted == 1
    assert store.export_nodes("Person", ["name"]).to_pylist() == [{"id": "P:1", "name": "新"}]


def test_unknown_label_column_or_pair_is_refused(store: GraphStore) -> None:
    with pytest.raises(ValueError):
        store.upsert_nodes("Alien", pa.table({"id": ["x"]}))
    with pytest.raises(ValueError):
        store.upsert_nodes("Person", pa.table({"id": ["P:1"], "shoe_size": [42]}))
    with pytest.raises(ValueError):
        store.upsert_edges(
            "GUARANTEES", "Loan", "Person", pa.table({"src": ["L:1"], "dst": ["P:1"], "key": [1]})
        )


def test_edges_upsert_idempotent_and_update(store: GraphStore) -> None:
    seed_loans(store)
    again = store.upsert_edges(
        "GUARANTEES",
        "Person",
        "Loan",
        pa.table(
            {
                "src": ["P:2", "P:3"],
                "dst": ["L:1", "L:2"],
                "key": [11, 12],
                "amount": [50.0, 65.0],
                "gtype": ["保证", "抵押"],
            }
        ),
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    edges = store.export_edges("GUARANTEES", ["amount", "gtype"])
    rows = sorted(edges.to_pylist(), key=lambda r: r["key"])
    assert [
        (r["src"], r["dst"], r["src_label"], r["dst_label"], r["key"], r["amount"]) for r in rows
    ] == [
        ("P:2", "L:1", "Person", "Loan", 11, 50.0),
        ("P:3", "L:2", "Person", "Loan", 12, 65.0),
        ("C:1", "L:1", "Company", "Loan", 13, 70.0),
    ]
    assert rows[0]["gtype"] == "保证"
    assert store.counts()["GUARANTEES"] == 3


def test_edge_with_changed_endpoint_is_moved_not_duplicated(store: GraphStore) -> None:
    """Key 11 is P:2→L:1; correct its guarantor, then its loan: one edge moves each time."""
    seed_loans(store)
    for src, dst in (("P:1", "L:1"), ("P:1", "L:2")):
        edge = {"src": [src], "dst": [dst], "key": [11], "amount": [50.0], "gtype": ["保证"]}
        r = store.upsert_edges("GUARANTEES", "Person", "Loan", pa.table(edge))
        assert r.updated == 1
        rows = [e for e in store.export_edges("GUARANTEES", []).to_pylist() if e["key"] == 11]
        assert [(e["src"], e["dst"]) for e in rows] == [(src, dst)]


def test_missing_endpoint_raises_and_writes_nothing(store: GraphStore) -> None:
    seed_loans(store)
    before = store.counts()["GUARANTEES"]
    with pytest.raises(MissingEndpointError, match="P:404"):
        store.upsert_edges(
            "GUARANTEES",
            "Person",
            "Loan",
            pa.table({"src": ["P:1", "P:404"], "dst": ["L:2", "L:1"], "key": [21, 22]}),
        )
    assert store.counts()["GUARANTEES"] == before


def test_counts_and_delete(store: GraphStore) -> None:
    seed_loans(store)
    c = store.counts()
    assert (c["Person"], c["Company"], c["Loan"], c["BORROWED"], c["GUARANTEES"]) == (3, 1, 2, 2, 3)
    assert store.delete_nodes("Person", ["P:2", "P:nope"]) == 1
    c = store.counts()
    assert (c["Person"], c["GUARANTEES"]) == (2, 2)


def test_named_query_run_stream_and_arrow_agree(store: GraphStore) -> None:
    seed_loans(store)
    rows = store.run("guarantee_edges")
    assert [
        (r["guarantor"], r["borrower"], r["loan"], r["amount"], r["balance"]) for r in rows
    ] == [
        ("C:1", "P:1", "L:1", 70.0, 80.0),
        ("P:2", "P:1", "L:1", 50.0, 80.0),
        ("P:3", "C:1", "L:2", 60.0, 150.0),
    ]
    assert list(store.stream("guarantee_edges")) == rows
    assert store.query_arrow("guarantee_edges").to_pylist() == rows


def test_parameters_are_data_not_code(store: GraphStore) -> None:
    seed_loans(store)
    evil = "') MATCH (n) DETACH DELETE n //"
    assert store.run("entity_search", {"q": evil, "limit": 10}) == []
    assert store.counts()["Person"] == 3
    hits = store.run("entity_search", {"q": "李", "limit": 10})
    assert hits == [{"id": "P:2", "label": "Person", "name": "李四"}]


def test_unknown_query_name_is_a_clear_error(store: GraphStore) -> None:
    with pytest.raises(QueryNotFoundError):
        store.run("no_such_query")
    with pytest.raises(QueryNotFoundError):
        store.run("../etc/passwd")


def test_transaction_commits_and_rolls_back(store: GraphStore) -> None:
    seed_loans(store)
    with store.transaction() as tx:
        assert tx.run("set_loan_status", {"id": "L:1", "status": "closed"}) == [{"id": "L:1"}]
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.run("set_loan_status", {"id": "L:2", "status": "written-off"})
        raise RuntimeError("abort")
    status = {r["id"]: r["status"] for r in store.export_nodes("Loan", ["status"]).to_pylist()}
    assert status == {"L:1": "closed", "L:2": None}


def test_meta_round_trip(store: GraphStore) -> None:
    assert store.get_meta("k") is None
    store.set_meta("k", json.dumps({"v": 1}))
    store.set_meta("k", json.dumps({"v": 2}))
    assert json.loads(store.get_meta("k") or "") == {"v": 2}


def test_variable_length_paths_follow_neo4j_semantics(store: GraphStore) -> None:
    """A→B→C→A cycle plus A→D: TRAIL on kuzu must give Neo4j's no-repeated-edge answers."""
    store.upsert_nodes("Account", pa.table({"id": ["A:a", "A:b", "A:c", "A:d"]}))
    store.upsert_edges(
        "TRANSFER",
        "Account",
        "Account",
        pa.table(
            {
                "src": ["A:a", "A:b", "A:c", "A:a"],
                "dst": ["A:b", "A:c", "A:a", "A:d"],
                "key": [1, 2, 3, 4],
                "amount": [100.0, 100.0, 100.0, 5.0],
            }
        ),
    )
    rows = store.run("transfer_paths_3", {"id": "A:a", "min_amount": 10.0})
    assert rows == [{"dst": "A:b", "hops": 1}, {"dst": "A:c", "hops": 2}, {"dst": "A:a", "hops": 3}]
    rows = store.run("transfer_paths_3", {"id": "A:a", "min_amount": 0.0})
    assert {(r["dst"], r["hops"]) for r in rows} == {("A:b", 1), ("A:d", 1), ("A:c", 2), ("A:a", 3)}


@pytest.mark.parametrize("name", queries.query_names())
def test_every_named_query_runs(store: GraphStore, name: str) -> None:
    seed_loans(store)
    q = queries.load(name, "kuzu" if store.backend == "embedded" else "neo4j")
    assert q.returns, f"{name}: header lacks `// returns:`"
    params = json.loads(q.example or "{}")
    try:
        rows = store.run(name, params)
    except QueryError as exc:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"{name} failed on {store.backend}: {exc}")
    assert isinstance(rows, list)


def test_embedded_store_upgrades_or_refuses_another_model_version(tmp_path: Path) -> None:
    """Another fingerprint with tables the model can reach by adding columns is upgraded
    (here: nothing to add); a retyped column is refused in one line (tests/graph/test_upgrade.py
    has an old store with missing columns)."""
    import json

    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.store import StoreError

    st = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    st.set_meta("model_fingerprint", "0000000000000000")
    st.close()
    st = EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)
    assert json.loads(st.get_meta("model_upgraded") or "{}")["added"] == []
    st._exec("ALTER TABLE Branch DROP extra")
    st._exec("ALTER TABLE Branch ADD extra INT64")
    st.set_meta("model_fingerprint", "0000000000000000")
    st.close()
    with pytest.raises(StoreError, match=r"another version of the graph model .*\(Branch.extra is INT64"):
        EmbeddedStore(tmp_path / "s", buffer_pool_mb=256)


def test_delete_edges_by_endpoint_and_key(store: GraphStore) -> None:
    seed_loans(store)
    gone = store.delete_edges(
        "GUARANTEES",
        "Person",
        "Loan",
        pa.table({"dst": ["L:1", "L:2", "L:1"], "key": [11, 99, 13]}),  # 13 is Company's
    )
    assert gone == 1
    left = sorted(e["key"] for e in store.export_edges("GUARANTEES", []).to_pylist())
    assert left == [12, 13]
    assert store.delete_edges("GUARANTEES", "Person", "Loan", pa.table({"dst": [], "key": []})) == 0


def _transfers(keys: list[int], src: list[str], dst: list[str], **cols: list) -> pa.Table:
    return pa.table({"src": src, "dst": dst, "key": keys, **cols})


def test_transfer_serials_and_memos_round_trip(store: GraphStore) -> None:
    """TRANSFER's free-text properties (kept beside the edge on embedded) behave like the rest."""
    store.upsert_nodes("Account", pa.table({"id": ["A:1", "A:2", "A:3"]}))
    t = _transfers(
        [1, 2, 3], ["A:1", "A:1", "A:2"], ["A:2", "A:3", "A:3"],
        id=["T1", "T2", "T3"], amount=[10.0, 20.0, 30.0], memo=["货款", None, "工资"],
    )
    r = store.upsert_edges("TRANSFER", "Account", "Account", t)
    assert (r.inserted, r.updated, r.unchanged) == (3, 0, 0)
    r = store.upsert_edges("TRANSFER", "Account", "Account", t)
    assert (r.inserted, r.updated, r.unchanged) == (0, 0, 3)

    def rows(columns: list[str] | None = None) -> list[dict]:
        return sorted(store.export_edges("TRANSFER", columns).to_pylist(), key=lambda e: e["key"])

    got = rows(["memo", "amount", "id"])
    assert [(e["key"], e["id"], e["memo"], e["amount"]) for e in got] == [
        (1, "T1", "货款", 10.0), (2, "T2", None, 20.0), (3, "T3", "工资", 30.0)
    ]
    assert list(store.export_edges("TRANSFER", ["memo", "amount", "id"]).column_names) == [
        "src", "dst", "src_label", "dst_label", "key", "memo", "amount", "id"
    ]
    # a changed memo, and a changed endpoint with an unchanged serial
    upd = _transfers([1, 3], ["A:1", "A:1"], ["A:2", "A:3"], memo=["退款", "工资"])
    r = store.upsert_edges("TRANSFER", "Account", "Account", upd)
    assert (r.updated, r.unchanged) == (2, 0)
    got = rows()
    assert [(e["key"], e["src"], e["id"], e["memo"], e["amount"]) for e in got] == [
        (1, "A:1", "T1", "退款", 10.0), (2, "A:1", "T2", None, 20.0), (3, "A:1", "T3", "工资", 30.0)
    ]
    # deleted edges and nodes take their serials with them; the keys can be used again
    assert store.delete_edges("TRANSFER", "Account", "Account", pa.table({"dst": ["A:2"], "key": [1]})) == 1
    store.delete_nodes("Account", ["A:3"])
    assert rows() == []
    store.upsert_nodes("Account", pa.table({"id": ["A:3"]}))
    again = _transfers([1, 2], ["A:2", "A:3"], ["A:3", "A:1"], id=["T9", "T8"])
    r = store.upsert_edges("TRANSFER", "Account", "Account", again)
    assert r.inserted == 2
    assert [(e["key"], e["id"], e["memo"]) for e in rows(["id", "memo"])] == [
        (1, "T9", None), (2, "T8", None)
    ]
