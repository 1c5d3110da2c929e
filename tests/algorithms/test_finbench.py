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
from guanxi.algorithms.finbench_source import StoreSource
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
