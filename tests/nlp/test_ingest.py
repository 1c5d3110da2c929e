"""Ingest of documents into the graph: nodes, edges, per-file failures, idempotence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from guanxi.graph.store import GraphStore
from guanxi.nlp.ingest import ingest_documents
from tests.conftest import make_store
from tests.nlp.test_linking import IDS, USCC_HY, build_graph, judgment, pid, simple_doc

DEVSET = Path(__file__).parent / "devset"
NLP_LABELS = ("Document", "Mention", "NegativeRecord")
NLP_RELS = ("PARTY_TO", "SAME_AS", "SUBJECT_OF", "EVIDENCED_BY", "GUARANTEE_FACT")


def write_docs(folder: Path) -> Path:
    """Write the fixture documents (and two bad files) into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_judgment.txt").write_text(judgment(), encoding="utf-8")
    (folder / "b_masked.txt").write_text(
        simple_doc(
            "被告：曹某某，男，1970年8月20日出生，住祁门县祁山镇桃源村1组。\n被告：赵六，男。"
        ),
        encoding="utf-8",
    )
    (folder / "c_full_id.txt").write_text(
        simple_doc(
            f"被告：张伟，男，身份证号码{IDS['zw2']}，住祁门县。", "（2021）皖1024民初3003号"
        ),
        encoding="gbk",
    )
    for name in (
        "028_enforcement_dishonest.txt",
        "038_police_penalty.txt",
        "041_nonlegal_news.txt",
    ):
        (folder / name).write_bytes((DEVSET / name).read_bytes())
    (folder / "broken.docx").write_bytes(b"not a zip file")
    return folder


def snapshot(store: GraphStore) -> dict[str, Any]:
    """Return counts and every exported row of the labels/types ingest writes, sorted."""
    out: dict[str, Any] = {"counts": store.counts()}
    for label in NLP_LABELS:
        rows = store.export_nodes(label).to_pylist()
        out[label] = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    for rel in NLP_RELS:
        rows = store.export_edges(rel).to_pylist()
        out[rel] = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    return out


@pytest.fixture
def embedded(tmp_path: Path) -> Any:
    """An embedded store with the fixture county."""
    from guanxi.graph.embedded import EmbeddedStore

    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    key = build_graph(st)
    yield st, key
    st.close()


def test_ingest_writes_documents_records_and_links(embedded: Any, tmp_path: Path) -> None:
    st, key = embedded
    rep = ingest_documents(st, [write_docs(tmp_path / "docs")])
    status = {Path(d.path).name: d for d in rep.documents}
    assert len(status) == 7 and rep.ok == 5 and rep.failed == 2
    assert status["041_nonlegal_news.txt"].error.startswith("not a legal document")
    assert "cannot read" in status["broken.docx"].error
    a = status["a_judgment.txt"]
    assert a.document_id == "D:（2021）皖1024民初1001号" and a.doc_type == "judgment"
    assert (a.parties, a.linked, a.records, a.guarantees) == (4, 3, 3, 2)
    assert status["b_masked.txt"].linked == 1 and status["c_full_id.txt"].linked == 1

    doc = st.run("api_document_parties", {"id": a.document_id})
    linked = {r["name"]: (r["label"], r["id"]) for r in doc}
    assert linked["张伟"] == ("Person", pid("zw1", key))
    assert linked["李娜"] == ("Person", pid("ln", key))
    assert linked["祁门红韵茶业有限公司"] == ("Company", f"C:{USCC_HY}")
    assert linked["安徽祁门农村商业银行股份有限公司"][0] == "Mention"  # the bank: no graph node
    recs = st.run("api_document_records", {"id": a.document_id})
    assert {r["subject_name"] for r in recs} == {"张伟", "李娜", "祁门红韵茶业有限公司"}
    assert {r["kind"] for r in recs} == {"判决被告"} and recs[0]["amount"] == 312000.0
    mine = st.run("api_records_of", {"ids": [pid("zw1", key)], "limit": 10})
    assert [r["kind"] for r in mine] == ["判决被告"]

    nodes = {r["id"]: r for r in st.export_nodes("NegativeRecord").to_pylist()}
    kinds = {r["kind"] for r in nodes.values()}
    assert {"失信被执行人", "公安处罚"} <= kinds
    facts = st.export_edges("GUARANTEE_FACT").to_pylist()
    assert {(f["src"], f["dst"]) for f in facts} == {
        (pid("ln", key), pid("zw1", key)),
        (f"C:{USCC_HY}", pid("zw1", key)),
    }
    same = st.export_edges("SAME_AS").to_pylist()
    assert all(r["score"] >= 0.7 and json.loads(r["evidence"]) for r in same)
    # the full 身份证 of the text is kept only as its keyed hash
    details = " ".join(r["details_json"] or "" for r in st.export_nodes("Mention").to_pylist())
    assert IDS["zw2"] not in details and "id_hash" in details


def test_ingest_twice_changes_nothing_embedded(embedded: Any, tmp_path: Path) -> None:
    st, _ = embedded
    docs = write_docs(tmp_path / "docs")
    ingest_documents(st, [docs])
    first = snapshot(st)
    again = ingest_documents(st, [docs])
    assert again.ok == 5 and snapshot(st) == first
    forced = ingest_documents(st, [docs], force=True)
    assert forced.ok == 5 and forced.skipped == 0 and snapshot(st) == first


def _plain(rep: Any) -> list[dict[str, Any]]:
    """Return the per-document reports without `skipped` (to compare a rerun's)."""
    out = []
    for d in rep.to_dict()["documents"]:
        d.pop("skipped")
        out.append(d)
    return out


def test_rerun_skips_unchanged_documents_and_reingests_changed_text(
    embedded: Any, tmp_path: Path
) -> None:
    st, _ = embedded
    docs = write_docs(tmp_path / "docs")
    first = ingest_documents(st, [docs])
    assert first.skipped == 0
    snap = snapshot(st)
    again = ingest_documents(st, [docs])
    # every written document is skipped, reported as at its ingest; failures fail again
    assert (again.ok, again.failed, again.skipped) == (5, 2, 5)
    assert _plain(again) == _plain(first) and snapshot(st) == snap

    # one text changes (same case number): only it is ingested again, and the graph shows it
    text = judgment().replace("二〇二一年六月八日", "二〇二一年六月九日")
    assert text != judgment()
    (docs / "a_judgment.txt").write_text(text, encoding="utf-8")
    changed = ingest_documents(st, [docs])
    status = {Path(d.path).name: d for d in changed.documents}
    assert not status["a_judgment.txt"].skipped and changed.skipped == 4
    dates = {r["id"]: r["date"] for r in st.export_nodes("Document").to_pylist()}
    assert dates["D:（2021）皖1024民初1001号"] == "2021-06-09"
    # the stamp of the replaced text is gone, the new one is there
    import hashlib

    def stamp_of(t: str) -> str | None:
        return st.get_meta("nlp:" + hashlib.sha256(t.encode("utf-8")).hexdigest())

    assert stamp_of(judgment()) is None and stamp_of(text) is not None
    assert ingest_documents(st, [docs]).skipped == 5


def test_rerun_relinks_when_the_graph_changed(embedded: Any, tmp_path: Path) -> None:
    """A new load generation (every load renews it) or a changed PII key makes every
    document be linked again, even when no count changed."""
    from guanxi.graph.generation import load_generation, new_load_generation

    st, _ = embedded
    docs = write_docs(tmp_path / "docs")
    ingest_documents(st, [docs])
    snap = snapshot(st)
    before = load_generation(st)
    assert new_load_generation(st) != before
    rep = ingest_documents(st, [docs])
    assert (rep.ok, rep.skipped) == (5, 0) and snapshot(st) == snap
    assert ingest_documents(st, [docs]).skipped == 5


def test_texts_sharing_a_case_number_rerun_as_before(embedded: Any, tmp_path: Path) -> None:
    """Of two texts of one Document the last written wins, with or without skipping; a text
    whose Document another text replaced since is ingested again, not skipped."""
    st, _ = embedded
    other = judgment().replace("二〇二一年六月八日", "二〇二一年六月九日")
    both = tmp_path / "both"
    both.mkdir()
    (both / "a.txt").write_text(judgment(), encoding="utf-8")
    (both / "b.txt").write_text(other, encoding="utf-8")
    rep = ingest_documents(st, [both])
    assert rep.ok == 2
    snap = snapshot(st)
    for _ in range(2):
        ingest_documents(st, [both])
        assert snapshot(st) == snap  # b's text is the Document's, as after the first run

    only_a = tmp_path / "only_a"
    only_a.mkdir()
    (only_a / "a.txt").write_text(judgment(), encoding="utf-8")
    rep = ingest_documents(st, [only_a])
    assert rep.skipped == 0  # the Document holds b's text: a is written again
    dates = {r["id"]: r["date"] for r in st.export_nodes("Document").to_pylist()}
    assert dates["D:（2021）皖1024民初1001号"] == "2021-06-08"
    assert ingest_documents(st, [only_a]).skipped == 1


def test_batched_ingest_equals_one_document_at_a_time(tmp_path: Path) -> None:
    """Linking and writing many documents together gives the graph that one-by-one gives."""
    from guanxi.graph.embedded import EmbeddedStore

    docs = write_docs(tmp_path / "docs")
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    build_graph(st)  # one graph, copied: the same PII key gives the same node ids
    st.close()
    shutil.copytree(tmp_path / "store", tmp_path / "store1")
    # the keys live beside the store, not in it: the copy needs them too
    shutil.copytree(tmp_path / "store.keys", tmp_path / "store1.keys")
    snaps = []
    seen: list[tuple[str, float, float | None]] = []
    for n, size in enumerate((1, 500)):
        st = EmbeddedStore(tmp_path / ("store1" if n else "store"), buffer_pool_mb=256)
        seen.clear()
        try:
            rep = ingest_documents(
                st, [docs], batch_size=size,
                progress=lambda s, d=0, t=None: seen.append((s, d, t)),
            )
            assert (rep.ok, rep.failed) == (5, 2)
            snaps.append(snapshot(st))
        finally:
            st.close()
        # documents done of the total, per document as files are read and extracted, then
        # as they are planned and written
        assert seen[-1] == ("writing documents", 7, 7)
        assert all(t == 7 and 0 <= d <= 7 for _, d, t in seen)
        steps = list(dict.fromkeys(s for s, _, _ in seen))
        assert steps[:2] == ["reading documents", "extracting documents"]
        assert {"linking documents", "planning documents", "writing documents"} <= set(steps)
        assert [d for s, d, _ in seen if s == "reading documents"] == list(range(1, 8))
        planned = [d for s, d, _ in seen if s == "planning documents"]
        assert len(planned) == 5 and planned == sorted(planned)  # one step per document
        written = [d for s, d, _ in seen if s == "writing documents"]
        assert written == sorted(written)  # done only grows
    assert snaps[0] == snaps[1]


def test_ingest_twice_changes_nothing_arcadedb(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    st = make_store("arcadedb", request, tmp_path)
    try:
        key = build_graph(st)
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "a.txt").write_text(judgment(), encoding="utf-8")
        (docs / "b.txt").write_text(
            simple_doc(
                "被告：曹某某，男，1970年8月20日出生，住祁门县祁山镇桃源村1组。\n被告：赵六。"
            ),
            encoding="utf-8",
        )
        rep = ingest_documents(st, [docs])
        assert rep.ok == 2 and rep.linked == 4, rep.to_dict()
        first = snapshot(st)
        assert first["counts"]["SAME_AS"] == 4 and first["counts"]["Mention"] == 7
        again = ingest_documents(st, [docs])
        assert again.skipped == 2 and snapshot(st) == first
        (docs / "a.txt").write_text(judgment().replace("六月八日", "六月九日"), encoding="utf-8")
        changed = ingest_documents(st, [docs])
        assert [d.skipped for d in changed.documents] == [False, True]
        doc = st.run("api_document_parties", {"id": "D:（2021）皖1024民初1001号"})
        assert {r["name"]: r["id"] for r in doc}["张伟"] == pid("zw1", key)
    finally:
        st.clear()
        st.close()


def test_reingest_after_the_graph_grows_links_the_mention(tmp_path: Path) -> None:
    from guanxi.graph.embedded import EmbeddedStore

    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=256)
    try:
        build_graph(st, without=("ln",))
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "a.txt").write_text(judgment(), encoding="utf-8")
        rep = ingest_documents(st, [docs])
        assert {lk["name"]: lk["node_id"] for lk in rep.documents[0].links}["李娜"] is None
        before = st.counts()
        key = build_graph(st)  # 李娜 arrives with her household and guarantee
        rep = ingest_documents(st, [docs])
        assert not rep.documents[0].skipped  # the graph grew: linked again
        links = {lk["name"]: lk["node_id"] for lk in rep.documents[0].links}
        assert links["李娜"] == pid("ln", key)
        after = st.counts()
        assert after["PARTY_TO"] == before["PARTY_TO"]  # moved from the Mention to the Person
        assert after["SAME_AS"] == before["SAME_AS"] + 1
        assert after["SUBJECT_OF"] == before["SUBJECT_OF"] + 1
        parties = st.run("api_document_parties", {"id": "D:（2021）皖1024民初1001号"})
        assert [r["label"] for r in parties if r["name"] == "李娜"] == ["Person"]
    finally:
        st.close()


def test_bank_record_citing_the_document_is_evidenced(embedded: Any, tmp_path: Path) -> None:
    st, key = embedded
    st.upsert_nodes(
        "NegativeRecord",
        pa.table(
            {
                "id": ["N:bank-1"],
                "kind": ["判决被告"],
                "date": ["2021-06-08"],
                "document_id": ["（2021）皖1024民初1001号"],
                "subject_name": ["张伟"],
                "subject_ref": [pid("zw1", key)],
            }
        ),
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(judgment(), encoding="utf-8")
    rep = ingest_documents(st, [docs])
    zw = next(lk for lk in rep.documents[0].links if lk["name"] == "张伟")
    assert "bank_record" in {e["kind"] for e in zw["evidence"]}
    docs_of = st.run("api_record_documents", {"id": "N:bank-1"})
    assert [d["id"] for d in docs_of] == ["D:（2021）皖1024民初1001号"]


def test_end_to_end_generated_county(tmp_path: Path) -> None:
    """Generate a county, load it, ingest its documents: truth parties link to the right nodes."""
    gen = pytest.importorskip("guanxi.loaders.synthetic.generate")
    from guanxi.graph.embedded import EmbeddedStore
    from guanxi.graph.generation import load_generation
    from guanxi.graph.pii import pii_key
    from guanxi.loaders.load import load_extract
    from tests.refs import node_id

    out = tmp_path / "county"
    truth = gen.generate_county(out, households=200, seed=7)
    docs = truth["documents"]
    assert docs, "the generator wrote no documents"
    st = EmbeddedStore(tmp_path / "store", buffer_pool_mb=512)
    try:
        load_extract(st, out)
        generation = load_generation(st)
        assert generation
        key = pii_key(st)
        names = dict(
            zip(
                st.export_nodes("Person", ["name"])["id"].to_pylist(),
                st.export_nodes("Person", ["name"])["name"].to_pylist(),
                strict=True,
            )
        )

        # 1. the same documents with every person party's name masked (张三 → 张某)
        masked_dir = tmp_path / "masked"
        masked_dir.mkdir()
        for d in docs:
            text = (out / "documents" / f"{d['document_id']}.txt").read_text("utf-8")
            for ref in d["parties"]:
                nid = node_id(ref, key)
                if nid.startswith("P:"):
                    text = text.replace(names[nid], names[nid][0] + "某")
            (masked_dir / f"{d['document_id']}.txt").write_text(text, "utf-8")
        rep = ingest_documents(st, [masked_dir])
        assert rep.failed == 0
        masked_linked = masked_total = 0
        for d, r in zip(docs, sorted(rep.documents, key=lambda x: x.path), strict=True):
            want = {node_id(ref, key) for ref in d["parties"]}
            for lk in r.links:
                masked_total += lk["masked"]
                if lk["masked"] and lk["node_id"]:
                    masked_linked += 1
                    assert lk["node_id"] in want, (d["document_id"], lk)
                    assert {e["kind"] for e in lk["evidence"]} - {"name_masked"}, lk

        # 2. the documents as written (they replace the masked texts of the same case numbers)
        rep = ingest_documents(st, [out / "documents"])
        assert rep.ok == len(docs) and rep.failed == 0
        by_stem = {Path(r.path).stem: r for r in rep.documents}
        linked = wrong = missed = 0
        for d in docs:
            want = {node_id(ref, key) for ref in d["parties"]}
            got = {lk["node_id"] for lk in by_stem[d["document_id"]].links if lk["node_id"]}
            linked += len(want & got)
            wrong += len(got - want)
            missed += len(want - got)
            for lk in by_stem[d["document_id"]].links:  # no masked party linked on its name alone
                if lk["masked"] and lk["node_id"]:
                    assert {e["kind"] for e in lk["evidence"]} - {"name_masked"}, lk
        print(
            f"e2e: documents {len(docs)}, truth parties {linked + missed}, linked {linked}, "
            f"wrong {wrong}, mentions {rep.mentions}; masked variant: {masked_linked} of "
            f"{masked_total} masked parties linked (all correct)"
        )
        assert wrong == 0 and missed == 0
        before = snapshot(st)
        rep = ingest_documents(st, [out / "documents"])
        assert rep.skipped == len(docs) and snapshot(st) == before
        load_extract(st, out)  # a reload (same county): every document is linked again
        assert load_generation(st) != generation
        rep = ingest_documents(st, [out / "documents"])
        assert rep.skipped == 0 and rep.ok == len(docs) and snapshot(st) == before
    finally:
        st.close()
