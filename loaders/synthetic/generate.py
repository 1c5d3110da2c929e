"""Synthetic county generator: a bank extract (docs/extract-format.md) with planted answers.

`generate_county(out, households, seed, corrupt, as_of)` writes `out/manifest.yaml`, one CSV per
table, `out/documents/*.txt` and `out/truth.json`, and returns the truth dict. The output is a
pure function of the arguments (same bytes for the same arguments).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import yaml

from guanxi.graph.progress import Progress, report
from guanxi.loaders import schema
from guanxi.loaders.synthetic import fraud
from guanxi.loaders.synthetic import names as nm
from guanxi.loaders.synthetic.bank import CHANNELS, MEMOS, Planter, ref
from guanxi.loaders.synthetic.docs import build_records, write_documents
from guanxi.loaders.synthetic.flows import build_loans, build_transfers, mark_quiet
from guanxi.loaders.synthetic.ids import bad_ric, bad_uscc, ric_check_char, uscc_numbers
from guanxi.loaders.synthetic.people import RELATIONS, TIERS, Population, build_population

TABLES: tuple[str, ...] = schema.TABLE_ORDER
"""The extract's tables in load order (declared in `guanxi.loaders.schema`)."""
EXTRA_COLUMNS: dict[str, list[str]] = {"enterprises": ["industry_name"]}
"""Columns the generator writes that the format does not declare (the loader keeps them in
`extra`), so that every county exercises that path."""
COLUMNS: dict[str, list[str]] = {
    t: [c.name for c in schema.SPECS[t].columns] + EXTRA_COLUMNS.get(t, []) for t in TABLES
}
"""Header of each CSV: the declared columns in their declared order, then the extra ones."""
# kinds of bad rows per table: (reason, column it concerns)
CORRUPT_MENU: dict[str, list[tuple[str, str | None]]] = {
    "households": [("malformed_row", None), ("missing_field", "grid_id"),
                   ("unknown_reference", "grid_id"), ("duplicate_key", None)],
    "persons": [("malformed_row", None), ("missing_field", "name"), ("bad_type", "is_customer"),
                ("bad_date", "birth_date"), ("bad_id_checksum", "id_number"), ("duplicate_key", None),
                ("unknown_reference", "household_id")],
    "enterprises": [("malformed_row", None), ("missing_field", "name"),
                    ("bad_uscc_checksum", "uscc"), ("duplicate_key", None)],
    "merchants": [("malformed_row", None), ("missing_field", "name"), ("unknown_reference", "owner_id")],
    "accounts": [("malformed_row", None), ("missing_field", "owner_type"), ("bad_type", "in_bank"),
                 ("bad_date", "opened_on"), ("duplicate_key", None), ("unknown_reference", "owner_id")],
    "loans": [("malformed_row", None), ("missing_field", "amount"), ("bad_amount", "amount"),
              ("bad_date", "start_date"), ("bad_type", "overdue_days"),
              ("unknown_reference", "borrower_id"), ("duplicate_key", None)],
    "guarantees": [("malformed_row", None), ("missing_field", "gtype"), ("bad_amount", "amount"),
                   ("unknown_reference", "loan_id"), ("duplicate_key", None)],
    "transfers": [("malformed_row", None), ("missing_field", "to_account"), ("bad_amount", "amount"),
                  ("bad_date", "ts"), ("unknown_reference", "from_account"), ("duplicate_key", None)],
    "referrals": [("malformed_row", None), ("bad_date", "date"), ("unknown_reference", "referee_id")],
    "negative_records": [("malformed_row", None), ("missing_field", "subject_name"),
                         ("bad_date", "date"), ("duplicate_key", None)],
}
BAD_VALUES = {"bad_type": "maybe", "bad_date": "2025-02-30", "bad_amount": "12.3.4"}
CHUNK = 250_000


def _s(values: Any, null: Any = None) -> pa.Array:
    """Return a string Arrow array; entries equal to `null` (or None) become nulls."""
    arr = pa.array(values, pa.string())
    if null is not None:
        arr = pc.if_else(pc.equal(arr, null), pa.scalar(None, pa.string()), arr)
    return arr


def _money(cents: np.ndarray) -> pa.Array:
    """Return 'yuan.cc' strings for integer cents."""
    c = pa.array(cents.astype(np.int64))
    y = pc.cast(pc.divide(c, 100), pa.string())
    f = pc.utf8_lpad(pc.cast(pc.subtract(c, pc.multiply(pc.divide(c, 100), 100)), pa.string()), 2, "0")
    return pc.binary_join_element_wise(y, f, ".")


def _dates(days: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(days.astype(np.int32), pa.date32()), pa.string())


class County:
    """Turns a Planter's data into tables, corrupt rows and the truth."""

    def __init__(self, households: int, seed: int, as_of: str, progress: Progress | None,
                 household_size: float | None = None, hard_names: bool = False) -> None:
        self.rng = np.random.default_rng(seed)
        self.household_size = household_size
        self.hard_names = hard_names
        self.households, self.seed, self.as_of = households, seed, as_of
        self.progress = progress
        self.as_of_day = int(np.datetime64(as_of, "D").astype(np.int64))

    def say(self, step: str) -> None:
        """Report that `step` of the generation began (`graph.progress.Progress`)."""
        report(self.progress, step)

    def build(self) -> None:
        """Generate everything in memory."""
        self.say("population")
        self.pop: Population = build_population(self.rng, self.households, self.as_of_day,
                                                   self.household_size, self.hard_names)
        self.say("planted structures")
        pl = Planter(self.pop, self.rng, self.households)
        pl.plan()
        pl.build_accounts()
        mark_quiet(pl)
        self.pop.settle_tiers()
        self.say("loans and guarantees")
        build_loans(pl)
        order = np.argsort(np.array([ln.start for ln in pl.bank.loans]), kind="stable")
        for k, li in enumerate(order.tolist()):
            ln = pl.bank.loans[li]
            ln.loan_id = f"LN{str(np.datetime64(ln.start, 'D'))[:4]}{k + 1:06d}"
        self.loan_order = order
        self.say("transfers")
        build_transfers(pl)
        self.say("negative records and documents")
        build_records(pl)
        self.docs = write_documents(pl, self.rng)
        self.pl = pl

    # ----- tables -------------------------------------------------------------------------------
    def tables(self) -> dict[str, pa.Table]:
        """Return every table except transfers as an Arrow table of strings."""
        pop, b = self.pop, self.pl.bank
        t: dict[str, dict[str, pa.Array]] = {}
        n_b = len(pop.towns)
        bid = [f"B{i + 1:03d}" for i in range(n_b)]
        t["branches"] = {"branch_id": _s(bid), "name": _s([f"{nm.BANK}{x[:-1]}支行" for x in pop.towns]),
                         "county": _s([nm.COUNTY] * n_b),
                         "address": _s([f"{nm.PROVINCE}{nm.CITY}{nm.COUNTY}{x}{10 + i}号" for i, x in enumerate(pop.towns)])}
        mid = np.array([f"M{i + 1:04d}" for i in range(len(pop.mgr_branch))])
        t["managers"] = {"manager_id": _s(mid), "name": _s(pop.mgr_name),
                         "branch_id": _s([bid[x] for x in pop.mgr_branch.tolist()]), "phone": _s(pop.mgr_phone)}
        n_g = len(pop.grid_town)
        gid = np.array([f"G{i + 1:04d}" for i in range(n_g)])
        t["grids"] = {"grid_id": _s(gid),
                      "name": _s([f"{pop.towns[pop.grid_town[g]]}{pop.grid_stem[g]}网格" for g in range(n_g)]),
                      "kind": _s(np.where(pop.grid_kind, "community", "village")),
                      "village": _s(pop.grid_stem),
                      "branch_id": _s([bid[x] for x in pop.grid_town.tolist()]),
                      "manager_id": _s(mid[pop.grid_mgr])}
        H = len(pop.hh_size)
        hid = np.char.add("H", np.char.zfill(np.arange(1, H + 1).astype(str), 7))
        t["households"] = {"household_id": _s(hid), "grid_id": _s(gid[pop.hh_grid]), "address": _s(pop.hh_addr)}
        p_mgr = mid[pop.grid_mgr[pop.hh_grid[pop.p_hh]]]
        has_mgr = pop.p_cust | (pop.p_tier == 3)
        t["persons"] = {
            "id_number": _s(pop.p_id), "name": _s(pop.p_name), "sex": _s(np.where(pop.p_male, "男", "女")),
            "birth_date": _dates(pop.p_birth), "phone": _s(pop.p_phone, ""),
            "household_id": _s(hid[pop.p_hh]), "relation_to_head": _s(RELATIONS[pop.p_rel]),
            "tier": _s(TIERS[pop.p_tier], ""), "is_customer": _s(np.where(pop.p_cust, "1", "0")),
            "tags": _s(pop.p_tags, ""), "manager_id": _s(np.where(has_mgr, p_mgr, ""), ""),
        }
        cg = pop.c_grid()
        c_mgr = mid[pop.grid_mgr[cg]]
        t["enterprises"] = {
            "uscc": _s(pop.c_uscc), "name": _s(pop.c_name), "legal_rep_id": _s(pop.p_id[pop.c_rep]),
            "legal_rep_name": _s(pop.p_name[pop.c_rep]), "industry": _s([nm.INDUSTRIES[i][0] for i in pop.c_ind]),
            "registered_capital": _s([f"{x}.00" for x in pop.c_cap.tolist()]), "status": _s(pop.c_status),
            "address": _s([nm.PROVINCE + nm.CITY + a for a in pop.c_addr]), "grid_id": _s(gid[cg]),
            "is_customer": _s(np.where(pop.c_cust, "1", "0")), "tier": _s(TIERS[pop.c_tier], ""),
            "manager_id": _s(np.where(pop.c_cust | (pop.c_tier == 3), c_mgr, ""), ""),
            "industry_name": _s([nm.INDUSTRIES[i][1] for i in pop.c_ind]),
        }
        roles = pop.roles
        t["enterprise_roles"] = {
            "holder_type": _s([r[0] for r in roles]),
            "holder_id": _s([str(pop.p_id[r[1]]) if r[0] == "person" else pop.c_uscc[r[1]] for r in roles]),
            "uscc": _s([pop.c_uscc[r[2]] for r in roles]), "role": _s([r[3] for r in roles]),
            "share": _s([None if r[4] is None else f"{r[4]:.2f}" for r in roles]), "title": _s([r[5] for r in roles]),
        }
        n_m = len(pop.m_owner)
        t["merchants"] = {
            "merchant_id": _s([f"S{i + 1:06d}" for i in range(n_m)]), "name": _s(pop.m_name),
            "owner_type": _s(pop.m_owner_type), "owner_id": _s([self._pid(tp, o) for tp, o in zip(pop.m_owner_type, pop.m_owner, strict=True)]),
            "mcc": _s(pop.m_mcc), "account_no": _s([b.a_no[a] for a in b.m_acct]), "grid_id": _s(gid[np.array(pop.m_grid)]),
        }
        t["accounts"] = {
            "account_no": _s(b.a_no), "owner_type": _s(b.a_owner_type),
            "owner_id": _s([self._pid(tp, o) if tp != "external" else None for tp, o in zip(b.a_owner_type, b.a_owner, strict=True)]),
            "in_bank": _s(["1" if x else "0" for x in b.a_in_bank]), "bank_name": _s(b.a_bank, ""),
            "kind": _s(b.a_kind, ""), "opened_on": _dates(np.array(b.a_opened)),
        }
        loans = [b.loans[i] for i in self.loan_order.tolist()]
        t["loans"] = {
            "loan_id": _s([ln.loan_id for ln in loans]), "borrower_type": _s([ln.party[0] for ln in loans]),
            "borrower_id": _s([self._pid(*ln.party) for ln in loans]), "product": _s([ln.product for ln in loans]),
            "amount": _money(np.array([ln.amount for ln in loans])), "balance": _money(np.array([ln.balance for ln in loans])),
            "rate": _s([f"{ln.rate:.2f}" for ln in loans]), "start_date": _dates(np.array([ln.start for ln in loans])),
            "maturity_date": _dates(np.array([ln.start + ln.term_days for ln in loans])),
            "classification": _s([ln.cls for ln in loans]), "overdue_days": _s([str(ln.overdue) for ln in loans]),
            "account_no": _s([b.a_no[ln.acct] for ln in loans]),
        }
        gs = b.guarantees
        t["guarantees"] = {
            "loan_id": _s([b.loans[g.loan].loan_id for g in gs]), "guarantor_type": _s([g.party[0] for g in gs]),
            "guarantor_id": _s([self._pid(*g.party) for g in gs]), "gtype": _s([g.gtype for g in gs]),
            "amount": _money(np.array([g.amount for g in gs])), "group_id": _s([g.group_id for g in gs]),
            "start_date": _dates(np.array([b.loans[g.loan].start for g in gs])),
        }
        refs = [(tr["campaign"], e) for tr in self.pl.plan_data["trees"] for e in tr["edges"]]
        t["referrals"] = {
            "referrer_id": _s([str(pop.p_id[e[0]]) for _, e in refs]), "referee_id": _s([str(pop.p_id[e[1]]) for _, e in refs]),
            "date": _dates(np.array([e[2] for _, e in refs])), "campaign": _s([c for c, _ in refs]),
            "converted": _s(["1" if e[3] else "0" for _, e in refs]),
        }
        rs = b.records
        t["negative_records"] = {
            "record_id": _s([r["record_id"] for r in rs]), "subject_type": _s([r["subject"][0] for r in rs]),
            "subject_id": _s([self._pid(*r["subject"]) for r in rs]),
            "subject_name": _s([str(pop.p_name[r["subject"][1]]) if r["subject"][0] == "person" else pop.c_name[r["subject"][1]] for r in rs]),
            "kind": _s([r["kind"] for r in rs]), "date": _dates(np.array([r["day"] for r in rs])),
            "amount": _s([None if r["amount"] is None else f"{r['amount']:.2f}" for r in rs]),
            "source": _s([r["source"] for r in rs]), "document_id": _s([r["document_id"] for r in rs]),
        }
        return {k: pa.table(v) for k, v in t.items()}

    def _pid(self, kind: str, i: int) -> str:
        return str(self.pop.p_id[i]) if kind == "person" else self.pop.c_uscc[i]

    def transfer_chunks(self) -> Iterator[pa.Table]:
        """Yield the transfers table in chunks (sorted by time)."""
        b = self.pl.bank
        acct = pa.array(b.a_no, pa.string())
        ch = pa.array(CHANNELS, pa.string())
        memo = pa.array(MEMOS, pa.string())
        n = len(b.t_from)
        for s in range(0, n, CHUNK):
            e = min(n, s + CHUNK)
            ids = pc.binary_join_element_wise(
                "TR", pc.utf8_lpad(pc.cast(pa.array(np.arange(s + 1, e + 1)), pa.string()), 11, "0"), "")
            m = memo.take(pa.array(b.t_memo[s:e]))
            yield pa.table({
                "transfer_id": ids, "from_account": acct.take(pa.array(b.t_from[s:e])),
                "to_account": acct.take(pa.array(b.t_to[s:e])), "amount": _money(b.t_amt[s:e]),
                "ts": pc.cast(pa.array(b.t_ts[s:e], pa.timestamp("s")), pa.string()),
                "channel": ch.take(pa.array(b.t_ch[s:e])),
                "memo": pc.if_else(pc.equal(m, ""), pa.scalar(None, pa.string()), m),
            })

    def transfer_row(self, i: int) -> dict[str, str | None]:
        """Return transfer i as a row dict (as written)."""
        b = self.pl.bank
        ts = str(np.datetime64(int(b.t_ts[i]), "s")).replace("T", " ")
        memo = MEMOS[b.t_memo[i]]
        return {"transfer_id": f"TR{i + 1:011d}", "from_account": b.a_no[b.t_from[i]],
                "to_account": b.a_no[b.t_to[i]], "amount": f"{b.t_amt[i] // 100}.{b.t_amt[i] % 100:02d}",
                "ts": ts, "channel": CHANNELS[b.t_ch[i]], "memo": memo or None}

    # ----- truth --------------------------------------------------------------------------------
    def truth(self) -> dict[str, Any]:
        """Return the planted structures by ref (docs/extract-format.md)."""
        pop, b, plan = self.pop, self.pl.bank, self.pl.plan_data

        def loan_ref(li: int) -> str:
            return f"loan:{b.loans[li].loan_id}"

        def acct_ref(a: int) -> str:
            return f"account:{b.a_no[a]}"

        circles = [{"kind": c["kind"], "members": [ref(pop, p) for p in c["path"]],
                    "loans": [loan_ref(li) for li in c["loans"]],
                    "contracted_via": [[ref(pop, x), ref(pop, y)] for x, y in c["via"]]}
                   for c in plan["circles"]]
        chains = [{"members": [ref(pop, p) for p in ch], "loans": [loan_ref(li) for li in ls]}
                  for ch, ls in zip(plan["chains"], plan["chain_loans"], strict=True)]
        groups = [{"group_id": g["group_id"], "loans": [loan_ref(li) for li in g["loans"]],
                   "guarantors": [f"person:{pop.p_id[p]}" for p in g["guarantors"]]} for g in plan["group_info"]]
        trees = [{"root": f"person:{pop.p_id[t['root']]}", "campaign": t["campaign"],
                  "edges": [[f"person:{pop.p_id[e[0]]}", f"person:{pop.p_id[e[1]]}"] for e in t["edges"]],
                  "depth": t["depth"], "converted": [f"person:{pop.p_id[e[1]]}" for e in t["edges"] if e[3]]}
                 for t in plan["trees"]]
        supply = [{"core": ref(pop, ("company", s["core"])),
                   "upstream": [ref(pop, ("company", c)) for c in s["up"]],
                   "downstream": [ref(pop, ("company", c)) for c in s["down"]],
                   "other_bank_accounts": [acct_ref(int(b.c_acct[c])) for c in s["other"]]} for s in plan["supply"]]
        trips = [{"loan": loan_ref(t["loan"]), "borrower": ref(pop, t["borrower"]),
                  "path": [acct_ref(a) for a in t["path"]], "returns_to": ref(pop, t["related"])}
                 for t in plan["trips"]]
        comms = [{"name": f"资金往来群{i + 1:03d}", "members": [ref(pop, m) for m in ms]}
                 for i, ms in enumerate(plan["communities"])]
        involved = {ln.party for ln in b.loans} | {g.party for g in b.guarantees}
        records = [{"record": f"record:{r['record_id']}", "subject": ref(pop, r["subject"]), "kind": r["kind"],
                    "on_guarantor_or_borrower": r["subject"] in involved} for r in b.records]
        docs = [{"document_id": r["document_id"], "record": f"record:{r['record_id']}",
                 "parties": self.docs[r["document_id"]][1]} for r in b.records if r["document_id"]]
        return {"seed": self.seed, "households": self.households, "as_of": self.as_of,
                "guarantee_circles": circles, "joint_guarantee_groups": groups, "guarantee_chains": chains,
                "referral_trees": trees, "supply_chains": supply, "round_trips": trips,
                "communities": comms, "negative_records": records, "documents": docs}


# ----- corrupt rows ---------------------------------------------------------------------------------

class Corrupter:
    """Makes known-bad rows (each bad for exactly one reason) for the tables."""

    def __init__(self, county: County, rate: float) -> None:
        self.c, self.rate = county, rate
        self.rng = np.random.default_rng([county.seed, 99])
        self.k = 0

    def fresh_person_id(self, birth: str | None = None) -> str:
        """Return a valid 身份证 number of a region no generated person has (341003 / 342722)."""
        self.k += 1
        ymd = (birth or "1990-01-01").replace("-", "")
        region = "341003" if ymd >= "1987" else "342722"
        first17 = f"{region}{ymd}{self.k % 1000:03d}"
        return first17 + ric_check_char(first17)

    def fresh(self, table: str, row: dict[str, str | None]) -> dict[str, str | None]:
        """Return a copy of `row` with a key that occurs nowhere else."""
        self.k += 1
        k = self.k
        r = dict(row)
        if table == "households":
            r["household_id"] = f"H9{k:06d}"
        elif table == "persons":
            r["id_number"] = self.fresh_person_id(r["birth_date"])
        elif table == "enterprises":
            r["uscc"] = uscc_numbers(self.rng, ["91"], "341003")[0]
        elif table == "merchants":
            r["merchant_id"] = f"S9{k:05d}"
        elif table == "accounts":
            r["account_no"] = f"62399{k:014d}"
        elif table == "loans":
            r["loan_id"] = f"LN9{k:09d}"
        elif table == "transfers":
            r["transfer_id"] = f"TR9{k:010d}"
        elif table == "negative_records":
            r["record_id"] = f"NR9{k:06d}"
        elif table == "referrals":
            r["referrer_id"], r["referee_id"] = self.free_pair()
        elif table == "guarantees":
            r["guarantor_type"], r["guarantor_id"] = "person", self.free_guarantor(str(r["loan_id"]))
        return r

    def free_guarantor(self, loan_id: str) -> str:
        """Return a person of a guarantor cluster who does not guarantee `loan_id` yet."""
        pop, b = self.c.pop, self.c.pl.bank
        if not hasattr(self, "_pairs"):
            self._pairs = {(b.loans[g.loan].loan_id, g.party) for g in b.guarantees}
            self._g = np.flatnonzero((b.hh_role[pop.p_hh] == 1) & (pop.p_age >= 25))
        while True:
            p = int(self._g[int(self.rng.integers(0, len(self._g)))])
            if (loan_id, ("person", p)) not in self._pairs:
                self._pairs.add((loan_id, ("person", p)))
                return str(pop.p_id[p])

    def free_pair(self) -> tuple[str, str]:
        """Return two persons in no referral tree (a referral that does not exist)."""
        pop, b = self.c.pop, self.c.pl.bank
        while True:
            a, z = (int(x) for x in self.rng.integers(0, len(pop.p_id), 2))
            if a != z and not b.p_busy[a] and not b.p_busy[z]:
                return str(pop.p_id[a]), str(pop.p_id[z])

    def make(self, table: str, n_clean: int, pool: np.ndarray, row_of: Callable[[int], dict[str, str | None]],
             ) -> list[tuple[int, str, str]]:
        """Return (position, line, reason) of the bad rows for a table of n_clean clean rows."""
        menu = CORRUPT_MENU[table]
        count = max(len(menu), round(self.rate * n_clean))
        out: list[tuple[int, str, str]] = []
        cols = COLUMNS[table]
        for i in range(count):
            reason, col = menu[i % len(menu)]
            t_idx = int(pool[int(self.rng.integers(0, len(pool)))])
            tmpl = row_of(t_idx)
            if reason == "duplicate_key":
                pos = int(self.rng.integers(t_idx + 1, n_clean + 1))
                out.append((pos, _line(tmpl, cols), reason))
                continue
            r = self.fresh(table, tmpl)
            if reason == "malformed_row":
                out.append((int(self.rng.integers(0, n_clean + 1)), _line(r, cols[:-1]), reason))
                continue
            assert col is not None
            if reason == "missing_field":
                r[col] = None
            elif reason in BAD_VALUES:
                r[col] = BAD_VALUES[reason]
                if table == "loans" and reason == "bad_amount":
                    r[col] = "-" + str(tmpl[col])
                if reason == "bad_date" and col == "ts":
                    r[col] = "2026-02-30 10:00:00"
            elif reason == "bad_id_checksum":
                r[col] = bad_ric(str(r[col]))
            elif reason == "bad_uscc_checksum":
                r[col] = bad_uscc(str(r[col]))
            elif reason == "unknown_reference":
                r[col] = {"grid_id": "G9999", "household_id": f"H9{self.k:06d}", "loan_id": f"LN8{self.k:09d}",
                          "from_account": f"62398{self.k:014d}"}.get(col) or self.fresh_person_id()
                if col == "borrower_id":
                    r["borrower_type"] = "person"
            out.append((int(self.rng.integers(0, n_clean + 1)), _line(r, cols), reason))
        return out


def _line(row: dict[str, str | None], cols: list[str]) -> str:
    return ",".join("" if row[c] is None else str(row[c]) for c in cols)


# ----- writing ------------------------------------------------------------------------------------------

_OPTS = pacsv.WriteOptions(include_header=False, quoting_style="none")


def _write_csv(path: Path, cols: list[str], chunks: Iterator[pa.Table] | list[pa.Table],
               inserts: list[tuple[int, str, str]]) -> tuple[int, list[tuple[int, str]]]:
    """Write a CSV with bad lines inserted before given clean-row positions.

    Returns (data rows written, [(line number, reason)] of the inserted rows).
    """
    ins = sorted(enumerate(inserts), key=lambda x: (x[1][0], x[0]))
    lines: list[tuple[int, str]] = []
    k = 0
    offset = 0
    written = 0
    with path.open("wb") as f:
        f.write((",".join(cols) + "\n").encode("utf-8"))

        def put(j: int) -> None:
            nonlocal written
            _, (pos, line, reason) = ins[j]
            f.write((line + "\n").encode("utf-8"))
            lines.append((2 + pos + j, reason))
            written += 1

        for tbl in chunks:
            n = tbl.num_rows
            start = 0
            while k < len(ins) and ins[k][1][0] < offset + n:
                cut = ins[k][1][0] - offset
                if cut > start:
                    _emit(f, tbl.slice(start, cut - start))
                start = cut
                put(k)
                k += 1
            if start < n:
                _emit(f, tbl.slice(start, n - start))
            offset += n
            written += n
        while k < len(ins):
            put(k)
            k += 1
    return written, lines


def _emit(f: Any, tbl: pa.Table) -> None:
    buf = pa.BufferOutputStream()
    pacsv.write_csv(tbl, buf, _OPTS)
    f.write(buf.getvalue())


def _name_truth(pop: Population) -> dict[str, Any]:
    """Return the hard names and the firms named after a person (owner or 经营者)."""
    names = [str(n) for n in pop.p_name.tolist()]
    owned = [{"firm": m, "person": f"person:{pop.p_id[o]}", "name": names[o]}
             for m, t, o in zip(pop.m_name, pop.m_owner_type, pop.m_owner, strict=True)
             if t == "person" and names[o] in m]
    owned += [{"firm": c, "person": f"person:{pop.p_id[r]}", "name": names[r]}
              for c, r in zip(pop.c_name, pop.c_rep.tolist(), strict=True) if names[r] in c]
    return {"hard": sorted({n for n in names if nm.is_hard(n)}), "named_after_person": owned}


def generate_county(out: Path, households: int = 63000, seed: int = 7, corrupt: float = 0.0,
                    as_of: str = "2026-10-31", progress: Progress | None = None,
                    household_size: float | None = None, hard_names: bool = False
                    ) -> dict[str, Any]:
    """Write a synthetic county extract plus truth.json to `out`; return the truth dict.

    `household_size` is the mean persons per household (default 3.01, 祁门-like; 兴化's ~1.1M
    persons in 330,000 households need 3.33). `hard_names` makes names that defeat guessing
    whose name a string is: 会/社/村 as given characters, transliterated names longer than four
    characters, some of them owners of shops and sole traders named after them; truth
    `names` lists them and every firm named after a person."""
    if households < 100:
        raise ValueError("households must be at least 100")
    if not 0.0 <= corrupt < 0.5:
        raise ValueError("corrupt must be in [0, 0.5)")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    county = County(households, seed, as_of, progress, household_size, hard_names)
    county.build()
    truth = county.truth()
    truth["names"] = _name_truth(county.pop)
    tables = county.tables()
    county.say("application attributes, rings and look-alikes")
    fraud_plan = fraud.plant(county)
    tables = fraud.apply(tables, fraud_plan)
    truth.update(fraud.truth(fraud_plan))
    county.say("writing")
    corr = Corrupter(county, corrupt) if corrupt > 0 else None
    pools = _template_pools(county, tables) if corr else {}
    rows: dict[str, int] = {}
    bad: list[dict[str, Any]] = []
    n_tr = len(county.pl.bank.t_from)
    for name in TABLES:
        fname = f"{name}.csv"
        inserts: list[tuple[int, str, str]] = []
        if name == "transfers":
            if corr:
                inserts = corr.make(name, n_tr, pools[name], county.transfer_row)
            n, lines = _write_csv(out / fname, COLUMNS[name], county.transfer_chunks(), inserts)
        else:
            tbl = tables[name]
            if corr and name in CORRUPT_MENU:
                def row_of(i: int, tbl: pa.Table = tbl) -> dict[str, str | None]:
                    return tbl.slice(i, 1).to_pylist()[0]

                inserts = corr.make(name, tbl.num_rows, pools[name], row_of)
            n, lines = _write_csv(out / fname, COLUMNS[name], [tbl], inserts)
        rows[name] = n
        bad += [{"table": name, "file": fname, "line": ln, "reason": r} for ln, r in lines]
    docs_dir = out / "documents"
    docs_dir.mkdir(exist_ok=True)
    for did, (text, _) in county.docs.items():
        (docs_dir / f"{did}.txt").write_bytes(text.encode("utf-8"))
    manifest = {"as_of": as_of, "encoding": "utf-8", "bank": nm.BANK,
                "files": {name: f"{name}.csv" for name in TABLES}}
    (out / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), "utf-8")
    truth["corrupt_rows"] = bad
    truth["rows"] = rows
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return truth


def _template_pools(county: County, tables: dict[str, pa.Table]) -> dict[str, np.ndarray]:
    """Return, per table, the clean rows that are not part of any planted structure."""
    pop, b = county.pop, county.pl.bank
    planted_loans: set[int] = set()
    plan = county.pl.plan_data
    for c in plan["circles"]:
        planted_loans.update(c["loans"])
    for ls in plan["chain_loans"]:
        planted_loans.update(ls)
    for g in plan["group_info"]:
        planted_loans.update(g["loans"])
    for t in plan["trips"]:
        planted_loans.add(t["loan"])
    role = b.hh_role
    loan_pos = {li: k for k, li in enumerate(county.loan_order.tolist())}
    bg_loans = np.array(sorted(loan_pos[li] for li in range(len(b.loans)) if li not in planted_loans), np.int64)
    bg_guar = np.array([k for k, g in enumerate(b.guarantees) if g.loan not in planted_loans], np.int64)
    person_acct = np.array([k for k, t in enumerate(b.a_owner_type) if t == "person" and not b.quiet[k]
                            and not b.p_busy[b.a_owner[k]]], np.int64)
    pools = {
        "households": np.flatnonzero(role[np.arange(len(pop.hh_size))] <= 1),
        "persons": np.flatnonzero(~b.p_busy & (role[pop.p_hh] <= 1)),
        "enterprises": np.flatnonzero(~b.c_busy),
        "merchants": np.array([i for i, t in enumerate(pop.m_owner_type) if t == "person"], np.int64),
        "accounts": person_acct,
        "loans": bg_loans,
        "guarantees": bg_guar,
        "transfers": np.flatnonzero(~b.t_planted),
        "referrals": np.arange(tables["referrals"].num_rows),
        "negative_records": np.array([k for k, r in enumerate(b.records) if not r["on_loan"]], np.int64),
    }
    for k, v in pools.items():
        if len(v) == 0:
            raise RuntimeError(f"no rows to copy for corrupt {k}")
    return pools
