"""Application attributes, fraud rings and their innocent look-alikes for the synthetic county.

Planted after everything else, from a random stream of its own (`[seed, 19]`), so every
row and column the county had before is written unchanged; what is added:

- three optional person columns (docs/extract-format.md): `address` (declared residence),
  `employer`, `contact_phone` (the contact person's phone). Background borrowers declare
  their household's address, their household's other phone as contact, and some an employer
  among the county's companies;
- **rings** (团伙骗贷 / 冒名贷款): 3–6 customers of unrelated households (no household, legal
  representative or shareholding tie between them) who declare the same 2–3 of: a rented
  address, a contact phone, a small employer that is not in the graph, and whose new loans
  (started within 150 days of as-of) are paid into one collecting account at another bank
  (when `account` is among the shared kinds) or into freshly opened accounts;
- **look-alikes**: a village shop owner's phone given as contact by 20–30 of its customers,
  and one company declared as employer by up to 200 workers (some of the shop's customers
  among them), each with some recent loans — sharing, but not a ring.

`plant(county)` returns a `FraudPlan`; `apply(tables, plan)` adds its columns and rows to the
county's Arrow tables; `truth(plan)` is `rings` and `lookalikes` of truth.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from guanxi.loaders.synthetic import names as nm
from guanxi.loaders.synthetic.ids import account_numbers, phone_numbers

if TYPE_CHECKING:
    from guanxi.loaders.synthetic.generate import County

RING_KINDS = ("address", "contact_phone", "employer", "account")
FIRM_WORDS = ("鑫达", "恒通", "瑞丰", "宏远", "金盛", "华信", "永利", "顺发", "众诚", "汇通")


@dataclass
class FraudPlan:
    """Person columns, extra accounts and loans, and the truth of rings and look-alikes."""

    address: list[str | None]
    employer: list[str | None]
    contact: list[str | None]
    accounts: list[dict[str, str | None]] = field(default_factory=list)
    loans: list[dict[str, str | None]] = field(default_factory=list)
    rings: list[dict[str, Any]] = field(default_factory=list)
    lookalikes: list[dict[str, Any]] = field(default_factory=list)


class _Planter:
    def __init__(self, county: County) -> None:
        self.c = county
        self.pop, self.b = county.pop, county.pl.bank
        self.rng = np.random.default_rng([county.seed, 19])
        n = len(self.pop.p_id)
        self.plan = FraudPlan([None] * n, [None] * n, [None] * n)
        self.used_hh: set[int] = set()
        self.n_acct = 0
        self.n_loan = 0
        self.day = county.as_of_day
        role_holders = {r[1] for r in self.pop.roles if r[0] == "person"}
        role_holders |= {int(x) for x in self.pop.c_rep.tolist()}
        self.role_holders = role_holders

    def ref(self, p: int) -> str:
        return f"person:{self.pop.p_id[p]}"

    def fresh_account(self, owner: int | None) -> str:
        """Open an account: in this bank for `owner`, else a collecting account elsewhere."""
        self.n_acct += 1
        k = self.n_acct
        if owner is not None:
            no = account_numbers("62303", k, 1, 14, 51_719)[0]
            self.plan.accounts.append({
                "account_no": no, "owner_type": "person", "owner_id": str(self.pop.p_id[owner]),
                "in_bank": "1", "bank_name": None, "kind": "结算",
                "opened_on": str(np.datetime64(self.day - 200 - int(self.rng.integers(0, 100)), "D"))})
        else:
            bi = int(self.rng.integers(0, len(nm.OTHER_BANKS)))
            no = account_numbers(nm.OTHER_BANK_PREFIX[bi] + "9", k, 1, 12, 90_001)[0]
            self.plan.accounts.append({
                "account_no": no, "owner_type": "external", "owner_id": None, "in_bank": "0",
                "bank_name": nm.OTHER_BANKS[bi], "kind": None,
                "opened_on": str(np.datetime64(self.day - 400, "D"))})
        return no

    def new_loan(self, p: int, account_no: str) -> str:
        """Add a recent personal loan (started 5..150 days before as-of) paid into `account_no`."""
        self.n_loan += 1
        lid = f"LF{self.c.seed % 100:02d}{self.n_loan:06d}"
        start = self.day - int(self.rng.integers(5, 150))
        amount = int(self.rng.integers(5, 21)) * 10_000
        product = ("个人消费贷款", "农户小额信用贷款", "个人经营性贷款")[int(self.rng.integers(0, 3))]
        self.plan.loans.append({
            "loan_id": lid, "borrower_type": "person", "borrower_id": str(self.pop.p_id[p]),
            "product": product, "amount": f"{amount}.00", "balance": f"{amount}.00",
            "rate": f"{float(self.rng.uniform(4.35, 7.2)):.2f}",
            "start_date": str(np.datetime64(start, "D")),
            "maturity_date": str(np.datetime64(start + 365, "D")),
            "classification": "正常", "overdue_days": "0", "account_no": account_no})
        return f"loan:{lid}"

    def pick(self, pool: np.ndarray, k: int, taken: set[int]) -> list[int]:
        """Return up to k persons of `pool`, one per household, households not used before."""
        out: list[int] = []
        hh = self.pop.p_hh
        for p in self.rng.permutation(pool).tolist():
            h = int(hh[p])
            if h in self.used_hh or h in taken or p in self.role_holders:
                continue
            taken.add(h)
            out.append(int(p))
            if len(out) == k:
                break
        return out

    # ----- background ---------------------------------------------------------------------
    def background(self) -> None:
        """Borrowers declare their household's address and another member's phone; 30% an employer."""
        pop, b = self.pop, self.b
        borrowers = sorted({ln.party[1] for ln in b.loans if ln.party[0] == "person"})
        active = np.flatnonzero(np.isin(pop.c_status, ["存续", "在业"]))
        first_phone: dict[int, list[int]] = {}
        for p in np.flatnonzero(pop.p_phone != "").tolist():
            first_phone.setdefault(int(pop.p_hh[p]), []).append(int(p))
        for p in borrowers:
            h = int(pop.p_hh[p])
            self.plan.address[p] = pop.hh_addr[h]
            others = [q for q in first_phone.get(h, []) if q != p]
            if others:
                self.plan.contact[p] = str(pop.p_phone[others[0]])
            if len(active) and self.rng.random() < 0.3:
                self.plan.employer[p] = pop.c_name[int(active[int(self.rng.integers(0, len(active)))])]

    # ----- rings --------------------------------------------------------------------------
    def rings(self) -> None:
        """Plant rings of 3–6 unrelated customers sharing 2–3 attribute kinds, with new loans."""
        pop, b = self.pop, self.b
        f = self.c.households / 63000
        n_rings = max(2, min(max(20, round(40 * f)), self.c.households // 40))
        pool = np.flatnonzero(pop.p_cust & (pop.p_age >= 22) & (pop.p_age <= 60) & ~b.p_busy)
        phones = phone_numbers(self.rng, n_rings)
        for r in range(n_rings):
            size = int(self.rng.integers(3, 7))
            taken: set[int] = set()
            members = self.pick(pool, size, taken)
            if len(members) < 3:
                break
            self.used_hh |= taken
            kinds = sorted(self.rng.choice(len(RING_KINDS), int(self.rng.integers(2, 4)), replace=False).tolist())
            shared = [RING_KINDS[k] for k in kinds]
            town = pop.towns[int(self.rng.integers(0, len(pop.towns)))]
            addr = f"{town}{('人民路', '新华路', '东街', '西街')[r % 4]}{int(self.rng.integers(1, 300))}号出租屋"
            firm = f"{nm.COUNTY}{FIRM_WORDS[r % len(FIRM_WORDS)]}{'商贸' if r % 2 else '电子'}有限公司{r + 1}部"
            collect = self.fresh_account(None) if "account" in shared else None
            loans = []
            for p in members:
                if "address" in shared:
                    self.plan.address[p] = addr
                if "employer" in shared:
                    self.plan.employer[p] = firm
                if "contact_phone" in shared:
                    self.plan.contact[p] = str(phones[r])
                loans.append(self.new_loan(p, collect or self.fresh_account(p)))
            self.plan.rings.append({
                "members": [self.ref(p) for p in members], "shared": shared, "loans": loans,
                "collecting_account": None if collect is None else f"account:{collect}"})

    # ----- look-alikes --------------------------------------------------------------------
    def lookalikes(self) -> None:
        """A village shop's phone given as contact by its customers; one employer of ≤200."""
        pop, b = self.pop, self.b
        shop_members: list[int] = []
        village_shops = [i for i, (t, o, g) in enumerate(zip(pop.m_owner_type, pop.m_owner, pop.m_grid, strict=True))
                         if t == "person" and not pop.grid_kind[g] and pop.p_phone[o] != ""]
        if village_shops:
            m = village_shops[int(self.rng.integers(0, len(village_shops)))]
            owner, grid = pop.m_owner[m], pop.m_grid[m]
            pool = np.flatnonzero((pop.hh_grid[pop.p_hh] == grid) & (pop.p_age >= 18) & (pop.p_hh != pop.p_hh[owner]))
            taken: set[int] = set()
            shop_members = self.pick(pool, int(self.rng.integers(20, 31)), taken)
            loans = []
            for j, p in enumerate(shop_members):
                self.plan.contact[p] = str(pop.p_phone[owner])
                if j % 4 == 0:
                    loans.append(self.new_loan(p, self.fresh_account(p)))
            self.plan.lookalikes.append({
                "kind": "shop_phone", "merchant": f"merchant:S{m + 1:06d}", "owner": self.ref(owner),
                "members": [self.ref(p) for p in shop_members], "loans": loans})
        active = np.flatnonzero(np.isin(pop.c_status, ["存续", "在业"]) & ~b.c_busy)
        if len(active):
            c = int(active[int(self.rng.integers(0, len(active)))])
            size = min(200, len(pop.hh_size) // 3)
            pool = np.flatnonzero((pop.p_age >= 20) & (pop.p_age <= 55))
            taken = set()
            overlap = shop_members[: max(0, min(5, len(shop_members)))]
            taken |= {int(pop.p_hh[p]) for p in overlap}
            workers = overlap + self.pick(pool, size - len(overlap), taken)
            loans = []
            for j, p in enumerate(workers):
                self.plan.employer[p] = pop.c_name[c]
                if j % 8 == 3:
                    loans.append(self.new_loan(p, self.fresh_account(p)))
            self.plan.lookalikes.append({
                "kind": "employer", "company": f"company:{pop.c_uscc[c]}",
                "members": [self.ref(p) for p in workers], "loans": loans})


def plant(county: County) -> FraudPlan:
    """Return the application attributes, rings and look-alikes for a built county."""
    p = _Planter(county)
    p.background()
    p.rings()
    p.lookalikes()
    return p.plan


def apply(tables: dict[str, pa.Table], plan: FraudPlan) -> dict[str, pa.Table]:
    """Return the county's tables with the person columns and the extra accounts and loans."""
    out = dict(tables)
    persons = tables["persons"]
    for name, values in (("address", plan.address), ("employer", plan.employer),
                         ("contact_phone", plan.contact)):
        persons = persons.append_column(name, pa.array(values, pa.string()))
    out["persons"] = persons
    for name, rows in (("accounts", plan.accounts), ("loans", plan.loans)):
        if rows:
            t = tables[name]
            extra = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in t.column_names]))
            out[name] = pa.concat_tables([t.cast(extra.schema), extra])
    return out


def truth(plan: FraudPlan) -> dict[str, Any]:
    """Return truth.json's `rings` and `lookalikes`."""
    return {"rings": plan.rings, "lookalikes": plan.lookalikes}
