"""The bank side of the synthetic county: planted structures, accounts, loans, guarantees,
transfers, referrals and negative records (plain data; nothing here writes files).

Invariants the tests and the analytics rely on:
- guarantee edges outside planted circles never close a cycle, even after merging a company
  with its legal representative and merging household members: every household (with the
  companies its members represent) is a *cluster*; planted guarantee structures use clusters
  of their own; every other cluster is either a borrower cluster (B) or a guarantor cluster
  (G), and background guarantees only run G → B;
- no background transfer leaves a loan's proceeds account within QUIET_DAYS after the loan
  start, so the only round trips are the planted ones;
- every referral belongs to a planted tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from guanxi.loaders.synthetic import names as nm
from guanxi.loaders.synthetic.ids import account_numbers
from guanxi.loaders.synthetic.people import Population

QUIET_DAYS = 60
DAY = 86400
Party = tuple[str, int]  # ("person" | "company", index)

CHANNELS = ["手机银行", "网银", "柜面", "POS", "代发"]
MEMOS = ["消费", "工资", "货款", "转账", "生活费", "还款", "借款", "红包", "往来款", "服务费",
         "运费", "材料款", "工程款", "租金", "跨行转账", "务工收入", ""]
COMPANY_PRODUCTS = ("流动资金贷款", "固定资产贷款")
PERSON_PRODUCTS = ("个人经营性贷款", "茶农贷", "农户小额信用贷款", "个人消费贷款")
MEMO = {m: i for i, m in enumerate(MEMOS)}
CH = {c: i for i, c in enumerate(CHANNELS)}


@dataclass
class Loan:
    """One loan; `acct` is the index of the account the proceeds were paid into."""

    party: Party
    product: str
    amount: int  # cents
    balance: int
    rate: float
    start: int  # day number
    term_days: int
    cls: str
    overdue: int
    acct: int
    loan_id: str = ""


@dataclass
class Guarantee:
    """One guarantee of a loan (index into Bank.loans)."""

    loan: int
    party: Party
    gtype: str
    amount: int
    group_id: str | None = None


@dataclass
class Bank:
    """Accounts, loans, guarantees, transfers, referrals, records and the truth about them."""

    # accounts
    a_no: list[str] = field(default_factory=list)
    a_owner_type: list[str] = field(default_factory=list)  # person | company | external
    a_owner: list[int] = field(default_factory=list)
    a_in_bank: list[bool] = field(default_factory=list)
    a_bank: list[str] = field(default_factory=list)
    a_kind: list[str] = field(default_factory=list)
    a_opened: list[int] = field(default_factory=list)
    p_acct: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    c_acct: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    m_acct: list[int] = field(default_factory=list)
    quiet: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    loans: list[Loan] = field(default_factory=list)
    guarantees: list[Guarantee] = field(default_factory=list)
    # transfers as parallel arrays (sorted by ts at the end)
    t_from: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    t_to: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    t_ts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    t_amt: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    t_ch: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    t_memo: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    t_planted: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    referrals: list[tuple[int, int, int, str, bool]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)
    # guarantee-cluster bookkeeping
    hh_role: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))  # 0 B, 1 G, 2 reserved
    p_busy: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    c_busy: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    pending_accounts: list[tuple[str, int, str]] = field(default_factory=list)


def ref(pop: Population, party: Party) -> str:
    """Return the truth ref of a party."""
    kind, i = party
    return f"person:{pop.p_id[i]}" if kind == "person" else f"company:{pop.c_uscc[i]}"


class Planter:
    """Builds the bank data and the planted structures for a population."""

    def __init__(self, pop: Population, rng: np.random.Generator, households: int) -> None:
        self.pop, self.rng, self.f = pop, rng, households / 63000
        self.bank = Bank()
        n_p, n_c, n_h = len(pop.p_id), len(pop.c_uscc), len(pop.hh_size)
        b = self.bank
        b.p_busy = np.zeros(n_p, bool)
        b.c_busy = np.zeros(n_c, bool)
        for t, o in zip(pop.m_owner_type, pop.m_owner, strict=True):
            (b.p_busy if t == "person" else b.c_busy)[o] = True
        b.hh_role = np.full(n_h, -1, np.int8)
        self._p_order = rng.permutation(pop.adults(23, 65))
        self._p_ptr = 0
        active = np.flatnonzero(np.isin(pop.c_status, ["存续", "在业"]))
        self._c_order = rng.permutation(active)
        self._c_ptr = 0
        self.other_bank_companies: list[int] = []
        self._pools: dict[tuple[int, int, int | None], list[Any]] = {}
        self.t_parts: list[tuple[np.ndarray, ...]] = []
        self.start_s = (pop.as_of_day - 365) * DAY
        self.end_s = pop.as_of_day * DAY

    def n(self, base: float, minimum: int) -> int:
        """Return a count scaled by county size, at least `minimum`."""
        return max(minimum, round(base * self.f))

    # ----- picking parties ---------------------------------------------------------------
    def fresh_person(self, min_age: int = 23) -> int | None:
        """Return an adult whose household is unused by guarantee structures; reserve it."""
        pop, b = self.pop, self.bank
        while self._p_ptr < len(self._p_order):
            p = int(self._p_order[self._p_ptr])
            self._p_ptr += 1
            h = pop.p_hh[p]
            if b.hh_role[h] == -1 and not b.p_busy[p] and pop.p_age[p] >= min_age:
                b.hh_role[h] = 2
                b.p_busy[p] = True
                pop.p_cust[p] = True
                return p
        return None

    def fresh_company(self) -> int | None:
        """Return an active company whose legal rep's household is unused; reserve it."""
        pop, b = self.pop, self.bank
        while self._c_ptr < len(self._c_order):
            c = int(self._c_order[self._c_ptr])
            self._c_ptr += 1
            h = pop.p_hh[pop.c_rep[c]]
            if b.hh_role[h] == -1 and not b.c_busy[c]:
                b.hh_role[h] = 2
                b.c_busy[c] = True
                pop.c_cust[c] = True
                return c
        return None

    def fresh_party(self, p_company: float) -> Party:
        """Return a fresh person or company (a company with probability p_company)."""
        if self.rng.random() < p_company:
            c = self.fresh_company()
            if c is not None:
                return ("company", c)
        p = self.fresh_person()
        if p is None:
            raise RuntimeError("county too small for the planted structures")
        return ("person", p)

    def free_persons(self, k: int, lo: int = 20, hi: int = 70, role: int | None = None) -> list[int]:
        """Return k adults not busy (optionally in households of role 0 B / 1 G); mark them busy."""
        pop, b = self.pop, self.bank
        key = (lo, hi, role)
        if key not in self._pools:
            mask = (pop.p_age >= lo) & (pop.p_age <= hi) & ~b.p_busy
            if role is not None:
                mask &= b.hh_role[pop.p_hh] == role
            self._pools[key] = [self.rng.permutation(np.flatnonzero(mask)).tolist(), 0]
        order, ptr = self._pools[key]
        out: list[int] = []
        while len(out) < k:
            if ptr >= len(order):
                raise RuntimeError("county too small for the planted structures")
            p = order[ptr]
            ptr += 1
            if not b.p_busy[p]:
                b.p_busy[p] = True
                out.append(p)
        self._pools[key][1] = ptr
        return out

    def free_companies(self, k: int, role: int | None = None, prefer: list[int] | None = None) -> list[int]:
        """Return k active companies not busy, preferring industries in `prefer`; mark busy."""
        pop, b = self.pop, self.bank
        mask = ~b.c_busy & np.isin(pop.c_status, ["存续", "在业"])
        if role is not None:
            mask &= b.hh_role[pop.p_hh[pop.c_rep]] == role
        cand = np.flatnonzero(mask)
        if prefer:
            good = cand[np.isin(pop.c_ind[cand], prefer)]
            if len(good) >= k:
                cand = good
        if len(cand) < k:
            raise RuntimeError("county too small for the planted structures")
        out = self.rng.choice(cand, k, replace=False)
        b.c_busy[out] = True
        return [int(x) for x in out]

    # ----- accounts ----------------------------------------------------------------------
    def build_accounts(self) -> None:
        """Open accounts: customers in the bank, some companies elsewhere, an external pool."""
        pop, b, rng = self.pop, self.bank, self.rng
        n_p, n_c = len(pop.p_id), len(pop.c_uscc)
        cust = np.flatnonzero(pop.p_cust)
        two = rng.random(len(cust)) < 0.12
        b.p_acct = np.full(n_p, -1, np.int64)
        b.c_acct = np.full(n_c, -1, np.int64)
        nos = account_numbers("62302", 0, len(cust) + int(two.sum()), 14, 40_213)
        k = 0
        age_days = pop.as_of_day - pop.p_birth
        span = np.minimum(6000, np.maximum(40, age_days[cust] - 18 * 365))
        opened = pop.as_of_day - (rng.random(len(cust)) * (span - 30)).astype(np.int64) - 30
        for j, p in enumerate(cust.tolist()):
            b.p_acct[p] = len(b.a_no)
            for extra in range(1 + int(two[j])):
                b.a_no.append(nos[k])
                k += 1
                b.a_owner_type.append("person")
                b.a_owner.append(p)
                b.a_in_bank.append(True)
                b.a_bank.append("")
                b.a_kind.append("储蓄" if extra or pop.p_age[p] < 18 else "结算")
                b.a_opened.append(int(opened[j]) + extra * 200)
        ccust = np.flatnonzero(pop.c_cust)
        nos = account_numbers("20100", 0, len(ccust), 12, 77_001)
        for j, c in enumerate(ccust.tolist()):
            b.c_acct[c] = len(b.a_no)
            self._add_account(nos[j], "company", c, True, "", "对公",
                              pop.as_of_day - 60 - int(rng.integers(0, 3000)))
        # non-customer companies: about 40% hold an account at another bank
        others = np.flatnonzero(~pop.c_cust & (rng.random(n_c) < 0.4))
        forced = [c for c in self.other_bank_companies if b.c_acct[c] < 0 and c not in set(others.tolist())]
        for c in [*others.tolist(), *forced]:
            bi = int(rng.integers(0, len(nm.OTHER_BANKS)))
            no = self._other_no(bi)
            b.c_acct[c] = len(b.a_no)
            self._add_account(no, "company", c, False, nm.OTHER_BANKS[bi], "对公",
                              pop.as_of_day - 60 - int(rng.integers(0, 3000)))
        n_ext = max(50, round(0.1 * len(pop.hh_size)))
        self.ext_pool = np.arange(len(b.a_no), len(b.a_no) + n_ext)
        for _ in range(n_ext):
            self._add_external()
        b.m_acct = [int(b.p_acct[o] if t == "person" else b.c_acct[o])
                    for t, o in zip(pop.m_owner_type, pop.m_owner, strict=True)]
        b.quiet = np.zeros(len(b.a_no), bool)

    _other_counter: dict[int, int]

    def _other_no(self, bi: int) -> str:
        if not hasattr(self, "_other_counter"):
            self._other_counter = {}
        k = self._other_counter.get(bi, 0)
        self._other_counter[bi] = k + 1
        return account_numbers(nm.OTHER_BANK_PREFIX[bi], k, 1, 13, 1_234_567 + bi)[0]

    def _add_account(self, no: str, otype: str, owner: int, in_bank: bool, bank: str, kind: str,
                     opened: int) -> int:
        b = self.bank
        b.a_no.append(no)
        b.a_owner_type.append(otype)
        b.a_owner.append(owner)
        b.a_in_bank.append(in_bank)
        b.a_bank.append(bank)
        b.a_kind.append(kind)
        b.a_opened.append(opened)
        return len(b.a_no) - 1

    def _add_external(self) -> int:
        bi = int(self.rng.integers(0, len(nm.OTHER_BANKS)))
        idx = self._add_account(self._other_no(bi), "external", -1, False, nm.OTHER_BANKS[bi], "",
                                self.pop.as_of_day - 400)
        if len(self.bank.quiet):
            self.bank.quiet = np.append(self.bank.quiet, False)
        return idx

    def acct(self, party: Party) -> int:
        """Return the main account of a party (it must have one)."""
        kind, i = party
        a = self.bank.p_acct[i] if kind == "person" else self.bank.c_acct[i]
        if a < 0:
            raise RuntimeError(f"{kind} {i} has no account")
        return int(a)

    # ----- loans ---------------------------------------------------------------------------
    def new_loan(self, party: Party, amount_yuan: float, start: int, product: str | None = None,
                 healthy: bool = True, term_years: int | None = None) -> int:
        """Add a loan for a party (paid into its main account) and return its index."""
        rng = self.rng
        company = party[0] == "company"
        if product is None:
            options = COMPANY_PRODUCTS if company else PERSON_PRODUCTS
            product = options[int(rng.integers(0, len(options)))]
        term = term_years or (1, 1, 1, 2, 3)[int(rng.integers(0, 5))]
        amount = int(round(amount_yuan, -3)) * 100
        cls, overdue = "正常", 0
        if not healthy:
            r = rng.random()
            cls, overdue = (("关注", int(rng.integers(1, 90))) if r < 0.55 else
                            ("次级", int(rng.integers(91, 180))) if r < 0.75 else
                            ("可疑", int(rng.integers(181, 360))) if r < 0.92 else
                            ("损失", int(rng.integers(361, 720))))
        end = start + term * 365
        if end < self.pop.as_of_day and cls == "正常":
            balance = 0
        else:
            frac = 1.0 if cls != "正常" else float(rng.uniform(0.3, 1.0))
            balance = round(amount * frac / 100.0) * 100
        rate = round(float(rng.uniform(3.45, 7.2)), 2)
        acct = self.acct(party)
        self.bank.a_opened[acct] = min(self.bank.a_opened[acct], start - 30)
        self.bank.loans.append(Loan(party, product, amount, balance, rate, start, term * 365, cls,
                                    overdue, acct))
        return len(self.bank.loans) - 1

    def guarantee(self, loan: int, party: Party, gtype: str = "保证", group: str | None = None) -> None:
        """Add a guarantee of `loan` by `party`."""
        amt = self.bank.loans[loan].amount
        self.bank.guarantees.append(Guarantee(loan, party, gtype, amt, group))

    def recent_start(self, lo: int = 30, hi: int = 1000) -> int:
        """Return a loan start day between `hi` and `lo` days before as_of."""
        return self.pop.as_of_day - int(self.rng.integers(lo, hi))

    def amount(self, party: Party) -> float:
        """Return a plausible loan amount (yuan) for a party."""
        if party[0] == "company":
            return float(np.clip(np.exp(self.rng.normal(np.log(1_500_000), 0.7)), 200_000, 20_000_000))
        return float(np.clip(np.exp(self.rng.normal(np.log(150_000), 0.6)), 30_000, 1_000_000))

    # ----- planted structures: choose parties ----------------------------------------------
    def plan(self) -> None:
        """Choose the parties of every planted structure and set customer flags accordingly."""
        rng, pop, b = self.rng, self.pop, self.bank
        circles: list[dict[str, Any]] = []
        for kind, count in (("mutual", self.n(25, 2)), ("triangle", self.n(15, 2)),
                            ("loop", self.n(15, 3))):
            for i in range(count):
                if kind == "mutual":
                    k = 2
                elif kind == "triangle":
                    k = 3
                else:
                    k = [4, 8, 6, 5, 7][i] if i < 5 else int(rng.integers(4, 9))
                members = [self.fresh_party(0.35) for _ in range(k)]
                circles.append({"kind": kind, "path": members, "closed": True, "via": []})
        for i in range(self.n(12, 2)):
            comp = self.fresh_company()
            if comp is None:
                raise RuntimeError("county too small for contracted circles")
            rep = int(pop.c_rep[comp])
            b.p_busy[rep] = True
            pop.p_cust[rep] = True
            others = [self.fresh_party(0.5) for _ in range(1 + i % 3)]
            path: list[Party] = [("person", rep), *others, ("company", comp)]
            circles.append({"kind": "contracted", "path": path, "closed": False,
                            "via": [(("company", comp), ("person", rep))]})
        chains = []
        for _ in range(self.n(8, 2)):
            hops = int(rng.integers(7, 11))
            chains.append([self.fresh_party(0.35) for _ in range(hops + 1)])
        # every other household is a borrower (0) or guarantor (1) cluster
        free = b.hh_role == -1
        b.hh_role[free] = np.where(rng.random(int(free.sum())) < 0.6, 0, 1).astype(np.int8)
        groups = []
        for _ in range(self.n(30, 2)):
            borrowers = self.free_persons(int(rng.integers(3, 6)), 25, 65, role=0)
            guarantors = self.free_persons(int(rng.integers(3, 6)), 25, 65, role=1)
            pop.p_cust[borrowers] = True
            groups.append((borrowers, guarantors))
        supply = []
        for _ in range(self.n(12, 2)):
            core = self.free_companies(1, prefer=[1])[0]
            up = self.free_companies(int(rng.integers(3, 8)), prefer=[0, 3, 4])
            down = self.free_companies(int(rng.integers(3, 8)), prefer=[2, 5])
            pop.c_cust[core] = True
            other = []
            for c in up + down:
                if rng.random() < 0.35:
                    pop.c_cust[c] = False
                    other.append(c)
                    self.other_bank_companies.append(c)
                else:
                    pop.c_cust[c] = True
            supply.append({"core": core, "up": up, "down": down, "other": other})
        trips = []
        for i in range(self.n(25, 3)):
            hops = 1 + i % 3
            borrower: Party
            related: Party | None = None
            if rng.random() < 0.65:
                c = self.free_companies(1, role=0)[0]
                borrower = ("company", c)
                cand = [("person", int(pop.c_rep[c]))] + [
                    (ht, hi) for ht, hi, cc, role, _, _ in pop.roles
                    if cc == c and role == "shareholder" and ht == "person"]
                for ht, hi in cand:
                    if not b.p_busy[hi]:
                        related = (ht, hi)
                        break
            if related is None:
                while True:
                    p = self.free_persons(1, 25, 65, role=0)[0]
                    h = int(pop.p_hh[p])
                    mates = [int(pop.hh_start[h]) + j for j in range(int(pop.hh_size[h]))]
                    mates = [m for m in mates if m != p and pop.p_age[m] >= 16 and not b.p_busy[m]]
                    if mates:
                        break
                borrower = ("person", p)
                related = ("person", mates[0])
            if related[0] == "person":
                b.p_busy[related[1]] = True
                pop.p_cust[related[1]] = True
            if borrower[0] == "person":
                pop.p_cust[borrower[1]] = True
            else:
                pop.c_cust[borrower[1]] = True
            shells = self.free_companies(1) if hops == 3 else []
            for s in shells:
                pop.c_cust[s] = True
            trips.append({"borrower": borrower, "related": related, "hops": hops, "shells": shells})
        communities = []
        for _ in range(self.n(30, 3)):
            size = int(rng.integers(8, 17 if self.f > 0.05 else 11))
            n_comp = round(size * 0.25)
            persons = self.free_persons(size - n_comp, 22, 70)
            comps = self.free_companies(n_comp)
            pop.p_cust[persons] = True
            pop.c_cust[comps] = True
            communities.append([("person", p) for p in persons] + [("company", c) for c in comps])
        trees = []
        campaigns = ["2026春季茶农推荐有礼", "新春开门红·老带新", "丰收节推荐办卡", "社保卡激活推荐",
                     "手机银行推荐有礼"]
        for t in range(self.n(150, 4)):
            depth = 1 + t % 4 if t < 4 else int(rng.integers(1, 5))
            trees.append(self._tree(depth, campaigns[int(rng.integers(0, len(campaigns)))]))
        self.plan_data = {"circles": circles, "chains": chains, "groups": groups, "supply": supply,
                          "trips": trips, "communities": communities, "trees": trees}

    def _tree(self, depth: int, campaign: str) -> dict[str, Any]:
        rng, pop = self.rng, self.pop
        root = self.free_persons(1, 25, 70)[0]
        pop.p_cust[root] = True
        start = self.pop.as_of_day - int(rng.integers(120, 360))
        edges: list[tuple[int, int, int, bool]] = []  # referrer, referee, day, converted
        frontier = [(root, start, 0)]
        reached = 0
        while frontier:
            node, day, d = frontier.pop(0)
            if d >= depth:
                continue
            fan = int(rng.integers(1, 5 if d == 0 else 4))
            for j in range(fan):
                kid = self.free_persons(1, 18, 75)[0]
                kday = min(day + int(rng.integers(3, 30)), self.pop.as_of_day - 1)
                must = j == 0 and d + 1 < depth  # keep one path going to the full depth
                conv = must or rng.random() < 0.6
                pop.p_cust[kid] = conv
                if not conv:
                    pop.p_tier[kid] = 3
                elif pop.p_tier[kid] > 2:
                    pop.p_tier[kid] = 2
                edges.append((node, kid, kday, conv))
                reached = max(reached, d + 1)
                if conv:
                    frontier.append((kid, kday, d + 1))
        return {"root": root, "campaign": campaign, "edges": edges, "depth": reached}

