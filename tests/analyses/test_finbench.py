"""TCR1/2/5/8/11 on small hand-made FinBench snapshots, on every backend (embedded, ArcadeDB).

Each graph is written as FinBench CSVs, loaded by `load_finbench`, and queried through the
store's `fb_*` named queries, so loader, queries and traversals are exercised together.
Times are `T(k)` = T0 + k seconds; the window of every case is T(0) < t < T(100).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from guanxi.algorithms.finbench import run_query
from guanxi.analyses.finbench import StoreSource
from guanxi.graph.store import GraphStore
from guanxi.loaders.finbench import load_finbench

T0 = 1_600_000_000_000


def T(k: float) -> int:
    """Return T0 + k seconds in epoch ms."""
    return T0 + int(k * 1000)


HEADERS: dict[str, str] = {
    "Person.csv": "personId|personName|isBlocked|createTime|gender|birthday|country|city",
    "Company.csv": "companyId|companyName|isBlocked|createTime|country|city|business|"
    "description|url",
    "Account.csv": "accountId|createTime|isBlocked|accoutType|nickname|phonenum|email|"
    "freqLoginType|lastLoginTime|accountLevel",
    "Loan.csv": "loanId|loanAmount|balance|createTime|loanUsage|interestRate",
    "Medium.csv": "mediumId|mediumType|isBlocked|createTime|lastLoginTime|riskLevel",
    "PersonOwnAccount.csv": "personId|accountId|createTime",
    "CompanyOwnAccount.csv": "companyId|accountId|createTime",
    "AccountTransferAccount.csv": "fromId|toId|amount|createTime|orderNum|comment|payType|"
    "goodsType",
    "AccountWithdrawAccount.csv": "fromId|toId|amount|createTime",
    "AccountRepayLoan.csv": "accountId|loanId|amount|createTime",
    "LoanDepositAccount.csv": "loanId|accountId|amount|createTime",
    "MediumSignInAccount.csv": "mediumId|accountId|createTime|location",
    "PersonApplyLoan.csv": "personId|loanId|createTime|org",
    "CompanyApplyLoan.csv": "companyId|loanId|createTime|org",
    "PersonGuaranteePerson.csv": "fromId|toId|createTime|relation",
    "CompanyGuaranteeCompany.csv": "fromId|toId|createTime|relation",
    "PersonInvestCompany.csv": "investorId|companyId|ratio|createTime",
    "CompanyInvestCompany.csv": "investorId|companyId|ratio|createTime",
}
DEFAULTS = {
    "isBlocked": "false",
    "personName": "p",
    "companyName": "c",
    "gender": "male",
    "birthday": "1990-01-01 00:00:00",
    "country": "X",
    "city": "Y",
    "business": "b",
    "description": "d",
    "url": "u",
    "accoutType": "debit card",
    "nickname": "n",
    "phonenum": "1",
    "email": "e",
    "freqLoginType": "PC",
    "lastLoginTime": "1600000000000",
    "accountLevel": "Basic level",
    "loanAmount": "100.0",
    "balance": "100.0",
    "loanUsage": "trade",
    "interestRate": "0.05",
    "mediumType": "PHONE",
    "riskLevel": "low",
    "orderNum": "1",
    "comment": "c",
    "payType": "cash",
    "goodsType": "g",
    "amount": "1.0",
    "location": "Z",
    "org": "bank",
    "relation": "friend",
    "ratio": "0.5",
}


def fmt_ts(ms: int) -> str:
    """Return FinBench's text for an instant: trailing zeros of the milliseconds dropped."""
    dt = datetime.fromtimestamp(ms // 1000, UTC)
    frac = f"{ms % 1000:03d}".rstrip("0")
    return dt.strftime("%Y-%m-%d %H:%M:%S") + (f".{frac}" if frac else "")


def write_snapshot(root: Path, **files: list[dict[str, Any]]) -> Path:
    """Write `root/snapshot/<File>.csv` for every file (absent ones empty); return root.

    Keyword names are file stems (`Account`, `AccountTransferAccount`, …); `createTime`
    given as int is formatted like FinBench; missing columns get defaults.
    """
    snap = root / "snapshot"
    snap.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        cols = header.split("|")
        lines = [header]
        for row in files.get(name[:-4], []):
            vals = []
            for c in cols:
                v = row.get(c, DEFAULTS.get(c, fmt_ts(T(1)) if c == "createTime" else None))
                if c == "createTime" and isinstance(v, int):
                    v = fmt_ts(v)
                vals.append(str(v))
            lines.append("|".join(vals))
        (snap / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def xfer(a: int, b: int, k: float, amount: float = 1.0) -> dict[str, Any]:
    return {"fromId": a, "toId": b, "createTime": T(k), "amount": amount}


def graph_a(root: Path) -> Path:
    """Accounts 1–6 with parallel, boundary and out-of-order transfers (TCR1/2/5)."""
    return write_snapshot(
        root,
        Person=[{"personId": 7}, {"personId": 8}],
        Account=[{"accountId": i} for i in range(1, 7)],
        PersonOwnAccount=[{"personId": 7, "accountId": 6}, {"personId": 8, "accountId": 1}],
        AccountTransferAccount=[
            xfer(1, 2, 10),
            xfer(1, 2, 50),  # parallel edge
            xfer(2, 3, 20),
            xfer(3, 4, 15),  # earlier than 1→3? no: later than 5, earlier than 20
            xfer(2, 4, 0),  # exactly at the window start: excluded
            xfer(2, 5, 100),  # exactly at the window end: excluded
            xfer(1, 3, 5),
            xfer(3, 6, 30),
            xfer(6, 1, 40),  # cycle back to 1
        ],
        Medium=[
            {"mediumId": 100, "isBlocked": "true", "mediumType": "PHONE"},
            {"mediumId": 101, "isBlocked": "true"},
            {"mediumId": 102, "isBlocked": "false"},
            {"mediumId": 103, "isBlocked": "true", "mediumType": "POS"},
            {"mediumId": 104, "isBlocked": "true", "mediumType": "NFC"},
        ],
        MediumSignInAccount=[
            {"mediumId": 100, "accountId": 3, "createTime": T(40)},
            {"mediumId": 101, "accountId": 6, "createTime": T(100)},  # at the end: excluded
            {"mediumId": 102, "accountId": 6, "createTime": T(50)},  # not blocked
            {"mediumId": 103, "accountId": 6, "createTime": T(60)},
            {"mediumId": 103, "accountId": 6, "createTime": T(61)},  # parallel sign-in
            {"mediumId": 104, "accountId": 4, "createTime": T(50)},
        ],
        Loan=[
            {"loanId": 900, "loanAmount": "1000.0005", "balance": "200.25"},
            {"loanId": 901, "loanAmount": "10.0", "balance": "1.0"},
            {"loanId": 902, "loanAmount": "5000.0", "balance": "5000.0"},
            {"loanId": 903, "loanAmount": "7.0", "balance": "7.0"},
        ],
        LoanDepositAccount=[
            {"loanId": 900, "accountId": 3, "createTime": T(1)},
            {"loanId": 900, "accountId": 3, "createTime": T(2)},  # same loan twice
            {"loanId": 901, "accountId": 3, "createTime": T(100)},  # at the end: excluded
            {"loanId": 902, "accountId": 1, "createTime": T(50)},  # after the transfers: ok
            {"loanId": 903, "accountId": 5, "createTime": T(50)},  # 5 is not upstream
        ],
    )


def graph_b(root: Path) -> Path:
    """Loan 910 → account 20 and a small transfer/withdraw web (TCR8)."""
    return write_snapshot(
        root,
        Account=[{"accountId": i} for i in range(20, 26)],
        Loan=[{"loanId": 910, "loanAmount": "200.0"}, {"loanId": 911}],
        LoanDepositAccount=[
            {"loanId": 910, "accountId": 20, "createTime": T(1)},
            {"loanId": 910, "accountId": 25, "createTime": T(0)},  # at the start: excluded
        ],
        AccountTransferAccount=[
            xfer(20, 21, 10, 50.0),
            xfer(21, 20, 5, 30.0),  # earlier than 20→21: no time ordering in TCR8
            xfer(21, 22, 8, 25.0),
            xfer(22, 23, 100, 999.0),  # at the end: excluded
        ],
        AccountWithdrawAccount=[xfer(20, 22, 7, 20.0)],
    )


def graph_c(root: Path) -> Path:
    """Persons 30–35 with a guarantee cycle 30→31→32→30 (TCR11)."""
    g = [(30, 31, 10), (31, 32, 20), (32, 30, 30), (32, 33, 100), (31, 34, 0), (33, 35, 5)]
    return write_snapshot(
        root,
        Person=[{"personId": i} for i in range(30, 36)],
        PersonGuaranteePerson=[{"fromId": a, "toId": b, "createTime": T(k)} for a, b, k in g],
        Loan=[
            {"loanId": 920, "loanAmount": "1.5"},
            {"loanId": 921, "loanAmount": "2.25"},
            {"loanId": 922, "loanAmount": "0.0005"},
            {"loanId": 923, "loanAmount": "100.0"},
        ],
        PersonApplyLoan=[
            {"personId": 30, "loanId": 920},
            {"personId": 31, "loanId": 921},
            {"personId": 32, "loanId": 921},  # shared loan: counted once
            {"personId": 32, "loanId": 922},
            {"personId": 33, "loanId": 923},  # 33 is only reached through an excluded edge
        ],
    )


def P(id: int, **kw: Any) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": id,
        "startTime": T(0),
        "endTime": T(100),
        "truncationLimit": 500,
        "truncationOrder": "TIMESTAMP_DESCENDING",
    }
    p.update(kw)
    return p


def answer(store: GraphStore, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return run_query(StoreSource(store), query, params)


@pytest.fixture
def loaded(store: GraphStore, tmp_path: Path, request: pytest.FixtureRequest) -> GraphStore:
    builder = request.param
    rep = load_finbench(store, builder(tmp_path / "data"))
    assert rep.rejected == 0
    return store


@pytest.mark.parametrize("loaded", [graph_a], indirect=True)
def test_tcr1_time_order_window_parallel_and_distances(loaded: GraphStore) -> None:
    assert answer(loaded, "tcr1", P(1)) == [
        {"other_id": 3, "account_distance": 1, "medium_id": 100, "medium_type": "PHONE"},
        {"other_id": 3, "account_distance": 2, "medium_id": 100, "medium_type": "PHONE"},
        {"other_id": 4, "account_distance": 2, "medium_id": 104, "medium_type": "NFC"},
        {"other_id": 6, "account_distance": 2, "medium_id": 103, "medium_type": "POS"},
        {"other_id": 6, "account_distance": 3, "medium_id": 103, "medium_type": "POS"},
    ]
    # the window is open: a sign-in at T(40) is outside (T(40), T(100))
    assert answer(loaded, "tcr1", P(1, startTime=T(40))) == []
    assert answer(loaded, "tcr1", P(4)) == []  # no transfers out of 4


@pytest.mark.parametrize("loaded", [graph_a], indirect=True)
def test_tcr1_truncation_before_the_time_filter(loaded: GraphStore) -> None:
    # DESC, 1 edge per vertex: 1 keeps 1→2@50; 2 keeps 2→5@100 (outside): nothing
    assert answer(loaded, "tcr1", P(1, truncationLimit=1)) == []
    # ASC, 1 edge per vertex: 1→3@5 (3 has blocked 100), then 3→4@15 (4 has blocked 104)
    asc = P(1, truncationLimit=1, truncationOrder="TIMESTAMP_ASCENDING")
    assert answer(loaded, "tcr1", asc) == [
        {"other_id": 3, "account_distance": 1, "medium_id": 100, "medium_type": "PHONE"},
        {"other_id": 4, "account_distance": 2, "medium_id": 104, "medium_type": "NFC"}
    ]


@pytest.mark.parametrize("loaded", [graph_a], indirect=True)
def test_tcr2_upstream_distinct_loans_and_half_up_rounding(loaded: GraphStore) -> None:
    assert answer(loaded, "tcr2", P(7)) == [
        {"other_id": 1, "sum_loan_amount": 5000.0, "sum_loan_balance": 5000.0},
        {"other_id": 3, "sum_loan_amount": 1000.001, "sum_loan_balance": 200.25},
    ]
    # upstream of 1: 6→1@40 ← 3→6@30 ← {2→3@20, 1→3@5}: 1 is its own upstream (a cycle)
    assert answer(loaded, "tcr2", P(8)) == answer(loaded, "tcr2", P(7))
    # window closing at T(30): 3→6@30 is outside, nothing reaches 6
    assert answer(loaded, "tcr2", P(7, endTime=T(30))) == []


@pytest.mark.parametrize("loaded", [graph_a], indirect=True)
def test_tcr5_simple_paths_parallel_edges_once(loaded: GraphStore) -> None:
    paths = [r["path"] for r in answer(loaded, "tcr5", P(8))]
    assert paths == [[1, 2, 3, 6], [1, 2, 3], [1, 3, 4], [1, 3, 6], [1, 2], [1, 3]]
    # from 6: 6→1@40 then 1→2@50 (later): [6, 1, 2]; never back to 6
    assert [r["path"] for r in answer(loaded, "tcr5", P(7))] == [[6, 1, 2], [6, 1]]


@pytest.mark.parametrize("loaded", [graph_b], indirect=True)
def test_tcr8_ratio_distance_and_threshold(loaded: GraphStore) -> None:
    assert answer(loaded, "tcr8", P(910, threshold=0.0)) == [
        {"dst_id": 20, "ratio": 0.15, "min_distance_from_loan": 3},
        {"dst_id": 21, "ratio": 0.25, "min_distance_from_loan": 2},
        {"dst_id": 22, "ratio": 0.225, "min_distance_from_loan": 2},
    ]
    # amount > 0.5 × transfer-in total of the source: 21→22 (25 vs 0.5 × 50) drops out
    assert answer(loaded, "tcr8", P(910, threshold=0.5)) == [
        {"dst_id": 20, "ratio": 0.15, "min_distance_from_loan": 3},
        {"dst_id": 21, "ratio": 0.25, "min_distance_from_loan": 2},
        {"dst_id": 22, "ratio": 0.1, "min_distance_from_loan": 2},
    ]
    assert answer(loaded, "tcr8", P(911, threshold=0.0)) == []  # no deposits
    assert answer(loaded, "tcr8", P(12345, threshold=0.0)) == []  # no such loan


@pytest.mark.parametrize("loaded", [graph_c], indirect=True)
def test_tcr11_cycle_window_and_empty(loaded: GraphStore) -> None:
    # 30→31→32→30 (cycle brings 30 itself in); 32→33@100 and 31→34@0 are outside
    assert answer(loaded, "tcr11", P(30)) == [{"sum_loan_amount": 3.751, "num_loans": 3}]
    assert answer(loaded, "tcr11", P(31)) == [{"sum_loan_amount": 3.751, "num_loans": 3}]
    assert answer(loaded, "tcr11", P(34)) == [{"sum_loan_amount": 0.0, "num_loans": 0}]
    assert answer(loaded, "tcr11", P(33)) == [{"sum_loan_amount": 0.0, "num_loans": 0}]
    # without the cycle edge (window ends before T(30)) 30 only reaches 31, 32
    assert answer(loaded, "tcr11", P(30, endTime=T(30))) == [
        {"sum_loan_amount": 2.251, "num_loans": 2}
    ]


# -- TCR3, 4, 6, 7, 9, 10, 12 -----------------------------------------------------------------


def graph_d(root: Path) -> Path:
    """Accounts 1–9: a 4-hop and a 5-hop route 1 ⇝ 5, window-end shortcuts 1→4 (TCR3)."""
    edges = [
        (1, 2, 10), (2, 3, 5), (2, 3, 6),  # 2→3 earlier than 1→2 (no time order); parallel
        (3, 4, 20), (1, 4, 0), (1, 4, 100),  # shortcut only at the window's ends
        (4, 5, 30),
        (1, 6, 10), (6, 7, 10), (7, 8, 10), (8, 9, 10), (9, 5, 10),
    ]
    return write_snapshot(
        root,
        Account=[{"accountId": i} for i in range(1, 10)],
        AccountTransferAccount=[xfer(a, b, k) for a, b, k in edges],
    )


def TP(id1: int, id2: int, **kw: Any) -> dict[str, Any]:
    p: dict[str, Any] = {"id1": id1, "id2": id2, "startTime": T(0), "endTime": T(100)}
    p.update(kw)
    return p


@pytest.mark.parametrize("loaded", [graph_d], indirect=True)
def test_tcr3_shortest_route_window_ends_direction_and_no_path(loaded: GraphStore) -> None:
    def length(id1: int, id2: int, **kw: Any) -> int:
        rows = answer(loaded, "tcr3", TP(id1, id2, **kw))
        assert len(rows) == 1
        return int(rows[0]["shortest_path_length"])

    assert length(1, 5) == 4  # 1→2→3→4→5 beats 1→6→7→8→9→5
    assert length(1, 3) == 2  # times may decrease along the route
    assert length(1, 4) == 3  # 1→4 at T(0) and T(100) are outside the open window
    assert length(1, 4, startTime=T(-1), endTime=T(101)) == 1
    assert length(1, 5, endTime=T(30)) == 5  # 4→5 at T(30) drops out: the long route
    assert length(5, 1) == -1  # transfers are followed in the direction money moves
    assert length(1, 1) == 0
    assert length(1, 12345) == -1  # no such account
    assert length(2, 6) == -1


def graph_f(root: Path) -> Path:
    """Accounts 10–16, loans 900/901, persons 50–52, companies 60/61 (TCR4, 7, 9, 12)."""
    return write_snapshot(
        root,
        Person=[{"personId": i} for i in (50, 51, 52)],
        Company=[{"companyId": 60}, {"companyId": 61}],
        Account=[{"accountId": i} for i in range(10, 17)],
        PersonOwnAccount=[
            {"personId": 50, "accountId": 10},
            {"personId": 50, "accountId": 11},
            {"personId": 51, "accountId": 12},
        ],
        CompanyOwnAccount=[
            {"companyId": 60, "accountId": 12},  # co-owned by person 51 and company 60
            {"companyId": 60, "accountId": 13},
            {"companyId": 61, "accountId": 16},
        ],
        AccountTransferAccount=[
            xfer(10, 11, 10, 1.0),
            xfer(12, 10, 20, 5.0),
            xfer(12, 10, 30, 7.0005),  # parallel
            xfer(11, 12, 40, 2.0),
            xfer(13, 10, 20, 12.0005),  # rounds to 12.001, as 5.0 + 7.0005 does
            xfer(11, 13, 40, 3.0),
            xfer(11, 13, 50, 4.0),
            xfer(14, 10, 20, 50.0),
            xfer(11, 14, 100, 9.0),  # at the window end
            xfer(15, 10, 0, 9.0),  # at the window start
            xfer(11, 15, 40, 1.0),
            xfer(11, 16, 40, 2.0),
        ],
        Loan=[{"loanId": 900, "loanAmount": "1000.0"}, {"loanId": 901, "loanAmount": "1000.0"}],
        LoanDepositAccount=[
            {"loanId": 900, "accountId": 10, "createTime": T(20), "amount": "30.0"},
            {"loanId": 901, "accountId": 10, "createTime": T(30), "amount": "10.0"},
            {"loanId": 900, "accountId": 10, "createTime": T(100), "amount": "99.0"},
        ],
        AccountRepayLoan=[
            {"accountId": 10, "loanId": 900, "createTime": T(40), "amount": "8.0"},
            {"accountId": 10, "loanId": 901, "createTime": T(50), "amount": "12.0"},
        ],
    )


@pytest.mark.parametrize("loaded", [graph_f], indirect=True)
def test_tcr4_parallel_edges_ties_and_the_src_dst_transfer(loaded: GraphStore) -> None:
    assert answer(loaded, "tcr4", TP(10, 11)) == [
        # both sum_edge2 round to 12.001: the tie goes to the larger sum_edge3
        {"other_id": 13, "num_edge2": 1, "sum_edge2_amount": 12.001, "max_edge2_amount": 12.001,
         "num_edge3": 2, "sum_edge3_amount": 7.0, "max_edge3_amount": 4.0},
        {"other_id": 12, "num_edge2": 2, "sum_edge2_amount": 12.001, "max_edge2_amount": 7.001,
         "num_edge3": 1, "sum_edge3_amount": 2.0, "max_edge3_amount": 2.0},
    ]
    assert answer(loaded, "tcr4", TP(11, 10)) == []  # no transfer 11 → 10
    assert answer(loaded, "tcr4", TP(10, 11, endTime=T(10))) == []  # 10→11 at the window end
    # window T(0)..T(40): 11→12 and 11→13 at T(40) are outside, so no `other` is left
    assert answer(loaded, "tcr4", TP(10, 11, endTime=T(40))) == []


def one(loaded: GraphStore, query: str, params: dict[str, Any]) -> dict[str, Any]:
    rows = answer(loaded, query, params)
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("loaded", [graph_f], indirect=True)
def test_tcr7_in_out_ratio_threshold_and_empty_sides(loaded: GraphStore) -> None:
    assert one(loaded, "tcr7", P(10, threshold=0.0)) == {
        "num_src": 3, "num_dst": 1, "in_out_ratio": 74.001}
    # strict threshold: 5.0 and the 1.0 out are not > 5.0; no edge2 → -1.0
    assert one(loaded, "tcr7", P(10, threshold=5.0)) == {
        "num_src": 3, "num_dst": 0, "in_out_ratio": -1.0}
    # 1.0 in, 2 + 3 + 4 + 1 + 2 out (11→14 at the window end is not)
    assert one(loaded, "tcr7", P(11, threshold=0.0)) == {
        "num_src": 1, "num_dst": 4, "in_out_ratio": 0.083}
    # out (14→10) but nothing in: 0.0
    assert one(loaded, "tcr7", P(14, threshold=0.0)) == {
        "num_src": 0, "num_dst": 1, "in_out_ratio": 0.0}
    assert one(loaded, "tcr7", P(12345, threshold=0.0)) == {
        "num_src": 0, "num_dst": 0, "in_out_ratio": -1.0}


@pytest.mark.parametrize("loaded", [graph_f], indirect=True)
def test_tcr9_ratios_edge_amounts_threshold_and_truncation(loaded: GraphStore) -> None:
    # deposits 30 + 10 (not the loans' 1000; the one at T(100) is outside), repays 8 + 12
    assert one(loaded, "tcr9", P(10, threshold=0.0)) == {
        "ratio_repay": 2.0, "ratio_deposit": 40.0, "ratio_transfer": 74.001}
    # > 10.0: deposit 30, repay 12, no transfer out → -1.0 for both ratios over transfers out
    assert one(loaded, "tcr9", P(10, threshold=10.0)) == {
        "ratio_repay": 2.5, "ratio_deposit": -1.0, "ratio_transfer": -1.0}
    # no deposits or repays: ratio_repay -1.0 (no denominator), ratio_deposit 0.0 (empty numerator)
    assert one(loaded, "tcr9", P(11, threshold=0.0)) == {
        "ratio_repay": -1.0, "ratio_deposit": 0.0, "ratio_transfer": 0.083}
    # newest edge of each list only: the deposit at T(100) (outside), the repay of 12, the
    # transfer in 12→10 at T(30) (7.0005), the transfer out 10→11 (1.0)
    assert one(loaded, "tcr9", P(10, threshold=0.0, truncationLimit=1)) == {
        "ratio_repay": 0.0, "ratio_deposit": 0.0, "ratio_transfer": 7.001}


@pytest.mark.parametrize("loaded", [graph_f], indirect=True)
def test_tcr12_company_accounts_ties_and_empty(loaded: GraphStore) -> None:
    assert answer(loaded, "tcr12", P(50)) == [
        {"comp_account_id": 13, "sum_edge2_amount": 7.0},
        {"comp_account_id": 12, "sum_edge2_amount": 2.0},  # tie with 16: id order
        {"comp_account_id": 16, "sum_edge2_amount": 2.0},
    ]
    # window T(40)..T(100): only 11→13 at T(50) is inside
    assert answer(loaded, "tcr12", P(50, startTime=T(40))) == [
        {"comp_account_id": 13, "sum_edge2_amount": 4.0}]
    assert answer(loaded, "tcr12", P(51)) == []  # 12 sends only to 10 (no company owns it)
    assert answer(loaded, "tcr12", P(52)) == []  # owns no account


def graph_g(root: Path) -> Path:
    """Card 70, non-card 71, withdrawing accounts 72–74 and 78 (TCR6)."""
    withdraws = [(72, 70, 10, 5.0), (72, 70, 20, 6.0), (73, 70, 10, 3.0), (74, 70, 100, 9.0),
                 (72, 71, 10, 1.0), (78, 70, 10, 11.0)]
    transfers = [
        (75, 72, 10, 1.0), (75, 72, 11, 2.0), (76, 72, 12, 3.0), (70, 72, 13, 4.0),  # 4 in
        (76, 72, 0, 50.0),  # at the window start
        (75, 73, 10, 1.0), (76, 73, 10, 1.0), (77, 73, 10, 1.0), (77, 73, 100, 1.0),  # 3 in
        *[(75, 74, 10 + i, 1.0) for i in range(5)],
        *[(77, 78, 10 + i, 1.0) for i in range(4)],
    ]
    return write_snapshot(
        root,
        Account=[{"accountId": 70, "accoutType": "debit card"},
                 {"accountId": 71, "accoutType": "brokerage account"},
                 *[{"accountId": i, "accoutType": "trust account"} for i in range(72, 79)]],
        AccountWithdrawAccount=[xfer(a, b, k, m) for a, b, k, m in withdraws],
        AccountTransferAccount=[xfer(a, b, k, m) for a, b, k, m in transfers],
    )


@pytest.mark.parametrize("loaded", [graph_g], indirect=True)
def test_tcr6_card_more_than_three_transfers_thresholds_and_ties(loaded: GraphStore) -> None:
    def q(id: int, t1: float = 0.0, t2: float = 0.0, **kw: Any) -> list[dict[str, Any]]:
        return answer(loaded, "tcr6", P(id, threshold1=t1, threshold2=t2, **kw))

    assert q(70) == [
        {"mid_id": 72, "sum_edge1_amount": 10.0, "sum_edge2_amount": 11.0},
        {"mid_id": 78, "sum_edge1_amount": 4.0, "sum_edge2_amount": 11.0},  # tie: id order
    ]
    assert q(70, t2=5.0) == [  # the withdrawal of exactly 5.0 is not > 5.0
        {"mid_id": 78, "sum_edge1_amount": 4.0, "sum_edge2_amount": 11.0},
        {"mid_id": 72, "sum_edge1_amount": 10.0, "sum_edge2_amount": 6.0},
    ]
    assert q(70, t1=1.0) == []  # 72 keeps 3 transfers > 1.0, 78 none: not more than 3
    assert q(71) == []  # not a card (72 withdraws to it and has 4 transfers in)
    assert q(12345) == []
    # newest 3 transfers into each account only: nobody has more than 3
    assert q(70, truncationLimit=3) == []


def graph_h(root: Path) -> Path:
    """Persons 80–83 and companies 80, 81, 90–92 (ids shared by a person and a company)."""
    inv = [(80, 90, 10), (80, 91, 20), (80, 90, 30), (80, 92, 100),
           (81, 91, 10), (81, 92, 20), (83, 90, 10), (83, 91, 10), (83, 92, 10)]
    return write_snapshot(
        root,
        Person=[{"personId": i} for i in (80, 81, 82, 83)],
        Company=[{"companyId": i} for i in (80, 81, 90, 91, 92)],
        PersonInvestCompany=[{"investorId": a, "companyId": b, "createTime": T(k)}
                             for a, b, k in inv],
        # company 81 (same id as person 81) invests in 90: never counted for person 81
        CompanyInvestCompany=[{"investorId": 81, "companyId": 90, "createTime": T(10)}],
    )


@pytest.mark.parametrize("loaded", [graph_h], indirect=True)
def test_tcr10_jaccard_window_persons_only(loaded: GraphStore) -> None:
    def jac(p1: int, p2: int, **kw: Any) -> float:
        row = one(loaded, "tcr10", {"pid1": p1, "pid2": p2, "startTime": T(0),
                                    "endTime": T(100), **kw})
        return float(row["jaccard_similarity"])

    assert jac(80, 81) == 0.333  # {90, 91} vs {91, 92}; 80→92 at T(100) is outside
    assert jac(80, 83) == 0.667  # {90, 91} vs {90, 91, 92}: 2/3 rounded half up
    assert jac(80, 80) == 1.0
    assert jac(80, 82) == 0.0
    assert jac(82, 12345) == 0.0  # both empty
    assert jac(80, 81, endTime=T(20)) == 0.0  # {90} vs {91}
