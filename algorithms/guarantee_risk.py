"""Scoring inputs and outputs of the guarantee-risk analysis: own default probabilities,
repayment capacity, a circle's risk and its explanation. Pure functions over Arrow tables.

The contagion model (`guanxi.algorithms.contagion`) needs, per party, an own default
probability (`base_probabilities`: from its loans' classification and overdue days and its
negative records) and a repayment capacity that turns a guarantee amount into a loss weight
(`capacity`: registered capital, twice what it borrowed, or a floor). A circle's risk is
the probability that at least one member defaults after contagion (`circle_risk`), and
`explain_circle` says all of it in one Chinese + English paragraph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from guanxi.algorithms import contagion
from guanxi.graph.ids import is_label

__all__ = [
    "COMPANY_CAPACITY_FLOOR",
    "CONTRACTION_CN",
    "LOAN_CAPACITY_FACTOR",
    "PERSON_CAPACITY_FLOOR",
    "base_probabilities",
    "capacity",
    "circle_risk",
    "explain_circle",
]

PERSON_CAPACITY_FLOOR = 300_000.0
"""Capacity (yuan) of a person with no registered capital and small loans."""
COMPANY_CAPACITY_FLOOR = 1_000_000.0
"""Capacity (yuan) of a company with no registered capital and small loans."""
LOAN_CAPACITY_FACTOR = 2.0
"""A party can carry at least this many times what it borrowed."""
CONTRACTION_CN = {"none": "直接", "legal_rep": "法定代表人合并", "shareholder": "控股股东合并",
                  "household": "家庭合并"}
"""How a circle was found, in Chinese (the circle's ``contraction``)."""


def base_probabilities(
    nodes: list[str], loans: pa.Table, records: pa.Table
) -> tuple[npt.NDArray[np.float64], dict[str, dict[str, Any]]]:
    """Return each node's own default probability and what it rests on.

    ``loans``: ``loan``, ``borrower``, ``classification``, ``overdue_days``, ``balance``;
    ``records``: ``subject``, ``record``, ``kind``, ``date``. A party's probability combines
    its worst loan (`contagion.loan_probability`; `contagion.UNKNOWN_PD` without loans) with
    its negative records (`contagion.negative_probability`). The basis maps a party to
    ``{"loans": [{loan, classification, overdue_days, balance, p}], "records": [{record,
    kind, date}]}`` (only parties with loans or records).

    Examples
    --------
    >>> import pyarrow as pa
    >>> loans = pa.table({"loan": ["L1"], "borrower": ["A"], "classification": ["正常"],
    ...                   "overdue_days": [0], "balance": [5.0]})
    >>> recs = pa.table({"subject": ["B"], "record": ["N:1"], "kind": ["被执行人"],
    ...                  "date": ["2025-01-01"]})
    >>> p, basis = base_probabilities(["A", "B"], loans, recs)
    >>> bool(p[1] > p[0]), basis["A"]["loans"][0]["loan"], basis["B"]["records"][0]["kind"]
    (True, 'L1', '被执行人')
    """
    loan_p: dict[str, float] = defaultdict(float)
    detail: dict[str, dict[str, Any]] = defaultdict(lambda: {"loans": [], "records": []})
    for ln, b, c, od, bal in zip(loans["loan"].to_pylist(), loans["borrower"].to_pylist(),
                                 loans["classification"].to_pylist(),
                                 loans["overdue_days"].to_pylist(),
                                 loans["balance"].to_pylist(), strict=True):
        q = contagion.loan_probability(c, od)
        loan_p[b] = max(loan_p[b], q)
        detail[b]["loans"].append({"loan": ln, "classification": c, "overdue_days": od,
                                   "balance": bal, "p": q})
    kinds: dict[str, list[str]] = defaultdict(list)
    for s, r, k, d in zip(records["subject"].to_pylist(), records["record"].to_pylist(),
                          records["kind"].to_pylist(), records["date"].to_pylist(), strict=True):
        kinds[s].append(k)
        detail[s]["records"].append({"record": r, "kind": k, "date": d})
    p = np.empty(len(nodes))
    for i, v in enumerate(nodes):
        pl = loan_p.get(v, contagion.UNKNOWN_PD)
        p[i] = contagion.combine(pl, contagion.negative_probability(kinds.get(v, [])))
    return p, dict(detail)


def capacity(nodes: list[str], parties: pa.Table, loans: pa.Table) -> npt.NDArray[np.float64]:
    """Return each node's repayment capacity (yuan): the largest of its registered capital,
    `LOAN_CAPACITY_FACTOR` × the amount it borrowed, and a floor by kind
    (`COMPANY_CAPACITY_FLOOR` for ``C:`` ids, else `PERSON_CAPACITY_FLOOR`).

    ``parties``: ``id``, ``registered_capital``; ``loans``: ``borrower``, ``amount``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> parties = pa.table({"id": ["P:1", "C:1"], "registered_capital": [None, 5e6]})
    >>> loans = pa.table({"borrower": ["P:1"], "amount": [4e5]})
    >>> capacity(["P:1", "C:1", "P:2"], parties, loans).tolist()
    [800000.0, 5000000.0, 300000.0]
    """
    cap_reg = dict(zip(parties["id"].to_pylist(), parties["registered_capital"].to_pylist(),
                       strict=True))
    borrowed: dict[str, float] = defaultdict(float)
    for b, amt in zip(loans["borrower"].to_pylist(), loans["amount"].to_pylist(), strict=True):
        borrowed[b] += float(amt or 0.0)
    out = np.empty(len(nodes))
    for i, v in enumerate(nodes):
        floor = COMPANY_CAPACITY_FLOOR if is_label(v, "Company") else PERSON_CAPACITY_FLOOR
        out[i] = max(floor, float(cap_reg.get(v) or 0.0), LOAN_CAPACITY_FACTOR * borrowed[v])
    return out


def circle_risk(probabilities: Iterable[float]) -> float:
    """Return a circle's risk: the probability that at least one member defaults, members'
    (propagated) default probabilities taken as independent.

    Examples
    --------
    >>> round(circle_risk([0.5, 0.5]), 2), circle_risk([])
    (0.75, 0.0)
    """
    return float(contagion.combine(*probabilities))


def explain_circle(c: dict[str, Any], names: dict[str, str], p: dict[str, float]) -> str:
    """Return the one-paragraph explanation of a scored circle (Chinese, then English).

    ``c``: the circle as `guarantee.find_circles` returns it plus its ``risk_score``;
    ``names``: party id → name; ``p``: party id → propagated default probability. It names
    how the circle was found, its size, loans, balance, guaranteed amount, motifs, the
    merges it needed, its riskiest member and the break plan's advice.

    Examples
    --------
    >>> c = {"members": ["A", "B"], "size": 2, "contraction": "none", "contracted_via": [],
    ...      "loans": ["L1", "L2"], "total_balance": 2e5, "guaranteed_amount": 2e5,
    ...      "motifs": {"mutual_pairs": 1, "triangles": 0, "cycles": 1}, "risk_score": 0.5}
    >>> explain_circle(c, {"A": "甲"}, {"A": 0.4, "B": 0.1}).split("；")[0]
    '担保圈（直接）：2 个主体相互担保 2 笔贷款，余额 20.0 万元，担保金额 20.0 万元'
    """
    top = max(c["members"], key=lambda m: p.get(m, 0.0))
    mot = c["motifs"]
    kind = CONTRACTION_CN.get(c["contraction"], c["contraction"])
    via = ""
    if c["contracted_via"]:
        via = "；合并：" + "、".join(
            f"{names.get(a, a)}~{names.get(b, b)}({k})" for a, b, k in c["contracted_via"]
        )
    return (
        f"担保圈（{kind}）：{c['size']} 个主体相互担保 {len(c['loans'])} 笔贷款，"
        f"余额 {c['total_balance'] / 1e4:.1f} 万元，担保金额 {c['guaranteed_amount'] / 1e4:.1f} 万元；"
        f"互保 {mot['mutual_pairs']} 对，三角 {mot['triangles']} 个，"
        f"环 {mot['cycles']}{'+' if mot.get('capped') else ''} 个{via}。"
        f"风险最高成员 {names.get(top, top)}"
        f"（传导后违约概率 {p.get(top, 0.0):.0%}），圈风险 {c['risk_score']:.0%}。"
        f"{c['break_plan']['advice'] if c.get('break_plan') else ''}"
        f" / Circle ({c['contraction']}) of {c['size']} parties over {len(c['loans'])} loans, "
        f"balance {c['total_balance']:,.0f} yuan; {mot['mutual_pairs']} mutual pairs, "
        f"{mot['triangles']} triangles, {mot['cycles']} cycles; riskiest member "
        f"{names.get(top, top)} (p={p.get(top, 0.0):.2f}); circle risk {c['risk_score']:.2f}."
    )
