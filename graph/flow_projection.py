"""Store → Arrow projections for the marketing analyses (fund flows, referrals, parties).

Two kinds of functions live here:

- `export_*` functions read one store (through `GraphStore.export_nodes/export_edges`, so they
  work on every backend) and return plain Arrow tables;
- `owner_map`, `party_flows` and `firm_of_account` are pure functions that turn those tables
  into the projections the algorithms take (accounts → their owners, transfers aggregated per
  ordered pair of parties).

External accounts without a known owner stand for themselves (their `A:` id) in every
projection, so another bank's customer can be a node of a community and a prospect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph.store import GraphStore

CHINA_OFFSET_MS = 8 * 3600 * 1000

PARTY_COLUMNS = ["name", "tier", "is_customer", "grid_id", "manager_id", "household_id"]


@dataclass
class MarketingProjection:
    """Everything the marketing analyses read from a store, as Arrow tables.

    transfers: src, dst (account ids), amount, ts, memo, channel.
    accounts:  id, owner (party id or null), in_bank, bank_name, merchant (merchant id or null).
    parties:   id, label (Person|Company), name, tier, is_customer, grid_id, manager_id,
               household_id (null for companies).
    grids:     id, name, manager_id.
    merchants: id, name, owner_id, account_id, grid_id.
    """

    transfers: pa.Table
    accounts: pa.Table
    parties: pa.Table
    grids: pa.Table
    merchants: pa.Table


def _col(t: pa.Table, name: str, typ: pa.DataType) -> pa.Array:
    if name in t.column_names:
        return t[name].combine_chunks().cast(typ)
    return pa.nulls(t.num_rows, typ)


def export_transfers(store: GraphStore) -> pa.Table:
    """Return every TRANSFER as a table src, dst, amount, ts, memo, channel (account ids)."""
    t = store.export_edges("TRANSFER", ["amount", "ts", "memo", "channel"])
    return pa.table(
        {
            "src": _col(t, "src", pa.string()),
            "dst": _col(t, "dst", pa.string()),
            "amount": _col(t, "amount", pa.float64()),
            "ts": _col(t, "ts", pa.int64()),
            "memo": _col(t, "memo", pa.string()),
            "channel": _col(t, "channel", pa.string()),
        }
    )


def export_accounts(store: GraphStore) -> pa.Table:
    """Return every Account with its owner (party id or null), in_bank, bank_name, merchant."""
    acc = store.export_nodes("Account", ["in_bank", "bank_name"])
    owns = store.export_edges("OWNS", [])
    owns = owns.filter(pc.equal(owns["dst_label"], "Account"))
    owner_of = dict(zip(owns["dst"].to_pylist(), owns["src"].to_pylist(), strict=True))
    mer = store.export_nodes("Merchant", ["account_id"])
    merchant_of = {
        a: m
        for m, a in zip(mer["id"].to_pylist(), mer["account_id"].to_pylist(), strict=True)
        if a
    }
    ids = acc["id"].to_pylist()
    in_bank = [bool(x) if x is not None else True for x in acc["in_bank"].to_pylist()]
    return pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "owner": pa.array([owner_of.get(i) for i in ids], pa.string()),
            "in_bank": pa.array(in_bank, pa.bool_()),
            "bank_name": _col(acc, "bank_name", pa.string()),
            "merchant": pa.array([merchant_of.get(i) for i in ids], pa.string()),
        }
    )


def export_parties(store: GraphStore) -> pa.Table:
    """Return persons and companies: id, label, name, tier, is_customer, grid_id, manager_id,
    household_id."""
    per = store.export_nodes("Person", PARTY_COLUMNS)
    com = store.export_nodes("Company", [c for c in PARTY_COLUMNS if c != "household_id"])
    parts = []
    for label, t in (("Person", per), ("Company", com)):
        parts.append(
            pa.table(
                {
                    "id": _col(t, "id", pa.string()),
                    "label": pa.array([label] * t.num_rows, pa.string()),
                    **{
                        c: _col(t, c, pa.bool_() if c == "is_customer" else pa.string())
                        for c in PARTY_COLUMNS
                    },
                }
            )
        )
    return pa.concat_tables(parts)


def export_grids(store: GraphStore) -> pa.Table:
    """Return every Grid: id, name, manager_id (the 责任田 owner)."""
    g = store.export_nodes("Grid", ["name", "manager_id"])
    return pa.table(
        {
            "id": _col(g, "id", pa.string()),
            "name": _col(g, "name", pa.string()),
            "manager_id": _col(g, "manager_id", pa.string()),
        }
    )


def export_merchants(store: GraphStore) -> pa.Table:
    """Return every Merchant: id, name, owner_id, account_id, grid_id."""
    m = store.export_nodes("Merchant", ["name", "owner_id", "account_id", "grid_id"])
    return pa.table({c: _col(m, c, pa.string()) for c in ["id", "name", "owner_id",
                                                          "account_id", "grid_id"]})


def export_referrals(store: GraphStore) -> pa.Table:
    """Return every REFERRED edge: src (referrer), dst (referee), date, campaign, converted."""
    r = store.export_edges("REFERRED", ["date", "campaign", "converted"])
    return pa.table(
        {
            "src": _col(r, "src", pa.string()),
            "dst": _col(r, "dst", pa.string()),
            "date": _col(r, "date", pa.string()),
            "campaign": _col(r, "campaign", pa.string()),
            "converted": _col(r, "converted", pa.bool_()),
        }
    )


def export_projection(store: GraphStore) -> MarketingProjection:
    """Return the MarketingProjection of `store` (one pass over the tables it needs)."""
    return MarketingProjection(
        transfers=export_transfers(store),
        accounts=export_accounts(store),
        parties=export_parties(store),
        grids=export_grids(store),
        merchants=export_merchants(store),
    )


def export_loan_tracing(store: GraphStore) -> dict[str, pa.Table]:
    """Return the tables loan-proceeds tracing needs.

    Keys: deposits (src loan, dst account, amount, ts), borrowed (src party, dst loan),
    legal_rep / shareholder / executive (src person|company, dst company),
    members (src person, dst household), loans (id, amount, product, start_date).
    """
    out = {
        "deposits": store.export_edges("DEPOSIT", ["amount", "ts"]),
        "borrowed": store.export_edges("BORROWED", []),
        "legal_rep": store.export_edges("LEGAL_REP_OF", []),
        "shareholder": store.export_edges("SHAREHOLDER_OF", ["share"]),
        "executive": store.export_edges("EXECUTIVE_OF", []),
        "members": store.export_edges("MEMBER_OF", []),
        "loans": store.export_nodes("Loan", ["amount", "product", "start_date"]),
    }
    return out


# -- pure projections ------------------------------------------------------------------------


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
