"""Entity linking of extracted parties to a small planted graph (embedded store)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from guanxi.graph.ids import edge_key, pii_hash, pii_node_id
from guanxi.graph.model import NODES, RELS
from guanxi.graph.pii import pii_key
from guanxi.graph.store import GraphStore
from guanxi.nlp import extract
from guanxi.nlp.linking import (
    THRESHOLD,
    WEIGHTS,
    PartyLink,
    address_evidence,
    id_facts,
    is_masked,
    link_parties,
    masked_surname,
)

# 身份证 numbers of the planted persons (only their keyed hashes reach the graph)
IDS = {
    "zw1": "341024197008201234",  # 张伟, 桃源村, borrower of L1
    "zw2": "341024198503021231",  # 张伟, 历溪村 (same name, no ties)
    "ln": "341024197205061228",  # 李娜, 张伟(1)'s wife, guarantor of L1
    "cjg": "341024197008201251",  # 曹建国, 历溪村, born the same day as 张伟(1)
    "cjh": "341024197008201277",  # 曹建华, 桃源村, born the same day too
    "wf": "341024199001011220",  # 王芳, legal representative of 红韵, guarantor of L1
}
USCC_HY = "91341024MA2N0HY001"
USCC_AD = "91341024MA2N0AD002"
HY = "祁门红韵茶业有限公司"
AD = "祁门县安达物流有限公司"


def pid(name: str, key: bytes) -> str:
    """Return the planted person's node id."""
    return pii_node_id("Person", IDS[name], key)


def _nodes(store: GraphStore, label: str, rows: list[dict[str, Any]]) -> None:
    props = {p.name: p for p in NODES[label].all_props}
    cols = list(rows[0])
    from guanxi.graph.model import ARROW_TYPES

    schema = pa.schema([(c, ARROW_TYPES[props[c].type]) for c in cols])
    store.upsert_nodes(label, pa.Table.from_pylist(rows, schema=schema))


def _edges(store: GraphStore, rel: str, sl: str, dl: str, rows: list[tuple[Any, ...]]) -> None:
    extra = [p.name for p in RELS[rel].props]
    data = []
    for r in rows:
        d = {"src": r[0], "dst": r[1], "key": edge_key(rel, r[0], r[1])}
        d.update(dict(zip(extra, r[2:], strict=False)))
        data.append(d)
    from guanxi.graph.model import ARROW_TYPES

    fields = [("src", pa.string()), ("dst", pa.string()), ("key", pa.int64())]
    used = [p for p in RELS[rel].props if p.name in data[0]]
    fields += [(p.name, ARROW_TYPES[p.type]) for p in used]
    store.upsert_edges(rel, sl, dl, pa.Table.from_pylist(data, schema=pa.schema(fields)))


def build_graph(store: GraphStore, *, without: tuple[str, ...] = ()) -> bytes:
    """Plant the fixture county into `store`; return its PII key.

    Two grids (桃源村, 历溪村), three households, six persons (two 张伟, two 曹 born on
    1970-08-20), two companies, one loan L1 borrowed by 张伟(1) and guaranteed by 李娜,
    王芳 and 红韵 (whose legal representative is 王芳).
    """
    store.ensure_schema()
    key = pii_key(store)
    _nodes(
        store,
        "Grid",
        [
            {"id": "G:1", "name": "桃源村", "kind": "village", "village": "桃源村"},
            {"id": "G:2", "name": "历溪村", "kind": "village", "village": "历溪村"},
        ],
    )
    _nodes(
        store,
        "Household",
        [
            {"id": "H:1", "grid_id": "G:1", "address": "祁山镇桃源村3组12号"},
            {"id": "H:2", "grid_id": "G:2", "address": "历口镇历溪村5组7号"},
            {"id": "H:3", "grid_id": "G:1", "address": "祁山镇桃源村1组3号"},
        ],
    )
    people = [
        ("zw1", "张伟", "男", "1970-08-20", "G:1", "H:1"),
        ("zw2", "张伟", "男", "1985-03-02", "G:2", "H:2"),
        ("ln", "李娜", "女", "1972-05-06", "G:1", "H:1"),
        ("cjg", "曹建国", "男", "1970-08-20", "G:2", "H:2"),
        ("cjh", "曹建华", "男", "1970-08-20", "G:1", "H:3"),
        ("wf", "王芳", "女", "1990-01-01", "G:1", "H:3"),
    ]
    rows = [
        {
            "id": pid(k, key),
            "id_hash": pii_hash(IDS[k], key),
            "name": n,
            "sex": s,
            "birth_date": b,
            "grid_id": g,
            "household_id": h,
        }
        for k, n, s, b, g, h in people
        if k not in without
    ]
    _nodes(store, "Person", rows)
    _edges(
        store, "MEMBER_OF", "Person", "Household", [(r["id"], r["household_id"], "") for r in rows]
    )
    _nodes(
        store,
        "Company",
        [
            {
                "id": f"C:{USCC_HY}",
                "uscc": USCC_HY,
                "name": HY,
                "legal_rep_name": "王芳",
                "address": "祁门县祁山镇桃源村工业园8号",
                "grid_id": "G:1",
            },
            {
                "id": f"C:{USCC_AD}",
                "uscc": USCC_AD,
                "name": AD,
                "legal_rep_name": "陈刚",
                "address": "祁门县历口镇",
                "grid_id": "G:2",
            },
        ],
    )
    if "wf" not in without:
        _edges(store, "LEGAL_REP_OF", "Person", "Company", [(pid("wf", key), f"C:{USCC_HY}")])
    _nodes(
        store,
        "Loan",
        [
            {
                "id": "L:1",
                "amount": 300000.0,
                "balance": 280000.0,
                "start_date": "2019-01-10",
                "classification": "次级",
            }
        ],
    )
    _edges(store, "BORROWED", "Person", "Loan", [(pid("zw1", key), "L:1")])
    _edges(
        store,
        "GUARANTEES",
        "Person",
        "Loan",
        [(pid(k, key), "L:1", "保证") for k in ("ln", "wf") if k not in without],
    )
    _edges(store, "GUARANTEES", "Company", "Loan", [(f"C:{USCC_HY}", "L:1", "保证")])
    return key


JUDGMENT = """安徽省祁门县人民法院
民 事 判 决 书
（2021）皖1024民初1001号
原告：安徽祁门农村商业银行股份有限公司，统一社会信用代码91341000MA2N0BANK1，住所祁门县祁山镇。
负责人：江海，该行董事长。
被告：张伟，男，1970年8月20日出生，汉族，住祁门县祁山镇桃源村3组12号。
被告：李娜，女，汉族，住祁门县祁山镇桃源村3组12号。
被告：祁门红韵茶业有限公司，统一社会信用代码{uscc}，住所祁门县祁山镇桃源村工业园8号。
法定代表人：王芳，该公司执行董事。
原告安徽祁门农村商业银行股份有限公司与被告张伟、李娜、祁门红韵茶业有限公司金融借款合同纠纷一案，本院于2021年3月1日立案后，依法适用简易程序，公开开庭进行了审理。本案现已审理终结。
原告向本院提出诉讼请求：1.判令被告张伟偿还借款本金300000元及利息；2.判令其余被告承担连带清偿责任。事实和理由：2019年1月10日，被告张伟向原告借款30万元。被告李娜、祁门红韵茶业有限公司为该笔借款提供连带责任保证。借款到期后，被告未按约偿还。
本院认为，原告依约发放了贷款，被告张伟未按约还款，应承担还款责任。保证人应当依约承担保证责任。
依照《中华人民共和国民法典》第六百七十四条之规定，判决如下：
一、被告张伟于本判决生效之日起十日内偿还原告安徽祁门农村商业银行股份有限公司借款本金300000元、利息12000元；
二、被告李娜对上述第一项债务承担连带清偿责任；
三、被告祁门红韵茶业有限公司对上述第一项债务承担连带清偿责任；
四、驳回原告的其他诉讼请求。
如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于安徽省黄山市中级人民法院。
审判员　程明
二〇二一年六月八日
书记员　汪某
"""


def judgment(uscc: str = USCC_HY) -> str:
    """Return the fixture judgment text (bank v. 张伟, 李娜 and 红韵)."""
    return JUDGMENT.replace("{uscc}", uscc)


def simple_doc(parties: str, case: str = "（2021）皖1024民初2002号") -> str:
    """Return a short judgment whose party block is `parties` (one party per line)."""
    return f"""安徽省祁门县人民法院
民 事 判 决 书
{case}
原告：安徽祁门农村商业银行股份有限公司，住所祁门县祁山镇。
{parties}
原告安徽祁门农村商业银行股份有限公司与被告金融借款合同纠纷一案，本院依法适用简易程序审理。本案现已审理终结。
本院认为，被告未按约还款，应承担还款责任。依照《中华人民共和国民法典》第六百七十四条之规定，判决如下：
一、被告于本判决生效之日起十日内偿还原告借款本金50000元；
二、驳回原告的其他诉讼请求。
审判员　程明
二〇二一年七月一日
书记员　汪某
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, bytes]]:
    """An embedded store holding the planted fixture county (linking only reads it)."""
    from guanxi.graph.embedded import EmbeddedStore

    st = EmbeddedStore(tmp_path_factory.mktemp("link") / "store", buffer_pool_mb=256)
    key = build_graph(st)
    yield st, key
    st.close()


def by_name(links: list[PartyLink]) -> dict[str, PartyLink]:
    """Return the links keyed by party name."""
    return {lk.name: lk for lk in links}


def kinds(lk: PartyLink) -> set[str]:
    """Return the evidence kinds of a link."""
    return {e.kind for e in lk.evidence}


def test_helpers() -> None:
    assert is_masked("张某") and is_masked("李某1") and is_masked("王×") and is_masked("曹某某")
    assert not is_masked("张伟") and not is_masked(HY)
    assert masked_surname("欧阳某") == "欧阳"
    assert id_facts("3410**********1234") == (None, None, "男")
    assert id_facts("341024197008201234") == ("341024197008201234", "1970-08-20", "男")
    assert id_facts("341024********1228")[1:] == (None, "女")
    assert address_evidence("祁门县祁山镇桃源村3组12号", ["历溪村", "桃源村"]) == "桃源村"
    assert address_evidence("佛山市顺德区某村某组", ["桃源村"]) is None


def test_unique_full_name_with_corroboration_links(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    links = by_name(link_parties(st, extract(judgment()), key))
    zw = links["张伟"]  # two 张伟 in the graph: birth date + address + the loan decide
    assert zw.node_id == pid("zw1", key) and zw.label == "Person"
    assert {"name_exact", "birth_date", "address"} <= kinds(zw)
    assert zw.score >= THRESHOLD and zw.candidates == 1  # the other 张伟: another birth date
    ln = links["李娜"]  # unique name, corroborated by the guarantee on 张伟's loan
    assert ln.node_id == pid("ln", key)
    assert "name_exact" in kinds(ln) and kinds(ln) & {"tie_linked", "tie_candidate", "address"}
    assert ln.score == pytest.approx(sum(e.weight for e in ln.evidence))
    assert links[HY].node_id == f"C:{USCC_HY}" and "uscc_exact" in kinds(links[HY])
    assert links["安徽祁门农村商业银行股份有限公司"].node_id is None  # the bank is no graph node


def test_unique_full_name_alone_stays_mention(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    ex = extract(simple_doc("被告：李娜。"))
    lk = by_name(link_parties(st, ex, key))["李娜"]
    assert lk.node_id is None and lk.candidates == 1
    assert lk.reason.startswith("name only") and kinds(lk) == {"name_exact"}


def test_ambiguous_name_stays_mention(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    lk = by_name(link_parties(st, extract(simple_doc("被告：张伟，男。")), key))["张伟"]
    assert lk.node_id is None and lk.candidates == 2
    # two persons with the same name and the same (weak) evidence: never pick one
    assert lk.score < THRESHOLD or lk.reason.startswith("ambiguous")


def test_full_id_number_resolves_the_ambiguous_name(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    ex = extract(simple_doc(f"被告：张伟，男，身份证号码{IDS['zw2']}，住祁门县。"))
    lk = by_name(link_parties(st, ex, key))["张伟"]
    assert lk.node_id == pid("zw2", key) and "id_exact" in kinds(lk)


@pytest.mark.parametrize("name", ["王某", "王×", "王某某", "曹某", "曹某1", "张某", "李某"])
def test_masked_name_alone_never_links(graph: tuple[GraphStore, bytes], name: str) -> None:
    st, key = graph
    ex = extract(simple_doc(f"被告：{name}，住祁门县。"))
    assert ex["parties"][-1]["name"] == name
    lk = by_name(link_parties(st, ex, key))[name]
    assert lk.masked and lk.node_id is None


def test_masked_name_with_only_a_tie_stays_mention(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    # 红韵 links by USCC; 王芳 is its legal representative and a guarantor: a candidate
    # for 王某 through the graph, but surname + tie is not enough
    ex = extract(
        simple_doc(f"被告：祁门红韵茶业有限公司，统一社会信用代码{USCC_HY}。\n被告：王某，女。")
    )
    links = by_name(link_parties(st, ex, key))
    assert links[HY].node_id == f"C:{USCC_HY}"
    wm = links["王某"]
    assert wm.node_id is None and wm.candidates == 1
    assert kinds(wm) <= {"name_masked", "tie_linked", "sex"} and wm.score < THRESHOLD


def test_masked_name_with_birth_and_address_links(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    # two 曹 born on 1970-08-20: the village decides (曹建华 lives in 桃源村)
    ex = extract(simple_doc("被告：曹某某，男，1970年8月20日出生，住祁门县祁山镇桃源村1组。"))
    lk = by_name(link_parties(st, ex, key))["曹某某"]
    assert lk.node_id == pid("cjh", key)
    assert {"name_masked", "birth_date", "address"} <= kinds(lk)
    assert lk.candidates == 2
    # without the address: two equal candidates, no link
    ex = extract(simple_doc("被告：曹某某，男，1970年8月20日出生。"))
    lk = by_name(link_parties(st, ex, key))["曹某某"]
    assert lk.node_id is None and lk.candidates == 2


def test_masked_name_never_links_on_name_evidence(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    ex = extract(judgment().replace("李娜", "李某").replace("张伟", "张某"))
    for lk in link_parties(st, ex, key):
        if lk.masked and lk.linked:
            assert kinds(lk) - {"name_masked"}, lk
            assert lk.score >= THRESHOLD


def test_uscc_exact_link_and_veto(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    # another spelling of the name, but the USCC is exact
    ex = extract(simple_doc(f"被告：祁门红韵茶叶有限责任公司，统一社会信用代码{USCC_HY}。"))
    lk = link_parties(st, ex, key)[-1]
    assert lk.node_id == f"C:{USCC_HY}" and lk.score >= WEIGHTS["uscc_exact"]
    # the registered name, but another company's USCC: the name candidate is vetoed
    ex = extract(simple_doc(f"被告：{HY}，统一社会信用代码{USCC_AD}。"))
    lk = link_parties(st, ex, key)[-1]
    assert lk.node_id == f"C:{USCC_AD}" and "company_name" not in kinds(lk)


def test_company_name_alone_links_when_unique(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    lk = link_parties(st, extract(simple_doc(f"被告：{AD}。")), key)[-1]
    assert lk.node_id == f"C:{USCC_AD}" and kinds(lk) == {"company_name"}


def test_contradicting_birth_date_vetoes(graph: tuple[GraphStore, bytes]) -> None:
    st, key = graph
    ex = extract(simple_doc("被告：李娜，女，1980年1月1日出生，住祁门县祁山镇桃源村3组12号。"))
    lk = by_name(link_parties(st, ex, key))["李娜"]
    assert lk.node_id is None and lk.candidates == 0


def test_ties_are_paired_from_tie_ends(graph: tuple[GraphStore, bytes]) -> None:
    """Every tie kind between candidate ids, from one read of their tie ends."""
    from guanxi.nlp.linking import Lookups

    st, key = graph
    lk = Lookups(st)
    zw, ln, wf, cjh = pid("zw1", key), pid("ln", key), pid("wf", key), pid("cjh", key)
    hy = f"C:{USCC_HY}"
    ids = [zw, ln, wf, cjh, hy, pid("zw2", key)]
    got = {(t["a"], t["b"], t["tie"]) for t in lk.ties(ids)}
    want = {
        (ln, zw, "guarantees_loan_of"),
        (wf, zw, "guarantees_loan_of"),
        (hy, zw, "guarantees_loan_of"),
        (wf, hy, "legal_rep_of"),
        (min(zw, ln), max(zw, ln), "same_household"),
        (min(wf, cjh), max(wf, cjh), "same_household"),
    }
    want |= {(min(a, b), max(a, b), "co_guarantor") for a, b in ((ln, wf), (ln, hy), (wf, hy))}
    assert got == want
    assert all(t["amount"] == 300000.0 for t in lk.ties(ids) if t["loan"])
    assert lk.queries == 1
    # a subset costs no further read and keeps only ties with both ends in it
    assert {(t["a"], t["b"], t["tie"]) for t in lk.ties([zw, ln])} == {
        (ln, zw, "guarantees_loan_of"),
        (min(zw, ln), max(zw, ln), "same_household"),
    }
    assert lk.queries == 1
    nb = lk.neighbors([zw, hy])
    assert {(r["id"], r["via"]) for r in nb} >= {(ln, "loan"), (wf, "loan"), (hy, "loan"),
                                                 (ln, "household"), (wf, "legal_rep")}
    assert nb == sorted(nb, key=lambda r: (r["id"], r["label"], r["via"]))
