"""Pure projections of fund flows: accounts → the node they stand for, transfers aggregated
per ordered pair of owners, calendar months in China time.

External accounts without a known owner stand for themselves (their `A:` id), so another
bank's customer can be a node of a community and a prospect.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["CHINA_OFFSET_MS", "firm_of_account", "month_index", "owner_map", "party_flows"]

CHINA_OFFSET_MS = 8 * 3600 * 1000
"""China Standard Time (UTC+8) in milliseconds: months and days are counted in local time."""


def owner_map(accounts: pa.Table, households: dict[str, str] | None = None) -> dict[str, str]:
    """Return account id → node it stands for: its owner, or itself when the owner is unknown.

    With `households` (person id → household id), persons are replaced by their household
    (`H:` id), merging a family into one node.

    Examples
    --------
    >>> t = pa.table({"id": ["A:1", "A:2"], "owner": ["P:a", None]})
    >>> owner_map(t)
    {'A:1': 'P:a', 'A:2': 'A:2'}
    """
    out: dict[str, str] = {}
    for a, o in zip(accounts["id"].to_pylist(), accounts["owner"].to_pylist(), strict=True):
        node = o or a
        if households is not None and node in households:
            node = households[node]
        out[a] = node
    return out


def month_index(ts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Return year*12 + month-1 (China time) of epoch-ms instants, as an int64 numpy array."""
    t = pc.cast(pc.add(ts, CHINA_OFFSET_MS), pa.timestamp("ms"))
    return np.asarray(pc.add(pc.multiply(pc.year(t), 12), pc.subtract(pc.month(t), 1)),
                      dtype=np.int64)


def party_flows(transfers: pa.Table, owners: dict[str, str], *, drop_self: bool = True) -> pa.Table:
    """Return transfers aggregated per ordered pair of owner nodes.

    Columns: src, dst (owner ids), n (transfers), amount (sum, yuan), first_ts, last_ts,
    months (distinct calendar months with a transfer). Transfers whose account is not in
    `owners` map to the account itself; transfers between a node's own accounts are dropped.

    Examples
    --------
    >>> tr = pa.table({"src": ["A:1", "A:1"], "dst": ["A:2", "A:2"], "amount": [5.0, 7.0],
    ...                "ts": [0, 3_000_000_000]})
    >>> party_flows(tr, {"A:1": "P:a"}).to_pylist()[0]["amount"]
    12.0
    """
    src = [owners.get(a, a) for a in transfers["src"].to_pylist()]
    dst = [owners.get(a, a) for a in transfers["dst"].to_pylist()]
    t = pa.table(
        {
            "src": pa.array(src, pa.string()),
            "dst": pa.array(dst, pa.string()),
            "amount": transfers["amount"].combine_chunks().cast(pa.float64()).fill_null(0.0),
            "ts": transfers["ts"].combine_chunks().cast(pa.int64()),
            "month": pa.array(month_index(transfers["ts"].combine_chunks().fill_null(0))),
        }
    )
    if drop_self:
        t = t.filter(pc.not_equal(t["src"], t["dst"]))
    g = t.group_by(["src", "dst"]).aggregate(
        [
            ("amount", "count"),
            ("amount", "sum"),
            ("ts", "min"),
            ("ts", "max"),
            ("month", "count_distinct"),
        ]
    )
    return pa.table(
        {
            "src": g["src"],
            "dst": g["dst"],
            "n": g["amount_count"].cast(pa.int64()),
            "amount": g["amount_sum"],
            "first_ts": g["ts_min"],
            "last_ts": g["ts_max"],
            "months": g["month_count_distinct"].cast(pa.int64()),
        }
    ).sort_by([("src", "ascending"), ("dst", "ascending")])


def firm_of_account(accounts: pa.Table, parties: pa.Table) -> dict[str, str]:
    """Return account id → firm (merchant id for a merchant's account, else owning company).

    Accounts of persons and unknown owners are left out: supply chains link firms only.
    """
    companies = set(parties.filter(pc.equal(parties["label"], "Company"))["id"].to_pylist())
    out: dict[str, str] = {}
    for a, o, m in zip(
        accounts["id"].to_pylist(),
        accounts["owner"].to_pylist(),
        accounts["merchant"].to_pylist(),
        strict=True,
    ):
        if m:
            out[a] = m
        elif o in companies:
            out[a] = o
    return out
