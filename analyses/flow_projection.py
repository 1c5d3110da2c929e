"""Store → Arrow projections for the marketing analyses (fund flows, referrals, parties).

The `export_*` functions read one store (through `GraphStore.export_nodes/export_edges`, so
they work on every backend) and return plain Arrow tables. The pure functions that turn those
tables into what the algorithms take (`owner_map`, `party_flows`, `firm_of_account`,
`month_index`) live in `guanxi.algorithms.flows` and are re-exported here.

External accounts without a known owner stand for themselves (their `A:` id) in every
projection, so another bank's customer can be a node of a community and a prospect.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from guanxi.algorithms.flows import (
    CHINA_OFFSET_MS,
    firm_of_account,
    month_index,
    owner_map,
    party_flows,
)
from guanxi.graph.store import GraphStore

__all__ = [
    "CHINA_OFFSET_MS",
    "MarketingProjection",
    "export_accounts",
    "export_grids",
    "export_loan_tracing",
    "export_merchants",
    "export_parties",
    "export_projection",
    "export_referrals",
    "export_transfers",
    "firm_of_account",
    "month_index",
    "owner_map",
    "party_flows",
]

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
