"""A small hand-built bank with planted marketing answers, as model tables (pure data: the
algorithm tests read it; its projection, store loading and the generated county are in
`tests/analyses/mkt_fixtures.py`).

Planted: three fund-flow communities (12 persons each, one 高端 customer each), an external
account that pays community 0's 高端 customer every month (a prospect), a referral tree,
a 1+N supply chain (core C:CORE, suppliers C:S1..S4, buyers C:B1..C:B3, an other-bank
supplier account), a loan whose proceeds return to the borrower's legal rep through an
unrelated company (round trip), and a three-party cycle of funds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from guanxi.graph.ids import edge_key

DAY = 86_400_000
T0 = 1_767_225_600_000  # 2026-01-01 UTC


@dataclass
class Planted:
    """Node/edge tables of the fixture plus its planted answers."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, list[dict[str, Any]]]] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)
    prospect: str = "A:EXTP"
    tree_root: str = "P:g0_1"
    tree_edges: list[list[str]] = field(default_factory=list)
    tree_converted: list[str] = field(default_factory=list)
    core: str = "C:CORE"
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    other_bank: str = "A:EXTS"
    loan: str = "L:1"
    cycle: list[str] = field(default_factory=list)


def build(seed: int = 7) -> Planted:
    """Return the fixture (deterministic for a seed)."""
    rng = random.Random(seed)
    p = Planted()
    persons: list[dict[str, Any]] = []
    accounts: list[dict[str, Any]] = []
    owns: list[tuple[str, str, str]] = []  # (owner label, owner, account)
    transfers: list[dict[str, Any]] = []

    def acct(owner: str | None, aid: str, in_bank: bool = True, bank: str | None = None) -> str:
        accounts.append({"id": aid, "in_bank": in_bank, "bank_name": bank})
        if owner:
            owns.append(("Person" if owner.startswith("P:") else "Company", owner, aid))
        return aid

    def tr(s: str, d: str, amount: float, ts: int, memo: str | None = None) -> None:
        transfers.append({"src": s, "dst": d, "amount": amount, "ts": ts, "memo": memo,
                          "key": edge_key("TRANSFER", len(transfers))})

    grids = [{"id": f"G:{g}", "name": f"村{g}", "manager_id": f"M:{g}"} for g in range(3)]
    managers = [{"id": f"M:{g}", "name": f"经理{g}"} for g in range(3)]
    for g in range(3):
        members = []
        for i in range(12):
            pid = f"P:g{g}_{i}"
            persons.append({
                "id": pid, "name": f"人{g}_{i}", "tier": "高端" if i == 0 else "基础",
                "is_customer": i < 8, "grid_id": f"G:{g}", "manager_id": f"M:{g}",
                "household_id": f"H:{g}_{i // 3}",
            })
            acct(pid, f"A:p{g}_{i}")
            members.append(pid)
        for _ in range(60):
            a, b = rng.sample(range(12), 2)
            tr(f"A:p{g}_{a}", f"A:p{g}_{b}", rng.uniform(500, 5000), T0 + rng.randrange(300) * DAY)
        p.communities.append(members)
    for _ in range(4):  # weak ties between communities
        g1, g2 = rng.sample(range(3), 2)
        tr(f"A:p{g1}_{rng.randrange(12)}", f"A:p{g2}_{rng.randrange(12)}", 300.0,
           T0 + rng.randrange(300) * DAY)
    # prospect: another bank's customer paying community 0's 高端 customer monthly
    acct(None, p.prospect, in_bank=False, bank="某国有银行")
    for m in range(6):
        tr(p.prospect, "A:p0_0", 20_000.0, T0 + (m * 30 + 3) * DAY, "租金")
    p.communities[0] = [*p.communities[0], p.prospect]

    # referral tree rooted at P:g0_1
    ref_rows = []
    for s, d, conv in [("P:g0_1", "P:g0_2", True), ("P:g0_1", "P:g0_3", True),
                       ("P:g0_1", "P:g0_9", False), ("P:g0_2", "P:g0_4", True),
                       ("P:g0_2", "P:g0_10", False), ("P:g0_4", "P:g0_5", True)]:
        ref_rows.append({"src": s, "dst": d, "date": "2026-03-01", "campaign": "春季MGM",
                         "converted": conv, "key": edge_key("REFERRED", s, d)})
        p.tree_edges.append([s, d])
        if conv:
            p.tree_converted.append(d)
    p.tree_edges.sort()
    p.tree_converted.sort()
    # a second, separate tree
    ref_rows.append({"src": "P:g1_1", "dst": "P:g1_2", "date": "2026-04-01",
                     "campaign": "秋季MGM", "converted": True,
                     "key": edge_key("REFERRED", "P:g1_1", "P:g1_2")})

    # supply chain
    companies = [{"id": "C:CORE", "name": "核心机械厂", "tier": "核心", "is_customer": True,
                  "grid_id": "G:1", "manager_id": "M:1"}]
    p.upstream = [f"C:S{i}" for i in range(1, 5)]
    p.downstream = [f"C:B{i}" for i in range(1, 4)]
    for c in [*p.upstream, *p.downstream, "C:X"]:
        companies.append({"id": c, "name": f"公司{c[2:]}", "tier": "基础", "is_customer": True,
                          "grid_id": "G:1", "manager_id": "M:1"})
    for c in [x["id"] for x in companies]:
        acct(c, f"A:{c[2:]}")
    acct(None, p.other_bank, in_bank=False, bank="某城商行")
    for m in range(8):
        for i, s in enumerate(p.upstream):
            tr("A:CORE", f"A:{s[2:]}", 50_000.0 + 1000 * i, T0 + (m * 30 + 5) * DAY, "货款")
        for b in p.downstream:
            tr(f"A:{b[2:]}", "A:CORE", 80_000.0, T0 + (m * 30 + 10) * DAY, "采购")
        tr("A:CORE", p.other_bank, 30_000.0, T0 + (m * 30 + 6) * DAY, "材料款")
        # S2..S4 also sell to others so only S1 is concentrated on the core
        for s in p.upstream[1:]:
            tr(f"A:p2_{m}", f"A:{s[2:]}", 60_000.0, T0 + (m * 30 + 7) * DAY)
    # loan to C:B1, proceeds back to its legal rep through C:X
    loans = [{"id": p.loan, "amount": 500_000.0, "product": "流动资金贷款",
              "start_date": "2026-06-01"}]
    t_loan = T0 + 151 * DAY
    deposits = [{"src": p.loan, "dst": "A:B1", "amount": 500_000.0, "ts": t_loan,
                 "key": edge_key("DEPOSIT", p.loan)}]
    borrowed = [{"src": "C:B1", "dst": p.loan, "key": edge_key("BORROWED", "C:B1", p.loan)}]
    legal = [{"src": "P:g1_5", "dst": "C:B1", "key": edge_key("LEGAL_REP_OF", "P:g1_5", "C:B1")}]
    tr("A:B1", "A:X", 480_000.0, t_loan + DAY, "货款")
    tr("A:X", "A:p1_4", 470_000.0, t_loan + 3 * DAY)  # P:g1_4 shares a household with P:g1_5
    # a cycle of funds among three community-2 persons
    p.cycle = ["P:g2_9", "P:g2_10", "P:g2_11"]
    for i, (s, d) in enumerate([("A:p2_9", "A:p2_10"), ("A:p2_10", "A:p2_11"),
                                ("A:p2_11", "A:p2_9")]):
        tr(s, d, 300_000.0 - i * 5000, T0 + (200 + i) * DAY)

    households = sorted({x["household_id"] for x in persons})
    p.nodes = {
        "CustomerManager": managers,
        "Grid": grids,
        "Household": [{"id": h} for h in households],
        "Person": persons,
        "Company": companies,
        "Account": accounts,
        "Loan": loans,
    }
    p.edges = [
        ("TRANSFER", "Account", "Account", transfers),
        ("REFERRED", "Person", "Person", ref_rows),
        ("DEPOSIT", "Loan", "Account", deposits),
        ("BORROWED", "Company", "Loan", borrowed),
        ("LEGAL_REP_OF", "Person", "Company", legal),
        ("MEMBER_OF", "Person", "Household",
         [{"src": x["id"], "dst": x["household_id"], "key": edge_key("MEMBER_OF", x["id"])}
          for x in persons]),
    ]
    for lab in ("Person", "Company"):
        p.edges.append(("OWNS", lab, "Account",
                        [{"src": o, "dst": a, "key": edge_key("OWNS", o, a)}
                         for ol, o, a in owns if ol == lab]))
    return p


def edge_rows(p: Planted, rel: str) -> list[dict[str, Any]]:
    """Return the fixture's edge rows of `rel`."""
    return [r for t, _, _, rows in p.edges if t == rel for r in rows]


def owners(p: Planted) -> list[tuple[str, str, str]]:
    """Return the OWNS edges as ('', owner, account) triples."""
    return [("", r["src"], r["dst"]) for r in edge_rows(p, "OWNS")]


def edge_table(p: Planted, rel: str) -> pa.Table:
    """Return the fixture's edges of `rel` as an Arrow table (src, dst and properties)."""
    rows = edge_rows(p, rel)
    return pa.Table.from_pylist(rows)
