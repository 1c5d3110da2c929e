"""A small graph with planted answers for the API tests (persons with names, a guarantee circle…)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyarrow as pa

from guanxi.analyses.flow_projection import export_parties, export_referrals
from guanxi.analyses.guarantee import circle_nodes
from guanxi.analyses.prospects import write_prospects
from guanxi.analyses.referrals import compute_referrals, write_referrals
from guanxi.analyses.results import dump
from guanxi.analyses.results.marketing import (
    ChainMember,
    ChainRisk,
    Community,
    Core,
    KeyMember,
    Prospect,
    SupplyChain,
)
from guanxi.analyses.results.risk import BreakItem, BreakPlan, Circle, Motifs, TopCycle
from guanxi.graph.ids import edge_key
from guanxi.graph.store import GraphStore

CO_A = "C:91341024MA2TEA0001"
CO_B = "C:91341024MA2WOOD002"
PERSON_NAMES = {
    "P:00000000000000a1": "张三丰",
    "P:00000000000000a2": "李四",
    "P:00000000000000a3": "王五六",
    "P:00000000000000a4": "赵敏",
    "P:00000000000000a5": "欧阳娜娜",
}
MENTION_NAME = "钱七"
ID_NUMBER = "340102199001011234"
PHONE = "13812345678"


@dataclass
class Facts:
    """What the fixture planted."""

    persons: dict[str, str] = field(default_factory=lambda: dict(PERSON_NAMES))
    companies: dict[str, str] = field(
        default_factory=lambda: {CO_A: "祁门红茶有限公司", CO_B: "黄山竹木加工厂"}
    )
    circle: str = "K:circle1"
    circle_members: tuple[str, ...] = ("P:00000000000000a1", "P:00000000000000a2", CO_A)
    record: str = "N:rec1"
    document: str = "D:(2024)皖1024执123号"
    community: str = "Y:run1#1"
    chain: str = f"Z:{CO_A}"
    person_a: str = "P:00000000000000a1"
    """a person with a loan, a guarantee and a circle (routes start here)"""
    person_b: str = "P:00000000000000a2"
    company: str = CO_A
    planted: bool = True
    """False for a generated county: tests of exact planted facts skip it"""

    @property
    def person_names(self) -> list[str]:
        """Return every personal name planted (persons, the mention, the legal rep)."""
        return [*self.persons.values(), MENTION_NAME]


def _e(rel: str, pairs: list[tuple[str, str]], **cols: list) -> pa.Table:
    return pa.table({
        "src": [a for a, _ in pairs],
        "dst": [b for _, b in pairs],
        "key": pa.array([edge_key(rel, a, b) for a, b in pairs], pa.int64()),
        **cols,
    })


def build(store: GraphStore) -> Facts:
    """Write the fixture graph into an empty store; return its facts."""
    f = Facts()
    p = list(PERSON_NAMES)
    a1, a2, a3, a4, a5 = p
    store.upsert_nodes("Person", pa.table({
        "id": p,
        "name": [PERSON_NAMES[i] for i in p],
        "id_hash": [f"{i[-2:]}" * 32 for i in p],
        "phone_hash": [f"f{i[-1]}" * 32 for i in p],
        "phone_last4": ["5678", "1111", "2222", "3333", "4444"],
        "birth_date": ["1980-01-01"] * 5,
        "is_customer": [True, True, True, False, False],
        "tier": ["高端", "核心", "基础", "潜在", "潜在"],
        "sex": ["男", "男", "男", "女", "女"],
    }))
    store.upsert_nodes("Company", pa.table({
        "id": [CO_A, CO_B],
        "uscc": [CO_A[2:], CO_B[2:]],
        "name": ["祁门红茶有限公司", "黄山竹木加工厂"],
        "legal_rep_name": ["张三丰", "王五六"],
        "industry": ["茶叶", "木材"],
        "is_customer": [True, False],
    }))
    store.upsert_nodes("Loan", pa.table({
        "id": ["L:1", "L:2", "L:3", "L:4"],
        "amount": [500000.0, 300000.0, 2000000.0, 100000.0],
        "balance": [450000.0, 280000.0, 1800000.0, 90000.0],
        "classification": ["正常", "关注", "正常", "次级"],
        "overdue_days": pa.array([0, 35, 0, 120], pa.int64()),
        "start_date": ["2023-01-01", "2023-03-01", "2023-06-01", "2022-01-01"],
    }))
    store.upsert_nodes("Household", pa.table({"id": ["H:1"], "address": ["祁门县某村1号"]}))
    store.upsert_nodes("Account", pa.table({
        "id": ["A:1", "A:2"], "number_hash": ["ab" * 32, "cd" * 32],
        "number_last4": ["0001", "0002"], "in_bank": [True, True]}))
    store.upsert_nodes("NegativeRecord", pa.table({
        "id": [f.record], "kind": ["被执行人"], "date": ["2024-05-01"], "amount": [120000.0],
        "source": ["court"], "document_id": [f.document], "subject_name": ["李四"],
        "subject_ref": [a2],
        "description": [f"李四（身份证 {ID_NUMBER}，电话 {PHONE}）未履行生效判决"],
    }))
    store.upsert_nodes("Document", pa.table({
        "id": [f.document], "doc_type": ["enforcement"], "case_number": ["(2024)皖1024执123号"],
        "authority": ["祁门县人民法院"], "date": ["2024-05-01"], "cause": ["借款合同纠纷"],
        "title": ["李四借款合同纠纷执行裁定书"], "outcome": [["终结本次执行"]],
        "amounts_json": [json.dumps([{"value": 120000.0, "type": "principal"}])],
    }))
    store.upsert_nodes("Mention", pa.table({
        "id": [f"X:{f.document}#1"], "name": [MENTION_NAME], "kind": ["person"],
        "role": ["申请执行人"], "document_id": [f.document], "resolved": [False]}))
    circle = Circle(
        id=f.circle, members=list(f.circle_members), size=3, contraction="none",
        loans=["L:1", "L:2", "L:3"], total_balance=2530000.0, guaranteed_amount=2600000.0,
        motifs=Motifs(mutual_pairs=0, triangles=1, cycles=1, cycles_by_length={"3": 1},
                      exact_up_to=8),
        cycles=[[a1, CO_A, a2]], top_cycles=[TopCycle(members=[a1, CO_A, a2], amount=2800000.0)],
        break_plan=BreakPlan(guarantees=["L:2"], amount=300000.0, exact=True, lower_bound=300000.0,
                             method="exact", items=[BreakItem(guarantor=CO_A, borrower=a2,
                                                              loan="L:2", amount=300000.0)],
                             advice="替换祁门红茶有限公司为李四提供的担保即可拆圈"),
        risk_score=0.82, grids=["G:1"], managers=["M:1"],
        explanation="张三丰、李四与祁门红茶有限公司三方互保，李四贷款关注类")
    store.upsert_nodes("Circle", circle_nodes([circle], "2024-06-01T00:00:00Z"))
    community = Community(
        id=f.community, index=0, size=3, persons=2, companies=1, external_accounts=0,
        customers=3, non_customers=0, tiers={"高端": 1}, total_flow=5000.0,
        internal_flow=5000.0, internal_share=1.0, n_transfers_internal=1,
        grids=[("G:1", 3)], managers=[("M:1", 3)],
        key_members=[KeyMember(id=a1, name="张三丰", label="Person", tier="高端",
                               is_customer=True, rank=0.9, weighted_degree=5000.0),
                     KeyMember(id=CO_A, name="祁门红茶有限公司", label="Company",
                               is_customer=True, rank=0.7, weighted_degree=0.0)])
    store.upsert_nodes("Community", pa.table({
        "id": [f.community], "size": pa.array([3], pa.int64()),
        "profile_json": [json.dumps(dump(community), ensure_ascii=False)],
        "computed_at": ["2024-06-01T00:00:00Z"]}))
    chain = SupplyChain(
        id=f.chain, core=CO_A, upstream=[ChainMember(id=CO_B, depth=1)], downstream=[],
        members=[CO_A, CO_B], size=2, core_name="祁门红茶有限公司",
        core_stats=Core(id=CO_A, suppliers=1, buyers=0, counterparties=1, amount=800000.0),
        risk=ChainRisk(concentration=[], payments=0.0, leakage=0.0, leakage_share=0.0,
                       opportunities=[], n_other_bank_accounts=0),
        round_trips=[], cycles=[], risk_score=0.0)
    store.upsert_nodes("SupplyChain", pa.table({
        "id": [f.chain], "core_id": [CO_A], "size": pa.array([2], pa.int64()),
        "profile_json": [json.dumps(dump(chain), ensure_ascii=False)],
        "computed_at": ["2024-06-01T00:00:00Z"]}))

    store.upsert_edges("BORROWED", "Person", "Loan", _e("BORROWED", [(a1, "L:1"), (a2, "L:2"),
                                                                   (a3, "L:4")]))
    store.upsert_edges("BORROWED", "Company", "Loan", _e("BORROWED", [(CO_A, "L:3")]))
    store.upsert_edges("GUARANTEES", "Person", "Loan", _e(
        "GUARANTEES", [(a2, "L:1"), (a1, "L:3")], amount=[500000.0, 2000000.0],
        gtype=["保证", "保证"]))
    store.upsert_edges("GUARANTEES", "Company", "Loan", _e(
        "GUARANTEES", [(CO_A, "L:2")], amount=[300000.0], gtype=["保证"]))
    store.upsert_edges("IN_CIRCLE", "Person", "Circle", _e("IN_CIRCLE", [(a1, f.circle),
                                                                       (a2, f.circle)]))
    store.upsert_edges("IN_CIRCLE", "Company", "Circle", _e("IN_CIRCLE", [(CO_A, f.circle)]))
    store.upsert_edges("MEMBER_OF", "Person", "Household", _e("MEMBER_OF", [(a1, "H:1"),
                                                                          (a4, "H:1")]))
    store.upsert_edges("LEGAL_REP_OF", "Person", "Company", _e("LEGAL_REP_OF", [(a1, CO_A),
                                                                              (a3, CO_B)]))
    store.upsert_edges("SHAREHOLDER_OF", "Person", "Company", _e(
        "SHAREHOLDER_OF", [(a3, CO_B)], share=[0.6]))
    store.upsert_edges("OWNS", "Person", "Account", _e("OWNS", [(a1, "A:1"), (a3, "A:2")]))
    store.upsert_edges("TRANSFER", "Account", "Account", _e(
        "TRANSFER", [("A:1", "A:2")], amount=[5000.0], ts=pa.array([1700000000000], pa.int64())))
    store.upsert_edges("REFERRED", "Person", "Person", _e(
        "REFERRED", [(a1, a5), (a1, a4)], date=["2024-01-02", "2024-02-03"],
        campaign=["春节"] * 2, converted=[True, False]))
    store.upsert_edges("SUBJECT_OF", "Person", "NegativeRecord", _e("SUBJECT_OF",
                                                                    [(a2, f.record)]))
    store.upsert_edges("EVIDENCED_BY", "NegativeRecord", "Document", _e(
        "EVIDENCED_BY", [(f.record, f.document)]))
    store.upsert_edges("PARTY_TO", "Person", "Document", _e("PARTY_TO", [(a2, f.document)],
                                                            role=["被执行人"]))
    store.upsert_edges("PARTY_TO", "Mention", "Document", _e(
        "PARTY_TO", [(f"X:{f.document}#1", f.document)], role=["申请执行人"]))
    store.upsert_edges("IN_COMMUNITY", "Person", "Community", _e(
        "IN_COMMUNITY", [(a1, f.community), (a5, f.community)], rank=[0.9, 0.4]))
    store.upsert_edges("IN_COMMUNITY", "Company", "Community", _e(
        "IN_COMMUNITY", [(CO_A, f.community)], rank=[0.7]))
    store.upsert_edges("IN_CHAIN", "Company", "SupplyChain", _e(
        "IN_CHAIN", [(CO_A, f.chain), (CO_B, f.chain)], side=["core", "upstream"],
        depth=pa.array([0, 1], pa.int64())))
    store.upsert_edges("SUPPLIES", "Company", "Company", _e(
        "SUPPLIES", [(CO_B, CO_A)], score=[0.9], n_transfers=pa.array([12], pa.int64()),
        amount=[800000.0]))
    write_prospects(store, [Prospect(
        prospect=a4, kind="person", name="赵敏", customer=a1, customer_name="张三丰", score=0.7,
        reason="与高端客户张三丰同户，往来频繁")], "2024-06-01T00:00:00Z")
    trees, referrers, campaigns, grids = compute_referrals(export_referrals(store),
                                                           export_parties(store))
    write_referrals(store, trees, referrers, campaigns, grids,
                    computed_at="2024-06-01T00:00:00Z", n_referrals=2)
    return f
