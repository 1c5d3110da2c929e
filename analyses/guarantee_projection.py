"""Store → Arrow projections for risk analytics (guarantees, related parties, ties, records).

Built only from `GraphStore.export_nodes` / `export_edges`, so they run on every backend.
Every function returns plain Arrow tables; the algorithms in `guanxi.algorithms` take them.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from guanxi.graph.store import GraphStore

PARTY_LABELS = ("Person", "Company")


def loan_table(store: GraphStore) -> pa.Table:
    """Return one row per borrowed loan: loan, borrower, amount, balance, start_date,
    classification, overdue_days, maturity_date, status, as_of."""
    loans = store.export_nodes(
        "Loan", ["amount", "balance", "start_date", "classification", "overdue_days",
                 "maturity_date", "status", "as_of"]
    ).rename_columns(["loan", "amount", "balance", "start_date", "classification",
                      "overdue_days", "maturity_date", "status", "as_of"])
    bor = store.export_edges("BORROWED", []).select(["src", "dst"]).rename_columns(
        ["borrower", "loan"]
    )
    return bor.join(loans, "loan", join_type="inner").sort_by("loan")


def guarantee_table(store: GraphStore) -> pa.Table:
    """Return one row per guarantee of a borrowed loan: guarantor, borrower, loan, gtype,
    amount (guaranteed), balance (loan), loan_amount, group_id, start_date, and the loan's
    maturity_date, status, overdue_days, classification and as_of (to tell live loans)."""
    gu = store.export_edges("GUARANTEES", ["gtype", "amount", "group_id"]).select(
        ["src", "dst", "gtype", "amount", "group_id"]
    ).rename_columns(["guarantor", "loan", "gtype", "amount", "group_id"])
    extra = ["maturity_date", "status", "overdue_days", "classification", "as_of"]
    loans = loan_table(store).select(["loan", "borrower", "balance", "amount", "start_date",
                                      *extra])
    loans = loans.rename_columns(["loan", "borrower", "balance", "loan_amount", "start_date",
                                  *extra])
    t = gu.join(loans, "loan", join_type="inner")
    cols = ["guarantor", "borrower", "loan", "gtype", "amount", "balance", "loan_amount",
            "group_id", "start_date", *extra]
    return t.select(cols).sort_by([("loan", "ascending"), ("guarantor", "ascending")])


def related_party_table(store: GraphStore, *, households: bool = True) -> pa.Table:
    """Return related-party ties (a, b, kind, share): legal_rep (person → company),
    shareholder (holder → company, with share), household (member → first member)."""
    a: list[str] = []
    b: list[str] = []
    kind: list[str] = []
    share: list[float | None] = []
    lr = store.export_edges("LEGAL_REP_OF", [])
    a += lr["src"].to_pylist()
    b += lr["dst"].to_pylist()
    kind += ["legal_rep"] * lr.num_rows
    share += [None] * lr.num_rows
    sh = store.export_edges("SHAREHOLDER_OF", ["share"])
    a += sh["src"].to_pylist()
    b += sh["dst"].to_pylist()
    kind += ["shareholder"] * sh.num_rows
    share += sh["share"].to_pylist()
    if households:
        mem = store.export_edges("MEMBER_OF", [])
        by_h: dict[str, list[str]] = defaultdict(list)
        for p, h in zip(mem["src"].to_pylist(), mem["dst"].to_pylist(), strict=True):
            by_h[h].append(p)
        for h in sorted(by_h):
            ps = sorted(by_h[h])
            for p in ps[1:]:
                a.append(p)
                b.append(ps[0])
                kind.append("household")
                share.append(None)
    return pa.table({"a": a, "b": b, "kind": kind,
                     "share": pa.array(share, pa.float64())})


def controlling_shareholder_table(store: GraphStore) -> pa.Table:
    """Return SHAREHOLDER_OF edges as (src, dst, share) for `controlling_shareholders`."""
    return store.export_edges("SHAREHOLDER_OF", ["share"]).select(["src", "dst", "share"])


_PARTY_SCHEMA = pa.schema(
    [("id", pa.string()), ("label", pa.string()), ("name", pa.string()),
     ("grid_id", pa.string()), ("manager_id", pa.string()), ("is_customer", pa.bool_()),
     ("registered_capital", pa.float64())]
)


def party_table(store: GraphStore) -> pa.Table:
    """Return every Person and Company: id, label, name, grid_id, manager_id, is_customer,
    registered_capital (companies; null for persons)."""
    parts = []
    for label in PARTY_LABELS:
        cols = ["name", "grid_id", "manager_id", "is_customer"]
        if label == "Company":
            cols.append("registered_capital")
        t = store.export_nodes(label, cols)
        if label == "Person":
            t = t.append_column("registered_capital", pa.nulls(t.num_rows, pa.float64()))
        t = t.append_column("label", pa.array([label] * t.num_rows, pa.string()))
        parts.append(t.select(_PARTY_SCHEMA.names).cast(_PARTY_SCHEMA))
    return pa.concat_tables(parts)


def negative_record_table(store: GraphStore) -> pa.Table:
    """Return negative records tied to a party: subject, record, kind, date, amount."""
    subj = store.export_edges("SUBJECT_OF", []).select(["src", "dst"]).rename_columns(
        ["subject", "record"]
    )
    recs = store.export_nodes("NegativeRecord", ["kind", "date", "amount"]).rename_columns(
        ["record", "kind", "date", "amount"]
    )
    return subj.join(recs, "record", join_type="inner").sort_by("record")


TRANSFER_TIE_MIN_COUNT = 3
TRANSFER_TIE_MIN_AMOUNT = 50_000.0


def tie_table(store: GraphStore, *, households: bool = True) -> pa.Table:
    """Return typed party–party ties (a, b, type) for exposure: guarantee, legal_rep,
    shareholder, household and transfer (account transfers aggregated to their owners; a
    pair is a tie when it has ≥ 3 transfers totalling ≥ ¥50,000 in either direction)."""
    a: list[str] = []
    b: list[str] = []
    t: list[str] = []
    g = guarantee_table(store)
    a += g["guarantor"].to_pylist()
    b += g["borrower"].to_pylist()
    t += ["guarantee"] * g.num_rows
    rel = related_party_table(store, households=households)
    a += rel["a"].to_pylist()
    b += rel["b"].to_pylist()
    t += rel["kind"].to_pylist()
    owns = store.export_edges("OWNS", [])
    owns = owns.filter(pc.equal(owns["dst_label"], "Account"))
    owner = dict(zip(owns["dst"].to_pylist(), owns["src"].to_pylist(), strict=True))
    tr = store.export_edges("TRANSFER", ["amount"])
    flows: dict[tuple[str, str], list[float]] = {}
    for x, y, amt in zip(tr["src"].to_pylist(), tr["dst"].to_pylist(),
                         tr["amount"].to_pylist(), strict=True):
        ox, oy = owner.get(x), owner.get(y)
        if ox and oy and ox != oy:
            f = flows.setdefault((min(ox, oy), max(ox, oy)), [0, 0.0])
            f[0] += 1
            f[1] += amt or 0.0
    # only recurring, material flows are ties: a single POS purchase or one red packet would
    # otherwise put most of a county within three hops of every record
    pairs = [k for k, (n, total) in flows.items()
             if n >= TRANSFER_TIE_MIN_COUNT and total >= TRANSFER_TIE_MIN_AMOUNT]
    for x, y in sorted(pairs):
        a.append(x)
        b.append(y)
        t.append("transfer")
    return pa.table({"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string()),
                     "type": pa.array(t, pa.string())})
